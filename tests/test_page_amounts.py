"""Amounts printed anywhere on a page: which tokens count, and finding a document by them."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from index.printed import page_amounts
from ingest.cli import main
from tests.web_fixtures import api, app, as_role, make_document, tokens, users  # noqa: F401


@pytest.mark.parametrize(
    "text,expected",
    [
        ("TOTAL 9.00", [D("9.00")]),
        ("RM9.00 TOTAL:12.50 8.40*", [D("9.00"), D("12.50"), D("8.40")]),
        ("应付金额：¥80,509.61", [D("80509.61")]),
        ("1,234 ¥88 $5", [D("1234.00"), D("88.00"), D("5.00")]),
        ("(45.10) 9.00SR", [D("-45.10"), D("9.00")]),
        ("9.00 9.00 9.00", [D("9.00")]),
    ],
)
def test_money_shaped_tokens_count(text, expected):
    assert page_amounts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2018 QTY 3 No 12",  # years and counts
        "12/03/2018 12.03.2018 2018-03-12 10:45",  # dates and times
        "03-7843 2219 TEL 0123456789 GST ID 000306020352",  # phone and tax numbers
        "12.5 1.234,50 INV-001",  # one decimal, other conventions, codes
        "0.00",  # nothing to find a document by
    ],
)
def test_other_numbers_do_not(text):
    assert page_amounts(text) == []


def cli(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def receipt(data_dir):
    """A receipt: no statement fields at all, its total only printed on the page."""
    return make_document(
        {"customer_name": ("Syarikat Perniagaan Gin Kee", 0.9)},
        lines=["SYARIKAT PERNIAGAAN GIN KEE", "2 x 12.50 25.00", "TOTAL RM 27.30", "DATE 2018"],
        status="needs_review",
        filename="receipt.pdf",
    )


def test_a_receipt_is_found_by_its_printed_total(receipt):
    found = cli("search", "--amount", "27.30")
    assert [(h["id"], h["matched"]) for h in found["hits"]] == [
        (receipt, [{"where": "page", "page": 1, "amount": "27.30"}])
    ]
    assert [h["id"] for h in cli("search", "--amount", "27.3", "--in", "page")["hits"]] == [receipt]
    for place in ("summary", "lines"):
        assert cli("search", "--amount", "27.30", "--in", place)["hits"] == []
    assert cli("search", "--amount", "2018")["hits"] == []  # a year is no amount
    ranged = cli("search", "--amount-min", "20", "--amount-max", "26", "--in", "page")
    assert [h["matched"] for h in ranged["hits"]] == [
        [{"where": "page", "page": 1, "amount": "25.00"}]
    ]
    out = CliRunner().invoke(main, ["search", "--amount", "27.30"]).output
    assert "matched 27.30 (page, page 1)" in out


def test_a_summary_amount_is_not_repeated_as_a_page_amount(data_dir):
    doc = make_document()  # 应付金额：¥80,509.61 is also its amount due
    [hit] = cli("search", "--amount", "80509.61")["hits"]
    assert hit["id"] == doc
    assert hit["matched"] == [{"where": "summary", "field": "amount_due", "amount": "80509.61"}]
    [opening] = cli("search", "--amount", "10000")["hits"]  # printed, not extracted
    assert opening["matched"] == [{"where": "page", "page": 1, "amount": "10000.00"}]


def test_api_and_web_accept_the_page_place(receipt, api, tokens, as_role):
    body = api.get("/api/v1/search?amount=27.30&in=page", headers=tokens["finance"]).get_json()
    assert [m["where"] for h in body["hits"] for m in h["matched"]] == ["page"]
    summary = api.get("/api/v1/search?amount=27.30&in=summary", headers=tokens["finance"])
    assert summary.get_json()["hits"] == []
    page = as_role("finance").get("/search?amount=27.30&in=page").get_data(as_text=True)
    assert "receipt.pdf" in page and '<option value="page" selected' in page
