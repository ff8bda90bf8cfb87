"""The reconciliation page in a real headless Chromium: finance signs in, picks a period,
filters by status, opens a customer's unmatched items, and the page is the same in Chinese.

The web app is served over HTTP from this process (no OCR needed: statements are made with
their fields and line items, the ledger is imported from a CSV)."""

# ruff: noqa: F811  (pytest fixtures are imported by name)

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from archive import db
from extract.types import LineItem
from services.ledger import import_file
from tests.test_browser import ARTIFACTS, browser, sign_in, wait  # noqa: F401  (fixture)
from tests.web_fixtures import STATEMENT, make_document, served, users  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def site(data_dir, users):
    from web.app import create_app

    app = create_app({"SESSION_COOKIE_SECURE": False})
    for code, closing, items in (
        ("C001", "1000.00", [("INV-1", "600.00"), ("INV-2", "400.00")]),
        ("C002", "80509.61", [("INV-7", "80509.61")]),
    ):
        make_document(
            {"customer_code": (code, 1.0), "period": ("2026-10", 1.0),
             "closing_balance": (closing, 1.0)},
            lines=[*STATEMENT[:2], f"客户编号：{code}", *STATEMENT[3:]],
            filename=f"{code}.pdf",
            items=[
                LineItem("transaction", date(2026, 10, 5), ref, "货款", D(amount), None, None, 1,
                         None)
                for ref, amount in items
            ],
        )
    with db.session() as s:
        import_file(
            s,
            b"customer_code,period,balance\nC001,2026-10,1000.00\nC002,2026-10,80000.00\n"
            b"C003,2026-10,5.00\n",
            "balances.csv",
            user="finance",
        )
        import_file(
            s,
            b"customer_code,date,reference,amount\nC001,2026-10-06,INV-1,600.00\n"
            b"C001,2026-10-06,INV-2,400.00\nC002,2026-10-30,X-9,80000.00\n",
            "items.csv",
            user="finance",
        )
    with served(app) as base:
        yield base


def test_finance_reconciles_a_period(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    sign_in(browser, site, "finance", locale="en")
    browser.find_element(By.LINK_TEXT, "Reconciliation").click()
    month = browser.find_element(By.NAME, "period")
    month.send_keys("2026/10")  # a month typed as people type it
    browser.find_element(By.CSS_SELECTOR, "#reconcile-form button[type=submit]").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#reconcile tbody tr[data-status]"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#reconcile tbody tr[data-status]")
    assert [(r.get_attribute("data-customer"), r.get_attribute("data-status")) for r in rows] == [
        ("C001", "matched"), ("C002", "difference"), ("C003", "no_statement")
    ]
    c002 = browser.find_element(By.CSS_SELECTOR, 'tr[data-customer="C002"]')
    assert "509.61" in c002.text
    c002.find_element(By.TAG_NAME, "summary").click()
    line = wait(browser, lambda d: c002.find_element(By.CSS_SELECTOR, ".unmatched-line"))
    assert line.is_displayed() and "INV-7" in line.text
    assert "X-9" in c002.find_element(By.CSS_SELECTOR, ".unmatched-item").text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "reconcile.png"))

    Select(browser.find_element(By.NAME, "status")).select_by_value("no_statement")
    browser.find_element(By.CSS_SELECTOR, "#reconcile-form button[type=submit]").click()
    wait(browser, lambda d: "status=no_statement" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#reconcile tbody tr[data-status]")
    assert [r.get_attribute("data-customer") for r in rows] == ["C003"]

    sign_in(browser, site, "finance", locale="zh")
    browser.get(f"{site}/reconcile?period=2026-10")
    assert "双向核对" in browser.title + browser.page_source
    assert "有差异" in browser.find_element(By.CSS_SELECTOR, 'tr[data-customer="C002"]').text
