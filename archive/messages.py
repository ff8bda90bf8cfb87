"""Mail messages the mailbox delivered (or that were uploaded as .eml), the documents each
became, and the parts a scan batch was split into.

A message is processed once: its key (Message-ID, else the sha256 of its bytes) and its
IMAP UID are unique, and the raw message is kept in the content store before anything
else happens, so nothing is lost when a step fails.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.models import Base, utcnow


class MessageStatus(StrEnum):
    """MailMessage.status."""

    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


RECEIVED, PROCESSED, FAILED = MessageStatus


class MailMessage(Base):
    __tablename__ = "mail_messages"
    __table_args__ = (
        UniqueConstraint("folder", "uidvalidity", "uid", name="uq_mail_messages_uid"),
        Index("ix_mail_messages_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # Message-ID or sha256:<hex>
    message_id: Mapped[str | None] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(String(255))  # None: uploaded or from the CLI
    uidvalidity: Mapped[int | None]
    uid: Mapped[int | None]
    sender: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.datetime | None]  # the Date header, in UTC
    sha256: Mapped[str | None] = mapped_column(String(64))  # the raw message in the store
    size: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(32), default="mail")
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    processed_at: Mapped[dt.datetime | None]


class MessageDocument(Base):
    """A document that came from a message; `name` is the attachment's (display only)."""

    __tablename__ = "message_documents"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    name: Mapped[str] = mapped_column(String(255))


class BatchPart(Base):
    """One statement cut out of a scan batch (or one attachment of an uploaded .eml)."""

    __tablename__ = "batch_parts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    part: Mapped[int]
    pages: Mapped[list[Any]] = mapped_column(default=list)  # page numbers in the batch
    cover: Mapped[str | None] = mapped_column(Text)  # the cover sheet's payload, if any


def documents_of(s: Session, message: MailMessage) -> list[int]:
    return list(
        s.scalars(
            select(MessageDocument.document_id)
            .where(MessageDocument.message_id == message.id)
            .order_by(MessageDocument.document_id)
        )
    )


def link(s: Session, message: MailMessage, document_id: int, name: str) -> None:
    if s.get(MessageDocument, (message.id, document_id)) is None:
        s.add(MessageDocument(message_id=message.id, document_id=document_id, name=name[:255]))
