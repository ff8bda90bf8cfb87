"""Saved searches: a user's named search form (its filters as the search page has them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.management import SavedSearch
from archive.users import User
from services.tags import TagError

MAX_PER_USER = 100


def save(s: Session, user: User, name: str, args: dict[str, str]) -> SavedSearch:
    """Save (or replace) the user's search `name`; empty values are left out."""
    name = " ".join((name or "").split())
    if not name or len(name) > 128:
        raise TagError("a saved search needs a name of 1 to 128 characters", {})
    args = {k: v for k, v in args.items() if v and k != "page"}
    row = s.scalar(select(SavedSearch).where(SavedSearch.user_id == user.id,
                                             SavedSearch.name == name))  # fmt: skip
    if row is None:
        if len(mine(s, user)) >= MAX_PER_USER:
            raise TagError("at most {n} saved searches each", {"n": MAX_PER_USER})
        row = SavedSearch(user_id=user.id, name=name, args=args)
        s.add(row)
    else:
        row.args = args
    s.flush()
    return row


def mine(s: Session, user: User) -> list[SavedSearch]:
    return list(
        s.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.name)
        )
    )


def remove(s: Session, user: User, search_id: int) -> bool:
    row = s.get(SavedSearch, search_id)
    if row is None or row.user_id != user.id:
        return False
    s.delete(row)
    return True
