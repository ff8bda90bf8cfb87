"""Sign-in throttling, per account and per client address, kept in the database so every web
process (gunicorn workers, several hosts) sees the same counts.

After LIMIT failures a key is locked for BASE_LOCK, doubling with each further failure up to
MAX_LOCK. Attempts while a key is locked are refused without being counted, so a stranger
sending one guess now and then cannot keep an account locked for good; failures older than
FORGET are forgotten. A successful sign-in clears the account's count; an admin can unlock it.
The address limit is higher than the account limit: many people may share one proxy.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.db import insert_ignore
from archive.models import Base, utcnow

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30
BASE_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=1)
FORGET = dt.timedelta(hours=24)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)  # account:NAME, address:IP
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime | None]
    locked_until: Mapped[dt.datetime | None]


def keys(name: str, address: str) -> dict[str, int]:
    """The throttle keys of a sign-in attempt and their limits."""
    return {f"account:{name.lower()}": ACCOUNT_LIMIT, f"address:{address}": ADDRESS_LIMIT}


def locked_until(s: Session, name: str, address: str) -> dt.datetime | None:
    """When the later of the two locks ends, or None when neither is locked now."""
    now = utcnow()
    ends = s.scalars(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.key.in_(list(keys(name, address))), LoginThrottle.locked_until > now
        )
    ).all()
    return max(ends) if ends else None


def failed(s: Session, name: str, address: str) -> None:
    """Count a failed sign-in against the account and the address."""
    now = utcnow()
    for key, limit in keys(name, address).items():
        insert_ignore(s, LoginThrottle, {"key": key, "failures": 0}, ["key"])
        s.execute(  # stale counts start again
            update(LoginThrottle)
            .where(LoginThrottle.key == key, LoginThrottle.last_failure_at < now - FORGET)
            .values(failures=0, locked_until=None)
        )
        s.execute(  # one statement: two processes counting at once both count
            update(LoginThrottle)
            .where(LoginThrottle.key == key)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
        )
        row = s.get(LoginThrottle, key, populate_existing=True)
        if row.failures >= limit:
            row.locked_until = now + lock_for(row.failures - limit)


def lock_for(over: int) -> dt.timedelta:
    """How long a key is locked after `over` failures beyond its limit: 1, 2, 4 … 60 min."""
    return min(MAX_LOCK, BASE_LOCK * 2 ** min(over, 20))


def succeeded(s: Session, name: str) -> None:
    s.execute(delete(LoginThrottle).where(LoginThrottle.key == f"account:{name.lower()}"))


def unlock(s: Session, name: str) -> bool:
    """An admin's unlock of an account; True when it was locked or had failures."""
    return (
        s.execute(
            delete(LoginThrottle).where(LoginThrottle.key == f"account:{name.lower()}")
        ).rowcount
        > 0
    )


def locked_accounts(s: Session) -> set[str]:
    """Lower-cased names of the accounts locked now."""
    rows = s.scalars(
        select(LoginThrottle.key).where(
            LoginThrottle.key.startswith("account:"), LoginThrottle.locked_until > utcnow()
        )
    )
    return {key.removeprefix("account:") for key in rows}
