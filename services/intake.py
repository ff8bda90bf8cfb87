"""Submitting documents: every source (CLI, upload, folder, mail) comes through here."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import OperationalError

from archive import config, db, documents
from archive.models import RECEIVED
from services import broker

log = logging.getLogger(__name__)


@dataclass
class Submitted:
    id: int
    created: bool  # False: the same bytes were already in the archive


def enqueue(document_id: int, *, fast: bool = True) -> bool:
    """Queue the document; when the broker is away, it stays `received` for recovery.

    `fast`: a quick look for our codes goes first on a queue of its own (services/fastlane.py),
    so a coded statement is searchable while scans without codes wait for OCR."""
    try:
        if fast:
            broker.send_fast(document_id)
        broker.send_process(document_id)
        return True
    except Exception as exc:  # the document is safe in the archive; recovery re-queues it
        log.warning("document %s could not be queued now: %s", document_id, exc)
        return False


class NotArchived(Exception):
    """The file could not be stored (the data folder's disk is full, or unwritable): nothing
    of it was kept, and every original stored before is untouched."""


REGISTER_RETRY = (1, 2, 4, 8, 16)  # seconds: a database restart takes a few


def _register(settings, data: bytes, filename: str, source: str, user: str | None):
    """The document row for `data`; a database that is restarting is waited for."""
    for delay in REGISTER_RETRY:
        try:
            return _register_once(settings, data, filename, source, user)
        except OperationalError as exc:
            if "full" in str(exc.orig):
                raise
            log.warning("the archive database is not reachable (%s); trying again", exc.orig)
            time.sleep(delay)
    return _register_once(settings, data, filename, source, user)


def _register_once(settings, data: bytes, filename: str, source: str, user: str | None):
    with db.session() as s:
        doc, created = documents.register(s, settings, data, filename, source=source, user=user)
        return doc.id, created, doc.status


def submit(data: bytes, filename: str, *, source: str, user: str | None = None) -> Submitted:
    """Store the original first, then queue it. The same bytes twice give one document."""
    settings = config.settings()
    try:
        doc_id, created, status = _register(settings, data, filename, source, user)
    except OSError as exc:  # the store: a half-written original is removed (archive/store.py)
        raise NotArchived(f"the file was not archived: {exc.strerror or exc}") from exc
    except OperationalError as exc:  # SQLite: "database or disk is full"
        if "full" not in str(exc.orig):
            raise
        raise NotArchived(f"the file was not archived: {exc.orig}") from exc
    if created or status == RECEIVED:
        enqueue(doc_id)
    return Submitted(doc_id, created)


def too_large(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes; the limit is {limit:,} (STMT_MAX_FILE_MB)"


def collect(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (recursively, hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path).parts
                if p.is_file() and not any(part.startswith(".") for part in rel):
                    yield p
        else:
            yield path

