"""Line items of statements, the receivables ledger, and customers' confirmations and disputes.

Money is Numeric (Decimal in Python) everywhere here. The ledger is imported from the
accounting system's exports (services/ledger.py); reconciliation compares it with the
statements (services/reconcile.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive.models import Base, utcnow

MONEY = Numeric(16, 2)


class LineRow(Base):
    """One line item as read from a statement (extract.types.LineItem), in reading order."""

    __tablename__ = "line_items"
    __table_args__ = (Index("ix_line_items_document", "document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1-based position on the statement
    kind: Mapped[str] = mapped_column(String(16), default="transaction")
    date: Mapped[dt.date | None]
    reference: Mapped[str | None] = mapped_column(String(64), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    debit: Mapped[Decimal | None] = mapped_column(MONEY)
    credit: Mapped[Decimal | None] = mapped_column(MONEY)
    balance: Mapped[Decimal | None] = mapped_column(MONEY)
    page: Mapped[int]
    box: Mapped[list[Any] | None]


# What a ledger import holds: period balances, or open items (debit positive, credit negative).
BALANCES, OPEN_ITEMS = "balances", "items"
LEDGER_KINDS = (BALANCES, OPEN_ITEMS)


class LedgerImport(Base):
    __tablename__ = "ledger_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rows: Mapped[int] = mapped_column(default=0)
    periods: Mapped[list[Any]] = mapped_column(default=list)  # the periods it replaced


class LedgerBalance(Base):
    __tablename__ = "ledger_balances"
    __table_args__ = (Index("ix_ledger_balances_period", "period", "customer_code", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    balance: Mapped[Decimal] = mapped_column(MONEY)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_imports.id"))


class LedgerItem(Base):
    __tablename__ = "ledger_items"
    __table_args__ = (Index("ix_ledger_items_period", "period", "customer_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))  # the item date's month
    date: Mapped[dt.date]
    reference: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    import_id: Mapped[int] = mapped_column(ForeignKey("ledger_imports.id"))


# Confirmation of a statement by the customer (回签): confirmed with a signed copy, or disputed.
CONFIRMED, DISPUTED = "confirmed", "disputed"
CONFIRMATION_STATES = (CONFIRMED, DISPUTED)


class Confirmation(Base):
    __tablename__ = "confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(16))
    signed_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


DISPUTE_STATUSES = ("open", "investigating", "resolved", "written_off")


class Dispute(Base):
    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # every change: {"at", "user", "status", "note"}, oldest first
    history: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
