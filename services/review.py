"""The review station's moves besides saving: put a statement off, reject it, take it, and
find or add its customer, so that no statement stops a reviewer.

- Postponing needs a reason; the statement leaves the queue until the time given, then
  comes back to everyone.
- Rejecting (not a statement, unreadable, a duplicate) needs a reason; the statement stays
  in the archive with status `rejected`, out of the queue.
- A statement taken by one reviewer (claimed, or assigned by an admin) is offered to that
  reviewer only; others see it as taken.
- The queue can be ordered by age, customer or amount due.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import Numeric, and_, cast, or_, select
from sqlalchemy.orm import Session, aliased

from archive import audit
from archive.models import NEEDS_REVIEW, REJECTED, Customer, Document, FieldRow, ReviewState, utcnow

REJECT_KINDS = {
    "not_statement": "Not a statement",
    "unreadable": "Unreadable",
    "duplicate": "Duplicate",
}
ORDERS = ("age", "customer", "amount")
MAX_POSTPONE_HOURS = 24 * 30


class ReviewError(ValueError):
    """A move that cannot be made; the message (English msgid) is shown as is."""


def _state(s: Session, doc_id: int) -> ReviewState:
    row = s.get(ReviewState, doc_id)
    if row is None:
        row = ReviewState(document_id=doc_id)
        s.add(row)
    return row


def _clean(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())[:1000]


def postpone(s: Session, doc: Document, user: str, hours: float, reason: str) -> dt.datetime:
    reason = _clean(reason)
    if not reason:
        raise ReviewError("Say why the statement is put off.")
    if not 0 < hours <= MAX_POSTPONE_HOURS:
        raise ReviewError("Put it off for 1 hour to 30 days.")
    until = utcnow() + dt.timedelta(hours=hours)
    row = _state(s, doc.id)
    row.postponed_until, row.reason, row.by, row.assigned_to = until, reason, user, None
    audit.record(s, "postponed", user=user, document_id=doc.id, hours=hours, reason=reason)
    return until


def reject(s: Session, doc: Document, user: str, kind: str, reason: str) -> None:
    reason = _clean(reason)
    if kind not in REJECT_KINDS:
        raise ReviewError("Choose why the statement is rejected.")
    if not reason:
        raise ReviewError("Say why the statement is rejected.")
    if doc.status != NEEDS_REVIEW:
        raise ReviewError("Only a statement waiting for review can be rejected.")
    row = _state(s, doc.id)
    row.rejected, row.reason, row.by, row.postponed_until = kind, reason, user, None
    doc.status = REJECTED
    doc.reviewed_at, doc.reviewed_by = utcnow(), user
    doc.index_pending = True
    audit.record(s, "rejected", user=user, document_id=doc.id, kind=kind, reason=reason)


def assign(s: Session, doc: Document, user: str, to: str | None) -> None:
    """Give the statement to reviewer `to` (None: back to everyone)."""
    row = _state(s, doc.id)
    if to and row.assigned_to and row.assigned_to not in (to, user):
        raise ReviewError("Another reviewer has taken this statement.")
    row.assigned_to, row.by = to or None, user
    audit.record(s, "assigned", user=user, document_id=doc.id, to=to)


def waiting(user: str, now: dt.datetime | None = None):
    """The condition for a statement offered to `user`: needs review, not put off, not
    taken by someone else."""
    now = now or utcnow()
    free = ~Document.id.in_(
        select(ReviewState.document_id).where(
            or_(
                ReviewState.postponed_until > now,
                and_(ReviewState.assigned_to.is_not(None), ReviewState.assigned_to != user),
            )
        )
    )
    return and_(Document.status == NEEDS_REVIEW, free)


def ordered(query, order: str):
    """The queue in the chosen order; oldest first within it."""
    if order == "customer":
        f = aliased(FieldRow)
        query = query.outerjoin(
            f, and_(f.document_id == Document.id, f.name == "customer_code")
        ).order_by(f.value.is_(None), f.value)
    elif order == "amount":
        f = aliased(FieldRow)
        query = query.outerjoin(
            f, and_(f.document_id == Document.id, f.name == "amount_due")
        ).order_by(f.value.is_(None), cast(f.value, Numeric(18, 2)).desc())
    return query.order_by(Document.created_at, Document.id)


def states(s: Session, ids: list[int]) -> dict[int, ReviewState]:
    if not ids:
        return {}
    rows = s.scalars(select(ReviewState).where(ReviewState.document_id.in_(ids)))
    return {r.document_id: r for r in rows}


# --------------------------------------------------------------------------- customers


def find_customers(
    s: Session, text: str, hidden: frozenset[str] = frozenset(), limit: int = 20
) -> list[Customer]:
    """Customers whose code, name or an alias contains `text` (codes first)."""
    needle = _clean(text).casefold()
    if not needle:
        return []
    out = []
    for c in s.scalars(select(Customer).order_by(Customer.code)):
        if c.code in hidden:
            continue
        texts = [c.code, c.name, *(c.aliases or [])]
        if any(needle in t.casefold() for t in texts):
            out.append(c)
    out.sort(key=lambda c: (not c.code.casefold().startswith(needle), c.code))
    return out[:limit]


def add_customer(s: Session, user: str, code: str, name: str, alias: str | None) -> Customer:
    """A customer added from the review page (the printed name becomes its alias)."""
    code, name, alias = _clean(code), _clean(name), _clean(alias)
    if not code or not name:
        raise ReviewError("A customer needs a code and a name.")
    if len(code) > 64 or len(name) > 255:
        raise ReviewError("The code is at most 64 characters, the name 255.")
    if s.scalar(select(Customer.id).where(Customer.code == code)) is not None:
        raise ReviewError("A customer with this code exists already.")
    aliases = [alias] if alias and alias != name else []
    customer = Customer(code=code, name=name, aliases=aliases)
    s.add(customer)
    audit.record(s, "customer_added", user=user, code=code, name=name)
    return customer
