"""Database models of the archive (the system of record). Migrations: archive/migrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from extract.types import Status


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored time-zone aware (PostgreSQL: timestamp with time zone) and
    always read back as an aware UTC datetime. SQLite keeps no zone: its text is UTC. A naive
    value given to it is taken as UTC (the archive wrote only UTC before zones were stored)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = _aware(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else _aware(value)


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def utc_text(value: dt.datetime, timespec: str = "seconds") -> str:
    """A moment as the archive's JSON, CSV and index have always written it: ISO 8601 in
    UTC, without a zone suffix."""
    return _aware(value).replace(tzinfo=None).isoformat(timespec=timespec)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: UTCDateTime}


# Document.status: the members of Status (extract/types.py), named here for the archive's code.
RECEIVED, PROCESSING, ACCEPTED, NEEDS_REVIEW, FAILED, SPLIT, REJECTED = Status
FINAL_STATUSES = (ACCEPTED, NEEDS_REVIEW, FAILED, REJECTED)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))  # as received; display only, never a path
    size: Mapped[int]
    kind: Mapped[str | None] = mapped_column(String(16))  # pdf, png, jpeg, tiff, … (from the bytes)
    source: Mapped[str] = mapped_column(String(32), default="cli")
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED, index=True)
    error: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[list[Any]] = mapped_column(default=list)  # why it needs review
    attempts: Mapped[int] = mapped_column(default=0)
    # While `processing`: who holds the document and until when. The reader renews the lease;
    # once it runs out (the process died), recovery takes the document up again.
    lease_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None]
    index_pending: Mapped[bool] = mapped_column(default=True, index=True)
    # When the quick code pass took it (services/fastlane.py); None: not yet, or never will.
    codes_looked_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    processed_at: Mapped[dt.datetime | None]
    read_seconds: Mapped[float | None]  # the worker's reading of the file (OCR, extraction)
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # scan batch
    part: Mapped[int | None]
    # The class of accounting record, which sets how long it is kept (archive/retention.py).
    record_class: Mapped[str] = mapped_column(String(32), default="statement")

    pages: Mapped[list[Page]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Page.number"
    )
    fields: Mapped[list[FieldRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="FieldRow.name"
    )
    codes: Mapped[list[RawCode]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="RawCode.id"
    )

    def field(self, name: str) -> FieldRow | None:
        return next((f for f in self.fields if f.name == name), None)

    def value(self, name: str) -> str | None:
        row = self.field(name)
        return row.value if row else None


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    width: Mapped[float]
    height: Mapped[float]
    dpi: Mapped[int]
    source: Mapped[str] = mapped_column(String(8))  # text | ocr
    rotation: Mapped[int] = mapped_column(default=0)
    skew: Mapped[float] = mapped_column(default=0.0)
    text: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[list[Any]] = mapped_column(default=list)  # [[text, l, t, r, b, conf], …]

    document: Mapped[Document] = relationship(back_populates="pages")


class FieldRow(Base):
    """One extracted field. Values are stored as text: Decimal as plain decimal, dates ISO."""

    __tablename__ = "fields"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float]
    source: Mapped[str] = mapped_column(String(16))  # extract.types.Source
    page: Mapped[int | None]
    box: Mapped[list[Any] | None]
    raw: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="fields")


class RawCode(Base):
    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)
    page: Mapped[int]
    box: Mapped[list[Any] | None]

    document: Mapped[Document] = relationship(back_populates="codes")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    # Statements of a sensitive customer are seen only by admins and those granted it
    # (archive/access.py).
    sensitive: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # When statements are expected (services/completeness.py): one a month, one a quarter (in
    # the quarter's last month) or none, while the customer is active (both ends inclusive).
    cycle: Mapped[str] = mapped_column(String(16), default="monthly")
    active_from: Mapped[dt.date | None]
    active_to: Mapped[dt.date | None]
    # The receivables clerk who is reminded about this customer, and the customer's contact.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(255))


CYCLES = ("monthly", "quarterly", "none")


class Correction(Base):
    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """One entry of the append-only audit log; written only through archive.audit.record,
    which chains each entry to the one before by hash."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_document", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    document_id: Mapped[int | None]
    # The document's customer when the entry was written: the access log is filtered by it,
    # and it outlives the document once that is disposed of.
    customer: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class WorkerHeartbeat(Base):
    """Live workers say so here, so `stmt ingest --wait` knows whether to start one."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LearnedLayout(Base):
    """A statement layout reviewers taught fields on, known by its fingerprint
    (extract.learned.fingerprint); `customer_code` is the customer it was first seen for."""

    __tablename__ = "learned_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(String(255), default="")
    customer_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    rules: Mapped[list[LearnedRule]] = relationship(
        back_populates="layout", cascade="all, delete-orphan", order_by="LearnedRule.field"
    )


class LearnedRule(Base):
    """Where one field stands on a learned layout (extract.learned.Rule), and how often a
    reviewer confirmed (hits) or corrected (misses) what it read."""

    __tablename__ = "learned_rules"
    __table_args__ = (UniqueConstraint("layout_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    layout_id: Mapped[int] = mapped_column(ForeignKey("learned_layouts.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32))
    anchor: Mapped[str] = mapped_column(String(255))
    page: Mapped[int] = mapped_column(default=1)
    spec: Mapped[dict[str, Any]] = mapped_column(default=dict)
    hits: Mapped[int] = mapped_column(default=1)
    misses: Mapped[int] = mapped_column(default=0)
    document_id: Mapped[int | None]  # the statement it was learned on
    user: Mapped[str | None] = mapped_column(String(64))
    example: Mapped[str | None] = mapped_column(Text)  # the value it was learned from
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    layout: Mapped[LearnedLayout] = relationship(back_populates="rules")


class ReviewState(Base):
    """Where a statement waiting for review stands among reviewers: who took it, until when
    it was put off and why, or why it was rejected (services/review.py)."""

    __tablename__ = "review_states"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    assigned_to: Mapped[str | None] = mapped_column(String(64), index=True)
    postponed_until: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)  # why it was put off or rejected
    rejected: Mapped[str | None] = mapped_column(String(32))  # the kind of rejection
    # the statement's lines as a reviewer saved them (services/line_items.py)
    items: Mapped[list[Any] | None]
    by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
