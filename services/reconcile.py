"""Two-way reconciliation (双向核对): each customer's statement against our receivables ledger.

Per customer and period the statement's closing balance (its amount due when no closing
balance is printed) is compared with the ledger's balance. Then the statement's line items are
matched to the ledger's open items: by reference first, else by amount and a date within a few
days; what is left on either side is listed. Everything is read in a handful of set-wise queries
so that a period of ten thousand customers reconciles in seconds (bench/reconcile.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.ledger import Confirmation, LedgerBalance, LedgerItem, LineRow
from archive.models import ACCEPTED, NEEDS_REVIEW, Document, FieldRow

MATCHED, DIFFERENCE, NO_STATEMENT, NO_LEDGER = "matched", "difference", "no_statement", "no_ledger"
RECONCILE_STATUSES = (MATCHED, DIFFERENCE, NO_STATEMENT, NO_LEDGER)
JSON_KEYS = (
    "customer_code",
    "period",
    "statement_id",
    "statement_amount",
    "ledger_amount",
    "difference",
    "status",
    "unmatched_lines",
    "unmatched_items",
)
DATE_TOLERANCE_DAYS = 5  # a payment is booked a few days after the customer's date, or before
AMOUNT_TOLERANCE = Decimal("0.00")
CHUNK = 900  # ids per IN (…): below SQLite's parameter limit


@dataclass
class Entry:
    """One line item of the statement or one open item of the ledger, signed as the ledger
    signs it (debit positive, credit negative)."""

    amount: Decimal
    date: dt.date | None
    reference: str | None
    line: int | None = None  # the statement's line number

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {} if self.line is None else {"line": self.line}
        out.update(
            date=self.date.isoformat() if self.date else None,
            reference=self.reference,
            amount=_text(self.amount),
        )
        return out


@dataclass
class Row:
    customer_code: str
    period: str
    statement_id: int | None
    statement_amount: Decimal | None
    ledger_amount: Decimal | None
    status: str
    unmatched_lines: list[Entry] = field(default_factory=list)
    unmatched_items: list[Entry] = field(default_factory=list)
    matched_pairs: int = 0

    @property
    def difference(self) -> Decimal | None:
        if self.statement_amount is None or self.ledger_amount is None:
            return None
        return self.statement_amount - self.ledger_amount

    def to_json(self) -> dict[str, Any]:
        return {
            "customer_code": self.customer_code,
            "period": self.period,
            "statement_id": self.statement_id,
            "statement_amount": _text(self.statement_amount),
            "ledger_amount": _text(self.ledger_amount),
            "difference": _text(self.difference),
            "status": self.status,
            "unmatched_lines": [e.to_json() for e in self.unmatched_lines],
            "unmatched_items": [e.to_json() for e in self.unmatched_items],
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def reconcile(
    s: Session,
    period: str,
    customer: str | None = None,
    *,
    days: int = DATE_TOLERANCE_DAYS,
    tolerance: Decimal = AMOUNT_TOLERANCE,
    hidden: frozenset[str] = frozenset(),
) -> list[Row]:
    """One row per customer that has a statement or a ledger balance for `period`, by code.
    `hidden`: customer codes the viewer may not see (archive/access.py)."""
    statements = _statements(s, period, customer)
    ledger = _balances(s, period, customer)
    lines = _lines(s, [doc_id for doc_id, _ in statements.values()])
    items = _items(s, period, customer)
    rows = []
    for code in sorted((set(statements) | set(ledger)) - hidden):
        doc_id, amount = statements.get(code, (None, None))
        balance = ledger.get(code)
        if doc_id is None:
            status = NO_STATEMENT
        elif balance is None:
            status = NO_LEDGER
        elif amount is not None and abs(amount - balance) <= tolerance:
            status = MATCHED
        else:
            status = DIFFERENCE
        row = Row(code, period, doc_id, amount, balance, status)
        own_lines = lines.get(doc_id, []) if doc_id is not None else []
        row.unmatched_lines, row.unmatched_items, row.matched_pairs = match_entries(
            own_lines, items.get(code, []), days=days, tolerance=tolerance
        )
        rows.append(row)
    return rows


def match_entries(
    lines: list[Entry],
    items: list[Entry],
    *,
    days: int = DATE_TOLERANCE_DAYS,
    tolerance: Decimal = AMOUNT_TOLERANCE,
) -> tuple[list[Entry], list[Entry], int]:
    """Pair line items with open items: the same reference and amount first, then the same
    amount (within `tolerance`) dated at most `days` apart, nearest date first. Returns the
    lines and the items left unpaired, and how many pairs were made."""
    left = list(items)
    unmatched: list[Entry] = []
    pairs = 0
    by_ref: dict[str, list[Entry]] = defaultdict(list)
    for item in left:
        if item.reference:
            by_ref[_ref(item.reference)].append(item)
    later: list[Entry] = []
    for line in lines:
        candidates = by_ref.get(_ref(line.reference), []) if line.reference else []
        found = next((i for i in candidates if abs(i.amount - line.amount) <= tolerance), None)
        if found is None:
            later.append(line)
            continue
        candidates.remove(found)
        left.remove(found)
        pairs += 1
    for line in later:
        near = [
            i
            for i in left
            if abs(i.amount - line.amount) <= tolerance
            and (line.date is None or i.date is None or abs((i.date - line.date).days) <= days)
        ]
        if not near:
            unmatched.append(line)
            continue
        best = min(near, key=lambda i: _days_apart(i.date, line.date))
        left.remove(best)
        pairs += 1
    return unmatched, left, pairs


def _days_apart(a: dt.date | None, b: dt.date | None) -> int:
    return abs((a - b).days) if a and b else 0


def _ref(reference: str | None) -> str:
    return "".join((reference or "").split()).upper()


# -- reading, set-wise ----------------------------------------------------------------------


def _statements(
    s: Session, period: str, customer: str | None
) -> dict[str, tuple[int, Decimal | None]]:
    """customer code -> (document id, closing balance or else amount due) of the newest
    readable statement of the period (accepted before needs-review). Signed copies linked
    as a customer's confirmation are not statements of their own."""
    signed = select(Confirmation.signed_document_id).where(
        Confirmation.signed_document_id.is_not(None)
    )
    ids = select(FieldRow.document_id).where(FieldRow.name == "period", FieldRow.value == period)
    query = (
        select(Document.id, Document.status)
        .where(
            Document.id.in_(ids),
            Document.status.in_((ACCEPTED, NEEDS_REVIEW)),
            Document.id.not_in(signed),
        )
        .order_by(Document.id)
    )
    docs = dict(s.execute(query).all())
    values: dict[int, dict[str, str]] = defaultdict(dict)
    wanted = ("customer_code", "closing_balance", "amount_due")
    doc_ids = list(docs)
    for i in range(0, len(doc_ids), CHUNK):
        for doc_id, name, value in s.execute(
            select(FieldRow.document_id, FieldRow.name, FieldRow.value).where(
                FieldRow.document_id.in_(doc_ids[i : i + CHUNK]), FieldRow.name.in_(wanted)
            )
        ):
            values[doc_id][name] = value
    out: dict[str, tuple[int, Decimal | None]] = {}
    rank: dict[str, tuple[bool, int]] = {}
    for doc_id, status in docs.items():
        code = values[doc_id].get("customer_code")
        if not code or (customer is not None and code != customer):
            continue
        key = (status == ACCEPTED, doc_id)
        if code in rank and rank[code] > key:
            continue
        rank[code] = key
        fields = values[doc_id]
        amount = _decimal(fields.get("closing_balance"))
        out[code] = (doc_id, amount if amount is not None else _decimal(fields.get("amount_due")))
    return out


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _balances(s: Session, period: str, customer: str | None) -> dict[str, Decimal]:
    query = select(LedgerBalance.customer_code, LedgerBalance.balance).where(
        LedgerBalance.period == period
    )
    if customer is not None:
        query = query.where(LedgerBalance.customer_code == customer)
    return {code: Decimal(balance) for code, balance in s.execute(query)}


def _lines(s: Session, doc_ids: list[int]) -> dict[int, list[Entry]]:
    """The statements' transactions (not opening balances, page totals or carried lines)."""
    out: dict[int, list[Entry]] = defaultdict(list)
    for i in range(0, len(doc_ids), CHUNK):
        for doc_id, number, date, reference, debit, credit in s.execute(
            select(
                LineRow.document_id,
                LineRow.number,
                LineRow.date,
                LineRow.reference,
                LineRow.debit,
                LineRow.credit,
            )
            .where(LineRow.document_id.in_(doc_ids[i : i + CHUNK]), LineRow.kind == "transaction")
            .order_by(LineRow.document_id, LineRow.number)
        ):
            if debit is None and credit is None:
                continue
            amount = Decimal(debit or 0) - Decimal(credit or 0)
            out[doc_id].append(Entry(amount, date, reference, number))
    return out


def _items(s: Session, period: str, customer: str | None) -> dict[str, list[Entry]]:
    query = (
        select(LedgerItem.customer_code, LedgerItem.amount, LedgerItem.date, LedgerItem.reference)
        .where(LedgerItem.period == period)
        .order_by(LedgerItem.id)
    )
    if customer is not None:
        query = query.where(LedgerItem.customer_code == customer)
    out: dict[str, list[Entry]] = defaultdict(list)
    for code, amount, date, reference in s.execute(query):
        out[code].append(Entry(Decimal(amount), date, reference))
    return out


# -- export -------------------------------------------------------------------------------

EXPORT_COLUMNS = (*JSON_KEYS[:7], "unmatched_lines", "unmatched_items")


def export_rows(rows: list[Row]):
    """Rows for a spreadsheet: the unmatched entries counted and spelled out in one cell."""
    for r in rows:
        obj = r.to_json()
        yield [
            *(obj[k] for k in JSON_KEYS[:7]),
            "; ".join(_entry_text(e) for e in r.unmatched_lines),
            "; ".join(_entry_text(e) for e in r.unmatched_items),
        ]


def _entry_text(e: Entry) -> str:
    where = f"#{e.line} " if e.line is not None else ""
    date = e.date.isoformat() if e.date else ""
    return f"{where}{date} {e.reference or ''} {_text(e.amount)}".replace("  ", " ").strip()
