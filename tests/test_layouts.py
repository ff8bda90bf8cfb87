"""Smoke tests of the layouts written from other senders' conventions (tests/layouts.py).

These check only that every layout renders and that its ground truth is consistent; they
hold for tuning and held-out layouts alike and say nothing about extraction (no test may be
tuned on the held-out layouts).
"""

from __future__ import annotations

import io
import random
import unicodedata
from decimal import Decimal

import pytest

from extract import qrpayload
from tests import corpus, layouts


def _pdf_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in pdf.pages]


def test_sets_partition_the_layouts_with_a_third_held_out():
    assert len(layouts.NEW_LAYOUTS) >= 12
    assert set(layouts.NEW_LAYOUTS) == set(layouts.LAYOUT_DEFS)
    assert not set(layouts.TUNING) & set(layouts.HELDOUT)
    assert len(layouts.HELDOUT) * 3 >= len(layouts.NEW_LAYOUTS)
    assert not set(layouts.NEW_LAYOUTS) & set(corpus.LAYOUTS)


@pytest.mark.parametrize("name", layouts.NEW_LAYOUTS)
def test_layout_renders_its_consistent_truth(name):
    ld = layouts.LAYOUT_DEFS[name]
    for i in range(3):
        truth = layouts.make_layout_truth(name, random.Random(i))
        assert truth.opening_balance + truth.charges - truth.payments == truth.closing_balance
        if ld.one_balance:
            assert truth.amount_due == truth.closing_balance
        if truth.lines:
            assert sum((ln.debit or 0 for ln in truth.lines), Decimal(0)) == truth.charges
        if truth.lines and not ld.charges_only:
            assert sum((ln.credit or 0 for ln in truth.lines), Decimal(0)) == truth.payments
            balance = truth.opening_balance
            for ln in truth.lines:
                balance += (ln.debit or 0) - (ln.credit or 0)
                assert ln.balance == balance
                assert ln.date.strftime("%Y-%m") == truth.period
        expected = truth.expected()
        assert all(expected[f] is None for f in ld.unprinted)
        assert corpus.Truth.from_json(truth.to_json()) == truth

        data = layouts.render_layout(name, truth, qr=False)
        assert data == layouts.render_layout(name, truth, qr=False)  # reproducible
        pages = _pdf_pages(data)
        assert len(pages) == ld.pages == layouts.pages_of(name, truth)
        text = "\n".join(pages)
        assert truth.customer_name.upper() in text.upper()
        if "statement_no" not in ld.unprinted:
            assert truth.statement_no.upper() in text.upper()
        assert ld.money(abs(truth.closing_balance)) in text
        for ln in truth.lines:
            amount = ln.debit if ln.debit is not None else ln.credit
            assert ld.money(abs(amount)) in pages[ln.page - 1], (name, ln)


@pytest.mark.parametrize("name", layouts.NEW_LAYOUTS)
def test_layout_qr_code_decodes_to_the_truth(name):
    import zxingcpp

    truth = layouts.make_layout_truth(name, random.Random(5))
    page = corpus.rasterize(layouts.render_layout(name, truth, qr=True), 150)[0]
    codes = [qrpayload.parse(r.text) for r in zxingcpp.read_barcodes(page)]
    printed = "statement_no" not in layouts.LAYOUT_DEFS[name].unprinted
    assert [c.number for c in codes if c] == [truth.statement_no if printed else None]
    code = next(c for c in codes if c)
    assert (code.customer, code.period, code.amount) == (
        truth.customer_code,
        truth.period,
        truth.amount_due,
    )


def test_yuan_in_capital_numerals():
    words = layouts._yuan_words
    assert words(Decimal("3301.74")) == "叁仟叁佰零壹元柒角肆分"
    assert words(Decimal("37355.38")) == "叁万柒仟叁佰伍拾伍元叁角捌分"
    assert words(Decimal("100000.00")) == "壹拾万元整"
    assert words(Decimal("101.01")) == "壹佰零壹元零壹分"
    assert words(Decimal("100200300.40")) == "壹亿零贰拾万零叁佰元肆角"


def test_layout_corpus_plans():
    for size in layouts.SIZES:
        seed, plan = corpus._plan(size)
        names = layouts.TUNING if size.startswith("tuning") else layouts.HELDOUT
        assert {spec.layout for spec, _ in plan} == set(names)
        assert 0.25 <= sum(spec.qr for spec, _ in plan) / len(plan) <= 0.45
        for spec, _ in plan:
            assert spec.pages == layouts.LAYOUT_DEFS[spec.layout].pages
            assert spec.pages == 1 or spec.fmt in ("pdf", "tiff")
    assert {s.variant for s, _ in corpus._plan("heldout-full")[1]} == set(corpus.VARIANTS)
