"""Searching, as the CLI, the web app and the API do it: one place, one JSON shape."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import access, config, db
from archive.models import FieldRow
from archive.users import User
from index.base import IndexUnavailable, SearchQuery, SearchResult
from index.documents import backend, pending_count


def run_search(q: SearchQuery, user: User | None) -> SearchResult:
    """Search the configured index as `user`; warn when documents wait for it or it is away.

    Statements of sensitive customers not granted to `user` are left out of hits, totals and
    facets. None is the operator at the command line, who sees everything.
    """
    with db.session() as s:
        hidden = access.hidden_customers(s, user) if user is not None else frozenset()
        if user is not None and q.customer in hidden:
            access.denied(s, user, "search", customer=q.customer)
    q = dataclasses.replace(q, hidden_customers=q.hidden_customers | hidden)
    try:
        result = backend(config.settings()).search(q)
    except IndexUnavailable as exc:
        result = SearchResult(total=0, hits=[], facets={}, warning=f"search is unavailable: {exc}")
    with db.session() as s:
        if q.hidden_customers and result.hits:
            _drop_hidden_hits(s, result, q.hidden_customers)
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
                "tags": h.tags,
                "matched": [m.to_json() for m in h.matched],
            }
            for h in result.hits
        ],
        "facets": {
            k: result.facets.get(k, {})
            for k in ("customer", "period", "status", "tag", "confirmation", "dispute")
        },
    }
    if result.warning:
        out["warning"] = result.warning
    return out


def _drop_hidden_hits(s: Session, result: SearchResult, hidden: frozenset[str]) -> None:
    """Hits whose customer the archive has changed to a hidden one since they were indexed.

    A correction re-indexes at once, but an index that is away keeps the old customer code
    until it is back; the archive decides.
    """
    ids = [h.id for h in result.hits]
    now_hidden = set(
        s.scalars(
            select(FieldRow.document_id).where(
                FieldRow.document_id.in_(ids),
                FieldRow.name == "customer_code",
                FieldRow.value.in_(sorted(hidden)),
            )
        )
    )
    result.hits = [h for h in result.hits if h.id not in now_hidden]
