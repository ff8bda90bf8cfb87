"""The customer master: cycle, active range, owner and e-mail; CSV import and export (all or
nothing, line-numbered errors); single customers and user e-mail in admin and on the CLI."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import datetime as dt
import io

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive import db
from archive.customers import CustomerFileError, export_csv, import_rows, parse_csv
from archive.models import Customer
from archive.users import User
from ingest.cli import main
from tests.web_fixtures import PASSWORD, app, as_role, users  # noqa: F401

FULL = (
    "code,name,aliases,cycle,active_from,active_to,owner,email\n"
    "C001,上海华东贸易有限公司,华东贸易;HD Trading,quarterly,2026-01,2026-12,finance,"
    "ap@hd.example.cn\n"
    "C002,Northwind Ltd.,,,,,,\n"
)


def customer(code: str) -> Customer | None:
    with db.session() as s:
        return s.scalar(select(Customer).where(Customer.code == code))


def test_full_rows_import_and_export_round_trip(archive, users):
    with db.session() as s:
        result = import_rows(s, parse_csv(FULL))
    assert (result.added, result.updated) == (2, 0)
    c = customer("C001")
    assert (c.cycle, c.active_from, c.active_to) == (
        "quarterly",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert c.email == "ap@hd.example.cn" and c.aliases == ["华东贸易", "HD Trading"]
    assert customer("C002").cycle == "monthly" and customer("C002").owner_id is None
    with db.session() as s:
        text = export_csv(s)
    lines = text.splitlines()
    assert lines[0] == "code,name,aliases,cycle,active_from,active_to,owner,email"
    assert lines[1] == (
        "C001,上海华东贸易有限公司,华东贸易;HD Trading,quarterly,2026-01-01,2026-12-31,"
        "finance,ap@hd.example.cn"
    )
    with db.session() as s:  # the export imports back unchanged
        again = import_rows(s, parse_csv(text))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_every_bad_line_is_named_and_nothing_is_imported(archive, users):
    bad = (
        "code,name,cycle,active_from,active_to,email\n"
        "C001,甲公司,weekly,2026-01-01,,\n"
        "C002,乙公司,monthly,2026-13-01,,\n"
        "C003,丙公司,monthly,2026-06-01,2026-01-01,not-an-address\n"
        ",no code,,,,\n"
        "C001,甲公司又一行,,,,\n"
    )
    with pytest.raises(CustomerFileError) as err:
        parse_csv(bad)
    text = str(err.value)
    for expected in (
        "line 2: the cycle must be one of monthly, quarterly, none, not weekly",
        "line 3: active_from is a date like 2026-01-31, not 2026-13-01",
        "line 4: active_from is after active_to",
        "line 4: not-an-address is not an e-mail address",
        "line 5: code and name are required",
        "line 6: customer C001 is also on line 2",
    ):
        assert expected in text
    # an owner who is no user: refused with its line, and the good line before it not kept
    with (
        pytest.raises(CustomerFileError, match="line 3: owner nobody is not a user"),
        db.session() as s,
    ):
        import_rows(s, parse_csv("code,name,owner\nC001,甲,finance\nC002,乙,nobody\n"))
    assert customer("C001") is None
    with pytest.raises(CustomerFileError, match="unknown columns colour"):
        parse_csv("code,name,colour\nC1,x,red\n")


def test_cli_import_export_and_users_with_email(data_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main, ["users", "add", "mei", "--role", "finance", "--email", "mei@example.cn",
               "--password-stdin"], input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with db.session() as s:
        assert s.scalar(select(User.email).where(User.name == "mei")) == "mei@example.cn"
    result = runner.invoke(
        main, ["users", "add", "bo", "--role", "finance", "--email", "bo at example",
               "--password-stdin"], input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code != 0 and "not an e-mail address" in result.output
    path = tmp_path / "c.csv"
    path.write_text(FULL.replace(",finance,", ",mei,"), encoding="utf-8")
    result = runner.invoke(main, ["customers", "import", str(path)])
    assert result.exit_code == 0 and "2 added" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,cycle\nC9,x,yearly\n", encoding="utf-8")
    result = runner.invoke(main, ["customers", "import", str(bad)])
    assert result.exit_code != 0 and "line 2: the cycle must be one of" in result.output
    result = runner.invoke(main, ["customers", "export"])
    assert result.exit_code == 0
    assert ",quarterly,2026-01-01,2026-12-31,mei,ap@hd.example.cn" in result.output


def test_admin_adds_edits_imports_and_exports_customers(as_role):
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    resp = client.post(
        "/admin/customers",
        data={"code": "C010", "name": "华南五金", "aliases": "五金\nHN Hardware",
              "cycle": "quarterly", "active_from": "2026-01-01", "owner": "finance",
              "email": "hn@example.cn"},
    )  # fmt: skip
    assert resp.status_code == 302
    c = customer("C010")
    assert (c.cycle, c.active_from, c.email) == ("quarterly", dt.date(2026, 1, 1), "hn@example.cn")
    html = client.post(
        f"/admin/customers/{c.id}",
        data={"name": "华南五金有限公司", "cycle": "monthly", "active_to": "2025-01-01",
              "active_from": "2026-01-01"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "active_from is after active_to" in html and customer("C010").cycle == "quarterly"
    client.post(f"/admin/customers/{c.id}", data={"name": "华南五金有限公司", "cycle": "none"})
    c = customer("C010")
    assert (c.name, c.cycle, c.owner_id, c.email) == ("华南五金有限公司", "none", None, None)
    html = client.post(
        "/admin/customers", data={"code": "C010", "name": "again"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "customer C010 already exists" in html
    # the import form: errors in Chinese for a Chinese user, with line numbers, escaped
    client.post("/language", data={"locale": "zh"})
    html = client.post(
        "/admin/customers/import",
        data={"file": (io.BytesIO(b"code,name,owner\nC011,x,<b>nobody</b>\n"), "c.csv")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "第 2 行" in html and "&lt;b&gt;nobody&lt;/b&gt;" in html and "<b>nobody" not in html
    resp = client.get("/admin/customers.csv")
    assert resp.mimetype == "text/csv" and "C010,华南五金有限公司" in resp.get_data(as_text=True)
    page = client.get("/admin/customers").get_data(as_text=True)
    assert 'name="cycle"' in page and 'name="owner"' in page


def test_admin_user_email_and_roles(as_role, app):
    client = as_role("admin")
    client.post("/admin/users", data={"name": "li", "role": "finance", "password": PASSWORD,
                                      "email": "li@example.cn"})  # fmt: skip
    with db.session() as s:
        li = s.scalar(select(User).where(User.name == "li"))
        assert li.email == "li@example.cn"
    client.post(f"/admin/users/{li.id}", data={"email": "li2@example.cn"})
    with db.session() as s:
        assert s.get(User, li.id).email == "li2@example.cn"
    finance = as_role("finance")
    assert finance.get("/admin/customers.csv").status_code in (302, 403)
    assert (
        finance.post("/admin/customers", data={"code": "X", "name": "x"}).status_code in (302, 403)
        and customer("X") is None
    )


def test_the_customer_list_has_pages(as_role):
    with db.session() as s:
        s.add_all(Customer(code=f"P{i:03d}", name=f"客户{i}", aliases=[]) for i in range(120))
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    first = client.get("/admin/customers").get_data(as_text=True)
    assert "P000" in first and "P050" not in first and "Page 1 of 3" in first
    third = client.get("/admin/customers?page=3").get_data(as_text=True)
    assert "P119" in third and "P000" not in third
