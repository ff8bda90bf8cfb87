"""Per-customer access: statements of sensitive customers are seen only by those granted them.

A customer flagged `sensitive` is visible to admins and to the users it is granted to, directly
or through a group they belong to. Everyone else is treated as if its statements did not exist:
searches leave them out of hits, totals and facets; pages, originals, exports and the API answer
404. Documents without a customer code are never restricted.

The rule is applied by customer code, which every search document already carries, so flagging
a customer or granting it takes effect at once, without re-indexing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    UniqueConstraint,
    delete,
    exists,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive import audit
from archive.models import Base, Customer, Document, FieldRow, utcnow
from archive.users import ADMIN, User, by_name

DENIED = "access_denied"  # the audit action of every refused look at a restricted statement


class Group(Base):
    """A named set of users that customers can be granted to as one."""

    __tablename__ = "user_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("user_groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Grant(Base):
    """Customer → one user or one group: they may see the customer's statements."""

    __tablename__ = "customer_grants"
    __table_args__ = (
        UniqueConstraint("customer_id", "user_id", "group_id"),
        CheckConstraint(
            "(user_id IS NULL) <> (group_id IS NULL)", name="ck_customer_grants_one_grantee"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("user_groups.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(64))


class AccessError(ValueError):
    """A request about access that cannot be done. `text` is English with {placeholders}; the
    web app shows it translated (archive/translations_zh.py has every one of them)."""

    def __init__(self, text: str, **values: str) -> None:
        super().__init__(text.format(**values))
        self.text, self.values = text, values


# -- who sees what -------------------------------------------------------------------------


def hidden_customers(s: Session, user: User) -> frozenset[str]:
    """Codes of the sensitive customers `user` may not see (none for admins)."""
    if user.role == ADMIN:
        return frozenset()
    groups = select(GroupMember.group_id).where(GroupMember.user_id == user.id)
    granted = select(Grant.customer_id).where(
        (Grant.user_id == user.id) | Grant.group_id.in_(groups)
    )
    return frozenset(
        s.scalars(
            select(Customer.code).where(Customer.sensitive.is_(True), Customer.id.not_in(granted))
        )
    )


def may_see(s: Session, user: User, doc: Document) -> bool:
    """Whether `user` may see this document, by the customer codes it has now.

    A scan batch, an email or a ZIP that was cut into parts holds their pages in its original,
    so it carries the customers of all its parts (and of theirs).
    """
    hidden = hidden_customers(s, user)
    if not hidden:
        return True
    ids, level = {doc.id}, [doc.id]
    while level:
        level = [i for i in s.scalars(select(Document.id).where(Document.parent_id.in_(level)))
                 if i not in ids]  # fmt: skip
        ids.update(level)
    codes = s.scalars(
        select(FieldRow.value).where(
            FieldRow.document_id.in_(ids), FieldRow.name == "customer_code"
        )
    )
    return hidden.isdisjoint(codes)


def visible(hidden: frozenset[str]) -> ColumnElement[bool]:
    """A condition on Document: not a statement of one of the `hidden` customers (by its own
    customer code: for statements, not for the batches they were cut from)."""
    if not hidden:
        return true()
    return ~exists().where(
        FieldRow.document_id == Document.id,
        FieldRow.name == "customer_code",
        FieldRow.value.in_(sorted(hidden)),
    )


def denied(s: Session, user: User, what: str, document_id: int | None = None, **detail) -> None:
    """Audit a refused look (the caller answers 404, as for something that does not exist)."""
    audit.record(s, DENIED, user=user.name, document_id=document_id, what=what, **detail)


# -- managing it -------------------------------------------------------------------------------


def customer(s: Session, code: str) -> Customer:
    found = s.scalar(select(Customer).where(Customer.code == code))
    if found is None:
        raise AccessError("There is no customer {code}.", code=code)
    return found


def user_named(s: Session, name: str) -> User:
    found = by_name(s, name)
    if found is None:
        raise AccessError("There is no user {name}.", name=name)
    return found


def group_named(s: Session, name: str) -> Group:
    found = s.scalar(select(Group).where(Group.name == name))
    if found is None:
        raise AccessError("There is no group {name}.", name=name)
    return found


def set_sensitive(s: Session, code: str, on: bool, by: str | None) -> bool:
    """Flag or unflag a customer; True when that changed anything."""
    cust = customer(s, code)
    if cust.sensitive == on:
        return False
    cust.sensitive = on
    audit.record(s, "customer_sensitive", user=by, code=code, sensitive=on)
    return True


def _grantee(s: Session, user: str | None, group: str | None) -> dict[str, int]:
    if (user is None) == (group is None):
        raise AccessError("Name one user or one group.")
    if user is not None:
        return {"user_id": user_named(s, user).id}
    return {"group_id": group_named(s, group or "").id}


def grant(
    s: Session, code: str, *, user: str | None = None, group: str | None = None, by: str | None
) -> bool:
    """Let a user or a group see a customer's statements; True when it is a new grant."""
    cust = customer(s, code)
    who = _grantee(s, user, group)
    found = s.scalar(
        select(Grant.id).where(
            Grant.customer_id == cust.id,
            Grant.user_id == who.get("user_id"),
            Grant.group_id == who.get("group_id"),
        )
    )
    if found is not None:
        return False
    s.add(Grant(customer_id=cust.id, created_by=by, **who))
    audit.record(s, "access_granted", user=by, code=code, to_user=user, to_group=group)
    return True


def revoke(
    s: Session, code: str, *, user: str | None = None, group: str | None = None, by: str | None
) -> bool:
    """Take a grant back; True when there was one."""
    cust = customer(s, code)
    who = _grantee(s, user, group)
    column = Grant.user_id if "user_id" in who else Grant.group_id
    gone = s.execute(
        delete(Grant).where(Grant.customer_id == cust.id, column == next(iter(who.values())))
    ).rowcount
    if gone:
        audit.record(s, "access_revoked", user=by, code=code, from_user=user, from_group=group)
    return bool(gone)


def add_group(s: Session, name: str, by: str | None) -> Group:
    """The group of this name, made if it does not exist yet."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccessError("A group name is 1 to 64 characters without spaces.")
    found = s.scalar(select(Group).where(Group.name == name))
    if found is None:
        found = Group(name=name)
        s.add(found)
        s.flush()
        audit.record(s, "group_added", user=by, group=name)
    return found


def remove_group(s: Session, name: str, by: str | None) -> None:
    """Delete a group; its members lose what was granted to the group."""
    group = group_named(s, name)
    s.execute(delete(Grant).where(Grant.group_id == group.id))
    s.execute(delete(GroupMember).where(GroupMember.group_id == group.id))
    s.delete(group)
    audit.record(s, "group_removed", user=by, group=name)


def add_member(s: Session, group: str, user: str, by: str | None) -> bool:
    found, member = group_named(s, group), user_named(s, user)
    if s.get(GroupMember, (found.id, member.id)) is not None:
        return False
    s.add(GroupMember(group_id=found.id, user_id=member.id))
    audit.record(s, "group_member_added", user=by, group=group, member=user)
    return True


def remove_member(s: Session, group: str, user: str, by: str | None) -> bool:
    found, member = group_named(s, group), user_named(s, user)
    row = s.get(GroupMember, (found.id, member.id))
    if row is None:
        return False
    s.delete(row)
    audit.record(s, "group_member_removed", user=by, group=group, member=user)
    return True


def groups(s: Session) -> list[tuple[Group, list[str]]]:
    """Every group with its members' names, by name."""
    rows = s.execute(
        select(Group, User.name)
        .outerjoin(GroupMember, GroupMember.group_id == Group.id)
        .outerjoin(User, User.id == GroupMember.user_id)
        .order_by(Group.name, User.name)
    ).all()
    out: dict[int, tuple[Group, list[str]]] = {}
    for group, member in rows:
        entry = out.setdefault(group.id, (group, []))
        if member is not None:
            entry[1].append(member)
    return list(out.values())


def grants(s: Session) -> dict[str, tuple[list[str], list[str]]]:
    """Per sensitive customer code: the users and the groups granted it, by name."""
    out: dict[str, tuple[list[str], list[str]]] = {
        code: ([], [])
        for code in s.scalars(select(Customer.code).where(Customer.sensitive.is_(True)))
    }
    rows = s.execute(
        select(Customer.code, User.name, Group.name)
        .join(Grant, Grant.customer_id == Customer.id)
        .outerjoin(User, User.id == Grant.user_id)
        .outerjoin(Group, Group.id == Grant.group_id)
        .order_by(Customer.code, User.name, Group.name)
    ).all()
    for code, user, group in rows:
        users, group_names = out.setdefault(code, ([], []))
        if user is not None:
            users.append(user)
        if group is not None:
            group_names.append(group)
    return out
