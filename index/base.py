"""The one search interface both backends implement (SQLite FTS5 and Elasticsearch).

The contract tests in tests/test_search_contract.py run against every backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

# Where an amount stands on a statement: a summary field (amount due, closing balance …), a
# line item (its debit, credit or running balance), or elsewhere on a page (any money-shaped
# number either OCR engine read there: a receipt's total, an amount extraction did not place).
SUMMARY, LINE, PAGE = "summary", "line", "page"
AMOUNT_SCOPES = {
    "all": (SUMMARY, LINE, PAGE),
    "summary": (SUMMARY,),
    "lines": (LINE,),
    "page": (PAGE,),
}
PLACE_ORDER = {SUMMARY: 0, LINE: 1, PAGE: 2}  # how a hit's matched amounts are listed


@dataclass(frozen=True)
class PlacedAmount:
    """One amount printed on a statement and where: a summary field, line `line`, or page
    `page` outside both."""

    where: str  # SUMMARY | LINE | PAGE
    amount: Decimal
    field: str | None = None  # the summary field, or the line's column (debit, credit, balance)
    line: int | None = None
    page: int | None = None

    def to_json(self) -> dict[str, object]:
        """As a hit's "matched" entries: where, the field or the line, the amount as text."""
        out: dict[str, object] = {"where": self.where}
        if self.where == LINE:
            out["line"] = self.line
        elif self.where == PAGE:
            out["page"] = self.page
        else:
            out["field"] = self.field
        out["amount"] = format(self.amount, "f")
        return out

    def listed(self) -> tuple[int, int, int]:
        """How a hit lists its matched amounts: summary fields, then lines, then pages."""
        return PLACE_ORDER.get(self.where, len(PLACE_ORDER)), self.line or 0, self.page or 0


@dataclass
class SearchDoc:
    """What the index holds of one archived document."""

    id: int
    file: str
    status: str
    customer_code: str | None = None
    customer_name: str | None = None
    period: str | None = None  # YYYY-MM
    statement_no: str | None = None
    statement_date: dt.date | None = None
    amount_due: Decimal | None = None
    closing_balance: Decimal | None = None
    currency: str | None = None
    source: str | None = None  # upload, folder, mail, cli
    text: str = ""
    created: dt.datetime | None = None
    tags: tuple[str, ...] = ()  # tag names (archive.management.Tag)
    # every other amount printed on it: further summary fields, the line items, the rest of
    # the pages' money-shaped numbers
    amounts: list[PlacedAmount] = field(default_factory=list)
    confirmation: str | None = None  # the customer's answer: confirmed | disputed
    dispute: str | None = None  # the status of its latest dispute

    @property
    def amount(self) -> Decimal | None:
        """The amount sorted by: amount due, else the closing balance."""
        return self.amount_due if self.amount_due is not None else self.closing_balance

    def placed_amounts(self) -> list[PlacedAmount]:
        """Every amount the index finds the document by, each with where it stands."""
        out = [
            PlacedAmount(SUMMARY, value, name)
            for name, value in (
                ("amount_due", self.amount_due),
                ("closing_balance", self.closing_balance),
            )
            if value is not None
        ]
        out += [a for a in self.amounts if not (a.where == SUMMARY and a.field in _OWN_FIELDS)]
        return out


_OWN_FIELDS = ("amount_due", "closing_balance")


@dataclass
class SearchQuery:
    text: str = ""
    customer: str | None = None
    period_from: str | None = None  # YYYY-MM, inclusive
    period_to: str | None = None  # YYYY-MM, inclusive
    status: str | None = None
    source: str | None = None  # upload, folder, mail, cli
    amount: Decimal | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_in: str = "all"  # all | summary | lines | page: where the amount filters look
    confirmation: str | None = None  # confirmed | disputed
    dispute: str | None = None  # open | investigating | resolved | written_off
    sort: str = "relevance"  # relevance | period | amount | created (prefix "-" = descending)
    limit: int = 20
    offset: int = 0
    # Customer codes whose documents the searcher may not see (archive/access.py): left out of
    # hits, totals and facets alike. Documents without a customer code are never left out.
    hidden_customers: frozenset[str] = frozenset()
    tag: str | None = None  # only documents with this tag

    @property
    def by_amount(self) -> bool:
        return any(v is not None for v in (self.amount, self.amount_min, self.amount_max))

    @property
    def places(self) -> tuple[str, ...]:
        """Where the amount filters look (an unknown scope looks everywhere)."""
        return AMOUNT_SCOPES.get(self.amount_in, AMOUNT_SCOPES["all"])


@dataclass
class SearchHit:
    id: int
    file: str
    customer_code: str | None
    period: str | None
    amount_due: Decimal | None
    status: str
    snippet: str  # plain text with matches wrapped in <mark>…</mark>; escape before showing
    tags: list[str] = field(default_factory=list)
    matched: list[PlacedAmount] = field(default_factory=list)  # amounts the filters matched


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    # customer, period, status, source, tag, confirmation, dispute
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    warning: str | None = None  # e.g. "12 documents are waiting to be indexed"


class IndexUnavailable(Exception):
    """The backend cannot be reached; the caller keeps the document pending."""


class SearchBackend(Protocol):
    def upsert(self, docs: Iterable[SearchDoc]) -> None: ...

    def delete(self, ids: Iterable[int]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Replace the whole index with `docs`; searches keep working meanwhile."""
        ...

    def close(self) -> None: ...
