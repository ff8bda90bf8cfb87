"""Scan batches: where they split (pure), and whole batches through the real `stmt` command."""

from __future__ import annotations

import io
import random

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extract.batches import PageInfo, plan
from extract.coversheet import cover_pdf
from extract.notes import LANGUAGES, render
from extract.qrpayload import StatementCode, build
from extract.types import Code
from tests.corpus import SECRET_KEY
from tests.helpers import json_lines, stmt

KEY = SECRET_KEY.encode()  # the installation key `stmt` runs with in these tests

BOX = (0.0, 0.0, 1.0, 1.0)


def _qr(customer: str, period: str = "2026-10", kind: str | None = None, number=None) -> Code:
    sc = StatementCode(customer, period, currency="" if kind else "CNY", kind=kind, number=number)
    return Code("QRCODE", build(sc), 1, BOX)


def test_cover_sheets_separate_and_are_left_out():
    pages = [
        PageInfo(1, [_qr("C0001", kind="cover")]),
        PageInfo(2),
        PageInfo(3),
        PageInfo(4, [_qr("C0002", kind="cover")]),
        PageInfo(5, [_qr("C0009", number="X")]),  # a statement QR after a cover: same part
    ]
    p = plan(pages)
    assert [part.pages for part in p.parts] == [(2, 3), (5,)]
    assert [part.cover.customer for part in p.parts] == ["C0001", "C0002"]
    assert p.separators == [1, 4] and p.is_batch


def test_patch_t_separates_without_a_cover():
    p = plan([PageInfo(1), PageInfo(2, [Code("CODE128", "PATCHT", 2, BOX)]), PageInfo(3)])
    assert [(part.pages, part.cover) for part in p.parts] == [((1,), None), ((3,), None)]


def test_statement_codes_and_headers_start_statements():
    pages = [
        PageInfo(1, [_qr("C0001", number="A")]),
        PageInfo(2, statement_no="A"),  # continuation page
        PageInfo(3, [_qr("C0002", number="B")]),
        PageInfo(4),
        PageInfo(5, customer="C0003", statement_no="C"),  # header names another statement
        PageInfo(6, statement_no="C"),
    ]
    assert [part.pages for part in plan(pages).parts] == [(1, 2), (3, 4), (5, 6)]


def test_one_statement_is_not_a_batch():
    pages = [PageInfo(1, customer="C0001", statement_no="A"), PageInfo(2, statement_no="A")]
    p = plan(pages)
    assert not p.is_batch and [part.pages for part in p.parts] == [(1, 2)]
    # An unreadable header never splits; a bad checksum is not our code.
    bad = Code("QRCODE", build(StatementCode("C0002", "2026-10"))[:-1] + "0", 2, BOX)
    assert not plan([PageInfo(1, customer="C0001"), PageInfo(2, [bad])]).is_batch


def test_only_separators_gives_no_parts():
    p = plan([PageInfo(1, [_qr("C0001", kind="cover")])])
    assert p.parts == [] and p.is_batch


def _join_pdfs(blobs: list[bytes]) -> bytes:
    out = pdfium.PdfDocument.new()
    for blob in blobs:
        out.import_pages(pdfium.PdfDocument(blob))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def _scanned(img: Image.Image, angle: float, seed: int) -> Image.Image:
    img = img.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) * 0.93
    a += np.random.default_rng(seed).normal(0, 12, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


@pytest.mark.slow
def test_five_statements_with_separator_sheets_become_five_documents(fresh_stack, customers_csv):
    tmp_path = fresh_stack.root
    from tests.corpus import make_truth, render_pdf

    rng = random.Random(55)
    truths = [make_truth(rng) for _ in range(5)]
    blobs = []
    for t in truths:
        blobs += [
            cover_pdf(t.customer_code, t.customer_name, t.period, key=KEY),
            render_pdf(t, "en", qr=False),
        ]
    path = tmp_path / "batch.pdf"
    path.write_bytes(_join_pdfs(blobs))
    env = fresh_stack.env
    stmt("customers", "import", str(customers_csv), env=env)
    if fresh_stack.production:
        fresh_stack.start_worker(concurrency=2)
        fresh_stack.start_worker(concurrency=1)
        fresh_stack.wait_for_workers(2)
    lines = json_lines(stmt("ingest", str(path), "--wait", "--json", env=env).stdout)
    assert [(o["file"], o["part"]) for o in lines] == [("batch.pdf", n) for n in range(1, 6)]
    for o, t in zip(lines, truths, strict=True):
        assert o["fields"]["customer_code"]["value"] == t.customer_code
        assert o["fields"]["period"]["value"] == t.period
        assert o["fields"]["customer_code"]["confidence"] == 1.0
    shown = json_lines(stmt("show", str(lines[0]["id"]), "--json", env=env).stdout)[0]
    assert len(shown["pages"]) == 1  # the cover sheet is not a page of the part
    assert set(fresh_stack.finished_once().values()) == {1}  # the batch and each part, once


@pytest.mark.slow
def test_cover_sheet_round_trip_through_a_noisy_scan(tmp_path, customers_csv):
    """Cover sheet at 200 dpi with noise and a slight turn, before a codeless statement scan."""
    from tests.corpus import make_truth, rasterize, render_scan

    truth = make_truth(random.Random(7), customer="C0042", period="2026-10")
    sheet = cover_pdf("C0042", truth.customer_name, "2026-10", key=KEY)  # as `stmt qr cover`
    cover = _scanned(rasterize(sheet, 200)[0], 1.5, 1)
    scan = Image.open(io.BytesIO(render_scan(truth, "en", qr=False, dpi=200, noise=6, fmt="png")))
    path = tmp_path / "scanned batch.pdf"
    cover.save(path, "PDF", resolution=200.0, save_all=True, append_images=[scan.convert("L")])
    env = {"STMT_DATA_DIR": str(tmp_path / "data")}
    stmt("customers", "import", str(customers_csv), env=env)
    [line] = json_lines(stmt("ingest", str(path), "--wait", "--json", env=env).stdout)
    assert line["part"] == 1 and line["file"] == "scanned batch.pdf"
    for name, value in (("customer_code", "C0042"), ("period", "2026-10")):
        # Exact and certain; the printed value the cover confirms keeps its place on the page.
        assert line["fields"][name]["value"] == value
        assert line["fields"][name]["confidence"] == 1.0


def test_a_damaged_tiff_page_fails_the_batch_clearly(data_dir):
    from archive.models import Document
    from services import intake, processing

    pages = [Image.new("L", (800, 1100), 255) for _ in range(3)]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    data = bytearray(buf.getvalue())
    data[len(data) // 2 : len(data) // 2 + 200] = b"\xff" * 200  # page 2's strip is garbage
    sub = intake.submit(bytes(data), "batch.tif", source="cli")
    status = processing.process(sub.id)
    from archive import db

    with db.session() as s:
        doc = s.get(Document, sub.id)
        assert status in ("failed", "needs_review", "split"), doc.error
        if status == "failed":
            assert "page" in doc.error or "image" in doc.error


def test_cutting_keeps_the_pages_asked_for():
    from services.batches import cut_pdf, cut_tiff

    pdf = _join_pdfs([cover_pdf("C0001", None, "2026-01", count=4)])
    assert len(pdfium.PdfDocument(cut_pdf(pdf, [2, 4]))) == 2
    frames = [Image.new("1", (100, 140), v) for v in (0, 1, 0)]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="group4")
    cut = Image.open(io.BytesIO(cut_tiff(buf.getvalue(), [2, 3])))
    assert cut.n_frames == 2


@pytest.mark.slow
def test_a_different_file_of_the_same_statement_is_a_possible_duplicate(data_dir, customers_csv):
    from archive import db
    from archive.customers import import_rows, parse_csv
    from archive.models import AuditEvent, Document
    from services import intake, processing
    from tests.corpus import make_truth, render_pdf

    with db.session() as s:
        import_rows(s, parse_csv(customers_csv.read_text(encoding="utf-8")))
    truth = make_truth(random.Random(3))
    first = intake.submit(render_pdf(truth, "zh", qr=True), "email.pdf", source="mail")
    second = intake.submit(render_pdf(truth, "en", qr=True), "scan.pdf", source="folder")
    again = intake.submit(render_pdf(truth, "zh", qr=True), "same.pdf", source="folder")
    assert again.id == first.id and not again.created  # the same bytes: one document
    processing.process(first.id)
    processing.process(second.id)
    with db.session() as s:
        doc = s.get(Document, second.id)
        said = [render(n, lang) for n in doc.notes for lang in LANGUAGES]
        assert f"possible duplicate of document {first.id}" in said[0]
        assert f"可能与文档 {first.id}" in said[1]
        assert doc.status == "needs_review"
        assert s.query(AuditEvent).filter_by(action="possible_duplicate").count() == 1
