"""A reviewer corrects a document's fields (web review page and the API): save, then re-index."""

from __future__ import annotations

from archive import db
from archive.corrections import Outcome, apply
from archive.models import Document
from services.indexing import index_now


def correct(
    document_id: int, values: dict[str, str | None], user: str, *, seconds: float | None = None
) -> Outcome | None:
    """Apply a reviewer's corrections, commit, then re-index; None when there is no such
    document."""
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return None
        outcome = apply(s, doc, values, user, seconds=seconds)
    index_now([document_id])
    return outcome
