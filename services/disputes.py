"""The customer's answer to a statement (回签, 争议处理): confirmed with a signed copy, or
disputed. A dispute has an amount, a reason, an owner, a status (open → investigating →
resolved or written off), notes and a history; every step goes into the audit log, and the
statement is re-indexed so that its confirmation and dispute status are search facets.

The signed copy is a scanned document of its own. It is linked to its statement by the QR code
it carries: the statement's own code printed on it, or the cover sheet put in front of it
(extract/qrpayload.py: customer, period and, when printed, the statement number).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import audit, config
from archive.ledger import (
    CONFIRMED,
    DISPUTE_STATUSES,
    DISPUTED,
    Confirmation,
    Dispute,
)
from archive.models import ACCEPTED, NEEDS_REVIEW, Document, FieldRow, RawCode, utcnow
from archive.secret import server_key
from extract import qrpayload
from services.indexing import index_now

MAX_TEXT = 2000


@dataclass
class DisputeError(ValueError):
    """A request that cannot be carried out; `message` is an English template of `values`."""

    message: str
    values: dict[str, Any]

    def __str__(self) -> str:
        return self.message.format(**self.values)


def _error(message: str, **values: Any) -> DisputeError:
    return DisputeError(message, values)


def _statement(s: Session, doc_id: int) -> Document:
    doc = s.get(Document, doc_id)
    if doc is None:
        raise _error("no document {id}", id=doc_id)
    return doc


def statement_for_signed_copy(s: Session, signed_id: int) -> int | None:
    """The statement a scanned signed copy answers, found by the QR codes on it: a statement
    of the code's customer and period (and number, when the code carries one), not the copy
    itself; the earliest such statement, as the copy comes back after it was sent."""
    key = server_key(config.load())
    for data in s.scalars(select(RawCode.data).where(RawCode.document_id == signed_id)):
        code = qrpayload.parse(data, key)
        if code is None:
            continue
        wanted = {"customer_code": code.customer, "period": code.period}
        if code.number:
            wanted["statement_no"] = code.number
        query = select(Document.id).where(
            Document.id != signed_id, Document.status.in_((ACCEPTED, NEEDS_REVIEW))
        )
        for name, value in wanted.items():
            query = query.where(
                Document.id.in_(
                    select(FieldRow.document_id).where(
                        FieldRow.name == name, FieldRow.value == value
                    )
                )
            )
        found = s.scalar(query.order_by(Document.id).limit(1))
        if found is not None:
            return found
    return None


def confirm(
    s: Session, doc_id: int | None, *, user: str, signed_id: int | None = None
) -> Confirmation:
    """Mark the statement confirmed by the customer, with the scanned signed copy when there is
    one. Without `doc_id` the statement is found from the signed copy's QR code."""
    if doc_id is None:
        if signed_id is None:
            raise _error("name the statement or the signed copy")
        _statement(s, signed_id)
        doc_id = statement_for_signed_copy(s, signed_id)
        if doc_id is None:
            raise _error(
                "no statement matches the QR code on document {id}; name the statement",
                id=signed_id,
            )
    _statement(s, doc_id)
    if signed_id is not None:
        _statement(s, signed_id)
        if signed_id == doc_id:
            raise _error("a statement cannot be its own signed copy")
    row = _answer(s, doc_id)
    row.state, row.signed_document_id, row.user, row.at = CONFIRMED, signed_id, user, utcnow()
    audit.record(s, "confirmed", user=user, document_id=doc_id, signed_document_id=signed_id)
    return row


def _answer(s: Session, doc_id: int) -> Confirmation:
    row = s.scalar(select(Confirmation).where(Confirmation.document_id == doc_id))
    if row is None:
        row = Confirmation(document_id=doc_id, state=DISPUTED, user="")
        s.add(row)
    return row


def _text(value: str | None, name: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _error("{name} is required", name=name)
    if len(value) > MAX_TEXT:
        raise _error("{name} is longer than {n} characters", name=name, n=MAX_TEXT)
    return value


def open_dispute(
    s: Session,
    doc_id: int,
    *,
    user: str,
    reason: str,
    owner: str,
    amount: Decimal | None = None,
    notes: str = "",
) -> Dispute:
    """The customer disputes the statement (or `amount` of it)."""
    _statement(s, doc_id)
    reason = _text(reason, "reason", required=True)
    owner = _text(owner, "owner", required=True)[:64]
    notes = _text(notes, "notes")
    dispute = Dispute(
        document_id=doc_id,
        amount=amount,
        reason=reason,
        owner=owner,
        status="open",
        notes=notes,
        history=[_step(user, "open", reason, owner=owner)],
    )
    s.add(dispute)
    row = _answer(s, doc_id)
    row.state, row.user, row.at = DISPUTED, user, utcnow()
    s.flush()
    audit.record(
        s,
        "dispute_opened",
        user=user,
        document_id=doc_id,
        dispute_id=dispute.id,
        amount=None if amount is None else format(amount, "f"),
        reason=reason,
        owner=owner,
    )
    return dispute


def update_dispute(
    s: Session,
    dispute_id: int,
    *,
    user: str,
    status: str | None = None,
    note: str = "",
    owner: str | None = None,
) -> Dispute:
    """Move a dispute on (a new status, a new owner) or add a note; kept in its history."""
    dispute = s.get(Dispute, dispute_id)
    if dispute is None:
        raise _error("no dispute {id}", id=dispute_id)
    if status is not None and status not in DISPUTE_STATUSES:
        raise _error("the status must be one of {statuses}", statuses=", ".join(DISPUTE_STATUSES))
    note = _text(note, "note")
    owner = _text(owner, "owner")[:64] or None
    if status in (None, dispute.status) and not note and owner in (None, dispute.owner):
        raise _error("nothing to change")
    dispute.status = status or dispute.status
    dispute.owner = owner or dispute.owner
    if note:
        dispute.notes = f"{dispute.notes}\n{note}".strip()
    # a new list, so the JSON column is seen as changed
    dispute.history = [*dispute.history, _step(user, dispute.status, note, owner=dispute.owner)]
    audit.record(
        s,
        "dispute_updated",
        user=user,
        document_id=dispute.document_id,
        dispute_id=dispute.id,
        status=dispute.status,
        owner=dispute.owner,
        note=note,
    )
    return dispute


def _step(user: str, status: str, note: str, **more: Any) -> dict[str, Any]:
    return {
        "at": utcnow().isoformat(timespec="seconds"),
        "user": user,
        "status": status,
        "note": note,
        **more,
    }


def disputes(
    s: Session, status: str | None = None, document_id: int | None = None
) -> list[Dispute]:
    query = select(Dispute).order_by(Dispute.id)
    if status is not None:
        query = query.where(Dispute.status == status)
    if document_id is not None:
        query = query.where(Dispute.document_id == document_id)
    return list(s.scalars(query))


OPEN_STATUSES = ("open", "investigating")  # neither resolved nor written off


def open_count(s: Session, hidden: frozenset[str] = frozenset()) -> int:
    """Disputes still open or under investigation, leaving out those on statements of the
    `hidden` customers."""
    query = select(func.count(Dispute.id)).where(Dispute.status.in_(OPEN_STATUSES))
    if hidden:
        query = query.where(
            Dispute.document_id.not_in(
                select(FieldRow.document_id).where(
                    FieldRow.name == "customer_code", FieldRow.value.in_(hidden)
                )
            )
        )
    return s.scalar(query) or 0


def dispute_json(d: Dispute) -> dict[str, Any]:
    return {
        "id": d.id,
        "document_id": d.document_id,
        "amount": None if d.amount is None else format(Decimal(d.amount), ".2f"),
        "reason": d.reason,
        "owner": d.owner,
        "status": d.status,
        "notes": d.notes,
        "history": d.history,
        "created_at": d.created_at.isoformat(timespec="seconds"),
        "updated_at": d.updated_at.isoformat(timespec="seconds"),
    }


def answer_of(s: Session, doc_id: int) -> Confirmation | None:
    return s.scalar(select(Confirmation).where(Confirmation.document_id == doc_id))


def reindex(doc_id: int) -> None:
    """After the session committed: the statement's facets change."""
    index_now([doc_id])
