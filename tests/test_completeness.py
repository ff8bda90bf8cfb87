"""Completeness audit: expected by cycle and active range, received, missing, duplicated, late;
the command's one JSON object, the finance page with its links and CSV export."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from archive import db
from archive.access import set_sensitive
from archive.models import Customer, Document
from ingest.cli import main
from tests.web_fixtures import app, as_role, make_document, users  # noqa: F401


def customer(code, cycle="monthly", active_from=None, active_to=None, name=None):
    with db.session() as s:
        s.add(Customer(code=code, name=name or f"客户{code}", aliases=[], cycle=cycle,
                       active_from=active_from, active_to=active_to))  # fmt: skip


def statement(code: str, period: str, arrived: dt.datetime, status="accepted") -> int:
    doc_id = make_document(
        {"customer_code": (code, 1.0), "period": (period, 1.0), "amount_due": ("10.00", 1.0)},
        lines=["对账单", f"客户编号：{code}", f"对账期间：{period}", f"{code}-{period}-{arrived}"],
        status=status,
    )
    with db.session() as s:
        s.get(Document, doc_id).created_at = arrived
    return doc_id


def setup_month() -> dict[str, int]:
    customer("C001")  # monthly, on time
    customer("C002")  # monthly, missing
    customer("C003")  # monthly, two copies
    customer("C004")  # monthly, late (30 days after the period)
    customer("Q001", cycle="quarterly")  # quarterly: expected in 2026-09; statement names 08
    customer("Q002", cycle="quarterly")  # quarterly, missing
    customer("N001", cycle="none")  # never expected
    customer("OLD", active_to=dt.date(2026, 8, 31))  # left before the period
    customer("NEW", active_from=dt.date(2026, 10, 1))  # starts after it
    customer("PART", active_from=dt.date(2026, 9, 15))  # active part of the month: expected
    day = dt.datetime(2026, 10, 5, 9, 0)
    return {
        "C001": statement("C001", "2026-09", day),
        "C003a": statement("C003", "2026-09", day),
        "C003b": statement("C003", "2026-09", day + dt.timedelta(days=1)),
        "C004": statement("C004", "2026-09", dt.datetime(2026, 10, 30, 10, 0)),
        "Q001": statement("Q001", "2026-08", day),
        "C002-other": statement("C002", "2026-08", day),  # another period: not this one
        "C002-failed": statement("C002", "2026-09", day, status="failed"),  # not read: not counted
        "N001": statement("N001", "2026-09", day),
    }


def test_the_audit_command_prints_one_object(archive):
    setup_month()
    result = CliRunner().invoke(main, ["completeness", "--period", "2026-09", "--json"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "period": "2026-09",
        "expected": 7,  # C001-C004, Q001, Q002, PART
        "received": 4,
        "missing": ["C002", "PART", "Q002"],
        "duplicates": ["C003"],
        "late": ["C004"],
    }
    # a longer allowance: nothing late; a month outside the quarter: quarterly not expected
    out = (
        CliRunner()
        .invoke(main, ["completeness", "--period", "2026-09", "--json", "--late-days", "40"])
        .output
    )
    assert json.loads(out)["late"] == []
    out = json.loads(CliRunner().invoke(main, ["completeness", "--period", "2026-08", "--json"])
                     .output)  # fmt: skip
    assert "Q001" not in out["missing"] and "OLD" in out["missing"] and out["received"] == 1
    text = CliRunner().invoke(main, ["completeness", "--period", "2026-09"]).output
    assert "7 expected, 4 received, 3 missing, 1 duplicated, 1 late" in text
    bad = CliRunner().invoke(main, ["completeness", "--period", "2026-9"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_late_days_setting(data_dir, monkeypatch):
    setup_month()
    monkeypatch.setenv("STMT_LATE_DAYS", "60")
    out = CliRunner().invoke(main, ["completeness", "--period", "2026-09", "--json"]).output
    assert json.loads(out)["late"] == []


def test_the_finance_page_links_and_exports(as_role):
    ids = setup_month()
    client = as_role("finance")
    client.post("/language", data={"locale": "en"})
    html = client.get("/finance/completeness?period=2026-09").get_data(as_text=True)
    assert "7 expected, 4 received, 3 missing" in html
    for key in ("C003a", "C003b"):
        assert f'href="/documents/{ids[key]}"' in html
    assert "/search?customer=C002" in html and "Missing" in html and "Late" in html
    csv_text = client.get("/finance/completeness.csv?period=2026-09").get_data(as_text=True)
    rows = [r.split(",") for r in csv_text.lstrip("\ufeff").splitlines()]
    assert rows[0][:4] == ["period", "code", "name", "state"]
    by_code = {r[1]: r for r in rows[1:]}
    assert by_code["C002"][3] == "missing" and by_code["C004"][3:5] == ["late", "yes"]
    assert by_code["C003"][5] == f"{ids['C003a']};{ids['C003b']}"
    client.post("/language", data={"locale": "zh"})
    html = client.get("/finance/completeness?period=2026-09").get_data(as_text=True)
    assert "缺失" in html and "应收 7 份" in html
    html = client.get("/finance/completeness?period=2026-13").get_data(as_text=True)
    assert "flash-error" in html
    assert as_role("mailroom").get("/finance/completeness").status_code in (302, 403)


def test_sensitive_customers_are_left_out_for_those_not_granted(as_role):
    setup_month()
    with db.session() as s:
        set_sensitive(s, "C002", True, by="test")
    finance = as_role("finance").get("/finance/completeness?period=2026-09").get_data(as_text=True)
    admin = as_role("admin").get("/finance/completeness?period=2026-09").get_data(as_text=True)
    assert ">C002<" not in finance and ">C002<" in admin
