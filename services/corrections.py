"""A reviewer corrects a document's fields (web review page and the API): save, then re-index."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from archive import db
from archive.corrections import Outcome, apply
from archive.models import Document
from services.indexing import index_now

# Told of each save in the same session: (session, document, fields before, changed names,
# user); services.learning.observe learns from it.
Observer = Callable[[Session, Document, dict, set, str], object]


def correct(
    document_id: int,
    values: dict[str, str | None],
    user: str,
    *,
    seconds: float | None = None,
    observe: Observer | None = None,
) -> Outcome | None:
    """Apply a reviewer's corrections, commit, then re-index; None when there is no such
    document."""
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            return None
        before = {f.name: (f.value, f.source, f.confidence) for f in doc.fields}
        outcome = apply(s, doc, values, user, seconds=seconds)
        if observe is not None:
            observe(s, doc, before, {c.field for c in outcome.changes}, user)
    index_now([document_id])
    return outcome
