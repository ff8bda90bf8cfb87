"""The PDF text layer read with pdfium gives the words pdfplumber gave, and digital pages are
rendered for the code search only where a code could be drawn (extract/pdf.py)."""

from __future__ import annotations

import io
import random
import subprocess
import sys

import pypdfium2 as pdfium
import pytest

from extract import fields, pdf, pipeline
from tests import corpus as C
from tests import layouts as L

# pdfium keeps a font's widths and descent in whole thousandths of its size where pdfminer
# keeps decimals: a box can stand a fraction of a point apart (at most 1.16 pt seen).
BOX_POINTS = 1.5


@pytest.fixture(scope="module")
def digital() -> list[tuple[str, bytes]]:
    """Every layout as a digital PDF, with and without our QR; the original ones on two pages."""
    rng = random.Random(20261202)
    docs = []
    for layout in C.LAYOUTS:
        for qr in (False, True):
            for pages in (1, 2):
                truth = C.make_truth(rng)
                docs.append(
                    (f"{layout}-{qr}-{pages}", C.render_pdf(truth, layout, qr=qr, pages=pages))
                )
    for name in L.NEW_LAYOUTS:
        for qr in (False, True):
            docs.append(
                (f"{name}-{qr}", L.render_layout(name, L.make_layout_truth(name, rng), qr=qr))
            )
    return docs


def _words(page):
    return [(w.text, w.line) for w in page.words]


def test_words_lines_and_boxes_are_pdfplumbers_on_every_layout(digital):
    for name, data in digital:
        ours = pdf.text_pages(data)
        before = pdf.text_pages(data, plumber_only=True)
        assert len(ours) == len(before) >= 1, name
        for new, old in zip(ours, before, strict=True):
            assert new is not None and old is not None, name
            assert (new.number, new.width, new.height, new.dpi, new.source) == (
                old.number,
                old.width,
                old.height,
                old.dpi,
                old.source,
            ), name
            assert _words(new) == _words(old), name
            for a, b in zip(new.words, old.words, strict=True):
                assert max(abs(x - y) for x, y in zip(a.box, b.box, strict=True)) <= BOX_POINTS, (
                    name,
                    a,
                    b,
                )


def test_fields_read_from_either_reading_are_the_same(digital):
    for name, data in digital:
        ours, ours_items = fields.parse_statement([p for p in pdf.text_pages(data) if p])
        old, old_items = fields.parse_statement(
            [p for p in pdf.text_pages(data, plumber_only=True) if p]
        )
        assert {k: (v.value, v.confidence, v.page) for k, v in ours.items()} == {
            k: (v.value, v.confidence, v.page) for k, v in old.items()
        }, name
        assert len(ours_items) == len(old_items), name


def _turned(data: bytes) -> bytes:
    doc = pdfium.PdfDocument(data)
    doc[0].set_rotation(90)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_turned_page_is_read_by_pdfplumber_as_before(digital):
    data = _turned(digital[0][1])
    (page,) = pdf.text_pages(data)
    (old,) = pdf.text_pages(data, plumber_only=True)
    assert [(w.text, w.box, w.line) for w in page.words] == [
        (w.text, w.box, w.line) for w in old.words
    ]
    assert (page.width, page.height) == (old.width, old.height)


def _vector_qr_page(payload: str) -> bytes:
    """A page of text with a QR code drawn as vector squares (no image in the PDF)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(C.PAGE_W, C.PAGE_H))
    for n in range(12):
        c.drawString(60, 780 - 16 * n, f"Statement of account, line {n} of the page text")
    widget = QrCodeWidget(payload)
    drawing = Drawing(120, 120)
    drawing.add(widget)
    renderPDF.draw(drawing, c, 400, 80)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_digital_pages_are_rendered_for_codes_only_where_a_code_may_be(digital):
    docs = dict(digital)
    plain, coded = docs["zh-False-2"], docs["zh-True-2"]
    assert pdf.code_areas(plain) == [None, None]
    area, none = pdf.code_areas(coded)  # our QR is on the first page
    assert none is None and area is not None
    assert (area[2] - area[0]) * (area[3] - area[1]) < 0.05 * C.PAGE_W * C.PAGE_H
    images = [image for image, *_ in pipeline.code_jobs(coded, "pdf")]
    assert images[0] is not None and images[1] is None
    # the page images shown to people are still whole pages, every one
    shown = [image for image, *_ in pipeline.page_images(coded, "pdf")]
    assert all(image is not None for image in shown)
    assert shown[0].width > 3 * images[0].width

    pages, found = pipeline.read_pages(coded, "pdf", workers=1)
    ours = [c for c in found if c.data.startswith("STMT1|")]
    assert [c.page for c in ours] == [1]
    # where the code stands on the page: as when the whole page is searched
    (whole,) = pipeline.page_codes(shown[0], 1, 200, pages[0])
    assert max(abs(a - b) for a, b in zip(ours[0].box, whole.box, strict=True)) < 2.0
    assert pipeline.read_pages(plain, "pdf", workers=1)[1] == []

    vector = _vector_qr_page("STMT1|vector-drawn")
    assert pdf.code_areas(vector)[0] is not None
    assert [c.data for c in pipeline.read_pages(vector, "pdf", workers=1)[1]] == [
        "STMT1|vector-drawn"
    ]
    # the deeper search before review looks at the same places
    assert [c.data for c in pipeline.find_codes(vector)] == ["STMT1|vector-drawn"]


# Layouts that print a picture (a finance seal, as scanned or electronic seals are): a code
# could stand in a picture, so its area is searched.
PICTURES = ("seal_over_totals_zh",)


def test_tables_and_rules_do_not_make_a_page_look_coded(digital):
    for name, data in digital:
        if "-False" in name and not name.startswith(PICTURES):
            assert pdf.code_areas(data) == [None] * len(pdf.code_areas(data)), name


def test_a_picture_has_only_its_own_area_searched(digital):
    for name, data in digital:
        if "-False" in name and name.startswith(PICTURES):
            (area,) = pdf.code_areas(data)
            assert area is not None, name
            assert (area[2] - area[0]) * (area[3] - area[1]) < 0.1 * C.PAGE_W * C.PAGE_H, name


def test_the_worker_imports_pdfplumber_only_for_a_page_that_needs_it():
    """pdfplumber and pdfminer weigh ~20 MiB in every process of a worker; the worker and
    its quick code pass start without them."""
    check = "import sys, ingest.worker, services.fastlane; print('pdfplumber' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
