"""What a worker does with one document: load, extract, save, index.

Everything that can go wrong with a file ends as status `failed` with a reason people can
read; the worker itself carries on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select, update

from archive import config, db, documents
from archive.customers import master
from archive.messages import SPLIT
from archive.models import FAILED, PROCESSING, RECEIVED, Document, utcnow
from archive.users import review_threshold
from extract.pipeline import Limits
from extract.types import ExtractError
from index.documents import backend, index_documents, index_pending
from ingest import batches

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RECEIVED_GRACE = dt.timedelta(seconds=60)  # a message may still be on its way
PROCESSING_STALE = dt.timedelta(minutes=30)  # longer than the longest allowed document


def claim(document_id: int) -> bool:
    """Take the document for processing; False when another worker has it or it is done."""
    with db.session() as s:
        taken = s.execute(
            update(Document)
            .where(Document.id == document_id, Document.status == RECEIVED)
            .values(status=PROCESSING, attempts=Document.attempts + 1, updated_at=utcnow())
        ).rowcount
    return taken == 1


def process(document_id: int) -> str:
    settings = config.load()
    if not claim(document_id):
        with db.session() as s:
            doc = s.get(Document, document_id)
            return doc.status if doc else "missing"
    with db.session() as s:
        doc = s.get(Document, document_id)
        customers = master(s)
        threshold = review_threshold(s, default=settings.review_threshold)
        data = documents.original(settings, doc)
    limits = Limits(max_pages=settings.max_pages, max_bytes=settings.max_file_bytes)
    reason = extraction = kind = None
    try:
        kind = batches.sniff(data)  # issue 5: .eml and .zip too; batches are cut into parts
        extraction = batches.extract_or_split(
            document_id,
            data,
            kind,
            customers=customers,
            threshold=threshold,
            limits=limits,
            fallback=settings.ocr_fallback,
        )
        if extraction is None:  # split: the parts are queued, this one is now `split`
            return SPLIT
    except ExtractError as exc:
        reason = str(exc)
    except Exception as exc:  # a bug or a library crash must not stop the worker
        log.exception("document %s could not be read", document_id)
        reason = f"unexpected error while reading the file ({type(exc).__name__}: {exc})"
    with db.session() as s:
        doc = s.get(Document, document_id)
        if extraction is None:
            doc.kind = kind
            documents.fail(s, doc, reason or "unknown error")
        else:
            documents.save_extraction(s, doc, extraction, kind=kind)
            batches.flag_duplicate(s, doc)  # same customer, period and number: finance decides
        status = doc.status
    index_now([document_id])
    return status


def index_now(ids: list[int]) -> bool:
    """Index these documents; when the index is away they stay pending for `recover`."""
    try:
        with db.session() as s:
            index_documents(s, backend(config.load()), ids)
        return True
    except Exception as exc:  # the index is derived: never fail a document for it
        log.warning("documents %s wait for the search index: %s", ids, exc)
        return False


def recover(enqueue: Callable[[int], object]) -> dict:
    """Re-queue documents whose message or worker was lost; index what is waiting."""
    now = utcnow()
    requeued = failed = 0
    with db.session() as s:
        stale = s.scalars(
            select(Document).where(
                (Document.status == RECEIVED) & (Document.updated_at < now - RECEIVED_GRACE)
                | (Document.status == PROCESSING) & (Document.updated_at < now - PROCESSING_STALE)
            )
        ).all()
        ids = []
        for doc in stale:
            if doc.attempts >= MAX_ATTEMPTS:
                documents.fail(
                    s,
                    doc,
                    f"reading this file was interrupted {doc.attempts} times "
                    "(the worker stopped or ran out of memory); retry it when the cause is fixed",
                )
                failed += 1
            else:
                documents.requeue(doc)
                doc.updated_at = now
                ids.append(doc.id)
    for i in ids:
        enqueue(i)
        requeued += 1
    indexed = 0
    try:
        with db.session() as s:
            indexed = index_pending(s, backend(config.load()))
    except Exception as exc:
        log.warning("the search index is not reachable: %s", exc)
    return {"requeued": requeued, "failed": failed, "indexed": indexed}


def retry(document_id: int, enqueue: Callable[[int], object]) -> bool:
    """Send a failed document through the pipeline again."""
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None or doc.status != FAILED:
            return False
        documents.requeue(doc)
        doc.attempts = 0
    enqueue(document_id)
    return True
