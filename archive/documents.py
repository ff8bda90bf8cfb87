"""Documents in the archive: register originals, save what extraction found, describe them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from archive import audit, store
from archive.config import Settings
from archive.db import insert_ignore
from archive.models import (
    FAILED,
    RECEIVED,
    AuditEvent,
    Document,
    FieldRow,
    Page,
    RawCode,
    utc_text,
    utcnow,
)
from extract import fields, notes

# The fields the CLI and API print (the JSON contract), in extraction order; the exact
# dates of a period range and the due date are kept and shown by `stmt show` only.
FIELD_NAMES = tuple(
    n for n in fields.FIELD_NAMES if n not in ("period_start", "period_end", "due_date")
)
AMOUNT_FIELDS = fields.AMOUNT_FIELDS


def register(
    s: Session,
    settings: Settings,
    data: bytes,
    filename: str,
    *,
    source: str,
    user: str | None = None,
) -> tuple[Document, bool]:
    """Store the original (durably, first) and return its document; False when it already was."""
    sha = store.put(settings.store_dir, data)
    existing = s.scalar(select(Document).where(Document.sha256 == sha))
    created = existing is None and _insert(s, sha, store.safe_name(filename), len(data), source)
    doc = existing or s.scalar(select(Document).where(Document.sha256 == sha))
    if not created:
        audit.record(s, "duplicate", user=user, document_id=doc.id, file=store.safe_name(filename))
        return doc, False
    audit.record(s, "received", user=user, document_id=doc.id, source=source, size=len(data))
    return doc, True


def _insert(s: Session, sha: str, filename: str, size: int, source: str) -> bool:
    """Insert the document row unless another process just did (the same file uploaded twice
    at once): the database decides, so every caller ends up with the one row. True: ours."""

    values = {"sha256": sha, "filename": filename, "size": size, "source": source}
    return insert_ignore(s, Document, values, ["sha256"])


def uploaded_by(user: str):
    """Ids of the documents `user` submitted (also as a duplicate of one already archived),
    and of the parts their scan batches and emails were split into; from the audit log."""
    own = select(AuditEvent.document_id).where(
        AuditEvent.action.in_(("received", "duplicate")),
        AuditEvent.user == user,
        AuditEvent.document_id.is_not(None),
    )
    parts = select(Document.id).where(Document.parent_id.in_(own))
    return own.union(parts)


def submitted_by(s: Session, doc_id: int, user: str) -> bool:
    found = s.scalar(
        select(Document.id).where(Document.id == doc_id, Document.id.in_(uploaded_by(user)))
    )
    return found is not None


def original(settings: Settings, doc: Document) -> bytes:
    return store.read(settings.store_dir, doc.sha256)


def fail(s: Session, doc: Document, reason: str) -> None:
    """`reason` may be a note (extract.notes): its code is kept to show it in any language."""
    doc.status = FAILED
    doc.error = str(reason)
    if isinstance(reason, notes.Note):
        doc.notes = [notes.to_json(reason)]
    doc.processed_at = utcnow()
    doc.index_pending = True
    audit.record(s, "failed", document_id=doc.id, reason=str(reason))


def requeue(doc: Document) -> None:
    doc.status = RECEIVED
    doc.error = None


def to_text(value: Any) -> str | None:
    """How a field value is stored and printed: plain decimals, ISO dates."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def save_extraction(s: Session, doc: Document, extraction, *, kind: str) -> None:
    """Replace the document's pages, fields and codes with what extraction found."""
    doc.kind = kind
    doc.pages = [
        Page(
            number=p.number,
            width=p.width,
            height=p.height,
            dpi=p.dpi,
            source=p.source,
            rotation=p.rotation,
            skew=p.skew,
            text=p.text,
            words=[[w.text, *map(_r, w.box), round(w.confidence, 3)] for w in p.words],
        )
        for p in extraction.pages
    ]
    if doc.fields:  # the quick code pass's (services/fastlane.py): one row per name, so the
        doc.fields = []  # old rows go before the new ones come
        s.flush()
    doc.fields = field_rows(extraction.fields.values())
    doc.codes = code_rows(extraction.codes)
    save_lines(s, doc, getattr(extraction, "items", ()))
    doc.status = extraction.status
    doc.notes = [notes.to_json(n) for n in extraction.notes]  # codes and parameters
    doc.error = None
    doc.processed_at = utcnow()
    doc.index_pending = True
    audit.record(s, "processed", document_id=doc.id, status=doc.status)


def field_rows(values) -> list[FieldRow]:
    """Stored rows of extracted field values (those without a value are left out)."""
    return [
        FieldRow(
            name=f.name,
            value=to_text(f.value),
            confidence=round(float(f.confidence), 4),
            source=f.source,
            page=f.page,
            box=[_r(v) for v in f.box] if f.box else None,
            raw=f.raw,
        )
        for f in values
        if f.value is not None
    ]


def code_rows(codes) -> list[RawCode]:
    return [
        RawCode(type=c.type, data=c.data, page=c.page, box=[_r(v) for v in c.box]) for c in codes
    ]


def save_lines(s: Session, doc: Document, items) -> None:
    """Replace the document's stored line items (extraction's, or a reviewer's)."""
    from sqlalchemy import delete

    from archive.ledger import LineRow

    s.execute(delete(LineRow).where(LineRow.document_id == doc.id))
    s.add_all(
        LineRow(
            document_id=doc.id,
            number=n,
            kind=item.kind,
            date=item.date,
            reference=(item.reference or None) and item.reference[:64],
            description=item.description or "",
            debit=item.debit,
            credit=item.credit,
            balance=item.balance,
            page=item.page,
            box=[_r(v) for v in item.box] if item.box else None,
        )
        for n, item in enumerate(items, 1)
    )


def lines_of(s: Session, doc_id: int) -> list:
    from archive.ledger import LineRow

    return list(
        s.scalars(select(LineRow).where(LineRow.document_id == doc_id).order_by(LineRow.number))
    )


def document_lines(doc: Document) -> list:
    """The stored line items of `doc`, in its session, or a new one for a detached document."""
    s = object_session(doc)
    if s is not None:
        return lines_of(s, doc.id)
    from archive import db

    with db.session() as fresh:
        return lines_of(fresh, doc.id)


def line_json(row) -> dict[str, Any]:
    """A stored line item as `stmt show --json` prints it (amounts as plain decimal text)."""
    return {
        "line": row.number,
        "kind": row.kind,
        "date": to_text(row.date),
        "reference": row.reference,
        "description": row.description,
        "debit": to_text(row.debit),
        "credit": to_text(row.credit),
        "balance": to_text(row.balance),
        "page": row.page,
        "box": row.box,
    }


def _r(v: float) -> float:
    return round(float(v), 1)


def fields_json(doc: Document) -> dict[str, dict[str, Any]]:
    out = {}
    for name in FIELD_NAMES:
        row = doc.field(name)
        if row is not None:
            out[name] = {
                "value": row.value,
                "confidence": round(row.confidence, 3),
                "source": row.source,
            }
    return out


def to_json(doc: Document, *, detail: bool = False, lang: str = "en") -> dict[str, Any]:
    """The document as `stmt ingest --json` prints it; `detail` adds what `stmt show` adds,
    its review notes in `lang` (en or zh) and their codes."""
    out: dict[str, Any] = {
        "id": doc.id,
        "file": doc.filename,
        "status": doc.status,
        "error": notes.error_text(doc.error, doc.notes, lang),
        "fields": fields_json(doc),
    }
    if doc.part is not None:
        out["part"] = doc.part
    if detail:
        out.update(
            sha256=doc.sha256,
            size=doc.size,
            kind=doc.kind,
            source=doc.source,
            notes=[notes.render(n, lang) for n in doc.notes or []],
            note_codes=[n.get("code") if isinstance(n, dict) else None for n in doc.notes or []],
            created_at=utc_text(doc.created_at),
            processed_at=utc_text(doc.processed_at)
            if doc.processed_at
            else None,
            indexed=not doc.index_pending,
            field_details={
                f.name: {
                    "value": f.value,
                    "confidence": round(f.confidence, 3),
                    "source": f.source,
                    "page": f.page,
                    "box": f.box,
                    "raw": f.raw,
                }
                for f in doc.fields
            },
            pages=[
                {
                    "number": p.number,
                    "source": p.source,
                    "width": p.width,
                    "height": p.height,
                    "dpi": p.dpi,
                    "rotation": p.rotation,
                    "skew": p.skew,
                }
                for p in doc.pages
            ],
            codes=[
                {"type": c.type, "data": c.data, "page": c.page, "box": c.box} for c in doc.codes
            ],
        )
        out["lines"] = [line_json(r) for r in document_lines(doc)]
    return out
