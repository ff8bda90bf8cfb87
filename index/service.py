"""Searching, as the CLI, the web app and the API do it: one place, one JSON shape."""

from __future__ import annotations

from typing import Any

from archive import config, db
from index.base import IndexUnavailable, SearchQuery, SearchResult
from index.documents import backend, pending_count


def run_search(q: SearchQuery) -> SearchResult:
    """Search the configured index; warn when documents are waiting for it or it is away."""
    try:
        result = backend(config.load()).search(q)
    except IndexUnavailable as exc:
        result = SearchResult(total=0, hits=[], facets={}, warning=f"search is unavailable: {exc}")
    with db.session() as s:
        waiting = pending_count(s)
    if waiting:
        note = f"{waiting} documents are waiting to be indexed and are not in these results"
        result.warning = f"{result.warning}; {note}" if result.warning else note
    return result


def result_json(result: SearchResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "total": result.total,
        "hits": [
            {
                "id": h.id,
                "file": h.file,
                "customer_code": h.customer_code,
                "period": h.period,
                "amount_due": None if h.amount_due is None else format(h.amount_due, "f"),
                "status": h.status,
                "snippet": h.snippet,
            }
            for h in result.hits
        ],
        "facets": {k: result.facets.get(k, {}) for k in ("customer", "period", "status")},
    }
    if result.warning:
        out["warning"] = result.warning
    return out
