"""Line items of statements: stored, shown, exported, and found by any amount on them."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from extract.types import LineItem
from ingest.cli import main
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    STATEMENT,
    api,
    app,
    as_role,
    make_document,
    tokens,
    users,
)

ITEMS = [
    LineItem("opening", date(2026, 10, 1), None, "期初余额", None, None, D("10000.00"), 1, None),
    LineItem("transaction", date(2026, 10, 5), "INV-001", "钢材 货款", D("3452.49"), None,
             D("13452.49"), 1, (70.0, 200.0, 500.0, 215.0)),
    LineItem("transaction", date(2026, 10, 9), "RC-7", "收款 <b>", None, D("5000.00"),
             D("8452.49"), 1, None),
]


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def with_lines(data_dir):
    return make_document(items=ITEMS)


def test_show_json_lists_the_lines(with_lines):
    obj = json.loads(cli("show", str(with_lines), "--json"))
    assert [line["line"] for line in obj["lines"]] == [1, 2, 3]
    second = obj["lines"][1]
    assert second == {
        "line": 2,
        "kind": "transaction",
        "date": "2026-10-05",
        "reference": "INV-001",
        "description": "钢材 货款",
        "debit": "3452.49",
        "credit": None,
        "balance": "13452.49",
        "page": 1,
        "box": [70.0, 200.0, 500.0, 215.0],
    }


def test_show_prints_the_lines(with_lines):
    out = cli("show", str(with_lines))
    assert "line   2 p1 2026-10-05 INV-001" in out and "debit 3452.49  balance 13452.49" in out


def test_reading_again_replaces_the_lines(with_lines):
    from archive import db, documents
    from archive.models import Document
    from extract.types import Extraction

    with db.session() as s:
        doc = s.get(Document, with_lines)
        documents.save_extraction(
            s, doc, Extraction([], [], {}, "accepted", items=ITEMS[:1]), kind="pdf"
        )
    assert len(json.loads(cli("show", str(with_lines), "--json"))["lines"]) == 1


def test_document_page_shows_lines_escaped(with_lines, as_role):
    page = as_role("finance").get(f"/documents/{with_lines}").get_data(as_text=True)
    assert 'data-line="2"' in page and "INV-001" in page and "3452.49" in page
    assert "收款 &lt;b&gt;" in page


def test_api_document_has_lines(with_lines, api, tokens):
    body = api.get(f"/api/v1/documents/{with_lines}", headers=tokens["finance"]).get_json()
    assert body["lines"][2]["credit"] == "5000.00"


def test_exports_carry_a_row_per_line(with_lines, as_role):
    client = as_role("finance")
    text = client.get("/search/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["line"] for r in rows] == ["1", "2", "3"]
    assert rows[1]["line_debit"] == "3452.49" and rows[1]["line_reference"] == "INV-001"
    assert {r["id"] for r in rows} == {str(with_lines)}

    from openpyxl import load_workbook

    resp = client.get("/search/export.xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = table[0]
    assert [r[header.index("line_description")] for r in table[1:]] == [
        "期初余额",
        "钢材 货款",
        "收款 <b>",
    ]


def test_cli_finds_a_statement_by_a_line_amount(with_lines):
    other = make_document(
        fields={"customer_code": ("C002", 1.0), "amount_due": ("3452.49", 0.9)},
        lines=[*STATEMENT[:2], "客户编号：C002", "应付金额：¥3,452.49"],
        filename="other.pdf",
    )
    found = json.loads(cli("search", "--amount", "3,452.49", "--json"))
    matched = {h["id"]: h["matched"] for h in found["hits"]}
    assert matched == {
        with_lines: [{"where": "line", "line": 2, "amount": "3452.49"}],
        other: [{"where": "summary", "field": "amount_due", "amount": "3452.49"}],
    }
    lines_only = json.loads(cli("search", "--amount", "3452.49", "--in", "lines", "--json"))
    assert [h["id"] for h in lines_only["hits"]] == [with_lines]
    summary = json.loads(cli("search", "--amount", "3452.49", "--in", "summary", "--json"))
    assert [h["id"] for h in summary["hits"]] == [other]
    ranged = json.loads(
        cli("search", "--amount-min", "4999", "--amount-max", "5000", "--in", "lines", "--json")
    )
    assert [h["matched"] for h in ranged["hits"]] == [
        [{"where": "line", "line": 3, "amount": "5000.00"}]
    ]
    assert "matched 3,452.49 (line 2, page 1)" in cli("search", "--amount", "3452.49")
    bad = CliRunner().invoke(main, ["search", "--amount", "12abc"])
    assert bad.exit_code == 2 and "not an amount" in bad.output


def test_api_and_web_search_say_what_matched(with_lines, api, tokens, as_role):
    body = api.get(
        "/api/v1/search?amount=13452.49&in=lines", headers=tokens["finance"]
    ).get_json()
    assert body["hits"][0]["matched"] == [{"where": "line", "line": 2, "amount": "13452.49"}]
    none = api.get("/api/v1/search?amount=13452.49&in=summary", headers=tokens["finance"])
    assert none.get_json()["total"] == 0
    assert api.get("/api/v1/search?in=nowhere", headers=tokens["finance"]).status_code == 400
    page = as_role("finance").get("/search?amount=3452.49&in=lines").get_data(as_text=True)
    assert 'data-where="line"' in page and "3,452.49" in page
    zh = as_role("finance")
    zh.post("/language", data={"locale": "zh"})
    assert "第 2 行" in zh.get("/search?amount=3452.49").get_data(as_text=True)
