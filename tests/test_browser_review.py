"""The review station in a real headless Chromium: statements of customers the master does
not know never block the reviewer (skip, an error shown on top, the customer added from
the page, saved), in Chinese and in English. Same server and browser as tests/test_browser.py.
"""

# ruff: noqa: F811  (pytest fixtures are imported from tests.test_browser by name)

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    browser,
    files,
    gone,
    has_class,
    server,
    shot,
    sign_in,
    upload,
    wait,
)

pytestmark = pytest.mark.slow

OTHERS = [
    [
        "对账单 Account Statement",
        f"客户名称：{name}",
        f"对账期间：2026年{month}月",
        f"对账单号：ST-2026{month:02d}-0{month}77",
        f"应付金额：¥{amount}",
    ]
    for name, month, amount in (("西湖茶叶商行", 7, "3,210.00"), ("江北五金店", 8, "456.78"))
]


@pytest.fixture(scope="module")
def unknown_files(tmp_path_factory) -> list[Path]:
    from tests.web_fixtures import statement_pdf

    folder = tmp_path_factory.mktemp("unknown")
    out = []
    for i, lines in enumerate(OTHERS):
        path = folder / f"unknown-{i}.pdf"
        path.write_bytes(statement_pdf(lines))
        out.append(path)
    return out


def _click(driver, element) -> None:
    """Click an element of the side column once it is scrolled to the middle of the window."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _doc_id(driver) -> str:
    return driver.current_url.rstrip("/").rsplit("/", 1)[1]


def test_unknown_customers_never_block_the_reviewer(server, browser, unknown_files):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, server["base"], "mailroom")
    for path in unknown_files:
        upload(browser, path)
    for _ in unknown_files:
        wait(browser, has_class("#recent tbody tr:first-child .badge", "status-needs_review"), 180)
    wait(
        browser,
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#recent .badge.status-needs_review"))
        >= len(unknown_files),
        180,
    )

    sign_in(browser, server["base"], "reviewer")
    browser.find_element(By.ID, "start-review").click()
    wait(browser, lambda d: d.find_elements(By.ID, "review-form"))
    first = _doc_id(browser)

    # A save that fails: the error is on top, focused and announced.
    code = browser.find_element(By.ID, "f-customer_code")
    code.clear()
    code.send_keys("NOPE-1")
    code.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#form-errors.flash-error"))
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "form-errors"
    assert active.get_attribute("role") == "alert"
    assert "NOPE-1" in active.text
    top = browser.execute_script(
        "return document.getElementById('form-errors').getBoundingClientRect().top"
    )
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    shot(browser, "20-review-error-on-top")

    # The page image: zoom in, rotate, and the due date has a field of its own.
    width = browser.execute_script(
        "return document.querySelector('#review-pages .page-canvas').offsetWidth"
    )
    _click(browser, browser.find_element(By.CSS_SELECTOR, "[data-zoom='1']"))
    assert browser.find_element(By.ID, "zoom-level").text == "125%"
    wider = browser.execute_script(
        "return document.querySelector('#review-pages .page-canvas').offsetWidth"
    )
    assert wider > width * 1.2
    _click(browser, browser.find_element(By.ID, "rotate"))
    assert "turn-1" in browser.find_element(By.CSS_SELECTOR, ".page-canvas").get_attribute("class")
    _click(browser, browser.find_element(By.CSS_SELECTOR, "[data-zoom='0']"))
    _click(browser, browser.find_element(By.ID, "rotate"))
    assert browser.find_elements(By.ID, "f-due_date")

    # Alt+C ticks a weak value as confirmed, from the keyboard.
    name = browser.find_element(By.ID, "f-customer_name")
    name.send_keys(Keys.ALT, "c")
    assert browser.find_element(By.NAME, "confirm_customer_name").is_selected()

    # Skip: the next statement, not the same one again.
    _click(browser, browser.find_element(By.ID, "skip"))
    wait(browser, lambda d: _doc_id(d) != first and d.find_elements(By.ID, "review-form"))
    second = _doc_id(browser)
    assert second != first
    assert "跳过" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    # Add this customer from the page, then save.
    _click(browser, browser.find_element(By.CSS_SELECTOR, "#add-customer-box summary"))
    browser.find_element(By.ID, "new-customer-code").send_keys("C777")
    printed = browser.find_element(By.ID, "new-customer-name").get_attribute("value")
    assert printed  # the name printed on the statement, ready to be the master's
    _click(browser, browser.find_element(By.ID, "add-customer"))
    wait(browser, lambda d: d.find_element(By.ID, "f-customer_code").get_attribute("value"))
    assert browser.find_element(By.ID, "f-customer_code").get_attribute("value") == "C777"
    shot(browser, "21-review-customer-added")
    _click(browser, browser.find_element(By.ID, "save"))
    wait(browser, lambda d: f"/review/{second}" not in d.current_url)
    assert "C777" not in browser.current_url

    # The customer picker finds the new customer by its alias (the printed name).
    browser.get(f"{server['base']}/review/{first}")
    picker = wait(browser, lambda d: d.find_element(By.ID, "f-customer_code"))
    picker.clear()
    picker.send_keys(printed[:3])
    wait(
        browser,
        lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('#customer-options option'))"
            ".some(o => o.value === 'C777')"
        ),
    )

    # Line items: sums checked against the totals as one types.
    charges = browser.find_element(By.ID, "f-charges")
    charges.clear()
    charges.send_keys("100.00")
    for debit in ("60.00", "40.00"):
        _click(browser, browser.find_element(By.ID, "add-row"))
        cell = browser.switch_to.active_element
        assert cell.get_attribute("name").endswith("-date")
        row = cell.find_element(By.XPATH, "./ancestor::tr")
        row.find_element(By.CSS_SELECTOR, ".cell-debit").send_keys(debit)
        if debit == "60.00":
            assert browser.find_elements(By.CSS_SELECTOR, "#sums .sum-bad")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#sums .sum-ok"))
    assert not browser.find_elements(By.CSS_SELECTOR, "#sums .sum-bad")
    shot(browser, "23-review-line-items")

    # English: the same station speaks English.
    sign_in(browser, server["base"], "reviewer", locale="en")
    browser.get(f"{server['base']}/review/{first}")
    assert browser.find_element(By.ID, "skip").text == "Skip"
    assert "Add this customer" in browser.page_source
    shot(browser, "22-review-english")


def test_the_saved_statement_is_accepted_with_the_new_customer(server):
    import json

    from tests.test_browser import _stmt

    out = _stmt(server["env"], "search", "--customer", "C777", "--json")
    hits = json.loads(out)["hits"]
    assert len(hits) == 1
