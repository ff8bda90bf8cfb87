"""What a worker does with one document: load, extract, save, index.

Everything that can go wrong with a file ends as status `failed` with a reason people can
read; the worker itself carries on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable

from sqlalchemy import func, select, update

from archive import config, db, documents
from archive.customers import master
from archive.models import FAILED, PROCESSING, RECEIVED, SPLIT, Document, utcnow
from archive.secret import server_key
from archive.users import review_threshold
from extract.pipeline import Limits
from extract.types import Code, ExtractError
from index.documents import backend, index_pending
from services import batches, intake, learning, logs, tags
from services.background import every
from services.indexing import index_now

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RECEIVED_GRACE = dt.timedelta(seconds=60)  # a message may still be on its way
# A reader renews its lease every RENEW_EVERY while it works; a lease that ran out means the
# process died (kill -9, out of memory, lost machine), and recovery, which runs every
# 30 seconds in every worker, takes the document up again: within about 75 seconds.
LEASE = dt.timedelta(seconds=45)
RENEW_EVERY = 10.0


class Stopping(BaseException):  # noqa: N818  (not an error: the worker is being stopped)
    """Raised in a reader whose worker is stopping: the document in hand goes back to the
    queue at once, for another worker, instead of holding the stop until it is read.

    A BaseException, so that no `except Exception` on the way (a page's OCR fallback, the
    reading of a file) takes it for a failure of the file.
    """


_in_hand: set[int] = set()  # documents this process is reading now
_stopping = False


def stop() -> None:
    """This process's worker is stopping (from a signal handler): the document being read,
    if any, goes back to the queue now (Stopping is raised), and no other is taken up."""
    global _stopping
    _stopping = True
    if _in_hand:
        raise Stopping()


def in_hand() -> bool:
    """Whether this process is reading a document now."""
    return bool(_in_hand)


def claim(document_id: int) -> str | None:
    """Take the document for processing: the lease token, or None when it is not to be had."""
    token = uuid.uuid4().hex
    now = utcnow()
    with db.session() as s:
        taken = s.execute(
            update(Document)
            .where(Document.id == document_id, Document.status == RECEIVED)
            .values(
                status=PROCESSING,
                attempts=Document.attempts + 1,
                lease_token=token,
                lease_until=now + LEASE,
                updated_at=now,
            )
        ).rowcount
    return token if taken == 1 else None


def _lease(document_id: int, token: str):
    """Renew the lease in the background for as long as the document is being read."""

    def renew() -> None:
        try:
            with db.session() as s:
                s.execute(
                    update(Document)
                    .where(Document.id == document_id, Document.lease_token == token)
                    .values(lease_until=utcnow() + LEASE)
                )
        except Exception as exc:  # a lapse of the database; the next renewal may succeed
            log.warning("lease of document %s not renewed: %s", document_id, exc)

    return every(RENEW_EVERY, renew, f"lease-{document_id}")


def _held(s, document_id: int, token: str) -> Document | None:
    """The document, locked, if this reader still holds it (its lease may have been taken)."""
    doc = s.get(Document, document_id, with_for_update=True, populate_existing=True)
    if doc is None or doc.status != PROCESSING or doc.lease_token != token:
        return None
    return doc


def process(document_id: int) -> str:
    if _stopping:  # a message that reached a stopping worker: for another one
        raise Stopping()
    token = claim(document_id)
    if token is None:  # done already, or another reader holds it
        with db.session() as s:
            doc = s.get(Document, document_id)
            return doc.status if doc else "missing"
    with _lease(document_id, token), logs.about_document(document_id):
        _in_hand.add(document_id)
        try:
            status = _read_and_save(document_id, token)
        except BaseException as exc:
            _release(document_id, token, exc)
            raise
        finally:
            _in_hand.discard(document_id)
    if status != SPLIT:
        index_now([document_id])
    return status


def _read_and_save(document_id: int, token: str) -> str:
    settings = config.settings()
    with db.session() as s:
        doc = s.get(Document, document_id)
        customers = master(s)
        threshold = review_threshold(s, default=settings.review_threshold)
        layouts = learning.layouts(s)
        # what the quick code pass (services/fastlane.py) read on these pages
        known = [Code(c.type, c.data, c.page, tuple(c.box or (0, 0, 0, 0))) for c in doc.codes]
    limits = limits_of(settings)
    reason = extraction = kind = None
    started = time.monotonic()
    try:
        data = documents.original(settings, doc)
        if len(data) > settings.max_file_bytes:  # every kind, batches and .eml/.zip included
            raise ExtractError(intake.too_large(len(data), settings.max_file_bytes))
        kind = batches.sniff(data)  # mail and ZIP files too; scan batches are cut into parts
        extraction = batches.extract_or_split(
            document_id,
            data,
            kind,
            customers=customers,
            threshold=threshold,
            limits=limits,
            qr_key=server_key(settings),
            fallback=settings.ocr_fallback,
            layouts=layouts,
            known_codes=known,
        )
        if extraction is None:  # split: the parts are queued, this one is now `split`
            return SPLIT
    except ExtractError as exc:
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    except FileNotFoundError:
        reason = f"the original file {doc.sha256} is missing from the archive store"
    except Exception as exc:  # a bug or a library crash must not stop the worker
        log.exception("document %s could not be read", document_id)
        reason = f"unexpected error while reading the file ({type(exc).__name__}: {exc})"
    with db.session() as s:
        doc = _held(s, document_id, token)
        if doc is None:  # our lease ran out and another reader took over: its result counts
            log.warning("document %s was taken over by another reader; result dropped", document_id)
            current = s.get(Document, document_id)
            return current.status if current else "missing"
        _end_lease(doc)
        doc.read_seconds = round(time.monotonic() - started, 3)
        if extraction is None:
            doc.kind = kind
            documents.fail(s, doc, reason or "unknown error")
        else:
            documents.save_extraction(s, doc, extraction, kind=kind)
            batches.flag_duplicate(s, doc)  # same customer, period and number: finance decides
            tags.apply_rules(s, doc)  # before indexing, so the index has the tags with it
        return doc.status


def limits_of(settings: config.Settings) -> Limits:
    """How far a reading goes, from the installation's settings."""
    return Limits(
        max_pages=settings.max_pages,
        max_bytes=settings.max_file_bytes,
        ocr_lang=settings.ocr_lang,
        ocr_timeout=settings.ocr_timeout,
        page_workers=settings.page_workers,
    )


def split_now(document_id: int, data: bytes, kind: str) -> bool:
    """Cut a scan batch by its separator sheets now, without OCR, when it is not being read
    already; False (and the document as it was) when it is no batch or another reader has it.
    """
    token = claim(document_id)
    if token is None:
        return False
    with _lease(document_id, token):
        try:
            with db.session() as s:
                customers = master(s)
            split = batches.split_by_codes(
                document_id,
                data,
                kind,
                customers=customers,
                limits=limits_of(config.settings()),
            )
        except BaseException as exc:
            _release(document_id, token, exc)
            raise
    if split:
        return True
    with db.session() as s:  # hand it back untouched: the claim was no reading
        doc = _held(s, document_id, token)
        if doc is not None:
            _end_lease(doc)
            documents.requeue(doc)
            doc.attempts = max(0, doc.attempts - 1)
    # its message may have met the claim and been dropped meanwhile
    intake.enqueue(document_id, fast=False)
    return False


def _end_lease(doc: Document) -> None:
    doc.lease_token = None
    doc.lease_until = None


def _release(document_id: int, token: str, exc: BaseException) -> None:
    """Processing stopped with an error: hand the document back, or fail it for good. The
    worker stopping (Stopping) is no error: that attempt is not counted, and the message goes
    back to the queue for another worker (ingest/tasks.py)."""
    stopping = isinstance(exc, Stopping)
    try:
        with db.session() as s:
            doc = _held(s, document_id, token)
            if doc is None:
                return
            _end_lease(doc)
            if stopping:
                doc.attempts = max(doc.attempts - 1, 0)
            if doc.attempts >= MAX_ATTEMPTS:
                documents.fail(
                    s, doc, f"processing stopped {doc.attempts} times; last: {type(exc).__name__}"
                )
            else:  # the task's retry, or recovery after RECEIVED_GRACE, takes it up again
                documents.requeue(doc)
                doc.updated_at = utcnow()
    except Exception as again:  # the database itself is away: the lease runs out instead
        log.warning("document %s not handed back (%s); its lease will run out", document_id, again)
        return
    if stopping:
        log.info("document %s handed back: the worker is stopping", document_id)


def recover(
    enqueue: Callable[[int], object], queue_depth: Callable[[], int | None] = lambda: None
) -> dict:
    """Re-queue documents whose message or worker was lost; index what is waiting.

    A document `processing` whose lease ran out lost its reader. A document `received` for a
    while lost its message only if the queue is empty: in a long queue it is simply waiting,
    and sending it again would only make the queue longer (None: depth unknown, send).
    """
    now = utcnow()
    requeued = failed = 0
    lost = (Document.status == PROCESSING) & (
        func.coalesce(Document.lease_until, Document.updated_at) < now
    )
    if not queue_depth():
        lost |= (Document.status == RECEIVED) & (Document.updated_at < now - RECEIVED_GRACE)
    with db.session() as s:
        # skip_locked: workers recovering at the same moment share the work out (PostgreSQL)
        stale = s.scalars(select(Document).where(lost).with_for_update(skip_locked=True)).all()
        ids = []
        for doc in stale:
            if doc.attempts >= MAX_ATTEMPTS:
                _end_lease(doc)
                documents.fail(
                    s,
                    doc,
                    f"reading this file was interrupted {doc.attempts} times "
                    "(the worker stopped or ran out of memory); retry it when the cause is fixed",
                )
                failed += 1
            else:
                documents.requeue(doc)
                _end_lease(doc)
                doc.updated_at = now
                ids.append(doc.id)
    for i in ids:
        enqueue(i)
        requeued += 1
    indexed = 0
    try:
        with db.session() as s:
            indexed = index_pending(s, backend(config.settings()))
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
