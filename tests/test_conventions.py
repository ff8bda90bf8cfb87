"""Extraction on the digital prints of the tuning layouts written from other senders'
conventions (tests/layouts.py): every field as printed, and accepted without review.

Only tuning layouts are read here; the held-out ones are measured by bench/accuracy.py and
never tested (see tests/layouts.py).
"""

from __future__ import annotations

import random

import pytest

from extract.customers import Customer
from extract.pipeline import extract_document
from extract.types import Status
from tests.corpus import CUSTOMERS
from tests.layouts import TUNING, make_layout_truth, render_layout

MASTER = [Customer(code=c, name=n, aliases=tuple(a)) for c, n, a in CUSTOMERS]


def _printed(value) -> str | None:
    return None if value is None else str(value)


# Layouts that print their charges and payments nowhere, as rows without running balances:
# the balance identity vouches for the two sums' difference only, so a person sees them.
ROW_SUMS_ONLY = {"city_ledger_en"}


@pytest.mark.parametrize("name", TUNING)
def test_tuning_layout_read_exactly_from_its_text_layer(name: str) -> None:
    truth = make_layout_truth(name, random.Random(11))
    ex = extract_document(
        render_layout(name, truth, qr=False), customers=MASTER, threshold=0.9, workers=1
    )
    got = {k: _printed(ex.fields[k].value) if k in ex.fields else None for k in truth.expected()}
    assert got == truth.expected()
    if name in ROW_SUMS_ONLY:
        assert ex.status == Status.NEEDS_REVIEW
        assert {n for n in ("charges", "payments") if ex.fields[n].confidence < 0.9} == {
            "charges",
            "payments",
        }
    else:
        assert ex.status == Status.ACCEPTED, ex.notes
