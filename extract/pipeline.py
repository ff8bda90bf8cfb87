"""One document from bytes to fields: the whole extraction path in one place.

sniff the type (READERS) -> pages (PDF text layer, else render and OCR; images OCR'd)
               -> codes on every page (zbar + zxing-cpp)
               -> fields from the words -> confidence, cross-checks, QR -> status
               -> a required field unfound or weak on an OCR'd page (or a balance unread on
                  a coded statement's fax or photo): that page read again by the second OCR engine
                  (`fallback`), its fields fill the gaps -> status
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial

from PIL import Image, ImageSequence, UnidentifiedImageError

from extract import (
    arithmetic,
    confidence,
    fields,
    imageprep,
    learned,
    named,
    ocr,
    pdf,
    qrpayload,
    rapid,
)
from extract import codes as codes_mod
from extract.customers import Customer
from extract.notes import note
from extract.types import Code, ExtractError, Extraction, FieldValue, Page, Source, Status

OCR_DPI = 300  # scanned PDF pages are rendered at this resolution for OCR
CODES_DPI = 200  # digital PDF pages are rendered at this resolution only to look for codes
QUICK_CODES_DPI = 150  # the first, quick look for codes on every page
# The second OCR engine for pages whose first reading leaves a required field unfound or
# weak, or a balance unread on a coded statement's fax or photo (unread_on_a_hard_page):
# "rapidocr" (extract/rapid.py) or "none".
FALLBACKS = ("rapidocr", "none")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """How far and how a reading goes (the worker fills it from the installation's settings)."""

    max_pages: int = 200
    max_pixels: int = 60_000_000  # per page; a 300 dpi A3 page is 17 Mpx
    max_bytes: int = 200 * 1024 * 1024
    ocr_lang: str = ocr.LANG
    ocr_timeout: float = ocr.TIMEOUT  # seconds per Tesseract run
    page_workers: int = 0  # pages read at once; 0: one per core


# (image, page number, dpi, the text-layer Page or None): one page as a reader yields it.
# For the code search alone (`code_jobs`) the image is None on a digital page with nothing
# drawn that could be a code (extract.pdf.code_areas): no rendering, no codes; where one
# could be, the image is that part of the page (its info["page_origin"] says where).
PageJob = tuple[Image.Image | None, int, int, Page | None]


@dataclass(frozen=True)
class Reader:
    """One file type: the first bytes that tell it, and how its pages come out.

    The PDF reader yields each page's text layer where it has one (a digital PDF: no OCR)
    and a rendering to OCR where not (a scanned PDF); image readers (PNG, JPEG, and TIFF,
    whose frames are pages) yield the pictures. Files that hold other files (e-mail, ZIP) are
    cut into documents of their own before they get here (services/batches.py).
    """

    kind: str
    magics: tuple[bytes, ...]
    pages: Callable[[bytes, Limits], Iterator[PageJob]]
    # The pages as ingest reads them (words, and images only to search for codes where a
    # code could be); `pages` when there is no cheaper way.
    code_pages: Callable[[bytes, Limits], Iterator[PageJob]] | None = None


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.kind] = reader
    return reader


def magics() -> tuple[tuple[bytes, str], ...]:
    """(first bytes, kind) of every registered reader."""
    return tuple((magic, r.kind) for r in READERS.values() for magic in r.magics)


def kind_of(data: bytes, known: tuple[tuple[bytes, str], ...] | None = None) -> str | None:
    """The file type from its first bytes (never from its name), or None."""
    head = data[:1024]
    for magic, kind in known or magics():
        # a PDF may have junk before its header, as readers tolerate
        if head.startswith(magic) or (kind == "pdf" and magic in head):
            return kind
    return None


# Failures of the file itself: the same bytes always fail the same way, so trying again is
# pointless (the web app offers no Retry for them). Said in plain words, in zh and en.
EMPTY = note("file_empty")
TEXT_NOT_STATEMENT = note("text_not_statement")
NOT_STATEMENT = note("not_a_statement_file")
UNREADABLE = (EMPTY, TEXT_NOT_STATEMENT, NOT_STATEMENT)


def sniff(data: bytes) -> str:
    """The file type of a statement; an ExtractError saying why when it is none we read."""
    if not data:
        raise ExtractError(EMPTY)
    kind = kind_of(data)
    if kind is None:
        try:
            data[:4096].decode("utf-8")
        except UnicodeDecodeError:
            raise ExtractError(NOT_STATEMENT) from None
        raise ExtractError(TEXT_NOT_STATEMENT)
    return kind


def extract_document(
    data: bytes,
    *,
    customers: Sequence[Customer],
    threshold: float,
    limits: Limits = Limits(),
    workers: int | None = None,
    qr_key: bytes | None = None,
    fallback: str = "rapidocr",
    layouts: Sequence[learned.Layout] = (),
) -> Extraction:
    """Read a statement. Raises ExtractError with a message for users when it can't.

    `qr_key`: the secret our issued QR codes are signed with (extract.qrpayload).
    `fallback` names the second OCR engine (FALLBACKS) for pages Tesseract read too poorly.
    `layouts`: what reviewers taught on layouts seen before (extract.learned).
    """
    if len(data) > limits.max_bytes:
        raise ExtractError(f"the file is {len(data):,} bytes; the limit is {limits.max_bytes:,}")
    kind = sniff(data)
    pages, found = read_pages(data, kind, limits=limits, workers=workers)
    return finish(
        data,
        kind,
        pages,
        found,
        customers=customers,
        threshold=threshold,
        limits=limits,
        workers=workers,
        qr_key=qr_key,
        fallback=fallback,
        layouts=layouts,
    )


def finish(
    data: bytes,
    kind: str,
    pages: list[Page],
    found: list[Code],
    *,
    customers: Sequence[Customer],
    threshold: float,
    limits: Limits = Limits(),
    workers: int | None = None,
    qr_key: bytes | None = None,
    fallback: str = "rapidocr",
    extra_codes: Sequence[Code] = (),
    codes_searched: bool = False,
    layouts: Sequence[learned.Layout] = (),
) -> Extraction:
    """From pages read to the result: fields (with what reviewers taught on this layout,
    `layouts`), confidence, the second OCR engine for weak pages, and a deeper code search
    before a document goes to review.

    `extra_codes` vouch for fields without being codes of this file (a batch's cover sheet);
    `codes_searched`: `found` came from the deeper search already (services/batches.py).
    """
    if fallback not in FALLBACKS:
        raise ValueError(f"unknown OCR fallback {fallback!r}; one of {FALLBACKS}")
    extra = list(extra_codes)
    codes = [c.code for c in customers]
    raw_fields, items = fields.parse_statement(pages, codes)
    if layouts:  # what reviewers taught on this layout (extract.learned)
        raw_fields = learned.merge(raw_fields, learned.apply(pages, layouts))
    raw_fields = named.customer_fields(raw_fields, pages, customers)
    scored = confidence.score(
        raw_fields, found + extra, list(customers), threshold=threshold, qr_key=qr_key
    )
    weak = weak_fields(scored.fields, threshold)
    if not customers:  # no master to match a customer against: reading again cannot help
        weak.discard(fields.required_field("customer", scored.fields))
    vouched = any(qrpayload.parse(c.data) for c in found + extra)
    if vouched:
        weak |= unread_on_a_hard_page(scored.fields, pages)
    if fallback != "none" and weak:
        try:
            more = read_again(
                data, kind, pages, customers=customers, limits=limits, workers=workers
            )
        except ExtractError as exc:  # the document keeps Tesseract's reading (and its review)
            log.warning("second OCR engine skipped: %s", exc)
            more = {}
        if more:
            raw_fields = fill_gaps(raw_fields, more, weak)
            scored = confidence.score(
                raw_fields, found + extra, list(customers), threshold=threshold, qr_key=qr_key
            )
    if scored.status != Status.ACCEPTED and not vouched and not codes_searched:
        # Before the document waits for a reviewer, look for codes the quick pass missed.
        known = {(c.type, c.data, c.page) for c in found}
        deeper = find_codes(data, limits=limits, workers=workers)
        more = [c for c in deeper if (c.type, c.data, c.page) not in known]
        if more:
            found = found + more
            scored = confidence.score(
                raw_fields, found + extra, list(customers), threshold=threshold, qr_key=qr_key
            )
    return Extraction(
        pages=pages,
        codes=found,
        fields=scored.fields,
        status=scored.status,
        notes=scored.notes,
        items=items,
    )


def read_pages(
    data: bytes, kind: str, *, limits: Limits = Limits(), workers: int | None = None
) -> tuple[list[Page], list[Code]]:
    """Every page's words and codes; pages are read in parallel (Tesseract runs single-threaded)."""
    read = partial(_read_page, lang=limits.ocr_lang, timeout=limits.ocr_timeout)
    results = parallel(read, code_jobs(data, kind, limits), workers or limits.page_workers)
    pages = [p for p, _ in results]
    return pages, [c for _, cs in results for c in cs]


def weak_fields(scored: dict[str, FieldValue], threshold: float) -> set[str]:
    """The required fields a reading left unfound, or found below the review threshold."""
    weak = set()
    for item in fields.REQUIRED:
        name = fields.required_field(item, scored)
        fv = scored.get(name)
        if fv is None or fv.value is None or fv.confidence < threshold:
            weak.add(name)
    return weak


def unread_on_a_hard_page(scored: dict[str, FieldValue], pages: list[Page]) -> set[str]:
    """The balance amounts a reading left unfound, when a page was scanned below the
    resolution Tesseract reads well (a 150 dpi fax, upscaled for it) or photographed.

    For a statement our code vouches for: the code carries its customer, period and amount
    due, so no required field sends it to the second engine, and on a fax or a photo its
    opening balance, charges, payments and closing stayed unread although printed. The
    second engine reads such pages better; a clean scan never pays for it here."""
    hard = (
        p.photo or p.resolution < imageprep.MIN_OCR_DPI for p in pages if p.source == Source.OCR
    )
    if not any(hard):
        return set()
    return {n for n in arithmetic.BALANCE if scored.get(n) is None or scored[n].value is None}


def read_again(
    data: bytes,
    kind: str,
    pages: list[Page],
    *,
    customers: Sequence[Customer] = (),
    limits: Limits,
    workers: int | None,
) -> dict[str, FieldValue]:
    """The fields the second OCR engine reads on the OCR'd pages; each such page keeps that
    engine's words beside Tesseract's (`Page.second`), so search finds what either read.

    Digital pages are not read again: their text layer is what the PDF says. Only the
    pages in question are rendered a second time; the models load on the first call.
    """
    ocr_pages = {p.number: p for p in pages if p.source == Source.OCR}
    if not ocr_pages:
        return {}

    def second(image: Image.Image, number: int, dpi: int, text: Page | None) -> Page | None:
        page = ocr_pages.get(number)
        if page is None:
            return None
        page.second = rapid.read_page(image, page)
        return Page(
            number,
            page.width,
            page.height,
            page.dpi,
            Source.OCR2,
            words=page.second,
            rotation=page.rotation,
            skew=page.skew,
        )

    jobs = (job for job in page_images(data, kind, limits) if job[1] in ocr_pages)
    again = [p for p in parallel(second, jobs, workers or limits.page_workers) if p is not None]
    if not again:
        return {}
    found = fields.parse_fields(again, [c.code for c in customers])
    return named.customer_fields(found, again, customers)


def fill_gaps(
    first: dict[str, FieldValue], second: dict[str, FieldValue], weak: set[str]
) -> dict[str, FieldValue]:
    """The first reading's fields, with the second engine's where the first found none
    (a default such as the currency assumed when none is read counts as none), and for the
    weak required fields where the second read its value more surely. A field the second
    engine reads alike is surer for it: two engines seldom misread one figure the same way."""
    out = dict(first)
    final = any(
        (read := first.get(n)) is not None and read.value is not None
        for n in ("closing_balance", "amount_due")
    )
    for name, fv in second.items():
        mine = first.get(name)
        if fv.value is None or (mine is not None and mine.source not in (Source.OCR, Source.OCR2)):
            continue
        unread = mine is None or mine.value is None or (mine.page is None and fv.page is not None)
        if unread and final and fv.source == Source.ARITHMETIC:
            # placed by the balance identity, not read beside a label: where the first
            # engine read the final balance and placed nothing else by the same identity,
            # the figure is a guess (an open-item list's invoice and payment columns
            # summed into charges and payments it does not print)
            continue
        if unread or (name in weak and fv.confidence > mine.confidence):
            out[name] = fv
        if unread or fv.value != mine.value:
            continue
        if min(fv.confidence, mine.confidence) >= fields.AGREEING:
            both = fields.agreeing(fv.confidence, mine.confidence)
            out[name] = replace(out[name], confidence=max(both, out[name].confidence))
    return out


def find_codes(data: bytes, *, limits: Limits = Limits(), workers: int | None = None) -> list[Code]:
    """Every QR code and barcode in a file, found the way ingest finds them (no OCR)."""
    # Whole pages: this is also the deeper search before a document waits for review.
    jobs = page_images(data, sniff(data), limits)
    results = parallel(page_codes, jobs, workers or limits.page_workers)
    return [c for cs in results for c in cs]


def parallel(fn, jobs: Iterator[tuple], workers: int | None) -> list:
    """fn(*job) for every job, `workers` at a time, results in order. Beside the pages being
    read, at most one waits rendered (rendering is quick beside reading), so a 200-page
    scan is not rendered all at once."""
    workers = workers or os.cpu_count() or 1
    results = []
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        pending: list[Future] = []
        for job in jobs:
            pending.append(pool.submit(fn, *job))
            if len(pending) > workers:  # bounded: a long PDF is not rendered all at once
                results.append(pending.pop(0).result())
        results.extend(f.result() for f in pending)
    except BaseException:
        # Stopped (the worker is shutting down) or failed: the pages not started are dropped
        # and the caller hears of it now, not after the pages being read are done.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def page_images(data: bytes, kind: str, limits: Limits = Limits()) -> Iterator[PageJob]:
    """(image, page number, dpi, text-layer Page or None) for each page, in order."""
    return _reader(kind).pages(data, limits)


def code_jobs(data: bytes, kind: str, limits: Limits = Limits()) -> Iterator[PageJob]:
    """page_images for reading words and codes: the image is None where the page is read
    from its text layer and nothing on it could be a code."""
    reader = _reader(kind)
    return (reader.code_pages or reader.pages)(data, limits)


def _reader(kind: str) -> Reader:
    reader = READERS.get(kind)
    if reader is None:
        raise ExtractError(f"no reader for files of type {kind!r}")
    return reader


def _pdf_pages(data: bytes, limits: Limits, for_codes: bool = False) -> Iterator[PageJob]:
    count = pdf.page_count(data)
    if count == 0:
        raise ExtractError("the PDF has no pages")
    if count > limits.max_pages:
        raise ExtractError(f"the PDF has {count} pages; the limit is {limits.max_pages}")
    text = pdf.text_pages(data)
    # Digital pages are rendered only to search for codes; ingest renders only where one
    # could be drawn (the image then is that part of the page, see pdf.render).
    areas = pdf.code_areas(data) if for_codes else [None] * count
    for n in range(1, count + 1):
        digital = text[n - 1] is not None
        if for_codes and digital and areas[n - 1] is None:
            yield None, n, CODES_DPI, text[n - 1]
            continue
        dpi = CODES_DPI if digital else OCR_DPI
        area = areas if digital else None
        for _, image, used in pdf.render(data, dpi, [n], limits.max_pixels, area):
            yield image, n, used, text[n - 1]


def _image_pages(data: bytes, limits: Limits) -> Iterator[PageJob]:
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # PIL refuses it before we see its size
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f" ({int(found.group(1)) / 1e6:,.0f} megapixels)" if found else ""
        raise ExtractError(
            f"the image is too large{size}; the limit is {limits.max_pixels / 1e6:.0f} megapixels"
        ) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ExtractError(f"the image cannot be read ({exc})") from exc
    n_frames = getattr(img, "n_frames", 1)
    if n_frames > limits.max_pages:
        raise ExtractError(f"the image has {n_frames} pages; the limit is {limits.max_pages}")
    for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
        w, h = frame.size
        if w * h > limits.max_pixels:
            raise ExtractError(
                f"page {n} is {w}×{h} pixels ({w * h / 1e6:.0f} megapixels); "
                f"the limit is {limits.max_pixels / 1e6:.0f} megapixels"
            )
        try:
            gray = frame.convert("L")
        except (OSError, ValueError, SyntaxError) as exc:
            raise ExtractError(f"page {n} of the image is damaged ({exc})") from exc
        gray, dpi = imageprep.square_pixels(gray, *_dpi_of(frame))
        yield gray, n, dpi, None


register(Reader("pdf", (b"%PDF-",), _pdf_pages, partial(_pdf_pages, for_codes=True)))
register(Reader("png", (b"\x89PNG\r\n\x1a\n",), _image_pages))
register(Reader("jpeg", (b"\xff\xd8\xff",), _image_pages))
register(Reader("tiff", (b"II*\x00", b"MM\x00*"), _image_pages))  # frames are pages


def _dpi_of(img: Image.Image) -> tuple[int, int]:
    """The scan resolution across and down: from the file, else guessed from an A4 page
    width. They differ in a fax received at standard resolution (204 x 98)."""
    dpi = img.info.get("dpi")
    if dpi and all(50 <= float(d) <= 1200 for d in dpi[:2]):
        return round(float(dpi[0])), round(float(dpi[1]))
    short_side = min(img.size)
    guess = max(72, min(600, round(short_side / 8.27)))
    return guess, guess


def page_codes(
    image: Image.Image | None, number: int, dpi: int, text: Page | None, quick: bool = False
) -> list[Code]:
    if image is None:  # a page of text: nothing drawn on it could be a code
        return []
    if quick:  # 300 dpi pages at 150 dpi: our 2.5 cm QR still reads, at a third of the cost
        # (noisy 200 dpi scans are read as they are: at 150 dpi their QR is sometimes lost)
        factor = dpi / QUICK_CODES_DPI if dpi >= 1.5 * QUICK_CODES_DPI else 1.0
        small = image.resize(
            (round(image.width / factor), round(image.height / factor)), Image.Resampling.BOX
        )
        found = [
            Code(c.type, c.data, c.page, tuple(v * factor for v in c.box))
            for c in codes_mod.read_codes(small, number, codes_mod.QUICK_ORDER, thorough=False)
        ]
    else:
        found = codes_mod.read_codes(image, number)
    ox, oy = image.info.get("page_origin", (0, 0))  # a part of the page (pdf.render)
    if ox or oy:
        found = [Code(c.type, c.data, c.page, _shifted(c.box, ox, oy)) for c in found]
    if text is None:
        return found
    scale = 72 / dpi  # boxes of digital pages are in PDF points, like their words
    return [Code(c.type, c.data, c.page, tuple(v * scale for v in c.box)) for c in found]


def _shifted(box: tuple, dx: float, dy: float) -> tuple:
    x0, y0, x1, y1 = box
    return (x0 + dx, y0 + dy, x1 + dx, y1 + dy)


def _read_page(
    image: Image.Image | None,
    number: int,
    dpi: int,
    text: Page | None,
    *,
    lang: str,
    timeout: float,
) -> tuple[Page, list[Code]]:
    page = text
    if page is None:  # a scanned page
        page = ocr.ocr_page(image, number, dpi, lang=lang, timeout=timeout)
    return page, page_codes(image, number, dpi, text, quick=True)
