"""Sanity checks of the statement test corpus generator (tests/corpus.py)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
import unicodedata
from decimal import Decimal

import pytest

from extract import qrpayload
from tests import corpus

_PLAIN_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")


def _page_images(sample: corpus.Sample, dpi: int = 200) -> list:
    """PIL images of every page of a corpus file (digital PDFs rasterized)."""
    from PIL import Image, ImageSequence

    data = sample.path.read_bytes()
    if sample.fmt == "pdf":
        return corpus.rasterize(data, dpi)
    img = Image.open(io.BytesIO(data))
    return [frame.copy() for frame in ImageSequence.Iterator(img)]


def _pdf_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _our_codes(images) -> list[qrpayload.StatementCode]:
    import zxingcpp

    found = []
    for img in images:
        for result in zxingcpp.read_barcodes(img.convert("L")):
            code = qrpayload.parse(result.text)
            if code is not None:
                found.append(code)
    return found


@pytest.fixture(scope="module")
def small():
    return corpus.build_corpus(size="small")


# ----------------------------------------------------------------------------- truths


def test_truth_arithmetic_and_expected_strings():
    rng = random.Random(7)
    for _ in range(500):
        t = corpus.make_truth(rng)
        assert t.opening_balance + t.charges - t.payments == t.closing_balance
        assert t.amount_due in (t.closing_balance, Decimal("0.00"))
        assert t.amount_due >= 0 or t.amount_due == t.closing_balance
        assert t.statement_date > datetime.date(t.year, t.month, 1)
        assert t.due_date > t.statement_date
        exp = t.expected()
        assert set(exp) == {
            "customer_code", "customer_name", "period", "statement_no", "statement_date",
            "opening_balance", "charges", "payments", "closing_balance", "amount_due",
            "currency",
        }  # fmt: skip
        for key in ("opening_balance", "charges", "payments", "closing_balance", "amount_due"):
            assert _PLAIN_AMOUNT.match(exp[key]), exp[key]
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", exp["period"])
        assert exp["statement_date"] == t.statement_date.isoformat()
        assert "|" not in t.statement_no and "=" not in t.statement_no
        assert corpus.Truth.from_json(json.loads(json.dumps(t.to_json()))) == t


def test_truths_cover_the_tricky_cases():
    rng = random.Random(11)
    truths = [corpus.make_truth(rng) for _ in range(400)]
    assert any(t.closing_balance < 0 for t in truths)
    assert any(t.closing_balance < 0 and t.amount_due == 0 for t in truths)
    assert any(t.period_start is not None for t in truths)
    assert any(t.customer_name.isascii() for t in truths)
    assert any(t.currency != "CNY" for t in truths)
    assert max(t.charges for t in truths) > Decimal(1_000_000)
    forced = corpus.make_truth(rng, customer="C0042", period="2026-10", negative=True)
    assert (forced.customer_code, forced.period) == ("C0042", "2026-10")
    assert forced.closing_balance < 0


def test_customers_csv(tmp_path):
    path = corpus.customers_csv(tmp_path / "customers.csv")
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(corpus.CUSTOMERS) >= 25
    assert len({r["code"] for r in rows}) == len(rows)
    northwind = next(r for r in rows if r["name"] == "Northwind Trading Ltd.")
    assert "Northwind" in northwind["aliases"].split(";")


def test_print_formats():
    d = Decimal("-1234.5")
    assert corpus.fmt_amount(d, "CNY", "symbol", "minus") == "-¥1,234.50"
    assert corpus.fmt_amount(d, "CNY", "code", "paren") == "CNY (1,234.50)"
    assert corpus.fmt_amount(Decimal("1234567.8"), "CNY", "yuan", "minus") == "1,234,567.80元"
    t = corpus.make_truth(random.Random(1), period="2026-10", exact_dates=True)
    assert corpus.fmt_period(t, "cn_month") == "2026年10月"
    assert corpus.fmt_period(t, "dot_month") == "2026.10"
    assert corpus.fmt_period(t, "en_abbr") == "Oct 2026"
    assert corpus.fmt_period(t, "range_iso_zh") == "2026-10-01 至 2026-10-31"
    assert corpus.fmt_date(datetime.date(2026, 11, 3), "cn") == "2026年11月3日"


# ----------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("layout", corpus.LAYOUTS)
def test_digital_pdf_has_text_layer_with_the_truth(layout):
    rng = random.Random(3)
    truth = corpus.make_truth(rng, customer="C0001" if layout != "en" else "C0042")
    data = corpus.render_pdf(truth, layout, qr=True)
    assert data == corpus.render_pdf(truth, layout, qr=True)  # reproducible
    text = unicodedata.normalize("NFKC", _pdf_text(data))
    assert truth.customer_name in text
    assert truth.statement_no in text
    assert truth.customer_code in text
    assert f"{abs(truth.closing_balance):,.2f}" in text


def test_two_page_pdf_continues_transactions():
    truth = corpus.make_truth(random.Random(5), negative=False)
    data = corpus.render_pdf(truth, "zh", qr=False, pages=2)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        assert "续" in pdf.pages[1].extract_text()


# ----------------------------------------------------------------------------- corpus


def test_small_corpus_composition(small):
    assert 15 <= len(small) <= 20
    assert {s.variant for s in small} == set(corpus.VARIANTS)
    assert {s.layout for s in small} == set(corpus.LAYOUTS)
    assert {s.has_qr for s in small} == {True, False}
    assert any(s.pages == 2 and s.variant == "tiff" for s in small)
    assert {s.rotation for s in small if s.variant == "rotated"} <= {90, 180, 270}
    assert any(s.truth.closing_balance < 0 for s in small)
    assert any(s.truth.period_start for s in small)
    for s in small:
        assert s.path.is_file()
        assert re.fullmatch(r"[a-z0-9-]+\.(pdf|png|jpg|tif)", s.path.name)
        t = s.truth
        assert t.opening_balance + t.charges - t.payments == t.closing_balance


def test_scanned_files_have_no_text_layer_and_the_right_shape(small):
    from PIL import Image

    for s in small:
        data = s.path.read_bytes()
        if s.fmt == "pdf":
            text = _pdf_text(data).strip()
            if s.variant == "digital":
                assert s.truth.statement_no in unicodedata.normalize("NFKC", text)
            else:
                assert text == "", s.name
        else:
            img = Image.open(io.BytesIO(data))
            assert getattr(img, "n_frames", 1) == s.pages
            landscape = img.width > img.height
            assert landscape == (s.rotation in (90, 270)), s.name
            assert round(img.info["dpi"][0]) == s.dpi


def test_qr_codes_decode_to_the_truth(small):
    for s in small:
        codes = _our_codes(_page_images(s))
        if not s.has_qr:
            assert codes == [], s.name
            continue
        assert codes, f"no QR decoded in {s.name}"
        code = codes[0]
        t = s.truth
        assert code.customer == t.customer_code
        assert code.period == t.period
        assert code.amount == t.amount_due
        assert code.currency == t.currency
        assert code.number == t.statement_no
        signed = qrpayload.build(code, key=corpus.SECRET_KEY.encode())
        assert signed == corpus.qr_payload(t)


def test_cache_is_reused(small):
    directory = small[0].path.parent
    assert directory.parent == corpus.CACHE_DIR
    assert directory.name == f"corpus-{corpus.corpus_hash('small')}"
    mtimes = {s.path: s.path.stat().st_mtime_ns for s in small}
    corpus._MEMO.clear()  # force a load from disk, not from memory
    again = corpus.build_corpus(size="small")
    assert [s.path for s in again] == [s.path for s in small]
    assert [s.truth for s in again] == [s.truth for s in small]
    assert {s.path: s.path.stat().st_mtime_ns for s in again} == mtimes


def test_out_dir_build_and_reuse(tmp_path, monkeypatch):
    seed, plan = corpus._plan("small")
    monkeypatch.setattr(corpus, "_plan", lambda size: (seed, plan[:2]))
    out = tmp_path / "c"
    first = corpus.build_corpus(out)
    assert [s.path.parent for s in first] == [out, out]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["hash"] == corpus.corpus_hash("small")
    assert manifest["samples"][0]["truth"]["customer_code"] == first[0].truth.customer_code
    mtime = first[0].path.stat().st_mtime_ns
    corpus._MEMO.clear()
    assert corpus.build_corpus(out) == first
    assert first[0].path.stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name != "c"]  # no temp dirs left behind
