"""The figures /metrics exports, read from the archive database and the broker when asked.

Every worker and web process writes to the same database, so reading it at scrape time
gives the figures of the whole installation, whichever process Prometheus asks; nothing is
counted in memory (web/metrics.py turns these into Prometheus metrics).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import case, func, select

from archive import db
from archive.models import FAILED, NEEDS_REVIEW, Document, Page, utcnow
from index.documents import pending_count
from services import broker

PAGES_WINDOW = dt.timedelta(minutes=5)  # pages per minute: averaged over this window
# Upper bounds (seconds) of the reading-time histogram: a one-page text PDF takes about a
# second, a long scan with the second OCR engine minutes.
READ_BUCKETS = (1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0)

# Failure reasons stored as plain sentences (services/processing.py, extract/) grouped
# under a short code, first match wins; coded notes (extract/notes.py) keep their own code.
_REASONS = (
    ("interrupted", re.compile(r"processing stopped|interrupted \d+ times")),
    ("original_missing", re.compile(r"missing from the archive store")),
    ("too_large", re.compile(r"the limit is")),
    ("encrypted", re.compile(r"encrypted")),
    ("ocr", re.compile(r"OCR|Tesseract|tesseract|language data")),
    ("unreadable", re.compile(r"damaged|cannot be read|no pages|no reader|not a page image")),
    ("unexpected_error", re.compile(r"unexpected error")),
)


@dataclass(frozen=True)
class Snapshot:
    queue_depth: int | None  # None: the broker cannot be asked
    pages_per_minute: float
    review_backlog: int
    index_lag: int
    read_buckets: list[tuple[float, int]]  # (upper bound, documents read within it), cumulative
    read_count: int
    read_sum: float
    failures: dict[str, int]  # reason code -> failed documents


def failure_reason(error: str | None, notes: list | None) -> str:
    """A failed document's reason as a short code, for grouping (never shown to users)."""
    for n in notes or ():
        if isinstance(n, dict) and n.get("code"):
            return str(n["code"])
    for code, pattern in _REASONS:
        if pattern.search(error or ""):
            return code
    return "other"


def snapshot() -> Snapshot:
    since = utcnow() - PAGES_WINDOW
    with db.session() as s:
        pages = s.scalar(
            select(func.count(Page.id))
            .join(Document, Page.document_id == Document.id)
            .where(Document.processed_at >= since)
        )
        review = s.scalar(select(func.count()).where(Document.status == NEEDS_REVIEW))
        lag = pending_count(s)
        read = Document.read_seconds
        row = s.execute(
            select(
                func.count(read),
                func.coalesce(func.sum(read), 0.0),
                *(func.coalesce(func.sum(case((read <= b, 1), else_=0)), 0) for b in READ_BUCKETS),
            ).where(read.is_not(None))
        ).one()
        failures: dict[str, int] = {}
        # grouped by sentence first: failed documents are many, their distinct reasons few
        failed = Document.status == FAILED
        for error, n, first in s.execute(
            select(Document.error, func.count(), func.min(Document.id))
            .where(failed)
            .group_by(Document.error)
        ):
            code = failure_reason(
                error, s.scalar(select(Document.notes).where(Document.id == first))
            )
            failures[code] = failures.get(code, 0) + n
    return Snapshot(
        queue_depth=broker.queue_depth(),
        pages_per_minute=(pages or 0) / (PAGES_WINDOW.total_seconds() / 60),
        review_backlog=review or 0,
        index_lag=lag,
        read_buckets=list(zip(READ_BUCKETS, (int(x) for x in row[2:]), strict=True)),
        read_count=int(row[0]),
        read_sum=float(row[1]),
        failures=failures,
    )
