"""PDF pages: the text layer with word boxes and page images (pypdfium2).

The words are pdfplumber's `extract_words` (x_tolerance 1.5), made from pdfium's characters:
pdfium reads a page's text an order of magnitude faster than pdfminer, which pdfplumber
parses with. Pages pdfium's characters do not describe the way pdfminer's do (a page turned
by /Rotate, a crop box away from the origin, turned or mirrored text) are read by
pdfplumber itself, so the words and boxes stay what they were.
"""

from __future__ import annotations

import ctypes
import io
import math
import re
from collections.abc import Iterator

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extract.types import ExtractError, Page, Word

# A page whose text layer has fewer characters than this is treated as a scan.
MIN_TEXT_CHARS = 20
# Below this resolution nothing on a page can be read; a page that needs less to fit the
# pixel limit is refused rather than rendered uselessly.
MIN_RENDER_DPI = 36
# A code drawn with vector shapes is many small filled shapes (QR modules ~2 pt, barcode bars
# a few pt wide) or one filled shape of many pieces; the tables and rules of statements are
# stroked lines and a few large fills (at most 9 small filled shapes on a corpus layout).
CODE_SHAPE_PT = 6.0  # a "small" shape: at most this on its short side ...
CODE_SHAPE_LONG_PT = 72.0  # ... and this on its long side (a barcode bar is tall and thin)
CODE_SHAPES = 12  # this many small filled shapes on a page may be a code
CODE_SEGMENTS = 40  # one filled shape of this many pieces may be a code


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
            counts.append(_char_count(page))
            page.close()
        return counts
    finally:
        pdf.close()


def _char_count(page: pdfium.PdfPage) -> int:
    text = page.get_textpage()
    try:
        return text.count_chars()
    finally:
        text.close()


def render(
    data: bytes,
    dpi: int,
    numbers: list[int] | None = None,
    max_pixels: int | None = None,
    areas: list[Area | None] | None = None,
) -> Iterator[tuple[int, Image.Image, int]]:
    """(page number, grayscale image, dpi) for each page (1-based numbers), rendered at `dpi`,
    or lower where the page would exceed `max_pixels` (a PDF page can be 200 inches wide).

    `areas` (per page, as code_areas gives them): only that part of the page is rendered; the
    image's info["page_origin"] is where its top left corner stands on the page, in pixels.
    A whole page whose scan has less detail than the rendering says so in info["scan_dpi"]
    (a fax of 204 x 98 dpi rendered at 300: 98), as imageprep.square_pixels does."""
    pdf = open_pdf(data)
    try:
        for n in numbers or range(1, len(pdf) + 1):
            page = pdf[n - 1]
            try:
                used = fit_dpi(n, *page.get_size(), dpi, max_pixels)
                area = areas[n - 1] if areas else None
                crop = _crop(page, area) if area else (0, 0, 0, 0)
                bitmap = page.render(scale=used / 72, grayscale=True, crop=crop)
                # The image shares the bitmap's pixels (a 300 dpi page is 8.7 MB): no copy
                image = bitmap.to_pil()
                if image.mode != "L":
                    image = image.convert("L")
                if area:
                    image.info["page_origin"] = (crop[0] * used / 72, crop[3] * used / 72)
                elif (scanned := _scan_dpi(page)) and scanned < used:
                    image.info["scan_dpi"] = scanned
                yield n, image, used
            finally:
                page.close()
    finally:
        pdf.close()


def _scan_dpi(page: pdfium.PdfPage) -> int | None:
    """The resolution a scanned page was scanned at: the coarser of the dots per inch across
    and down of the image that covers most of the page (None without one)."""
    width, height = page.get_size()
    found = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) < 0.5 * width * height:
            continue
        meta = obj.get_metadata()
        dpi = min(meta.horizontal_dpi, meta.vertical_dpi)
        if dpi > 0:
            found = max(found or 0, round(dpi))
    return found


# A part of a page in points, as word boxes are: (left, top, right, bottom) from the top left.
Area = tuple[float, float, float, float]
QUIET_ZONE_PT = 12.0  # kept around a code's area: readers need the white margin of a code


# Fonts whose glyphs are bars or modules (ERP systems print barcodes as text in them).
BARCODE_FONT = re.compile(
    r"barcode|code.?(39|93|128)|3.?of.?9|i.?2.?of.?5|ean.?(8|13)|upc|codabar|qr.?code|datamatrix"
    r"|pdf.?417|aztec|idautomation",
    re.IGNORECASE,
)


def _barcode_font(obj) -> bool:
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    if not font:
        return False
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return False
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
    return bool(BARCODE_FONT.search(name.value.decode("latin-1")))


def _crop(page: pdfium.PdfPage, area: Area) -> tuple[float, float, float, float]:
    """pdfium's crop (points cut off the left, bottom, right and top) that leaves `area`."""
    width, height = page.get_size()
    left, top, right, bottom = area
    return (left, height - bottom, width - right, top)


def code_areas(data: bytes) -> list[Area | None]:
    """For each page: the part of it where a code could be drawn, or None where nothing
    could be one. A page holding a picture (a scan, a logo, a QR code placed as an image)
    or vector shapes of the kind codes are drawn with has an area around them; a page of
    text, rules and table lines has none, and rendering it only to search it would cost
    more than reading its text. Turned pages (/Rotate) have the whole page as their area."""
    pdf = open_pdf(data)
    try:
        out = []
        for page in pdf:
            try:
                out.append(_code_area(page))
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def _code_area(page: pdfium.PdfPage) -> Area | None:
    shapes: list[tuple[float, float, float, float]] = []  # small filled shapes
    found: list[tuple[float, float, float, float]] = []  # pictures, shapes of many pieces
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects():  # forms are descended into
        if obj.type in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
            found.append(obj.get_bounds())
            continue
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if _barcode_font(obj):
                found.append(obj.get_bounds())
            continue
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not fill.value:
            continue  # stroked lines: rules and table borders
        bounds = obj.get_bounds()
        if pdfium_c.FPDFPath_CountSegments(obj) >= CODE_SEGMENTS:
            found.append(bounds)
            continue
        left, bottom, right, top = bounds
        short, long = sorted((right - left, top - bottom))
        if short <= CODE_SHAPE_PT and long <= CODE_SHAPE_LONG_PT:
            shapes.append(bounds)
    if len(shapes) >= CODE_SHAPES:
        found += shapes
    if not found:
        return None
    width, height = page.get_size()
    if page.get_rotation():
        return (0.0, 0.0, width, height)
    x0, y0, _, _ = page.get_cropbox()  # object bounds are in the page's user space
    left = max(0.0, min(b[0] for b in found) - x0 - QUIET_ZONE_PT)
    bottom = max(0.0, min(b[1] for b in found) - y0 - QUIET_ZONE_PT)
    right = min(width, max(b[2] for b in found) - x0 + QUIET_ZONE_PT)
    top = min(height, max(b[3] for b in found) - y0 + QUIET_ZONE_PT)
    if right <= left or top <= bottom:
        return None  # drawn outside the visible page
    return (left, height - top, right, height - bottom)


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


def text_pages(data: bytes, *, plumber_only: bool = False) -> list[Page | None]:
    """The text layer of each page in points (dpi 72); None for pages that need OCR.

    pdfium counts each page's characters first: a scanned page (no text layer) is never
    parsed by pdfminer, which would read its whole image into memory and keep it, with every
    other page's, until the file is closed (about the size of the PDF for a scanned batch).

    `plumber_only`: pdfplumber reads every text page (what pdfium's reading is checked against)."""
    pdf = open_pdf(data)
    plumber = None
    try:
        out: list[Page | None] = []
        for number, page in enumerate(pdf, start=1):
            try:
                if _char_count(page) < MIN_TEXT_CHARS:  # fewer than a text page has in words
                    out.append(None)
                    continue
                read = None if plumber_only else _pdfium_words(page)
                if read is None:  # a page only pdfplumber describes as before
                    plumber = plumber or _plumber_pages(data)
                    read = _plumber_words(plumber[number - 1])
                    plumber[number - 1].close()  # its parsed objects are not needed again
                out.append(_text_page(number, *read))
            finally:
                page.close()
        return out
    except ExtractError:
        raise
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractError(
            f"the PDF text layer cannot be read ({type(exc).__name__}: {exc})"
        ) from exc
    finally:
        pdf.close()
        if plumber is not None:
            plumber[0].pdf.close()


def _text_page(number: int, width: float, height: float, words: list[dict]) -> Page | None:
    if sum(len(w["text"]) for w in words) < MIN_TEXT_CHARS:
        return None
    page = Page(number=number, width=width, height=height, dpi=72, source="text")
    page.words = _with_lines(words)
    return page


def _plumber_pages(data: bytes) -> list:
    # Imported here: pdfplumber and pdfminer take ~20 MiB in every process that imports
    # them, and most processes never meet a page that only pdfplumber describes (the
    # worker's parent and its quick code pass never do, a reader of scans neither).
    import pdfplumber

    return pdfplumber.open(io.BytesIO(data)).pages


def _plumber_words(p) -> tuple[float, float, list[dict]]:
    words = p.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    return float(p.width), float(p.height), words


# pdfplumber's word making, with the options above (its defaults otherwise).
X_TOLERANCE = 1.5  # a gap wider than this between two characters starts a new word
Y_TOLERANCE = 3.0  # characters whose tops are this close are on one line
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _pdfium_words(page: pdfium.PdfPage) -> tuple[float, float, list[dict]] | None:
    """(width, height, words) as pdfplumber's extract_words gives them, from pdfium's
    characters; None for a page whose characters pdfium places otherwise than pdfminer."""
    mediabox = page.get_mediabox()
    if page.get_rotation() or mediabox[:2] != (0, 0) or page.get_cropbox() != mediabox:
        return None
    right, top = _f32(mediabox[2]), _f32(mediabox[3])
    chars = _pdfium_chars(page, top)
    if chars is None:
        return None
    return _f32(right), _f32(top), _words(chars)


def _f32(value: float) -> float:
    """pdfium's single-precision number as the decimal it most likely stood for in the file
    (595.27, not 595.27001953125), as pdfminer reads it."""
    return float(str(np.float32(value)))


def _pdfium_chars(page: pdfium.PdfPage, height: float) -> list[dict] | None:
    """The page's characters boxed as pdfminer boxes them: from the origin across the advance
    width, and the font size high standing on the font's descent, which is pdfium's "loose"
    character box (its widths and descents are whole thousandths of the font size, pdfminer's
    may have decimals: boxes can differ by a fraction of a point)."""
    text = page.get_textpage()
    try:
        handle = text.raw
        box = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        sizes: dict[int | None, float] = {}  # per text object: its characters' font size
        chars = []
        for i in range(pdfium_c.FPDFText_CountChars(handle)):
            code = pdfium_c.FPDFText_GetUnicode(handle, i)
            if code in (0xFFFE, 0xFFFF) or not 0 < code < 0x110000:
                return None  # characters pdfium could not map (pdfminer's (cid:N) names)
            char = chr(code)
            if char.isspace() and pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
                continue  # spaces and line ends pdfium inferred; pdfminer has none
            obj = ctypes.cast(pdfium_c.FPDFText_GetTextObject(handle, i), ctypes.c_void_p).value
            size = sizes.get(obj)
            if size is None:
                pdfium_c.FPDFText_GetMatrix(handle, i, matrix)
                if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                    return None  # turned or mirrored text
                size = sizes[obj] = pdfium_c.FPDFText_GetFontSize(handle, i)
            pdfium_c.FPDFText_GetLooseCharBox(handle, i, box)
            # rounded off pdfium's single precision: 69.0, not 68.99999237060547
            chars.append(
                {
                    "text": char,
                    "x0": round(box.left, 4),
                    "x1": round(box.right, 4),
                    "top": round(height - box.bottom - size, 4),
                    "bottom": round(height - box.bottom, 4),
                }
            )
        return chars
    finally:
        text.close()


def _words(chars: list[dict]) -> list[dict]:
    """pdfplumber's extract_words on upright characters: lines clustered by top, each line's
    characters by x0, a word ending at a space, a gap wider than X_TOLERANCE, a step back,
    or a change of line."""
    tops = sorted({c["top"] for c in chars})
    cluster: dict[float, int] = {}
    n, last = 0, None
    for t in tops:
        if last is not None and t > last + Y_TOLERANCE:
            n += 1
        cluster[t] = n
        last = t
    lines: dict[int, list[dict]] = {}
    for c in sorted(chars, key=lambda c: cluster[c["top"]]):  # stable: stream order kept
        lines.setdefault(cluster[c["top"]], []).append(c)
    words: list[dict] = []
    for n in sorted(lines):
        word: list[dict] = []
        for c in sorted(lines[n], key=lambda c: c["x0"]):
            if c["text"].isspace():
                _close(word, words)
                word = []
                continue
            if word:
                prev = word[-1]
                if (
                    c["x0"] < prev["x0"]
                    or c["x0"] > prev["x1"] + X_TOLERANCE
                    or abs(c["top"] - prev["top"]) > Y_TOLERANCE
                ):
                    _close(word, words)
                    word = []
            word.append(c)
        _close(word, words)
    return words


def _close(word: list[dict], words: list[dict]) -> None:
    if word:
        words.append(
            {
                "text": "".join(LIGATURES.get(c["text"], c["text"]) for c in word),
                "x0": min(c["x0"] for c in word),
                "top": min(c["top"] for c in word),
                "x1": max(c["x1"] for c in word),
                "bottom": max(c["bottom"] for c in word),
            }
        )


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
