"""Hostile input and hostile users: huge amounts, numbers beyond 64 bits, forged QR codes,
huge PDF pages, races, names that lie, what the mailroom may see, file permissions."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io
import stat
import threading
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive import config, db
from archive.models import Document
from archive.users import User
from extract import qrpayload
from extract.confidence import score
from extract.types import Code, FieldValue, Status
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    STATEMENT,
    add_customer,
    api,
    app,
    as_role,
    make_document,
    no_queue,
    statement_pdf,
    tokens,
    users,
)

HUGE = "99999999999999999999999.00"
TOO_BIG = ("1e30", "9223372036854775807", "1e999999", "99,999,999,999,999,999,999.00")


def _fields(amount: str) -> dict[str, tuple[str, float]]:
    return {
        "customer_code": ("C001", 1.0),
        "period": ("2026-10", 0.95),
        "amount_due": (amount, 0.97),
    }


# -- huge amounts --------------------------------------------------------------------


def test_a_huge_printed_amount_needs_review():
    fields = {
        "customer_code": FieldValue("customer_code", "C001", 1.0, "text"),
        "period": FieldValue("period", "2026-10", 1.0, "text"),
        "amount_due": FieldValue("amount_due", Decimal(HUGE), 0.99, "text"),
    }
    out, status, notes = score(fields, [], [], threshold=0.5)
    assert status == Status.NEEDS_REVIEW
    assert any("too large" in n for n in notes), notes
    assert out["amount_due"].confidence == 0.0


def test_a_huge_amount_never_blocks_the_index(data_dir):
    from index.base import SearchQuery
    from index.documents import backend
    from index.service import run_search
    from ingest.cli import main

    bad = make_document(_fields(HUGE))  # indexing it must not raise either
    good = make_document(_fields("80509.61"), lines=[*STATEMENT, "another"])
    with db.session() as s:
        for doc in s.scalars(select(Document)):
            doc.index_pending = True
    runner = CliRunner()
    for args in (["reindex", "--pending"], ["reindex"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "2 documents indexed" in result.output
    hits = run_search(SearchQuery(limit=10), None).hits
    assert {h.id for h in hits} == {bad, good}
    # both print 80,509.61 on the page; only the good one holds it as its amount due
    by_summary = SearchQuery(amount=Decimal("80509.61"), amount_in="summary")
    assert [h.id for h in run_search(by_summary, None).hits] == [good]
    assert backend(config.load())  # the index is still usable


def test_patch_with_a_huge_amount_is_400(api, tokens):
    doc_id = make_document()
    resp = api.patch(
        f"/api/v1/documents/{doc_id}/fields", json={"amount_due": HUGE}, headers=tokens["reviewer"]
    )
    assert resp.status_code == 400 and resp.json["field"] == "amount_due"
    from tests.web_fixtures import document

    assert document(doc_id).value("amount_due") == "80509.61"


# -- 500 → 400 --------------------------------------------------------------------


@pytest.mark.parametrize("amount", TOO_BIG)
def test_search_with_an_absurd_amount_is_400(api, tokens, as_role, amount):
    make_document()
    resp = api.get("/api/v1/search", query_string={"amount": amount}, headers=tokens["finance"])
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert "amount" in resp.json["message"]
    web = as_role("finance")
    for path in ("/search", "/search/export.csv"):
        resp = web.get(path, query_string={"amount_min": amount})
        assert resp.status_code == 400, (path, resp.status_code)


@pytest.mark.parametrize("amount", TOO_BIG)
def test_cli_search_with_an_absurd_amount_says_so(data_dir, amount):
    from ingest.cli import main

    result = CliRunner().invoke(main, ["search", "--amount", amount])
    assert result.exit_code == 2
    assert "too large" in result.output or "not an amount" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_one_parser_for_amounts_and_periods():
    from archive.translations_zh import ZH
    from archive.userinput import InputError, parse_amount, parse_period

    assert parse_amount("¥80,509.61") == Decimal("80509.61")
    assert parse_amount(" -12.5 ") == Decimal("-12.5")
    assert parse_amount("") is None and parse_period(None) is None
    for bad in ("abc", "NaN", "Infinity", "1" * 100, *TOO_BIG):
        with pytest.raises(InputError) as exc:
            parse_amount(bad)
        assert exc.value.message in ZH  # the web app shows it in Chinese too
    with pytest.raises(InputError) as exc:
        parse_period("2026-13")
    assert exc.value.message in ZH


def test_qr_api_refuses_what_it_cannot_encode(api, tokens):
    long = "C" * 5000
    for query in (
        {"customer": long, "period": "2026-10"},
        {"customer": "C1", "period": "2026-10", "number": long},
        {"customer": "C1", "period": "2026-10", "amount": "1e999999"},
        {"payload": "STMT1|c=" + long},
    ):
        resp = api.get("/api/v1/qr", query_string=query, headers=tokens["finance"])
        assert resp.status_code == 400, resp.get_data(as_text=True)[:200]


def test_qr_api_only_for_roles_that_issue_statements(api, tokens):
    query = {"customer": "C1", "period": "2026-10"}
    for role, code in (("admin", 200), ("finance", 200), ("reviewer", 403), ("mailroom", 403)):
        assert api.get("/api/v1/qr", query_string=query, headers=tokens[role]).status_code == code


def test_ids_beyond_64_bits_are_404(api, tokens, as_role):
    big = 2**63
    for path in ("", "/original", "/history"):
        resp = api.get(f"/api/v1/documents/{big}{path}", headers=tokens["admin"])
        assert resp.status_code == 404, path
    resp = api.patch(f"/api/v1/documents/{big}/fields", json={"period": "2026-10"},
                     headers=tokens["admin"])  # fmt: skip
    assert resp.status_code == 404
    assert as_role("finance").get(f"/documents/{big}").status_code == 404
    assert api.get(f"/api/v1/documents/{2**63 - 1}", headers=tokens["admin"]).status_code == 404


def test_parallel_uploads_of_one_new_file_give_one_document(api, tokens, no_queue):
    data = statement_pdf([*STATEMENT, "parallel"])
    answers: list[tuple[int, int]] = []

    def upload():
        client = api.application.test_client()
        resp = client.post(
            "/api/v1/documents",
            data={"file": (io.BytesIO(data), "same.pdf")},
            headers=tokens["mailroom"],
        )
        answers.append((resp.status_code, (resp.json or {}).get("id")))

    threads = [threading.Thread(target=upload) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for code, _ in answers) == [200] * 19 + [202], answers
    assert len({doc_id for _, doc_id in answers}) == 1
    with db.session() as s:
        assert len(s.scalars(select(Document)).all()) == 1


def test_405_says_allow(api, tokens):
    resp = api.delete("/api/v1/search", headers=tokens["admin"])
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]


# -- forged QR codes -------------------------------------------------------------------


def _code(payload: str) -> Code:
    return Code("QRCODE", payload, 1, (10.0, 10.0, 110.0, 110.0))


STATEMENT_CODE = qrpayload.StatementCode("C0042", "2026-10", Decimal("999999.99"), "CNY", "ST-1")


def test_signed_code_is_trusted_and_a_forged_one_is_not():
    key = b"our secret"
    signed = qrpayload.build(STATEMENT_CODE, key=key)
    assert "|m=" in signed
    assert qrpayload.parse(signed, key).trust == qrpayload.SIGNED
    assert qrpayload.parse(signed).trust == qrpayload.CHECKSUM  # without the key: readable
    crc_only = qrpayload.build(STATEMENT_CODE)
    assert qrpayload.parse(crc_only, key).trust == qrpayload.CHECKSUM
    forged = qrpayload.build(STATEMENT_CODE, key=b"guessed")  # valid CRC, wrong MAC
    assert qrpayload.parse(forged, key) is None
    out, status, _ = score({}, [_code(signed)], [], threshold=0.9, qr_key=key)
    assert out["amount_due"].confidence == 1.0 and out["amount_due"].value == Decimal("999999.99")
    out, status, notes = score({}, [_code(crc_only)], [], threshold=0.9, qr_key=key)
    assert status == Status.NEEDS_REVIEW and out["amount_due"].confidence < 0.9, notes
    out, status, notes = score({}, [_code(forged)], [], threshold=0.9, qr_key=key)
    assert "amount_due" not in out and status == Status.NEEDS_REVIEW
    assert any("not ours" in n for n in notes), notes


def test_the_qr_api_signs_with_the_installation_key(api, tokens):
    from archive.secret import server_key

    resp = api.get(
        "/api/v1/qr",
        query_string={"customer": "C0042", "period": "2026-10", "amount": "12.00"},
        headers=tokens["finance"],
    )
    payload = resp.headers["X-Statement-Payload"]
    assert qrpayload.parse(payload, server_key(config.load())).trust == qrpayload.SIGNED


def test_one_secret_for_every_process(data_dir, monkeypatch):
    from archive.secret import server_key

    monkeypatch.delenv("STMT_SECRET_KEY")
    settings = config.load()
    first = server_key(settings)
    assert first == server_key(config.load())  # the file, read again
    path = settings.data_dir / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("STMT_SECRET_KEY", "from the environment")
    assert server_key(config.load()) == b"from the environment"


# -- memory ----------------------------------------------------------------------------


def test_a_huge_pdf_page_is_rendered_within_the_pixel_limit():
    from reportlab.pdfgen import canvas

    from extract.pipeline import Limits, page_images

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(7200, 7200))
    c.setFont("Helvetica", 400)
    c.drawString(200, 3600, "Poster")
    c.showPage()
    c.save()
    limits = Limits(max_pixels=20_000_000)
    for image, _n, dpi, _text in page_images(buf.getvalue(), "pdf", limits):
        assert image.width * image.height <= limits.max_pixels
        assert dpi == image.width * 72 // 7200  # boxes are scaled by the dpi actually used
    from extract.types import ExtractError

    with pytest.raises(ExtractError, match="too large"):
        list(page_images(buf.getvalue(), "pdf", Limits(max_pixels=1_000_000)))


def test_the_file_size_limit_holds_for_multi_page_pdfs(data_dir, tmp_path, monkeypatch):
    from ingest.cli import main
    from services import intake, processing

    pdf = _two_pages() + b"%" + b"x" * (1024 * 1024 + 10)  # readers ignore the tail
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf)
    monkeypatch.setenv("STMT_MAX_FILE_MB", "1")
    result = CliRunner().invoke(main, ["ingest", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert "the limit is 1,048,576" in result.output
    with db.session() as s:
        assert s.scalars(select(Document)).all() == []
    monkeypatch.setattr("services.intake.enqueue", lambda doc_id: True)
    sub = intake.submit(pdf, "big.pdf", source="folder")  # another way in: fails when read
    assert processing.process(sub.id) == "failed"
    with db.session() as s:
        assert "the limit is 1,048,576" in s.get(Document, sub.id).error


def _two_pages() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for text in ("page one", "page two"):
        c.drawString(100, 700, text)
        c.showPage()
    c.save()
    return buf.getvalue()


# -- the mailroom --------------------------------------------------------------------


def test_mailroom_sees_only_its_own_uploads_without_notes(app, users, tokens, no_queue):
    from archive.users import add_user
    from tests.web_fixtures import PASSWORD, login

    mine = make_document(
        status="needs_review", notes=["customer C9 not in the master"], user="mailroom"
    )
    with db.session() as s:
        add_user(s, "mailroom2", "mailroom", PASSWORD)
    theirs = make_document(
        _fields("1.00"), lines=[*STATEMENT, "theirs"], filename="theirs.pdf", user="mailroom2"
    )
    client = app.test_client()
    login(client, "mailroom")
    rows = client.get("/upload/recent").json["documents"]
    assert [r["id"] for r in rows] == [mine]
    assert rows[0]["reason"] == ""
    assert "not in the master" not in client.get("/upload/").get_data(as_text=True)
    api = app.test_client()
    assert api.get(f"/api/v1/documents/{mine}", headers=tokens["mailroom"]).status_code == 200
    assert api.get(f"/api/v1/documents/{theirs}", headers=tokens["mailroom"]).status_code == 404
    admin = app.test_client()
    login(admin, "admin")
    assert {r["id"] for r in admin.get("/upload/recent").json["documents"]} == {mine, theirs}


# -- names and files -----------------------------------------------------------------


def test_bidi_controls_are_stripped_from_names(data_dir):
    from archive.store import safe_name

    assert safe_name("\u202egnp.exe.pdf") == "gnp.exe.pdf"
    assert safe_name("a\u2066b\u2069c\u200e\u200f.pdf") == "abc.pdf"
    doc_id = make_document(filename="\u202egnp.exe.pdf")
    with db.session() as s:
        assert s.get(Document, doc_id).filename == "gnp.exe.pdf"


def test_databases_are_private(data_dir):
    from index.documents import backend

    backend(config.load())
    make_document()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("archive.sqlite3", "search.sqlite3"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name


# -- sessions and tokens ------------------------------------------------------------


def test_a_saved_session_cookie_dies_with_logout_and_password_change(app, users):
    from tests.web_fixtures import login

    client = app.test_client()
    login(client, "finance")
    saved = client.get_cookie("stmt_session").value
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("stmt_session", saved)
    assert thief.get("/search").status_code == 302  # back to the sign-in page

    login(client, "finance")
    saved = client.get_cookie("stmt_session").value
    with db.session() as s:
        s.scalar(select(User).where(User.name == "finance")).set_password("another good one")
    thief = app.test_client()
    thief.set_cookie("stmt_session", saved)
    assert thief.get("/search").status_code == 302
    assert client.get("/search").status_code == 302  # that session too
    assert login(app.test_client(), "finance", "another good one").status_code == 302


def test_tokens_can_be_listed_revoked_and_expire(api, users):
    import datetime as dt
    import json

    from archive.users import ApiToken
    from ingest.cli import main

    runner = CliRunner()
    made = runner.invoke(main, ["tokens", "create", "finance", "--expires", "30",
                                "--label", "billing"])  # fmt: skip
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/search", headers=auth).status_code == 200
    rows = [json.loads(line) for line in runner.invoke(main, ["tokens", "list", "--json"]).output
            .splitlines()]  # fmt: skip
    (row,) = rows
    assert row["user"] == "finance" and row["name"] == "billing" and row["state"] == "active"
    assert token.startswith(row["hint"]) and token not in json.dumps(rows)
    assert row["expires_at"] is not None

    with db.session() as s:  # time passes
        s.get(ApiToken, row["id"]).expires_at = dt.datetime(2000, 1, 1)
    assert api.get("/api/v1/search", headers=auth).status_code == 401
    with db.session() as s:
        s.get(ApiToken, row["id"]).expires_at = None

    assert api.get("/api/v1/search", headers=auth).status_code == 200
    assert runner.invoke(main, ["tokens", "revoke", str(row["id"])]).exit_code == 0
    assert api.get("/api/v1/search", headers=auth).status_code == 401
    listed = runner.invoke(main, ["tokens", "list"]).output
    assert "revoked" in listed
    assert runner.invoke(main, ["tokens", "revoke", "99"]).exit_code == 1
    assert runner.invoke(main, ["tokens", "create", "finance", "--expires", "0"]).exit_code == 2


def test_admin_manages_tokens_in_the_web_app(as_role, api):
    admin = as_role("admin")
    resp = admin.post("/admin/tokens", data={"user": "finance", "label": "erp", "days": "7"},
                      follow_redirects=True)  # fmt: skip
    page = resp.get_data(as_text=True)
    import re

    token = re.search(r"stmt_[A-Za-z0-9_-]{20,}", page).group(0)
    auth = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/search", headers=auth).status_code == 200
    from archive.users import ApiToken

    with db.session() as s:
        (row,) = s.scalars(select(ApiToken)).all()
        assert row.name == "erp" and row.expires_at is not None
    admin.post(f"/admin/tokens/{row.id}/revoke")
    assert api.get("/api/v1/search", headers=auth).status_code == 401
    assert "erp" in admin.get("/admin/tokens").get_data(as_text=True)


# -- sign-in throttling -------------------------------------------------------------


def _age_locks(minutes: int) -> None:
    """Move every lock and failure `minutes` into the past, as if time had passed."""
    import datetime as dt

    from archive.throttle import LoginThrottle

    with db.session() as s:
        for row in s.scalars(select(LoginThrottle)):
            if row.locked_until:
                row.locked_until -= dt.timedelta(minutes=minutes)
            if row.last_failure_at:
                row.last_failure_at -= dt.timedelta(minutes=minutes)


def test_lockout_backs_off_and_ends(app, users):
    from archive.throttle import LoginThrottle
    from tests.web_fixtures import login

    client = app.test_client()
    for _ in range(5):
        assert login(client, "admin", "guess guess guess").status_code == 401
    assert login(client, "admin").status_code == 429
    for _ in range(10):  # attempts while locked are refused and not counted
        assert login(client, "admin", "guess guess guess").status_code == 429
    with db.session() as s:
        assert s.get(LoginThrottle, "account:admin").failures == 5
    _age_locks(2)  # the first lock is one minute
    assert login(client, "admin", "guess guess guess").status_code == 401  # sixth failure
    assert login(client, "admin").status_code == 429  # now two minutes
    _age_locks(1)
    assert login(client, "admin").status_code == 429
    _age_locks(2)
    assert login(client, "admin").status_code == 302  # the lock ended; success clears it
    with db.session() as s:
        assert s.get(LoginThrottle, "account:admin") is None


def test_the_throttle_is_shared_and_admins_can_unlock(app, users):
    from ingest.cli import main
    from tests.web_fixtures import login
    from web.app import create_app

    for _ in range(5):
        login(app.test_client(), "finance", "guess guess guess")
    other = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})  # another process's app
    assert login(other.test_client(), "finance").status_code == 429
    assert login(other.test_client(), "reviewer").status_code == 302  # others unaffected
    result = CliRunner().invoke(main, ["users", "unlock", "finance"])
    assert result.exit_code == 0, result.output
    assert login(other.test_client(), "finance").status_code == 302

    for _ in range(5):
        login(app.test_client(), "finance", "guess guess guess")
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Unlock" in page or "解锁" in page
    with db.session() as s:
        finance = s.scalar(select(User).where(User.name == "finance"))
    admin.post(f"/admin/users/{finance.id}/unlock")
    assert login(app.test_client(), "finance").status_code == 302


def test_many_failures_from_one_address_throttle_that_address(app, users):
    from archive.throttle import ADDRESS_LIMIT
    from tests.web_fixtures import login

    for i in range(ADDRESS_LIMIT):
        login(app.test_client(), f"nobody{i}", "guess guess guess")
    assert login(app.test_client(), "reviewer").status_code == 429
    elsewhere = app.test_client()
    resp = elsewhere.post("/login", data={"name": "reviewer", "password": "correct horse battery"},
                          environ_base={"REMOTE_ADDR": "10.9.9.9"})  # fmt: skip
    assert resp.status_code == 302


def test_page_numbers_and_id_filters_beyond_64_bits(as_role):
    from ingest.cli import main

    make_document()
    big = str(10**25)
    assert as_role("finance").get(f"/search?page={big}").status_code == 200
    admin = as_role("admin")
    assert admin.get(f"/admin/audit?document={big}&page={big}").status_code == 200
    for command in (["show", big], ["retry", big]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2 and "Traceback" not in result.output, command


def test_upscaling_a_low_resolution_page_stays_within_the_pixel_limit():
    import numpy as np

    from extract.imageprep import MAX_PIXELS, prepare

    page = np.full((7000, 7000), 255, dtype=np.uint8)  # 49 Mpx at 72 dpi, some "text" on it
    page[1000:1040, 500:6500] = 0
    page[2000:2040, 500:6500] = 0
    prepared = prepare(page, 72)
    assert prepared.image.size <= MAX_PIXELS


def test_months_and_days_typed_in_forms():
    import datetime as dt

    from archive.userinput import InputError, parse_day, parse_period, parse_typed_period

    assert parse_typed_period("2026年1月") == parse_typed_period("2026/1") == "2026-01"
    with pytest.raises(InputError):  # the API and the command line stay strict
        parse_period("2026/01")
    assert parse_day("2026年10月5日") == parse_day("2026/10/05") == dt.date(2026, 10, 5)
    assert parse_day("") is None
    for bad in ("2026-02-30", "yesterday", "2026-10"):
        with pytest.raises(InputError):
            parse_day(bad)
