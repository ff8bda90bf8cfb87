"""PDF pages: the text layer with word boxes (pdfplumber) and page images (pypdfium2)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from extract.types import ExtractError, Page, Word

# A page whose text layer has fewer characters than this is treated as a scan.
MIN_TEXT_CHARS = 20
# Below this resolution nothing on a page can be read; a page that needs less to fit the
# pixel limit is refused rather than rendered uselessly.
MIN_RENDER_DPI = 36


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """The PDF for rendering; clear errors for encrypted, truncated or corrupt files."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ExtractError("the PDF is encrypted with a password and cannot be read") from exc
        raise ExtractError(f"the PDF is damaged or truncated and cannot be read ({exc})") from exc


def page_count(data: bytes) -> int:
    pdf = open_pdf(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def char_counts(data: bytes) -> list[int]:
    """How many characters each page's text layer holds (pdfium; no images are decoded)."""
    pdf = open_pdf(data)
    try:
        counts = []
        for page in pdf:
            text = page.get_textpage()
            counts.append(text.count_chars())
            text.close()
            page.close()
        return counts
    finally:
        pdf.close()


def render(
    data: bytes, dpi: int, numbers: list[int] | None = None, max_pixels: int | None = None
) -> Iterator[tuple[int, Image.Image, int]]:
    """(page number, grayscale image, dpi) for each page (1-based numbers), rendered at `dpi`,
    or lower where the page would exceed `max_pixels` (a PDF page can be 200 inches wide)."""
    pdf = open_pdf(data)
    try:
        for n in numbers or range(1, len(pdf) + 1):
            page = pdf[n - 1]
            try:
                used = fit_dpi(n, *page.get_size(), dpi, max_pixels)
                bitmap = page.render(scale=used / 72, grayscale=True)
                yield n, bitmap.to_pil().convert("L"), used
            finally:
                page.close()
    finally:
        pdf.close()


def fit_dpi(
    number: int, width_pt: float, height_pt: float, dpi: int, max_pixels: int | None
) -> int:
    """`dpi`, or the highest below it at which the page stays within `max_pixels`."""
    if not max_pixels:
        return dpi
    area = max(width_pt, 1.0) * max(height_pt, 1.0) / 72**2  # square inches
    fitted = min(dpi, math.floor(math.sqrt(max_pixels / area)))
    if fitted < MIN_RENDER_DPI:
        raise ExtractError(
            f"page {number} is {width_pt / 72 * 2.54:,.0f} × {height_pt / 72 * 2.54:,.0f} cm, "
            f"too large to read within {max_pixels / 1e6:.0f} megapixels"
        )
    return fitted


def text_pages(data: bytes) -> list[Page | None]:
    """The text layer of each page in points (dpi 72); None for pages that need OCR.

    pdfium counts each page's characters first: a scanned page (no text layer) is never
    parsed by pdfminer, which would read its whole image into memory and keep it, with every
    other page's, until the file is closed (about the size of the PDF for a scanned batch).
    """
    chars = char_counts(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            out = []
            for n, count in enumerate(chars):
                if count < MIN_TEXT_CHARS:  # fewer characters than a text page needs in words
                    out.append(None)
                    continue
                page = pdf.pages[n]
                out.append(_text_page(page))
                page.close()  # its parsed objects are not needed again
            return out
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractError(
            f"the PDF text layer cannot be read ({type(exc).__name__}: {exc})"
        ) from exc


def _text_page(p) -> Page | None:
    words = p.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    if sum(len(w["text"]) for w in words) < MIN_TEXT_CHARS:
        return None
    page = Page(
        number=p.page_number, width=float(p.width), height=float(p.height), dpi=72, source="text"
    )
    page.words = _with_lines(words)
    return page


def _with_lines(words: list[dict]) -> list[Word]:
    """Words grouped into lines by their vertical position (tolerance: 40% of the height)."""
    out: list[Word] = []
    line, last_top, last_h = -1, None, 0.0
    for w in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        h = w["bottom"] - w["top"]
        if last_top is None or abs(w["top"] - last_top) > 0.4 * max(h, last_h, 1.0):
            line += 1
            last_top, last_h = w["top"], h
        box = (float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
        out.append(Word(text=w["text"], box=box, confidence=1.0, line=line))
    return out
