"""Documents that hold other documents: scan batches, .eml messages and ZIP archives.

`extract_or_split` is the worker's reading step (services/processing.py). A multi-page PDF or
TIFF is first looked at for codes only (cheap); when separator sheets or several statement
codes show it is a batch, it is cut into part files (pypdfium2 for PDF, Pillow for TIFF)
without any OCR. Otherwise the pages are OCR'd once; when their headers name several
statements it is cut then, else the same pages give the document's fields.

Part documents go through the normal path (stored, registered, queued) with `parent_id` and
`part` set and a BatchPart row (pages, cover payload). The batch itself ends in status
`split` (archive.models.SPLIT): not a statement, so neither indexed nor reviewed; its
original stays in the archive. Pages after a cover sheet are read with the cover's code, so
their customer and period come from it with full confidence.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from PIL import Image, ImageSequence
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from archive import audit, config, db, documents
from archive.messages import BatchPart, MailMessage, link
from archive.models import FAILED, FINAL_STATUSES, RECEIVED, SPLIT, Document, FieldRow, utcnow
from extract import batches as plans
from extract import notes, pdf, pipeline
from extract.customers import Customer
from extract.types import Code, ExtractError, Extraction, FieldValue, Page, Source
from services import eml, intake

log = logging.getLogger(__name__)

DONE_STATUSES = (*FINAL_STATUSES, SPLIT)


@dataclass
class _Seen:
    """Pass one over a file: codes per page, and text-layer pages where there are any."""

    codes: list[list[Code]]
    text: list[Page | None]


# Files that hold other files: each part becomes a document of its own (e-mail attachments
# and the message text; the files of a ZIP archive). Statements themselves are read by
# extract/pipeline.py's READERS.
CONTAINERS: dict[str, Callable[[bytes], eml.Exploded]] = {
    "zip": eml.explode_zip,
    "eml": eml.explode,
}


def sniff(data: bytes) -> str:
    """The file type: pipeline.sniff's types, plus the CONTAINERS ("eml" and "zip")."""
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if eml.looks_like_email(data):
        return "eml"
    return pipeline.sniff(data)


def extract_or_split(
    document_id: int,
    data: bytes,
    kind: str,
    *,
    customers: Sequence[Customer],
    threshold: float,
    limits: pipeline.Limits,
    qr_key: bytes | None = None,
    fallback: str = "rapidocr",
    layouts: Sequence = (),
    known_codes: Sequence[Code] = (),
) -> Extraction | None:
    """The document's extraction, or None when it was split into part documents (queued).

    `known_codes`: codes an earlier look at these pages found (services/fastlane.py): what
    they vouched for stays, even should this reading miss them.

    `fallback` is the second OCR engine for poorly read pages (pipeline.FALLBACKS). Pages
    are read by extract/pipeline.py, with its bounded page queue, the second OCR engine
    and the deeper code search before a statement goes to review."""
    if kind in CONTAINERS:
        _split_container(document_id, data, kind)
        return None
    cover, is_part = cover_of(document_id)
    extra = [cover] if cover else []
    finish = partial(
        _finish,
        data,
        kind,
        customers=customers,
        threshold=threshold,
        limits=limits,
        qr_key=qr_key,
        fallback=fallback,
        extra=extra,
        known=known_codes,
        layouts=layouts,
    )
    if is_part or not may_be_batch(data, kind):
        return finish(*pipeline.read_pages(data, kind, limits=limits))
    seen, plan = _plan_by_codes(data, kind, limits, customers)
    if plan.is_batch or not plan.parts:
        _split_batch(document_id, data, kind, plan)
        return None
    found = [c for cs in seen.codes for c in cs]  # every page searched thoroughly already
    if all(t is not None for t in seen.text):  # a digital PDF: nothing more to read
        return finish([t for t in seen.text if t is not None], found, codes_searched=True)
    pages, _quick = pipeline.read_pages(data, kind, limits=limits)
    infos = [_info(p.number, seen.codes[p.number - 1], p, customers) for p in pages]
    plan = plans.plan(infos)
    if plan.is_batch:
        _split_batch(document_id, data, kind, plan)
        return None
    return finish(pages, found, codes_searched=True)


def split_by_codes(
    document_id: int,
    data: bytes,
    kind: str,
    *,
    customers: Sequence[Customer],
    limits: pipeline.Limits,
) -> bool:
    """Cut the file into its statements when its codes (separator sheets, statement codes)
    and text layer alone show it is a batch, without any OCR; False when they do not."""
    if not may_be_batch(data, kind):
        return False
    _seen, plan = _plan_by_codes(data, kind, limits, customers)
    if not plan.is_batch:
        return False
    _split_batch(document_id, data, kind, plan)
    return True


def may_be_batch(data: bytes, kind: str) -> bool:
    """A file of several pages of a type that is cut into parts (PDF, TIFF)."""
    return kind in ("pdf", "tiff") and _page_count(data, kind) >= 2


def _plan_by_codes(data: bytes, kind: str, limits: pipeline.Limits, customers):
    """Every page's codes read thoroughly (no OCR), and the parts they make."""
    seen = _first_pass(data, kind, limits)
    infos = [
        _info(n, seen.codes[n - 1], seen.text[n - 1], customers)
        for n in range(1, len(seen.codes) + 1)
    ]
    return seen, plans.plan(infos)


def _info(n: int, codes: list[Code], page: Page | None, customers) -> plans.PageInfo:
    customer, number = plans.header_values(page, customers) if page else (None, None)
    return plans.PageInfo(n, codes, customer, number)


def _page_count(data: bytes, kind: str) -> int:
    if kind == "pdf":
        return pdf.page_count(data)
    try:
        return getattr(Image.open(io.BytesIO(data)), "n_frames", 1)
    except (OSError, Image.DecompressionBombError) as exc:
        raise ExtractError(f"the image cannot be read ({exc})") from exc


def _first_pass(data: bytes, kind: str, limits: pipeline.Limits) -> _Seen:
    """Every page's codes, read thoroughly, without OCR: enough to tell a batch."""

    def look(image, number: int, dpi: int, text: Page | None) -> tuple[list[Code], Page | None]:
        return pipeline.page_codes(image, number, dpi, text), text

    jobs = pipeline.code_jobs(data, kind, limits)
    looked = pipeline.parallel(look, jobs, limits.page_workers)
    return _Seen([codes for codes, _ in looked], [text for _, text in looked])


def _finish(
    data: bytes,
    kind: str,
    pages: list[Page],
    found: list[Code],
    *,
    extra: list[Code],
    known: Sequence[Code] = (),
    codes_searched: bool = False,
    **options,
) -> Extraction:
    """pipeline.finish, with a cover sheet's code vouching for the part's fields, and the
    codes found earlier on these pages (`known`) added to those found now."""
    seen = {(c.type, c.data, c.page) for c in found}
    found = found + [c for c in known if (c.type, c.data, c.page) not in seen]
    out = pipeline.finish(
        data, kind, pages, found, extra_codes=extra, codes_searched=codes_searched, **options
    )
    out.fields = cover_sourced(out.fields)
    return out


def cover_sourced(values: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """The fields with those a part's cover sheet vouched for marked as the cover's."""
    out = dict(values)
    for name, fv in values.items():
        if fv.source == Source.QR and fv.page == 0:  # from the cover sheet: no page of this part
            out[name] = replace(fv, page=None, box=None, source=Source.COVER)
    return out


def cover_of(document_id: int) -> tuple[Code | None, bool]:
    """The code of the cover sheet a batch part was behind (or None), and whether the
    document is a part of a cut batch."""
    with db.session() as s:
        row = s.get(BatchPart, document_id)
        cover, is_part = (row.cover, bool(row.pages)) if row else (None, False)
    return (plans.cover_code(cover) if cover else None), is_part


# --------------------------------------------------------------------------- cutting


def cut_pdf(data: bytes, pages: Sequence[int]) -> bytes:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    try:
        out.import_pages(src, [n - 1 for n in pages])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        out.close()
        src.close()


def cut_tiff(data: bytes, pages: Sequence[int]) -> bytes:
    img = Image.open(io.BytesIO(data))
    frames = []
    for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
        if n in pages:
            try:
                frames.append((frame.copy(), frame.info.get("dpi")))
            except (OSError, ValueError, SyntaxError) as exc:
                raise ExtractError(f"page {n} of the image is damaged ({exc})") from exc
    first, dpi = frames[0]
    compression = "group4" if first.mode == "1" else "tiff_lzw"
    buf = io.BytesIO()
    extra = {"dpi": dpi} if dpi else {}
    first.save(
        buf,
        "TIFF",
        compression=compression,
        save_all=True,
        append_images=[f for f, _ in frames[1:]],
        **extra,
    )
    return buf.getvalue()


def _split_batch(document_id: int, data: bytes, kind: str, plan: plans.Plan) -> None:
    if not plan.parts:
        raise ExtractError(
            f"the file holds only separator sheets (pages {_pages(plan.separators)}), "
            "no statement pages"
        )
    cut = cut_pdf if kind == "pdf" else cut_tiff
    files = [(cut(data, part.pages), list(part.pages), part.cover_payload) for part in plan.parts]
    ext = "pdf" if kind == "pdf" else "tif"
    detail = {"separators": plan.separators, "kind": kind}
    _create_parts(document_id, kind, files, ext, detail)


def _split_container(document_id: int, data: bytes, kind: str) -> None:
    out = CONTAINERS[kind](data)
    if not out.files:
        reasons = out.problems or [
            "no PDF or image in it"
            + (f" (not statements: {', '.join(out.skipped[:5])})" if out.skipped else "")
        ]
        raise ExtractError("nothing to archive from this " + kind + ": " + "; ".join(reasons))
    files = [(f.data, [], None, f.name, f.origin) for f in out.files]
    detail = {"kind": kind, "problems": out.problems, "skipped": out.skipped}
    parts = _create_parts(document_id, kind, files, None, detail, problems=out.problems)
    if kind == "eml":
        _record_message(document_id, data, out, parts)


def _create_parts(document_id, kind, files, ext, detail, problems=()) -> list[tuple[int, str]]:
    """Register the part files as documents of the batch; queue them once committed."""
    settings = config.settings()
    queued: list[int] = []
    parts: list[tuple[int, str]] = []
    with db.session() as s:
        parent = s.get(Document, document_id)
        stem = parent.filename.rsplit(".", 1)[0] if "." in parent.filename else parent.filename
        for n, item in enumerate(files, start=1):
            blob, pages, cover = item[:3]
            name = item[3] if len(item) > 3 else f"{stem}-part{n}.{ext}"
            child, created = documents.register(s, settings, blob, name, source=parent.source)
            if child.id == parent.id:
                continue
            if created or child.parent_id is None:
                child.parent_id, child.part = parent.id, n
            if s.get(BatchPart, child.id) is None:
                s.add(BatchPart(document_id=child.id, batch_id=parent.id, part=n, pages=pages,
                                cover=cover))  # fmt: skip
            if created or child.status == RECEIVED:
                queued.append(child.id)
            parts.append((child.id, item[4] if len(item) > 4 else name))
        parent.kind = kind
        parent.status = SPLIT
        parent.lease_token = parent.lease_until = None
        parent.error = "; ".join(problems) or None
        parent.processed_at = utcnow()
        parent.index_pending = False
        audit.record(s, "split", document_id=parent.id, parts=[p for p, _ in parts], **detail)

    for i in queued:
        intake.enqueue(i)
    return parts


def _record_message(document_id: int, raw: bytes, out: eml.Exploded, parts) -> None:
    """An uploaded .eml is a message too: the same message from the mailbox is not redone."""
    with db.session() as s:
        key = out.info.key(raw)
        msg = s.scalar(select(MailMessage).where(MailMessage.key == key))
        if msg is None:
            doc = s.get(Document, document_id)
            msg = MailMessage(
                key=key,
                message_id=out.info.message_id,
                sender=out.info.sender,
                subject=out.info.subject,
                date=out.info.date,
                sha256=doc.sha256,
                size=len(raw),
                source=doc.source,
                status="failed" if out.problems else "processed",
                error="; ".join(out.problems) or None,
                attempts=1,
                processed_at=utcnow(),
            )
            s.add(msg)
            s.flush()
        for doc_id, origin in parts:
            link(s, msg, doc_id, origin)


def _pages(numbers: Sequence[int]) -> str:
    return ", ".join(map(str, numbers))


# --------------------------------------------------------------------------- after reading


def flag_duplicate(s: Session, doc: Document) -> int | None:
    """Another document for the same customer, period and statement number: ask finance.

    The same bytes are one document already (sha256); this catches a different file of the
    same statement (a scan of a printed PDF, a corrected reissue). Returns the other's id.
    """
    values = {n: doc.value(n) for n in ("customer_code", "period", "statement_no")}
    if not all(values.values()):
        return None

    other = None
    candidates = s.scalars(
        select(FieldRow.document_id).where(
            FieldRow.name == "statement_no",
            FieldRow.value == values["statement_no"],
            FieldRow.document_id != doc.id,
        )
    ).all()
    for other_id in candidates:
        o = s.get(Document, other_id)
        if o is None or o.status in (FAILED, SPLIT):
            continue
        if all(o.value(n) == v for n, v in values.items()):
            other = o
            break
    if other is None:
        return None
    said = notes.note("possible_duplicate", other=other.id, file=other.filename)
    doc.notes = [*doc.notes, notes.to_json(said)]
    if doc.status == "accepted":
        doc.status = "needs_review"
    audit.record(s, "possible_duplicate", document_id=doc.id, other=other.id, **values)
    return other.id


# --------------------------------------------------------------------------- waiting


def expand(ids: Sequence[int]) -> dict[int, list[int]]:
    """The part documents of each split document among `ids` (in part order)."""
    with db.session() as s:
        rows = s.execute(
            select(Document.parent_id, Document.id)
            .where(Document.parent_id.in_(list(ids)))
            .order_by(Document.parent_id, Document.part, Document.id)
        ).all()
        split = set(
            s.scalars(
                select(Document.id).where(Document.id.in_(list(ids)), Document.status == SPLIT)
            )
        )
    out: dict[int, list[int]] = {}
    for parent, child in rows:
        if parent in split:
            out.setdefault(parent, []).append(child)
    return out


def wait_all(
    ids: Sequence[int],
    *,
    timeout: float | None = None,
    on_done: Callable[[int], object] | None = None,
) -> None:
    """Block until every document, and every part of a split one, is processed."""
    deadline = None if timeout is None else time.monotonic() + timeout
    remaining = set(ids)
    seen: set[int] = set()
    while remaining:
        try:
            with db.session() as s:
                done = dict(
                    s.execute(
                        select(Document.id, Document.status).where(
                            Document.id.in_(remaining), Document.status.in_(DONE_STATUSES)
                        )
                    ).all()
                )
            split = [i for i, st in done.items() if st == SPLIT]
            children = (
                [c for cs in expand(split).values() for c in cs if c not in seen] if split else []
            )
        except OperationalError as exc:  # the database restarts: wait for it, as workers do
            log.warning("the archive database is not reachable (%s); waiting", exc.orig)
            time.sleep(2)
            continue
        seen.update(done)
        remaining = (remaining - set(done)) | set(children)
        if on_done and done:
            on_done(len(done) - len(split))
        if remaining:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{len(remaining)} documents are still being processed")
            time.sleep(0.3)


def leaves(ids: Sequence[int]) -> dict[int, list[int]]:
    """For each split document among `ids`: the documents it finally became, in order
    (an .eml whose attachment was itself a batch gives that batch's parts)."""
    out: dict[int, list[int]] = {}
    for parent, children in expand(ids).items():
        nested = leaves(children)
        out[parent] = [leaf for c in children for leaf in nested.get(c, [c])]
    return out


def expand_results(results: Sequence[tuple]) -> list[tuple]:
    """CLI rows (file, id, error) -> (file, id, error, part): a split file gives one row per
    document it became, numbered 1, 2, … in the order of its pages or attachments."""
    parts = leaves([r[1] for r in results if r[1] is not None])
    out: list[tuple] = []
    for file, doc_id, error in results:
        children = parts.get(doc_id, []) if doc_id is not None else []
        if children:
            out.extend((file, child, None, n) for n, child in enumerate(children, start=1))
        else:
            out.append((file, doc_id, error, None))
    return out
