"""The quick code pass: a statement carrying our QR code, or behind our cover sheet, is
searchable by customer, period and amount moments after it arrives, even while the queue
holds scans waiting for OCR.

Every submitted document gets this pass on a queue of its own (services/broker.FAST_QUEUE),
newest first (`next_pass`), read by a worker process that never runs OCR (ingest/worker.py).
The pass reads only codes, the way the full read's first look does
(extract.pipeline.page_codes, quick), on the first pages. When our code is there:

- its values (customer, period, amount, currency, statement number; the customer's name from
  the master) are stored as the document's fields, with source `qr` (or `cover` for a part
  of a batch behind a cover sheet), and the document is indexed with them. Its status stays
  `received` or `processing`: the index and the web app show it as not read yet;
- a file whose pages hold a cover sheet is a scan batch: it is cut into its parts now (no
  OCR is needed for that), and each part gets this pass in turn, vouched for by its cover.

The full read comes later and replaces the fields with its own, which take the code's values
(extract.confidence: a code's values win), and keeps the codes found here should it miss
them (services/batches.extract_or_split, `known_codes`). Without a code the pass does nothing.
"""

from __future__ import annotations

import logging
from itertools import islice

from sqlalchemy import select, update

from archive import audit, config, db, documents
from archive.customers import master
from archive.models import FINAL_STATUSES, PROCESSING, RECEIVED, Document, FieldRow, utcnow
from archive.secret import server_key
from archive.users import review_threshold
from extract import confidence, pdf, pipeline, qrpayload
from extract.types import Code, ExtractError, Source
from index.documents import backend, index_early
from services import batches, processing
from services.indexing import index_now

log = logging.getLogger(__name__)

# Our statement code is printed on a statement's first page and a sticker goes there too; a
# batch starts with a cover sheet. Looking further would let one long scan hold up the lane.
FIRST_PAGES = 3

# what the pass did: nothing (no code of ours, or the document is read already), stored and
# indexed the code's fields, or cut a batch at its cover sheets
NONE, INDEXED, SPLIT = "none", "indexed", "split"


def next_pass() -> str:
    """The quick pass of the newest document waiting for one.

    Each upload sends one message to the lane, and each message does one pass, but of the
    newest document not passed yet rather than its own: a coded statement uploaded right
    after a burst of scans waits for one pass at most, not for the burst's. (The passes of
    the older ones still come, one a message; the full read follows regardless.)
    """
    while True:
        with db.session() as s:
            newest = s.scalar(
                select(Document.id)
                .where(
                    Document.codes_looked_at.is_(None),
                    Document.status.in_((RECEIVED, PROCESSING)),
                )
                .order_by(Document.id.desc())
                .limit(1)
            )
            if newest is None:
                return NONE
            taken = s.execute(
                update(Document)
                .where(Document.id == newest, Document.codes_looked_at.is_(None))
                # updated_at unchanged: recovery tells a lost message by it
                .values(codes_looked_at=utcnow(), updated_at=Document.updated_at)
            ).rowcount
        if taken:  # else another lane took it just now: the next newest
            return quick_pass(newest)


def quick_pass(document_id: int) -> str:
    """Look for our code on the document's first pages; see the module's docstring."""
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None or doc.status not in (RECEIVED, PROCESSING) or _has_fields(s, doc.id):
            return NONE
    cover, is_part = batches.cover_of(document_id)
    settings = config.settings()
    try:
        data = documents.original(settings, doc)
        kind = batches.sniff(data)
        if kind not in pipeline.READERS:  # e-mail and ZIP files: their parts get the pass
            return NONE
        found = first_codes(data, kind, processing.limits_of(settings))
        covers = not is_part and any(
            (sc := qrpayload.parse(c.data)) is not None and sc.is_cover for c in found
        )
        if covers and batches.may_be_batch(data, kind):
            # a cover sheet in the file: a batch, cut now; its parts come through here
            return SPLIT if processing.split_now(document_id, data, kind) else NONE
    except (ExtractError, OSError) as exc:  # the full read reports it in its own words
        log.info("quick pass of document %s: %s", document_id, exc)
        return NONE
    return INDEXED if _store(document_id, found, cover) else NONE


def first_codes(data: bytes, kind: str, limits: pipeline.Limits) -> list[Code]:
    """The codes on the first pages, read as the full read's first look reads them."""
    if kind == "pdf":
        return [
            c
            for n in range(1, min(pdf.page_count(data), FIRST_PAGES) + 1)
            for c in _pdf(data, n, limits)
        ]
    jobs = islice(pipeline.page_images(data, kind, limits), FIRST_PAGES)
    return [c for job in jobs for c in pipeline.page_codes(*job, quick=True)]


def _pdf(data: bytes, number: int, limits: pipeline.Limits) -> list[Code]:
    """A PDF page rendered straight at the quick look's resolution: a scanned page is not
    rendered at OCR resolution first (that is most of what this pass would cost). Boxes come
    out in pixels at OCR resolution, as the full read places a scanned page's codes."""
    out = []
    for _, image, used in pdf.render(data, pipeline.QUICK_CODES_DPI, [number], limits.max_pixels):
        scale = pipeline.OCR_DPI / used
        out += [
            Code(c.type, c.data, c.page, tuple(v * scale for v in c.box))
            for c in pipeline.page_codes(image, number, used, None, quick=True)
        ]
    return out


def _has_fields(s, document_id: int) -> bool:
    return s.scalar(select(FieldRow.id).where(FieldRow.document_id == document_id)) is not None


def _store(document_id: int, found: list[Code], cover: Code | None) -> bool:
    """Save and index what the code vouches for; False when nothing was (no valid code of
    ours, or the document was read meanwhile)."""
    settings = config.settings()
    with db.session() as s:
        customers = master(s)
        threshold = review_threshold(s, default=settings.review_threshold)
        scored = confidence.score(
            {},
            found + ([cover] if cover else []),
            customers,
            threshold=threshold,
            qr_key=server_key(settings),
        )
        vouched = {
            n: fv
            for n, fv in batches.cover_sourced(scored.fields).items()
            if fv.source in (Source.QR, Source.COVER) and fv.value is not None
        }
        if not vouched:
            return False
        doc = s.get(Document, document_id, with_for_update=True, populate_existing=True)
        # the full read may have ended meanwhile: its fields are the document's
        if doc.status not in (RECEIVED, PROCESSING) or _has_fields(s, document_id):
            return False
        doc.fields = documents.field_rows(vouched.values())
        doc.codes = documents.code_rows(found)
        audit.record(s, "coded", document_id=doc.id, fields=sorted(vouched), status=doc.status)
    try:
        with db.session() as s:
            index_early(s, backend(settings), [document_id])
    except Exception as exc:  # the index is derived: the full read indexes it all the same
        log.warning("document %s waits for the search index: %s", document_id, exc)
        return True
    with db.session() as s:
        status = s.scalar(select(Document.status).where(Document.id == document_id))
    if status in FINAL_STATUSES:  # read meanwhile: ours must not be the last word in the index
        index_now([document_id])
    return True
