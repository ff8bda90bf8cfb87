"""Two-way reconciliation: statements against the ledger, customer by customer."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from archive import db
from extract.types import LineItem
from ingest.cli import main
from services.ledger import import_file
from services.reconcile import JSON_KEYS, Entry, match_entries, reconcile
from tests.web_fixtures import STATEMENT, app, as_role, make_document, users  # noqa: F401


def line(n, day, ref, debit=None, credit=None):
    return LineItem("transaction", date(2026, 10, day), ref, "货款", debit, credit, None, 1, None)


def statement(code: str, **fields) -> int:
    values = {"customer_code": (code, 1.0), "period": ("2026-10", 1.0)}
    values.update({k: (v, 1.0) for k, v in fields.items() if k != "items"})
    return make_document(
        values,
        lines=[*STATEMENT[:2], f"客户编号：{code}", *STATEMENT[3:]],
        filename=f"{code}.pdf",
        items=fields.get("items"),
    )


def ledger(text: str) -> None:
    with db.session() as s:
        import_file(s, text.encode(), "ledger.csv", user="finance")


@pytest.fixture
def period(archive):
    """Four customers, one of each status, and a drill-down with one difference per side."""
    ids = {
        "C001": statement("C001", closing_balance="1000.00", amount_due="999.00", items=[
            line(1, 3, "INV-1", debit=D("600.00")),
            line(2, 8, "INV-2", debit=D("400.00")),
            line(3, 20, None, credit=D("50.00")),
            line(4, 25, "INV-9", debit=D("12.34")),
        ]),
        "C002": statement("C002", amount_due="80509.61"),
        "C003": statement("C003", amount_due="5.00"),
    }
    ledger("customer_code,period,balance\nC001,2026-10,1000.00\nC002,2026-10,80000.00\n"
           "C004,2026-10,7.00\nC001,2026-09,1.00\n")
    ledger("customer_code,date,reference,amount\nC001,2026-10-04,inv-1,600.00\n"
           "C001,2026-10-30,X,400.00\nC001,2026-10-22,RC-1,-50.00\nC001,2026-10-09,ZZ,77.00\n"
           "C002,2026-10-01,A,1.00\n")
    return ids


def test_statuses_and_drill_down(period):
    with db.session() as s:
        rows = {r.customer_code: r for r in reconcile(s, "2026-10")}
    assert {c: r.status for c, r in rows.items()} == {
        "C001": "matched", "C002": "difference", "C003": "no_ledger", "C004": "no_statement"
    }
    c1 = rows["C001"].to_json()
    assert list(c1) == list(JSON_KEYS)
    assert (c1["statement_amount"], c1["ledger_amount"], c1["difference"]) == (
        "1000.00", "1000.00", "0.00"
    )  # the closing balance, not the amount due
    # INV-1 by reference; the credit of 50 by amount and date (2 days apart); INV-2's 400 is
    # 22 days from the ledger's: too far
    assert c1["unmatched_lines"] == [
        {"line": 2, "date": "2026-10-08", "reference": "INV-2", "amount": "400.00"},
        {"line": 4, "date": "2026-10-25", "reference": "INV-9", "amount": "12.34"},
    ]
    assert c1["unmatched_items"] == [
        {"date": "2026-10-30", "reference": "X", "amount": "400.00"},
        {"date": "2026-10-09", "reference": "ZZ", "amount": "77.00"},
    ]
    c2 = rows["C002"].to_json()
    assert (c2["difference"], c2["unmatched_items"][0]["amount"]) == ("509.61", "1.00")
    c4 = rows["C004"].to_json()
    assert (c4["statement_id"], c4["statement_amount"], c4["difference"]) == (None, None, None)
    with db.session() as s:
        wide = {r.customer_code: r for r in reconcile(s, "2026-10", days=30)}
    assert [e.line for e in wide["C001"].unmatched_lines] == [4]


def test_matching_prefers_reference_then_nearest_date():
    day = date(2026, 10, 10)
    lines = [Entry(D("10"), day, "A", 1), Entry(D("10"), day, None, 2)]
    items = [
        Entry(D("10"), date(2026, 10, 14), None),
        Entry(D("10"), date(2026, 10, 11), None),
        Entry(D("10"), date(2026, 10, 30), "a"),
    ]
    left_lines, left_items, pairs = match_entries(lines, items)
    assert (left_lines, pairs) == ([], 2)
    assert left_items == [items[0]]  # line 2 took the nearer date


def test_cli_json_one_object_per_line(period):
    out = CliRunner().invoke(main, ["reconcile", "--period", "2026-10", "--json"])
    assert out.exit_code == 0, out.output
    objs = [json.loads(x) for x in out.output.splitlines()]
    assert [o["customer_code"] for o in objs] == ["C001", "C002", "C003", "C004"]
    assert all(set(o) == set(JSON_KEYS) for o in objs)
    one = CliRunner().invoke(main, ["reconcile", "--period", "2026-10", "--customer", "C002",
                                    "--json"])
    assert [json.loads(x)["status"] for x in one.output.splitlines()] == ["difference"]
    plain = CliRunner().invoke(main, ["reconcile", "--period", "2026-10"])
    assert "C004" in plain.output and "no_statement" in plain.output
    bad = CliRunner().invoke(main, ["reconcile", "--period", "2026-13"])
    assert bad.exit_code == 2 and "not a period" in bad.output


def test_web_page_and_exports(period, as_role):
    finance = as_role("finance")
    finance.post("/language", data={"locale": "en"})
    page = finance.get("/reconcile?period=2026-10").get_data(as_text=True)
    assert 'data-customer="C002" data-status="difference"' in page
    assert "Statement line 2" in page and "509.61" in page
    only = finance.get("/reconcile?period=2026-10&status=no_ledger").get_data(as_text=True)
    assert 'data-customer="C003"' in only and 'data-customer="C001"' not in only
    assert finance.get("/reconcile?period=10-2026").status_code == 400
    text = finance.get("/reconcile/export.csv?period=2026-10").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["customer_code"], r["status"]) for r in rows][:2] == [
        ("C001", "matched"), ("C002", "difference")
    ]
    assert "#2 2026-10-08 INV-2 400.00" in rows[0]["unmatched_lines"]
    from openpyxl import load_workbook

    xlsx = finance.get("/reconcile/export.xlsx?period=2026-10")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]][:7] == list(JSON_KEYS[:7])
    assert sheet.max_row == 5
    assert as_role("reviewer").get("/reconcile?period=2026-10").status_code == 403
    zh = as_role("admin")
    zh.post("/language", data={"locale": "zh"})
    assert "无账簿余额" in zh.get("/reconcile?period=2026-10").get_data(as_text=True)
