"""Page images for the browser, rendered on demand from the original and cached as PNG.

Boxes of fields and words are in each Page row's own coordinates (PDF points for text-layer
pages, pixels at Page.dpi for scans). The image is drawn at the Page's aspect ratio, so the
templates place boxes as fractions of width and height and never need the image's pixel size.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import Image

from archive import documents
from archive.config import Settings
from archive.models import Document, Page
from extract import imageprep
from extract.pipeline import page_images, sniff

DPI = 120  # sharp enough to read a statement on screen, small enough to load fast
THUMB_WIDTH = 160  # pixels: a page thumbnail beside the pages and in search results


def cache_path(settings: Settings, sha: str, number: int, dpi: int = DPI) -> Path:
    return settings.pages_dir / sha[:2] / f"{sha}-{number}-{dpi}.png"


def page_png(settings: Settings, doc: Document, number: int, dpi: int = DPI) -> Path | None:
    """The cached PNG of page `number` (1-based), rendering the original when it is missing."""
    path = cache_path(settings, doc.sha256, number, dpi)
    if path.exists():
        return path

    data = documents.original(settings, doc)
    rows = {p.number: p for p in doc.pages}
    for image, n, src_dpi, _text in page_images(data, doc.kind or sniff(data)):
        # Every page passed on the way is cached too: a PDF is rendered in order anyway.
        target = cache_path(settings, doc.sha256, n, dpi)
        if not target.exists():
            _save(_fit(image, rows.get(n), src_dpi, dpi), target)
        if n == number:
            return target
    return None


def thumb_png(settings: Settings, doc: Document, number: int) -> Path | None:
    """A small PNG of page `number`, cached, made from the page image (which is cached too),
    so a thumbnail never renders the original a second time."""
    path = settings.pages_dir / doc.sha256[:2] / f"{doc.sha256}-{number}-thumb{THUMB_WIDTH}.png"
    if path.exists():
        return path
    page = page_png(settings, doc, number)
    if page is None:
        return None
    with Image.open(page) as image:
        image.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4), Image.Resampling.LANCZOS)
        _save(image, path)
    return path


def _fit(image: Image.Image, page: Page | None, src_dpi: int, dpi: int) -> Image.Image:
    """The image turned and scaled to the page the boxes were measured on, at `dpi`."""
    if page is None:
        scale = dpi / src_dpi
        return image.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        )
    if page.source != "text":  # a photo: the page OCR read is cut out of it
        image = imageprep.page_of(image)
    if page.rotation % 180 and _transposed(image, page):
        # OCR read the scan turned by `rotation` degrees (clockwise); its boxes are on that view.
        image = image.rotate(-page.rotation, expand=True)
    elif page.rotation % 360 == 180:
        image = image.rotate(180)
    size = (round(page.width * dpi / page.dpi), round(page.height * dpi / page.dpi))
    return image.resize((max(1, size[0]), max(1, size[1])), Image.Resampling.LANCZOS)


def _transposed(image: Image.Image, page: Page) -> bool:
    return (image.width > image.height) != (page.width > page.height)


def _save(image: Image.Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".render-", suffix=".png")
    os.close(fd)
    try:
        image.save(tmp, format="PNG", optimize=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def box_percent(box: list[float] | None, page: Page) -> list[float] | None:
    """A box as [left, top, width, height] in percent of the page, for CSS placement."""
    if not box or len(box) != 4 or not page.width or not page.height:
        return None
    left, top, right, bottom = box
    return [
        round(100 * left / page.width, 3),
        round(100 * top / page.height, 3),
        round(100 * (right - left) / page.width, 3),
        round(100 * (bottom - top) / page.height, 3),
    ]
