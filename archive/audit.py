"""The audit log: who did what to which document, and when. Append-only and tamper-evident.

Each entry carries the SHA-256 of the entry before it (`prev_hash`) and its own hash over
that and its content, so changing, removing or reordering any entry breaks the chain from
there on; `verify` finds the first break. Writers take their turn on the one row of
`audit_chain` (an UPDATE locks it on PostgreSQL and takes SQLite's write lock), which hands
out the next id and the hash to link to, so concurrent writers build one chain. The head row
also remembers the last entry, so removing entries from the end is detected too. On top of
that the database refuses UPDATE and DELETE on audit_events (triggers from the migration).

Views and downloads of statements are entries too (actions in ACCESS_ACTIONS): the access
log is this log, filtered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.models import AuditEvent, Base, FieldRow, utcnow

GENESIS = "0" * 64  # what the first entry links to
ACCESS_ACTIONS = ("view", "download")


class AuditChain(Base):
    """The head of the chain: the last entry's id and hash (a single row, id 1)."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


def canonical(detail: dict[str, Any]) -> dict[str, Any]:
    """The detail as it reads back from the database (JSON), so its hash can be checked."""
    return json.loads(json.dumps(detail, ensure_ascii=False, default=str))


def entry_hash(
    prev_hash: str,
    *,
    id: int,
    at: dt.datetime,
    user: str | None,
    action: str,
    document_id: int | None,
    customer: str | None,
    detail: dict[str, Any],
) -> str:
    body = json.dumps(
        {
            "id": id,
            # the chain's text form: UTC without a zone, as the first entries were hashed
            "at": _utc_text(at),
            "user": user,
            "action": action,
            "document_id": document_id,
            "customer": customer,
            "detail": detail,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def hash_of(event: AuditEvent, prev_hash: str) -> str:
    return entry_hash(
        prev_hash,
        id=event.id,
        at=event.at,
        user=event.user,
        action=event.action,
        document_id=event.document_id,
        customer=event.customer,
        detail=event.detail,
    )


def record(
    s: Session,
    action: str,
    *,
    user: str | None = None,
    document_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append an entry in session `s` (it is kept when `s` commits)."""
    customer = None
    if document_id is not None:
        customer = s.scalar(
            select(FieldRow.value).where(
                FieldRow.document_id == document_id, FieldRow.name == "customer_code"
            )
        )
    # The UPDATE comes first: it waits for any other writer of the log, then the head is ours.
    s.execute(update(AuditChain).where(AuditChain.id == 1).values(last_id=AuditChain.last_id + 1))
    last_id, prev = s.execute(
        select(AuditChain.last_id, AuditChain.last_hash).where(AuditChain.id == 1)
    ).one()
    event = AuditEvent(
        id=last_id,
        at=utcnow(),
        action=action,
        user=user,
        document_id=document_id,
        customer=customer,
        detail=canonical(detail),
        prev_hash=prev,
    )
    event.hash = hash_of(event, prev)
    s.execute(update(AuditChain).where(AuditChain.id == 1).values(last_hash=event.hash))
    s.add(event)
    return event


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None  # the first entry that does not hold
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def _entries(s: Session, batch: int = 2000) -> Iterator[AuditEvent]:
    last = None
    while True:
        stmt = select(AuditEvent).order_by(AuditEvent.id).limit(batch)
        if last is not None:
            stmt = stmt.where(AuditEvent.id > last)
        rows = list(s.scalars(stmt))
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        s.expunge_all()


def verify(s: Session) -> ChainReport:
    """Check every entry's link and hash, in order, and the head; name the first break."""
    prev, checked, last_id = GENESIS, 0, 0
    for e in _entries(s):
        if e.prev_hash != prev:
            return ChainReport(checked, e.id, "does not link to the entry before it")
        if e.hash != hash_of(e, prev):
            return ChainReport(checked, e.id, "its content does not match its hash")
        prev, last_id = e.hash, e.id
        checked += 1
    head = s.get(AuditChain, 1)
    if head is None or head.last_hash != prev or head.last_id != last_id:
        # The entries from here to the head's were removed (or the head was altered).
        return ChainReport(checked, last_id + 1, "this and later entries are missing")
    return ChainReport(checked)


def head(s: Session) -> dict[str, Any]:
    row = s.get(AuditChain, 1)
    return {"id": row.last_id, "hash": row.last_hash} if row else {"id": 0, "hash": GENESIS}


def _utc_text(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")
