"""How long records are kept, legal holds, and disposal lists (销毁清册).

The rules follow China's 会计档案管理办法 (2015): bank statements, reconciliations and
monthly reports are kept 10 years, vouchers and ledgers 30, counted from the end of the
accounting year the record belongs to. So a statement for 2026-10 is kept until 2036-12-31
and may be disposed of from 2037-01-01. Admins may set other periods per record class
(settings `retention_years:<class>`, a number of years or "permanent").

Nothing is deleted before its period ends, nor while a legal hold covers it (one document or
every document of a customer). Disposal goes in three recorded steps: a list of what has
expired is drawn up, an admin approves it, then it is carried out (rows, originals, page
images and index entries removed). Holds and the check of expiry are applied again when
carrying out. Lists and their items are never deleted: the list is the permanent record of
what was destroyed, when and on whose authority. Every step writes an audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ForeignKey, String, Text, and_, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from archive import audit, store
from archive.messages import MailMessage, MessageDocument
from archive.models import Base, Document, FieldRow, utc_text, utcnow
from archive.users import ADMIN, by_name, get_setting, set_setting

# class -> default years (None: kept permanently)
CLASSES: dict[str, int | None] = {
    "statement": 10,  # 对账单, 银行对账单
    "reconciliation": 10,  # 银行存款余额调节表
    "report": 10,  # 月度、季度、半年度财务会计报告
    "voucher": 30,  # 会计凭证
    "ledger": 30,  # 会计账簿
    "annual_report": None,  # 年度财务会计报告
}
PERMANENT = "permanent"
DRAFT, APPROVED, DONE, CANCELLED = "draft", "approved", "done", "cancelled"
OPEN = (DRAFT, APPROVED)
MAX_YEARS = 100


class RetentionError(ValueError):
    """A retention step that may not be taken. `message` is English with {placeholders}
    (the web app translates it, archive/translations_zh.py), `values` fill them."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


class LegalHold(Base):
    """A hold on one document or on every document of a customer; released, never deleted."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(index=True)
    customer_code: Mapped[str | None] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(64))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[dt.datetime | None]
    release_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def active(self) -> bool:
        return self.released_at is None


class DisposalList(Base):
    __tablename__ = "disposal_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    as_of: Mapped[dt.date]  # the day expiry was judged
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(64))
    done_at: Mapped[dt.datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(64))
    cancelled_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[DisposalItem]] = relationship(
        back_populates="list", order_by="DisposalItem.id"
    )


class DisposalItem(Base):
    """What the list says about one document, copied when the list was drawn up."""

    __tablename__ = "disposal_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("disposal_lists.id"), index=True)
    document_id: Mapped[int] = mapped_column(index=True)  # no key: the document goes
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    record_class: Mapped[str] = mapped_column(String(32))
    customer_code: Mapped[str | None] = mapped_column(String(64))
    customer_name: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[dt.datetime]
    keep_until: Mapped[dt.date]
    outcome: Mapped[str | None] = mapped_column(String(16))  # disposed, or a KEPT_REASONS key
    disposed_at: Mapped[dt.datetime | None]

    list: Mapped[DisposalList] = relationship(back_populates="items")


# -- periods ---------------------------------------------------------------------------


def _setting_key(cls: str) -> str:
    return f"retention_years:{cls}"


def years_for(s: Session, cls: str) -> int | None:
    """Years a record of class `cls` is kept after its year ends; None for permanently."""

    raw = get_setting(s, _setting_key(cls))
    if raw is None:
        return CLASSES.get(cls, CLASSES["statement"])
    return None if raw == PERMANENT else int(raw)


def periods(s: Session) -> dict[str, int | None]:
    return {cls: years_for(s, cls) for cls in CLASSES}


def parse_years(text: str) -> int | None:
    """'10' -> 10, 'permanent' -> None; RetentionError for anything else."""
    text = (text or "").strip().lower()
    if text in (PERMANENT, "永久"):
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_YEARS:
        raise RetentionError("a retention period is 1 to {max} years or 'permanent'", max=MAX_YEARS)
    return int(text)


def set_years(s: Session, cls: str, years: int | None, user: str) -> None:

    _check_class(cls)
    before = years_for(s, cls)
    value = PERMANENT if years is None else str(years)
    set_setting(s, _setting_key(cls), value, user=user)
    audit.record(s, "retention_period_set", user=user, record_class=cls, before=before,
                 after=years)  # fmt: skip


def _check_class(cls: str) -> None:
    if cls not in CLASSES:
        raise RetentionError(
            "the record class must be one of {classes}", classes=", ".join(CLASSES)
        )


def classify(s: Session, ids: list[int], cls: str, user: str) -> int:
    _check_class(cls)
    n = 0
    for doc in s.scalars(select(Document).where(Document.id.in_(ids))):
        if doc.record_class != cls:
            audit.record(s, "record_class_set", user=user, document_id=doc.id,
                         before=doc.record_class, after=cls)  # fmt: skip
            doc.record_class = cls
            n += 1
    return n


_YEAR_FIELDS = ("period", "period_end", "statement_date")


def record_year(doc: Document) -> int:
    """The accounting year a document belongs to: its period, else its dates, else received."""
    for name in _YEAR_FIELDS:
        value = doc.value(name)
        if value and value[:4].isdigit():
            return int(value[:4])
    return doc.created_at.year


def keep_until(doc: Document, years: int | None) -> dt.date | None:
    """The last day the document must be kept; None when it is kept permanently."""
    if years is None:
        return None
    return dt.date(record_year(doc) + years, 12, 31)


# -- holds -----------------------------------------------------------------------------


def place_hold(
    s: Session,
    user: str,
    reason: str,
    *,
    document_id: int | None = None,
    customer: str | None = None,
) -> LegalHold:
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError("a legal hold needs a reason")
    if (document_id is None) == (not customer):
        raise RetentionError("a legal hold is on one document or on one customer")
    if document_id is not None and s.get(Document, document_id) is None:
        raise RetentionError("no document {id}", id=document_id)
    hold = LegalHold(
        document_id=document_id, customer_code=customer or None, reason=reason, placed_by=user
    )
    s.add(hold)
    s.flush()
    audit.record(s, "hold_placed", user=user, document_id=document_id, hold=hold.id,
                 customer=customer, reason=reason)  # fmt: skip
    return hold


def release_hold(s: Session, hold_id: int, user: str, reason: str) -> LegalHold:
    hold = s.get(LegalHold, hold_id)
    if hold is None or not hold.active:
        raise RetentionError("no active legal hold {id}", id=hold_id)
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError("releasing a legal hold needs a reason")
    hold.released_by, hold.released_at, hold.release_reason = user, utcnow(), reason
    audit.record(s, "hold_released", user=user, document_id=hold.document_id, hold=hold.id,
                 customer=hold.customer_code, reason=reason)  # fmt: skip
    return hold


def active_holds(s: Session) -> list[LegalHold]:
    return list(
        s.scalars(select(LegalHold).where(LegalHold.released_at.is_(None)).order_by(LegalHold.id))
    )


def holds_on(s: Session, doc: Document) -> list[LegalHold]:
    code = doc.value("customer_code")
    cond = LegalHold.document_id == doc.id
    if code:
        cond = or_(cond, LegalHold.customer_code == code)
    return list(s.scalars(select(LegalHold).where(LegalHold.released_at.is_(None), cond)))


# -- what has expired ------------------------------------------------------------------


@dataclass
class Expired:
    document: Document
    keep_until: dt.date
    holds: list[LegalHold]
    on_list: int | None  # an open disposal list that has it already


def expired(s: Session, today: dt.date | None = None, batch: int = 1000) -> list[Expired]:
    """Every document whose retention period has ended, with its holds and open list."""
    today = today or dt.date.today()
    years = periods(s)
    listed = dict(
        s.execute(
            select(DisposalItem.document_id, DisposalItem.list_id)
            .join(DisposalList)
            .where(DisposalList.status.in_(OPEN))
        ).all()
    )
    with_parts = set(s.scalars(select(Document.parent_id).where(Document.parent_id.isnot(None))))
    candidates = _candidates(today, years)
    out: list[Expired] = []
    if candidates is None:
        return out
    last = 0
    while True:
        docs = list(
            s.scalars(
                select(Document)
                .options(selectinload(Document.fields))
                .where(Document.id > last, candidates)
                .order_by(Document.id)
                .limit(batch)
            )
        )
        if not docs:
            return out
        last = docs[-1].id
        for doc in docs:
            until = keep_until(doc, years.get(doc.record_class, CLASSES["statement"]))
            # A scan batch goes only after its parts: they were cut from its pages.
            if until is None or until >= today or doc.id in with_parts:
                continue
            out.append(Expired(doc, until, holds_on(s, doc), listed.get(doc.id)))


def _candidates(today: dt.date, years: dict[str, int | None]):
    """A condition every expired document meets (and few others), so that only those are
    loaded: the year a record belongs to comes from one of these fields or from when it was
    received, and it must lie before `today.year - years` for the shortest period."""
    shortest = min((y for y in years.values() if y is not None), default=None)
    if shortest is None:
        return None
    before = f"{today.year - shortest:04d}"  # ISO values sort as text
    dated = select(FieldRow.document_id).where(FieldRow.name.in_(_YEAR_FIELDS))
    return or_(
        Document.id.in_(dated.where(FieldRow.value < before)),
        and_(
            Document.id.not_in(dated),
            Document.created_at < dt.datetime(max(1, today.year - shortest), 1, 1),
        ),
    )


# -- disposal lists --------------------------------------------------------------------


def propose(s: Session, user: str, today: dt.date | None = None) -> DisposalList:
    """Draw up a list of every expired document that is not held and not on an open list."""
    today = today or dt.date.today()
    due = [e for e in expired(s, today) if not e.holds and e.on_list is None]
    if not due:
        raise RetentionError("no document has passed its retention period")
    lst = DisposalList(as_of=today, created_by=user, status=DRAFT)
    s.add(lst)
    for e in due:
        d = e.document
        lst.items.append(
            DisposalItem(
                document_id=d.id, sha256=d.sha256, filename=d.filename, size=d.size,
                record_class=d.record_class, customer_code=d.value("customer_code"),
                customer_name=d.value("customer_name"), period=d.value("period"),
                received_at=d.created_at, keep_until=e.keep_until,
            )
        )  # fmt: skip
    s.flush()
    audit.record(s, "disposal_proposed", user=user, list=lst.id, documents=len(due))
    return lst


def get_list(s: Session, list_id: int) -> DisposalList:
    lst = s.scalar(
        select(DisposalList)
        .where(DisposalList.id == list_id)
        .options(selectinload(DisposalList.items))
    )
    if lst is None:
        raise RetentionError("no disposal list {id}", id=list_id)
    return lst


def approve(s: Session, list_id: int, user: str) -> DisposalList:

    account = by_name(s, user)
    if account is None or account.role != ADMIN or not account.active:
        raise RetentionError(
            "only an active admin may approve a disposal list, not {user}", user=user
        )
    lst = get_list(s, list_id)
    if lst.status != DRAFT:
        raise RetentionError(
            "disposal list {id} is {status}, not a draft", id=list_id, status=lst.status
        )
    lst.status, lst.approved_by, lst.approved_at = APPROVED, user, utcnow()
    audit.record(s, "disposal_approved", user=user, list=lst.id, documents=len(lst.items))
    return lst


def cancel(s: Session, list_id: int, user: str, note: str = "") -> DisposalList:
    lst = get_list(s, list_id)
    if lst.status not in OPEN:
        raise RetentionError(
            "disposal list {id} is {status} and cannot be cancelled", id=list_id, status=lst.status
        )
    lst.status, lst.cancelled_by, lst.cancelled_at = CANCELLED, user, utcnow()
    lst.note = (note or "").strip() or lst.note
    audit.record(s, "disposal_cancelled", user=user, list=lst.id, note=lst.note)
    return lst


@dataclass
class Disposal:
    list_id: int
    disposed: list[int]
    kept: dict[int, str]  # document id -> why it was not disposed of (KEPT_REASONS)
    files: list[str]  # originals to remove once the database has committed


def carry_out(s: Session, list_id: int, user: str, today: dt.date | None = None) -> Disposal:
    """Remove the approved list's documents from the database (the caller commits, then
    calls `remove_files` and takes them out of the index)."""

    today = today or dt.date.today()
    lst = get_list(s, list_id)
    if lst.status != APPROVED:
        raise RetentionError(
            "disposal list {id} is {status}; it must be approved first",
            id=list_id,
            status=lst.status,
        )
    years = periods(s)
    result = Disposal(lst.id, [], {}, [])
    now = utcnow()
    for item in lst.items:
        doc = s.scalar(
            select(Document)
            .where(Document.id == item.document_id)
            .options(selectinload(Document.fields))
        )
        why = _why_kept(s, doc, years, today)
        if why:
            item.outcome = why
            result.kept[item.document_id] = why
            continue
        messages = list(
            s.scalars(
                select(MailMessage)
                .join(MessageDocument, MessageDocument.message_id == MailMessage.id)
                .where(MessageDocument.document_id == doc.id)
            )
        )
        audit.record(s, "disposed", user=user, document_id=item.document_id, list=lst.id,
                     sha256=item.sha256, period=item.period)  # fmt: skip
        s.delete(doc)
        s.flush()
        for msg in messages:  # the raw message holds the statement too once none is left
            left = s.scalar(select(MessageDocument).where(MessageDocument.message_id == msg.id))
            if left is None and msg.sha256:
                result.files.append(msg.sha256)
                msg.sha256 = None
        result.files.append(item.sha256)
        item.outcome, item.disposed_at = "disposed", now
        result.disposed.append(item.document_id)
    result.files = [sha for sha in dict.fromkeys(result.files) if not _still_used(s, sha)]
    lst.status, lst.done_by, lst.done_at = DONE, user, now
    audit.record(s, "disposal_done", user=user, list=lst.id, disposed=len(result.disposed),
                 kept=len(result.kept))  # fmt: skip
    return result


# Why a listed document is not disposed of after all: outcome -> reason (for people).
KEPT_REASONS = {
    "missing": "the document no longer exists",
    "kept": "its retention period has not ended",
    "held": "a legal hold covers it",
    "has_parts": "parts cut from it are still kept",
}


def _why_kept(s: Session, doc: Document | None, years, today: dt.date) -> str | None:
    """The outcome (a key of KEPT_REASONS) that keeps `doc`, or None when it may go."""
    if doc is None:
        return "missing"
    until = keep_until(doc, years.get(doc.record_class, CLASSES["statement"]))
    if until is None or until >= today:
        return "kept"
    if holds_on(s, doc):
        return "held"
    if s.scalar(select(Document.id).where(Document.parent_id == doc.id).limit(1)) is not None:
        return "has_parts"
    return None


def _still_used(s: Session, sha: str) -> bool:

    return (
        s.scalar(select(Document.id).where(Document.sha256 == sha).limit(1)) is not None
        or s.scalar(select(MailMessage.id).where(MailMessage.sha256 == sha).limit(1)) is not None
    )


def remove_files(settings, result: Disposal) -> list[str]:
    """Remove the disposed originals and their page images; returns what could not be."""
    failed = []
    for sha in result.files:
        paths: list[Path] = [store.path_for(settings.store_dir, sha)]
        pages = settings.pages_dir / sha[:2]
        if pages.is_dir():
            paths += list(pages.glob(f"{sha}-*.png"))
        for path in paths:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                failed.append(f"{path}: {exc.strerror}")
    return failed


def list_json(lst: DisposalList) -> dict[str, Any]:
    def t(v):
        return utc_text(v) if isinstance(v, dt.datetime) else v

    return {
        "id": lst.id,
        "status": lst.status,
        "as_of": lst.as_of.isoformat(),
        "created_by": lst.created_by,
        "created_at": t(lst.created_at),
        "approved_by": lst.approved_by,
        "approved_at": t(lst.approved_at),
        "done_by": lst.done_by,
        "done_at": t(lst.done_at),
        "cancelled_by": lst.cancelled_by,
        "cancelled_at": t(lst.cancelled_at),
        "note": lst.note,
        "items": [
            {
                "document_id": i.document_id,
                "file": i.filename,
                "sha256": i.sha256,
                "size": i.size,
                "record_class": i.record_class,
                "customer_code": i.customer_code,
                "customer_name": i.customer_name,
                "period": i.period,
                "received_at": t(i.received_at),
                "keep_until": i.keep_until.isoformat(),
                "outcome": i.outcome,
                "disposed_at": t(i.disposed_at),
            }
            for i in lst.items
        ],
    }

