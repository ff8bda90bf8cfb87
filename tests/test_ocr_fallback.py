"""The second OCR engine (RapidOCR) for pages Tesseract reads too poorly: when it runs, what it
adds, and that clean scans never pay for it. Real Tesseract and real RapidOCR models."""

from __future__ import annotations

import functools
import io
from dataclasses import replace
from decimal import Decimal as D

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from archive import config
from extract import rapid
from extract.customers import Customer
from extract.pipeline import extract_document, fill_gaps, unread_on_a_hard_page
from extract.types import FieldValue, Page, Source, Word

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CUSTOMERS = [Customer("C0042", "Northwind Trading Ltd.", ("Northwind",))]
LINES = [
    ("对账单 Statement of Account", 0),
    ("Customer No.: C0042", None),  # ink of the given grey (None: black)
    ("对账期间：2026-10-01 至 2026-10-31", 0),
    ("对账日期 Statement date: 2026-11-03", 0),
    ("期初余额 Opening balance: ¥12,000.00", 0),
    ("本期发生额 New charges: ¥76,509.61", 0),
    ("本期收款 Payments: ¥8,000.00", 0),
    ("期末余额 Closing balance: ¥80,509.61", 0),
    ("应付金额 Amount due: ¥80,509.61", 0),
]


@functools.cache
def statement(code_ink: int) -> bytes:
    """A 200 dpi PNG statement whose customer-number line is printed in `code_ink` grey.

    Faded or coloured ink that light is lost when the page is binarized for Tesseract
    (its Otsu threshold falls between black text and paper); RapidOCR reads the grey page.
    """
    dpi = 200
    img = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(img)
    size = round(12 * dpi / 72)
    font = ImageFont.truetype(FONT, size)
    y = dpi
    for text, ink in LINES:
        draw.text((round(0.8 * dpi), y), text, font=font, fill=code_ink if ink is None else ink)
        y += 2 * size
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


@pytest.fixture
def second_engine_calls(monkeypatch) -> list[int]:
    """Pages the pipeline handed to RapidOCR (the real engine still reads them)."""
    calls: list[int] = []
    real = rapid.read_page

    def counted(image, page):
        calls.append(page.number)
        return real(image, page)

    monkeypatch.setattr(rapid, "read_page", counted)
    return calls


def read(data: bytes, fallback: str = "rapidocr"):
    return extract_document(data, customers=CUSTOMERS, threshold=0.9, workers=1, fallback=fallback)


@pytest.mark.slow
def test_rapidocr_recovers_a_field_tesseract_missed(second_engine_calls) -> None:
    ex = read(statement(code_ink=185))
    assert second_engine_calls == [1]
    code = ex.fields["customer_code"]
    assert (code.value, code.source) == ("C0042", "ocr2")
    # the fields Tesseract read stay its own
    assert ex.fields["amount_due"].source == "ocr"
    assert str(ex.fields["amount_due"].value) == "80509.61"
    # both engines' words are kept: search (the page text) finds what only RapidOCR read
    page = ex.pages[0]
    assert page.source == "ocr" and page.second
    assert "C0042" not in "\n".join(page.lines())
    assert "C0042" in page.text


@pytest.mark.slow
def test_fallback_none_disables_the_second_engine(second_engine_calls) -> None:
    ex = read(statement(code_ink=185), fallback="none")
    assert second_engine_calls == []
    assert "customer_code" not in ex.fields or ex.fields["customer_code"].source != "ocr2"
    assert ex.status == "needs_review"
    assert not ex.pages[0].second


def test_clean_scans_do_not_invoke_the_second_engine(second_engine_calls) -> None:
    ex = read(statement(code_ink=0))
    assert ex.status == "accepted"
    assert ex.fields["customer_code"].source == "ocr"
    # nor does an empty customer master: no reading could match a customer to it
    ex = extract_document(statement(code_ink=0), customers=[], threshold=0.9, workers=1)
    assert ex.status == "needs_review"
    assert second_engine_calls == []


def test_the_setting_is_read_with_the_others(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("STMT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STMT_OCR_FALLBACK", raising=False)
    assert config.load().ocr_fallback == "rapidocr"
    monkeypatch.setenv("STMT_OCR_FALLBACK", "None")
    assert config.load().ocr_fallback == "none"
    monkeypatch.setenv("STMT_OCR_FALLBACK", "paddle")
    with pytest.raises(SystemExit, match="STMT_OCR_FALLBACK must be rapidocr or none"):
        config.load()


def test_rapidocr_reads_words_with_boxes() -> None:
    gray = np.asarray(Image.open(io.BytesIO(statement(code_ink=0))))
    words = rapid.read_words(gray)
    assert rapid.loaded()
    found = next(w for w in words if "C0042" in w.text)
    left, top, right, bottom = found.box
    assert 0 <= left < right <= gray.shape[1] and 0 <= top < bottom <= gray.shape[0]
    assert 0.5 <= found.confidence <= 1.0
    assert any("80,509.61" in w.text for w in words)


def test_a_detected_line_is_split_into_words_by_width() -> None:
    words = rapid.split_line("期末余额 ¥80,509.61", (100, 10, 400, 40), 0.9, 3)
    assert [w.text for w in words] == ["期末余额", "¥80,509.61"]
    first, second = words
    assert first.box[0] == 100 and second.box[2] == pytest.approx(400)
    assert first.box[2] < second.box[0]  # the space between them
    assert all(w.line == 3 and w.confidence == 0.9 for w in words)
    assert rapid.split_line("   ", (0, 0, 10, 10), 0.9, 0) == []
    # English read without spaces: a word glued to an amount's cents comes apart; codes stay
    glued = rapid.split_line("ofCNY1,278.06wasdue INV27016081", (0, 0, 300, 10), 0.9, 0)
    assert [w.text for w in glued] == ["ofCNY1,278.06", "wasdue", "INV27016081"]


def test_page_text_holds_both_readings() -> None:
    page = Page(1, 100, 100, 200, "ocr", words=[Word("Amount", (0, 0, 10, 5), 0.9, 0)])
    page.second = [Word("Amount", (0, 0, 10, 5), 0.99, 0), Word("due", (12, 0, 20, 5), 0.99, 0)]
    assert page.lines() == ["Amount"]
    assert page.text == "Amount\nAmount due"


def test_a_printed_currency_from_the_second_engine_replaces_the_assumed_default() -> None:
    assumed = FieldValue("currency", "CNY", 0.8, Source.OCR)  # nothing read: no page
    printed = FieldValue("currency", "TWD", 0.7, Source.OCR2, page=1, raw="新臺幣")
    got = fill_gaps({"currency": assumed}, {"currency": printed}, weak={"period"})
    assert got["currency"].value == "TWD"
    read = FieldValue("currency", "USD", 0.9, Source.OCR, page=1, raw="USD")
    assert fill_gaps({"currency": read}, {"currency": printed}, weak=set())["currency"] == read


def test_a_figure_the_second_engine_only_placed_by_arithmetic_fills_no_gap() -> None:
    """What Tesseract left unread the second engine's labelled reading fills. Where
    Tesseract read the final balance, a figure the second engine only placed by the balance
    identity (an open-item list's columns summed into charges and payments) is a guess;
    where Tesseract read no balance at all, it is the better reading's."""
    due = FieldValue("amount_due", D("836672.80"), 0.98, Source.OCR, page=1, raw="836,672.80")
    read = FieldValue("charges", D("1035165.32"), 0.9, Source.OCR2, page=1, raw="1,035,165.32")
    placed = replace(read, source=Source.ARITHMETIC, raw="", confidence=0.7)
    first = {"amount_due": due}
    assert fill_gaps(first, {"charges": read}, weak=set()) == first | {"charges": read}
    assert fill_gaps(first, {"charges": placed}, weak=set()) == first
    assert fill_gaps({}, {"charges": placed}, weak=set()) == {"charges": placed}


def test_a_figure_both_engines_read_alike_is_surer() -> None:
    """Two engines seldom misread one figure the same way: a closing balance Tesseract read
    at 0.83 that RapidOCR reads alike reaches the accepting confidence; one it reads
    otherwise stays as it was, and so does a reading too weak to count as evidence."""
    first = FieldValue("closing_balance", D("1130.74"), 0.83, Source.OCR, page=1, raw="1,130.74")
    alike = replace(first, confidence=0.86, source=Source.OCR2)
    got = fill_gaps({"closing_balance": first}, {"closing_balance": alike}, weak=set())
    assert got["closing_balance"].confidence >= 0.9
    assert got["closing_balance"].value == D("1130.74")
    other = replace(alike, value=D("1180.74"))
    assert fill_gaps({"closing_balance": first}, {"closing_balance": other}, weak=set()) == {
        "closing_balance": first
    }
    faint = replace(alike, confidence=0.3)
    got = fill_gaps({"closing_balance": first}, {"closing_balance": faint}, weak=set())
    assert got["closing_balance"] == first


def test_balances_left_unread_on_a_fax_are_for_the_second_engine() -> None:
    """A statement our code vouches for has no weak required field; what sends its fax or
    photo to the second engine is a balance amount left unread on a page scanned at fax
    resolution or photographed, never on a clean scan nor on a digital page."""
    due = FieldValue("amount_due", D("80509.61"), 1.0, Source.QR)
    opening = FieldValue("opening_balance", D("12000.00"), 0.95, Source.OCR, page=1)
    scored = {"amount_due": due, "opening_balance": opening}
    fax = Page(1, 1240, 1754, 150, Source.OCR)
    assert unread_on_a_hard_page(scored, [fax]) == {
        "charges",
        "payments",
        "closing_balance",
    }
    assert unread_on_a_hard_page(scored, [replace(fax, dpi=300)]) == set()
    # a fax received at standard resolution: 98 lines per inch, stretched to 204 dpi
    assert unread_on_a_hard_page(scored, [replace(fax, dpi=204, scan_dpi=98)])
    assert unread_on_a_hard_page(scored, [replace(fax, dpi=300, photo=True)])
    assert unread_on_a_hard_page(scored, [replace(fax, source=Source.TEXT)]) == set()
    whole = scored | {
        n: replace(opening, name=n) for n in ("charges", "payments", "closing_balance")
    }
    assert unread_on_a_hard_page(whole, [fax]) == set()
