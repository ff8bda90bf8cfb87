"""Importing the receivables ledger: CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX, whole or not
at all, each import kept, a period imported again replacing the earlier one."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from archive import db
from archive.ledger import LedgerBalance, LedgerImport, LedgerItem
from archive.models import AuditEvent
from ingest.cli import main
from services.ledger import LedgerFileError, import_file
from tests.web_fixtures import api, app, as_role, tokens, users  # noqa: F401  (fixtures)

BALANCES = "客户编号,期间,余额\nC001,2026-10,80509.61\nC002,2026-10,\"-1,200.50\"\n"
ITEMS = (
    "customer_code,date,reference,amount\n"
    "C001,2026-10-05,INV-001,3452.49\n"
    "C001,2026/10/09,RC-7,-5000.00\n"
)


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    with db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(m))
            for m in (LedgerImport, LedgerBalance, LedgerItem)
        )


def balances() -> dict[tuple[str, str], D]:
    with db.session() as s:
        return {(b.customer_code, b.period): b.balance for b in s.scalars(select(LedgerBalance))}


def imported(data: bytes, name: str = "ledger.csv", **kw):
    with db.session() as s:
        return import_file(s, data, name, user="alice", **kw)


def test_balances_from_chinese_headers(archive):
    result = imported(BALANCES.encode("utf-8"))
    assert (result.kind, result.rows, result.periods) == ("balances", 2, ["2026-10"])
    assert balances() == {("C001", "2026-10"): D("80509.61"), ("C002", "2026-10"): D("-1200.50")}


def test_reimporting_a_period_replaces_it_and_keeps_both_imports(archive):
    imported(BALANCES.encode("utf-8"))
    imported(b"code,period,balance\nC001,2026-10,100.00\nC001,2026-09,7\n")
    assert balances() == {("C001", "2026-10"): D("100.00"), ("C001", "2026-09"): D("7.00")}
    with db.session() as s:
        records = s.scalars(select(LedgerImport).order_by(LedgerImport.id)).all()
        assert [(r.user, r.rows, r.periods) for r in records] == [
            ("alice", 2, ["2026-10"]),
            ("alice", 2, ["2026-09", "2026-10"]),
        ]
        assert all(r.at for r in records)
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "ledger_import")).all()
        assert [e.detail["rows"] for e in events] == [2, 2]


def test_open_items_and_encodings(archive):
    for data in (ITEMS.encode("utf-8-sig"), ITEMS.replace("INV", "发票").encode("gbk")):
        result = imported(data)
        assert (result.kind, result.rows, result.periods) == ("items", 2, ["2026-10"])
    with db.session() as s:
        items = s.scalars(select(LedgerItem).order_by(LedgerItem.id)).all()
        assert [(i.reference, i.amount) for i in items] == [("发票-001", D("3452.49")),
                                                           ("RC-7", D("-5000.00"))]


def test_gbk_csv_from_excel_with_chinese_names(archive):
    text = "客户代码,会计期间,期末余额\r\n华东001,2026年10月,\"12,345.67\"\r\n"
    imported(text.encode("gbk"))
    assert balances() == {("华东001", "2026-10"): D("12345.67")}


def test_xlsx_with_a_column_mapping(archive):
    import datetime as dt

    data = xlsx(
        [["客户号", "凭证日期", "凭证", "发生额"],
         ["C7", dt.datetime(2026, 11, 3), "V-1", 1200.1],
         ["C7", "2026-11-30", None, -0.3]]
    )
    result = imported(
        data, "ledger.xlsx", mapping={"customer_code": "客户号", "date": "凭证日期",
                                      "reference": "凭证", "amount": "发生额"}
    )
    assert result.kind == "items" and result.periods == ["2026-11"]
    with db.session() as s:
        assert [i.amount for i in s.scalars(select(LedgerItem))] == [D("1200.10"), D("-0.30")]


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"name,total\nC1,3\n", "line 1: missing columns: customer_code, date, amount"),
        ("客户编号,期间,余额\nC1,2026-10,12abc\nC2,2026-13,5\n".encode(),
         "line 2: balance: 12abc is not an amount like 80,509.61; "
         "line 3: period: 2026-13 is not a period like 2026-10"),
        (b"customer_code,period,balance\nC1,2026-10,1.234\n", "line 2: balance: 1.234"),
        (b"customer_code,period,balance\n,2026-10,1\n", "line 2: customer_code: the customer"),
        (b"customer_code,period,balance\nC1,2026-10,1\nC1,2026-10,2\n",
         "line 3: C1 2026-10 is already on line 2"),
        (b"customer_code,date,amount\nC1,2026-02-30,1\n", "line 2: date: 2026-02-30 is not a"),
        ("客户编号,期间,余额\nC1,2026-10,1\n".encode() + "C2,2026-10,2 华东\n".encode("gbk"),
         "line 3: the file mixes text encodings"),
        (b"", "the file is empty"),
        (b"customer_code,period,balance\n", "the file has a header but no rows"),
        (b"PK\x03\x04broken", "not a readable XLSX file"),
        (b"customer_code,period,balance\nC1,2026-10,99999999999999999\n", "is too large"),
    ],
    ids=["wrong columns", "bad amount and period", "sub-cent", "no customer", "twice",
         "no such date", "mixed encodings", "empty", "no rows", "broken xlsx", "huge"],
)
def test_bad_files_are_refused_whole_with_line_and_reason(archive, data, expected):
    imported(BALANCES.encode())
    before = counts()
    with pytest.raises(LedgerFileError) as caught:
        imported(data)
    assert expected in str(caught.value)
    assert counts() == before


def test_cli_imports_and_refuses(data_dir, tmp_path):
    path = tmp_path / "余额.csv"
    path.write_bytes(BALANCES.encode("gbk"))
    out = CliRunner().invoke(main, ["ledger", "import", str(path), "--user", "bob", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {
        "import_id": 1, "kind": "balances", "rows": 2, "periods": ["2026-10"]
    }
    path.write_text("客户,日期,金额\nC1,2026-10-01,x\n", encoding="utf-8")
    mapping = ["--column", "customer_code=客户"]
    bad = CliRunner().invoke(main, ["ledger", "import", str(path), *mapping])
    assert bad.exit_code == 1
    assert "line 2: amount: x is not an amount" in bad.output
    mapped = CliRunner().invoke(main, ["ledger", "import", str(path), "--column", "nonsense"])
    assert "column=Header" in mapped.output and mapped.exit_code == 1
    assert counts()[0] == 1


def test_api_imports_for_finance_only(data_dir, api, tokens):
    def post(role: str, data: bytes, **form):
        return api.post(
            "/api/v1/ledger",
            data={"file": (io.BytesIO(data), "ledger.csv"), **form},
            headers=tokens[role],
            content_type="multipart/form-data",
        )

    resp = post("finance", ITEMS.encode(), kind="items")
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["rows"] == 2
    assert post("reviewer", ITEMS.encode()).status_code == 403
    bad = post("admin", b"customer_code,period,balance\nC1,2026-10,oops\n")
    assert bad.status_code == 422
    assert bad.get_json()["problems"][0]["line"] == 2
    assert post("finance", ITEMS.encode(), kind="other").status_code == 400
    data = "客户号,期间,余额\nC9,2026-08,1\n".encode()
    mapped = post("finance", data, col_customer_code="客户号")
    assert mapped.status_code == 201 and mapped.get_json()["periods"] == ["2026-08"]
    assert post("finance", ITEMS.encode(), col_amount="x" * 256).status_code == 400


def test_web_page_imports_and_reports_problems_in_chinese(data_dir, as_role):
    finance = as_role("finance")
    finance.post("/language", data={"locale": "en"})
    page = finance.get("/ledger")
    assert page.status_code == 200 and "ledger-form" in page.get_data(as_text=True)
    resp = finance.post(
        "/ledger",
        data={"file": (io.BytesIO(BALANCES.encode("gbk")), "账.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Imported 2 rows" in resp.get_data(as_text=True)
    assert "账.csv" in resp.get_data(as_text=True)
    finance.post("/language", data={"locale": "zh"})
    resp = finance.post(
        "/ledger",
        data={"file": (io.BytesIO(b"customer_code,period,balance\nC1,2026-10,<b>\n"), "x.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = resp.get_data(as_text=True)
    assert "第 2 行" in text and "未导入任何数据" in text and "&lt;b&gt;" in text
    assert as_role("reviewer").get("/ledger").status_code == 403


def test_web_import_needs_the_csrf_token(data_dir, users):
    from tests.web_fixtures import login
    from web.app import create_app

    app = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    login(client, "finance")
    resp = client.post(
        "/ledger",
        data={"file": (io.BytesIO(BALANCES.encode()), "l.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert counts()[0] == 0
