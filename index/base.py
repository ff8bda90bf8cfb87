"""The one search interface both backends implement (SQLite FTS5 and Elasticsearch).

The contract tests in tests/test_search_contract.py run against every backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


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

    @property
    def amount(self) -> Decimal | None:
        """The amount searched by --amount: amount due, else the closing balance."""
        return self.amount_due if self.amount_due is not None else self.closing_balance


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
    sort: str = "relevance"  # relevance | period | amount | created (prefix "-" = descending)
    limit: int = 20
    offset: int = 0
    # Customer codes whose documents the searcher may not see (archive/access.py): left out of
    # hits, totals and facets alike. Documents without a customer code are never left out.
    hidden_customers: frozenset[str] = frozenset()
    tag: str | None = None  # only documents with this tag


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


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    # customer, period, status, source, tag
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
