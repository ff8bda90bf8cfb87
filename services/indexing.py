"""Keeping the search index up to date with the archive (derived: it can always be rebuilt)."""

from __future__ import annotations

import logging

from archive import config, db
from index.documents import backend, index_documents, index_pending, rebuild

log = logging.getLogger(__name__)


def index_now(ids: list[int]) -> bool:
    """Index these documents; when the index is away they stay pending for recovery."""
    try:
        with db.session() as s:
            index_documents(s, backend(config.settings()), ids)
        return True
    except Exception as exc:  # the index is derived: never fail a document for it
        log.warning("documents %s wait for the search index: %s", ids, exc)
        return False


def reindex(*, pending: bool = False) -> int:
    """Index the documents waiting for the index, or rebuild it from the whole archive."""
    index = backend(config.settings())
    with db.session() as s:
        return index_pending(s, index) if pending else rebuild(s, index)

