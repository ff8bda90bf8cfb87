"""Sign-in, roles on every route, CSRF, cookies, headers, escaping, language."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from archive import db
from archive.models import AuditEvent
from archive.users import User
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    PASSWORD,
    app,
    as_role,
    login,
    make_document,
    users,
)

PUBLIC = {"/login", "/health", "/language", "/api/v1/openapi.json", "/"}
# Before any user exists, the first admin is made here: 404 without its one-time token
# (tests/test_first_run.py).
PUBLIC |= {"/first-admin"}


def _sample(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:\w+:)?{arg}>", "1" if arg != "code" else "C001", url)
    return url


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, _sample(rule)


def events(action: str) -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_every_route_needs_sign_in(app):
    client = app.test_client()
    for method, url in _rules(app):
        resp = client.open(url, method=method)
        if url.startswith("/api/"):
            assert resp.status_code == 401, (method, url)
            assert resp.is_json and resp.json["status"] == 401
        elif url == "/metrics":  # a scraper is told, not sent to a sign-in page
            assert resp.status_code == 401, (method, url)
        else:
            assert resp.status_code == 302, (method, url, resp.status_code)
            assert "/login" in resp.headers["Location"], (method, url)


# (url, roles that may open it); every other role gets 403.
GETS = [
    ("/upload/", {"mailroom", "admin"}),
    ("/upload/recent", {"mailroom", "admin"}),
    ("/search", {"finance", "reviewer", "admin"}),
    ("/search?q=华东&amount=80509.61", {"finance", "reviewer", "admin"}),
    ("/search/export.csv", {"finance", "reviewer", "admin"}),
    ("/browse", {"finance", "reviewer", "admin"}),
    ("/browse/C001", {"finance", "reviewer", "admin"}),
    ("/browse/C001/2026", {"finance", "reviewer", "admin"}),
    ("/documents/{id}", {"finance", "reviewer", "admin"}),
    ("/documents/{id}/original", {"finance", "reviewer", "admin"}),
    ("/documents/{id}/pages/1.png", {"finance", "reviewer", "admin"}),
    ("/review/", {"reviewer", "admin"}),
    ("/review/{id}", {"reviewer", "admin"}),
    ("/review/stats", {"reviewer", "admin"}),
    ("/admin/users", {"admin"}),
    ("/admin/customers", {"admin"}),
    ("/admin/settings", {"admin"}),
    ("/admin/audit", {"admin"}),
    ("/admin/customers.csv", {"admin"}),
    ("/finance/", {"finance", "reviewer", "admin"}),
    ("/finance/completeness", {"finance", "reviewer", "admin"}),
    ("/finance/completeness.csv", {"finance", "reviewer", "admin"}),
    ("/finance/reminders", {"finance", "reviewer", "admin"}),
    ("/finance/tags", {"finance", "reviewer", "admin"}),
]
POSTS = [
    ("/upload/", {"mailroom", "admin"}),
    ("/upload/{id}/retry", {"mailroom", "admin"}),
    ("/review/{id}", {"reviewer", "admin"}),
    ("/admin/users", {"admin"}),
    ("/admin/users/1", {"admin"}),
    ("/admin/customers/import", {"admin"}),
    ("/admin/customers/1", {"admin"}),
    ("/admin/settings", {"admin"}),
    ("/admin/customers", {"admin"}),
    ("/finance/tags/bulk", {"finance", "admin"}),
    ("/finance/tags/rules", {"finance", "admin"}),
]


@pytest.mark.parametrize("role", ["mailroom", "finance", "reviewer", "admin"])
def test_roles_on_every_page(as_role, role):
    doc_id = make_document()
    client = as_role(role)
    for url, allowed in GETS:
        resp = client.get(url.format(id=doc_id))
        if role in allowed:
            assert resp.status_code == 200, (role, url, resp.status_code)
        else:
            assert resp.status_code == 403, (role, url, resp.status_code)


@pytest.mark.parametrize("role", ["mailroom", "finance", "reviewer", "admin"])
def test_forbidden_posts(as_role, role, monkeypatch):
    doc_id = make_document()
    client = as_role(role)
    for url, allowed in POSTS:
        if role in allowed:
            continue
        resp = client.post(url.format(id=doc_id), data={})
        assert resp.status_code == 403, (role, url, resp.status_code)


def test_home_sends_each_role_to_its_page(as_role):
    expected = {
        "mailroom": "/upload/",
        "finance": "/search",
        "reviewer": "/review/",
        "admin": "/search",
    }
    for role, path in expected.items():
        resp = as_role(role).get("/")
        assert resp.headers["Location"].endswith(path)


def test_login_and_failures_are_audited(app, users):
    client = app.test_client()
    assert login(client, "finance", "wrong password!").status_code == 401
    assert login(client, "nobody", "wrong password!").status_code == 401
    assert login(client, "finance").status_code == 302
    failed = events("login_failed")
    assert {e.user for e in failed} == {"finance", "nobody"}
    assert all(e.detail["ip"] for e in failed)
    assert [e.user for e in events("login")] == ["finance"]


def test_login_is_throttled_after_repeated_failures(app, users):
    client = app.test_client()
    for _ in range(5):
        assert login(client, "finance", "guess guess guess").status_code == 401
    # Even the right password is refused for a while: the attempts look like guessing.
    resp = login(client, "finance")
    assert resp.status_code == 429
    assert "1 minutes" in resp.get_data(as_text=True) or "1分钟" in resp.get_data(as_text=True)
    assert login(app.test_client(), "reviewer").status_code == 302  # other users unaffected


def test_inactive_user_cannot_sign_in(app, users):
    with db.session() as s:
        s.scalar(select(User).where(User.name == "finance")).active = False
    assert login(app.test_client(), "finance").status_code == 401


def test_next_only_to_this_site(app, users):
    client = app.test_client()
    resp = client.post(
        "/login?next=https://evil.example/x", data={"name": "finance", "password": PASSWORD}
    )
    assert resp.headers["Location"] == "/search"
    client = app.test_client()
    resp = client.post("/login?next=/browse", data={"name": "finance", "password": PASSWORD})
    assert resp.headers["Location"] == "/browse"


def test_logout(as_role):
    client = as_role("finance")
    assert client.post("/logout").status_code == 302
    assert client.get("/search").status_code == 302


def test_passwords_are_scrypt_hashes(users):
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == "finance"))
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash


def test_csrf_is_required_on_forms(data_dir, users):
    from web.app import create_app

    app = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    assert client.post("/login", data={"name": "finance", "password": PASSWORD}).status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post(
        "/login", data={"name": "finance", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302
    assert client.post("/logout").status_code == 400  # no token: refused


def test_cookies_and_headers(data_dir, users):
    from web.app import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    https = "https://localhost"
    resp = client.post("/login", data={"name": "finance", "password": PASSWORD}, base_url=https)
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/search", base_url=https)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"


def test_untrusted_names_and_text_are_escaped(as_role):
    doc_id = make_document(
        filename="<script>alert(1)</script>.pdf",
        lines=["客户名称：<img src=x onerror=alert(2)>", "应付金额：¥1,234.00", "华东 <b>bold</b>"],
        fields={"customer_name": ("<img src=x onerror=alert(2)>", 0.5)},
        status="needs_review",
        notes=["<i>note</i>"],
    )
    client = as_role("admin")
    for url in (
        "/search?q=华东",
        f"/documents/{doc_id}",
        f"/review/{doc_id}",
        "/review/",
        "/upload/",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "<b>bold" not in html and "<i>note" not in html, url
    assert "<mark>华东</mark>" in client.get("/search?q=华东").get_data(as_text=True)


def test_language_is_remembered_per_user(app, users):
    client = app.test_client()
    login(client, "finance")
    assert "Search" in client.get("/search", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    client.post("/language", data={"locale": "zh"})
    with db.session() as s:
        assert s.scalar(select(User.locale).where(User.name == "finance")) == "zh"
    fresh = app.test_client()
    login(fresh, "finance")
    html = fresh.get("/search", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "对账单档案" in html and "搜索" in html


def test_locale_formats(app):
    from flask import g

    from web import i18n

    with app.test_request_context("/"):
        g.locale = "zh"
        assert i18n.amount("80509.61") == "80,509.61"
        assert i18n.date("2026-10-31") == "2026年10月31日"
        assert i18n.period("2026-10") == "2026年10月"
        g.locale = "en"
        assert i18n.amount("-1234567.5") == "-1,234,567.50"
        assert i18n.date("2026-10-31") == "31 Oct 2026"
        assert i18n.period("2026-10") == "Oct 2026"
