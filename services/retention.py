"""Carrying out an approved disposal list: the archive first, then the files and the index."""

from __future__ import annotations

from archive import db
from archive.retention import Disposal, carry_out, remove_files
from index.base import IndexUnavailable
from index.documents import backend


def dispose(settings, list_id: int, user: str) -> tuple[Disposal, list[str]]:
    """Carry out an approved list: database first (committed), then files and the index.

    Returns the outcome and the problems met after the commit (files that could not be
    removed, an index that could not be reached: `stmt reindex` then drops the entries).
    """
    with db.session() as s:
        result = carry_out(s, list_id, user)
    problems = remove_files(settings, result)
    if result.disposed:
        try:
            backend(settings).delete(result.disposed)
        except IndexUnavailable as exc:
            problems.append(f"search index: {exc}; run stmt reindex")
    return result, problems
