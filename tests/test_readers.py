"""File types are read through one registry of readers (extract/pipeline.py READERS)."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from extract import pipeline
from extract.types import ExtractError
from services import batches


def _image(fmt: str, frames: int = 1) -> bytes:
    pages = [Image.new("L", (200, 280), 255) for _ in range(frames)]
    buf = io.BytesIO()
    pages[0].save(buf, fmt, save_all=frames > 1, append_images=pages[1:], dpi=(100, 100))
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "kind"), [("PNG", "png"), ("JPEG", "jpeg"), ("TIFF", "tiff")])
def test_each_image_type_is_told_by_its_bytes_and_read_by_its_reader(fmt, kind):
    data = _image(fmt)
    assert pipeline.kind_of(data) == kind
    assert batches.sniff(data) == kind
    ((image, number, dpi, text),) = list(pipeline.page_images(data, kind))
    assert (image.size, number, dpi, text) == ((200, 280), 1, 100, None)


def test_tiff_frames_are_pages_and_containers_are_not_page_readers():
    assert [n for _, n, _, _ in pipeline.page_images(_image("TIFF", 3), "tiff")] == [1, 2, 3]
    assert set(pipeline.READERS) == {"pdf", "png", "jpeg", "tiff"}
    assert set(batches.CONTAINERS) == {"eml", "zip"}
    assert batches.sniff(b"PK\x03\x04rest") == "zip"
    with pytest.raises(ExtractError, match="no reader for files of type 'zip'"):
        list(pipeline.page_images(b"PK\x03\x04", "zip"))


def test_the_page_queue_is_bounded():
    """parallel() keeps one page waiting beside those its workers read."""
    made = []
    done = []

    def jobs():
        for n in range(1, 21):
            made.append(n)
            assert len(made) - len(done) <= 2 + 2  # rendered (one being made) but not yet read
            yield (n,)

    def read(n: int) -> int:
        time.sleep(0.02)  # unbounded, every page would be rendered before the first is read
        done.append(n)
        return n * 10

    assert pipeline.parallel(read, jobs(), 2) == [n * 10 for n in range(1, 21)]


def test_pdf_pages_without_a_text_layer_are_told_before_any_parsing():
    """pdfium's character count tells a scanned page; pdfminer parses only text pages."""
    import random

    import pypdfium2 as pdfium

    from extract import pdf
    from tests.corpus import make_truth, render_pdf, render_scan

    truth = make_truth(random.Random(3))
    mixed = pdfium.PdfDocument.new()
    for data in (render_pdf(truth, "en", qr=False), render_scan(truth, "en", qr=False, dpi=100,
                                                                fmt="pdf")):  # fmt: skip
        mixed.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    mixed.save(buf)
    counts = pdf.char_counts(buf.getvalue())
    assert counts[0] >= pdf.MIN_TEXT_CHARS and counts[1] == 0
    digital, scanned = pdf.text_pages(buf.getvalue())
    assert digital is not None and truth.statement_no in digital.text
    assert scanned is None
