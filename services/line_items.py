"""A statement's lines (ledger rows) on the review page: read from the page, edited by the
reviewer, stored as the reviewer saved them.

The lines shown are the reviewer's saved ones, else the line items stored when the statement
was read (archive.ledger.LineRow), else those extraction reads from the page words (documents
read before line items were stored). `save_items` is the one place a reviewer's lines are
stored; it checks every cell first, and replaces the stored line items too, so amount search
and reconciliation use what the reviewer saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from archive import audit, documents
from archive.models import Document, ReviewState
from archive.userinput import InputError, check_amount
from extract import fields
from extract.types import LineItem
from services import learning

COLUMNS = ("date", "reference", "description", "debit", "credit", "balance")
AMOUNTS = ("debit", "credit", "balance")
MAX_ROWS = 500


class ItemError(ValueError):
    """A cell that cannot be stored: `row` (1-based) and `column` name it."""

    def __init__(self, row: int, column: str, message: str) -> None:
        super().__init__(f"line {row}, {column}: {message}")
        self.row, self.column, self.message = row, column, message


def _row(item: Any) -> dict[str, str]:
    """A line item (extract.types.LineItem or a stored archive.ledger.LineRow) as form cells."""
    return {
        "date": item.date.isoformat() if item.date else "",
        "reference": item.reference or "",
        "description": item.description or "",
        "debit": f"{item.debit:.2f}" if item.debit is not None else "",
        "credit": f"{item.credit:.2f}" if item.credit is not None else "",
        "balance": f"{item.balance:.2f}" if item.balance is not None else "",
    }


def items_of(s: Session, doc: Document) -> list[dict[str, str]]:
    """The lines to show: the reviewer's, else the transaction rows read from the page."""
    state = s.get(ReviewState, doc.id)
    if state is not None and state.items is not None:
        return list(state.items)
    stored = documents.lines_of(s, doc.id)
    if stored:
        return [_row(r) for r in stored if r.kind == "transaction"]
    pages = learning.pages_of(doc)
    if not any(p.words for p in pages):
        return []
    _, items = fields.parse_statement(pages)
    return [_row(i) for i in items if i.kind == "transaction"]


def form_rows(form: Mapping[str, str]) -> list[dict[str, str]]:
    """The rows of the form's items-<n>-<column> inputs as typed, in order, blank ones dropped."""
    numbers = sorted(
        {int(k.split("-")[1]) for k in form if k.startswith("items-") and k.split("-")[1].isdigit()}
    )
    rows = []
    for n in numbers[:MAX_ROWS]:
        row = {c: " ".join((form.get(f"items-{n}-{c}") or "").split())[:255] for c in COLUMNS}
        if any(row.values()):
            rows.append(row)
    return rows


def parse_rows(form: Mapping[str, str]) -> list[dict[str, str]]:
    """The form's rows checked and in stored form; ItemError for a cell that is not a date
    or an amount where one is needed."""
    return [_checked(i, row) for i, row in enumerate(form_rows(form), start=1)]


def _checked(number: int, row: dict[str, str]) -> dict[str, str]:
    out = dict(row)
    if row["date"]:
        found = fields.parse_date(row["date"])
        if found is None:
            raise ItemError(number, "date", f"{row['date']!r} is not a date like 2026-10-31")
        out["date"] = found.isoformat()
    for name in AMOUNTS:
        if not row[name]:
            continue
        value = fields.parse_amount(row[name].replace(" ", ""))
        if value is None:
            raise ItemError(number, name, f"{row[name]!r} is not an amount like 1,234.56")
        try:
            out[name] = f"{check_amount(value, row[name]):.2f}"
        except InputError as exc:
            raise ItemError(number, name, str(exc)) from None
    return out


def save_items(s: Session, doc: Document, rows: list[dict[str, Any]], user: str) -> None:
    """Store the reviewer's lines for `doc` (rows as parse_rows gives them)."""
    state = s.get(ReviewState, doc.id)
    if state is None:
        state = ReviewState(document_id=doc.id)
        s.add(state)
    if state.items == rows:
        return
    state.items = rows
    _store(s, doc, rows)
    audit.record(s, "line_items_saved", user=user, document_id=doc.id, rows=len(rows))


def _store(s: Session, doc: Document, rows: list[dict[str, Any]]) -> None:
    """The reviewer's rows become the document's transactions; the opening and total rows
    read from the page stay around them."""
    stored = documents.lines_of(s, doc.id)
    head = [_item(r) for r in stored if r.kind in ("opening", "brought")]
    tail = [_item(r) for r in stored if r.kind in ("carried", "month_total", "year_total")]
    page = stored[0].page if stored else 1
    typed = [
        LineItem(
            kind="transaction",
            date=fields.parse_date(row["date"]) if row.get("date") else None,
            reference=row.get("reference") or None,
            description=row.get("description") or "",
            debit=Decimal(row["debit"]) if row.get("debit") else None,
            credit=Decimal(row["credit"]) if row.get("credit") else None,
            balance=Decimal(row["balance"]) if row.get("balance") else None,
            page=page,
            box=None,
        )
        for row in rows
    ]
    documents.save_lines(s, doc, [*head, *typed, *tail])
    doc.index_pending = True  # the index holds line amounts


def _item(row: Any) -> LineItem:
    box = tuple(row.box) if row.box else None
    return LineItem(row.kind, row.date, row.reference, row.description, row.debit, row.credit,
                    row.balance, row.page, box)  # fmt: skip
