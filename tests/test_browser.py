"""End to end in a real headless Chromium (Debian's, driven by Selenium and chromium-driver).

`stmt serve` runs in a subprocess with its own embedded worker, on a fresh archive:
the mailroom uploads a scan and watches it become accepted, finance finds it by amount and
by a Chinese word, a reviewer corrects a statement with the keyboard and search returns the
corrected value. Screenshots of every page go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PASSWORD = "correct horse battery"
SCAN_LINES = [
    "对账单 Account Statement",
    "客户名称：上海华东贸易有限公司",
    "客户编号：C001",
    "对账期间：2026年11月",
    "对账单号：ST-202611-0001",
    "应付金额：¥61,234.50",
]
UNKNOWN_LINES = [
    "对账单 Account Statement",
    "客户名称：华东商贸中心",
    "对账期间：2026年9月",
    "对账单号：ST-202609-0042",
    "应付金额：¥12,345.67",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stmt(env: dict[str, str], *args: str, input: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        env=env, cwd=ROOT, input=input, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return done.stdout


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A 300 dpi scan (PNG, no text layer: read by OCR) and a PDF from an unknown customer."""
    import pypdfium2 as pdfium

    from tests.web_fixtures import statement_pdf

    folder = tmp_path_factory.mktemp("files")
    pdf = pdfium.PdfDocument(statement_pdf(SCAN_LINES))
    image = pdf[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    image.save(folder / "scan-华东-2026-11.png", dpi=(300, 300))
    (folder / "unknown-2026-09.pdf").write_bytes(statement_pdf(UNKNOWN_LINES))
    (folder / "customers.csv").write_text(
        "code,name,aliases\nC001,上海华东贸易有限公司,华东贸易\nC002,北京中科联创科技有限公司,\n",
        encoding="utf-8",
    )
    return {
        "scan": folder / "scan-华东-2026-11.png",
        "unknown": folder / "unknown-2026-09.pdf",
        "csv": folder / "customers.csv",
    }


@pytest.fixture(scope="module")
def server(stack, files):
    """`stmt serve` on a free port with its embedded worker; users and customers set up.

    On the production stack a second worker shares the Redis queue with serve's own.
    """
    data = stack.root / "data"
    # Clean synthetic scans OCR at ~0.8 confidence; an office scanning clean originals would
    # set this threshold, and the test needs the scan to be accepted on its own. Every
    # process of the installation (serve, its worker, the second worker) runs with it.
    stack.env.update(STMT_REVIEW_THRESHOLD="0.7", STMT_COOKIE_SECURE="false")
    env = stack.full_env() | {"PYTHONPATH": str(ROOT)}
    _stmt(env, "customers", "import", str(files["csv"]))
    for role in ("mailroom", "finance", "reviewer"):
        _stmt(env, "users", "add", role, "--role", role, "--password-stdin", input=PASSWORD + "\n")
    port = _free_port()
    log = open(data.parent / "serve.log", "w")  # noqa: SIM115  (closed at teardown)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/health", proc)
    if stack.production:
        stack.start_worker(concurrency=1)
    yield {"base": base, "env": env}
    proc.send_signal(signal.SIGINT)  # waitress stops, then the embedded worker is stopped
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"stmt serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310  (local test server)
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver
    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--window-size=1440,1000",
        "--lang=zh-CN",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait(driver, condition, timeout: float = 30):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    ignored = (StaleElementReferenceException,)  # the live list redraws its rows
    return WebDriverWait(driver, timeout, 0.2, ignored).until(condition)


def gone(element):
    """A condition: the element left the page (a reload replaced it)."""
    from selenium.common.exceptions import WebDriverException

    def check(_driver) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:  # stale, or detached while the next page loads
            return True
        return False

    return check


def has_class(selector: str, name: str):
    from selenium.webdriver.common.by import By

    return lambda d: (
        name in (d.find_element(By.CSS_SELECTOR, selector).get_attribute("class") or "")
    )


def shot(driver, name: str) -> None:
    """Full-page screenshot once the page images have loaded."""
    loaded = "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    wait(driver, lambda d: d.execute_script(loaded))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1440, max(900, min(height + 120, 3000)))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1440, 1000)


def sign_in(driver, base: str, name: str, locale: str = "zh") -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{base}/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, lambda d: "/login" not in d.current_url)
    button = driver.find_element(By.CSS_SELECTOR, f".lang button[value={locale}]")
    button.click()
    wait(driver, gone(button))  # the page reloads in the chosen language
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def upload(driver, path: Path) -> str:
    """Upload through the page's file input; the document id it was archived as."""
    from selenium.webdriver.common.by import By

    before = len(driver.find_elements(By.CSS_SELECTOR, "#uploads li"))
    driver.find_element(By.ID, "file-input").send_keys(str(path))
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#uploads li[data-id]")) > before)
    return driver.find_elements(By.CSS_SELECTOR, "#uploads li[data-id]")[0].get_attribute("data-id")


def test_login_page(server, browser):
    browser.delete_all_cookies()
    browser.get(f"{server['base']}/login")
    shot(browser, "01-login")
    assert "对账单档案" in browser.title or "Statement Archive" in browser.title


def test_mailroom_uploads_a_scan_and_sees_it_accepted(server, browser, files):
    from selenium.webdriver.common.by import By

    sign_in(browser, server["base"], "mailroom")
    assert browser.current_url.endswith("/upload/")
    doc_id = upload(browser, files["scan"])
    row = f'#recent tr[data-id="{doc_id}"] .badge'
    wait(browser, has_class(row, "status-accepted"), timeout=180)
    item = browser.find_element(By.CSS_SELECTOR, f'#uploads li[data-id="{doc_id}"]')
    assert "已通过" in item.text  # the upload row follows the document's status too
    upload(browser, files["unknown"])
    wait(browser, has_class("#recent tbody tr:first-child .badge", "status-needs_review"), 180)
    dup = upload(browser, files["scan"])  # the same file again: shown as a duplicate
    assert dup == doc_id
    assert "is-duplicate" in browser.find_element(By.CSS_SELECTOR, "#uploads li").get_attribute(
        "class"
    )
    shot(browser, "02-mailroom-upload")


def test_finance_finds_the_scan_by_amount_and_by_a_chinese_word(server, browser):
    from selenium.webdriver.common.by import By

    sign_in(browser, server["base"], "finance")
    browser.find_element(By.NAME, "amount").send_keys("61,234.50")
    browser.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    wait(browser, lambda d: "amount=61" in d.current_url)
    hits = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.hit"))
    assert len(hits) == 1 and "61,234.50" in hits[0].text
    shot(browser, "03-search-amount")

    browser.get(f"{server['base']}/search")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("华东贸易")
    box.submit()
    wait(browser, lambda d: "q=" in d.current_url)
    hits = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.hit"))
    assert any("61,234.50" in h.text for h in hits)
    assert browser.find_elements(By.CSS_SELECTOR, "article.hit .snippet mark")
    shot(browser, "04-search-chinese")

    hits[0].find_element(By.CSS_SELECTOR, "a.hit-title").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".page-view img"))
    assert browser.find_elements(By.CSS_SELECTOR, ".page-view .box")
    shot(browser, "05-document")
    browser.get(f"{server['base']}/browse/C001")
    shot(browser, "06-browse-customer")


def test_reviewer_corrects_with_the_keyboard_and_search_sees_it(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, server["base"], "reviewer")
    assert browser.current_url.endswith("/review/")
    shot(browser, "07-review-queue")
    browser.find_element(By.ID, "start-review").click()
    wait(browser, lambda d: d.find_elements(By.ID, "review-form"))
    doc_id = browser.current_url.rstrip("/").rsplit("/", 1)[1]
    focused = browser.switch_to.active_element
    assert focused.get_attribute("name") == "customer_code"  # the first field needing attention
    focused.send_keys("C001")
    focused.send_keys(Keys.ENTER)  # Enter: on to the next field that needs attention
    assert browser.switch_to.active_element.get_attribute("name") != "customer_code"
    shot(browser, "08-review-document")
    browser.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)  # save and next
    wait(browser, lambda d: f"/review/{doc_id}" not in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, ".flash")

    browser.get(f"{server['base']}/search?customer=C001&amount=12345.67")
    hits = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "article.hit"))
    assert len(hits) == 1 and hits[0].get_attribute("data-id") == doc_id
    assert "上海华东贸易有限公司" in hits[0].text  # the corrected customer
    shot(browser, "09-search-corrected")
    browser.get(f"{server['base']}/documents/{doc_id}")
    shot(browser, "10-document-corrected")
    browser.get(f"{server['base']}/review/stats")
    shot(browser, "11-review-stats")
    out = _stmt(server["env"], "search", "--customer", "C001", "--amount", "12345.67", "--json")
    assert [h["id"] for h in json.loads(out)["hits"]] == [int(doc_id)]


def test_admin_pages(server, browser):
    _stmt(server["env"], "users", "add", "root", "--role", "admin", "--password-stdin",
          input=PASSWORD + "\n")  # fmt: skip
    sign_in(browser, server["base"], "root", locale="en")
    for path, name in (
        ("/admin/users", "12-admin-users"),
        ("/admin/customers", "13-admin-customers"),
        ("/admin/settings", "14-admin-settings"),
        ("/admin/audit", "15-admin-audit"),
        ("/search", "16-search-english"),
    ):
        browser.get(server["base"] + path)
        shot(browser, name)
    assert "login" in browser.page_source or "Search" in browser.page_source
