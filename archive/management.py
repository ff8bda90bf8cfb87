"""Tables of statement management: reminders already sent, tags on documents and the rules
that tag arriving statements, and saved searches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.models import Base, utcnow


class SentReminder(Base):
    """One reminder item mailed to one user on one day: the same item is not sent twice that
    day, so running the digest again sends nothing new."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("day", "user_name", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(index=True)
    user_name: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))  # rule:what, e.g. missing:C002:2026-09
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    color: Mapped[str] = mapped_column(String(7), default="#5b7db1")  # #rrggbb
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentTag(Base):
    __tablename__ = "document_tags"
    __table_args__ = (Index("ix_document_tags_tag", "tag_id"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    by: Mapped[str | None] = mapped_column(String(64))  # a user, or rule:<id>
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TagRule(Base):
    """Tag an arriving statement when all the rule's conditions hold (empty ones are ignored):
    its customer, its amount due in a range, and words in its text."""

    __tablename__ = "tag_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    customer: Mapped[str | None] = mapped_column(String(64))
    amount_min: Mapped[str | None] = mapped_column(String(32))  # Decimal as text
    amount_max: Mapped[str | None] = mapped_column(String(32))
    words: Mapped[str | None] = mapped_column(Text)  # every word must occur
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SavedSearch(Base):
    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(128))
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the search form's values
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
