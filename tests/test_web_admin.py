"""Admins: users, customers (CSV import, aliases), the review threshold, the audit log."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io

from sqlalchemy import select

from archive import db
from archive.models import AuditEvent, Customer
from archive.users import Setting, User, review_threshold
from tests.web_fixtures import PASSWORD, app, as_role, login, users  # noqa: F401


def user(name: str) -> User | None:
    with db.session() as s:
        return s.scalar(select(User).where(User.name == name))


def test_add_user_and_change_role_password_and_activity(app, as_role):
    client = as_role("admin")
    resp = client.post(
        "/admin/users", data={"name": "mei", "role": "finance", "password": "a long pass 1"}
    )
    assert resp.status_code == 302 and user("mei").role == "finance"
    assert login(app.test_client(), "mei", "a long pass 1").status_code == 302

    mei = user("mei").id
    client.post(f"/admin/users/{mei}", data={"role": "reviewer", "active": "1"})
    assert user("mei").role == "reviewer"
    client.post(f"/admin/users/{mei}", data={"active": "0"})
    assert not user("mei").active
    client.post(f"/admin/users/{mei}", data={"active": "1", "password": "another pass 2"})
    assert login(app.test_client(), "mei", "another pass 2").status_code == 302
    actions = [e.action for e in _events()]
    assert actions.count("user_changed") == 3 and "user_added" in actions


def test_weak_password_and_duplicate_names_are_refused(as_role):
    client = as_role("admin")
    html = client.post(
        "/admin/users", data={"name": "x", "role": "finance", "password": "short"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "at least 10 characters" in html and user("x") is None
    html = client.post(
        "/admin/users", data={"name": "finance", "role": "finance", "password": PASSWORD},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "already exists" in html


def test_admin_cannot_lock_themselves_out(as_role):
    client = as_role("admin")
    me = user("admin").id
    client.post(f"/admin/users/{me}", data={"role": "finance", "active": "0"})
    assert user("admin").role == "admin" and user("admin").active


def test_import_customers_and_edit_aliases(as_role):
    client = as_role("admin")
    data = "\ufeffcode,name,aliases\nC001,上海华东贸易有限公司,华东贸易;上海华东\nC002,北京中科,\n"
    resp = client.post(
        "/admin/customers/import",
        data={"file": (io.BytesIO(data.encode()), "customers.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "2 added" in resp.get_data(as_text=True) or "新增 2" in resp.get_data(as_text=True)
    with db.session() as s:
        c1 = s.scalar(select(Customer).where(Customer.code == "C001"))
    assert c1.aliases == ["华东贸易", "上海华东"]
    client.post(f"/admin/customers/{c1.id}", data={"name": c1.name, "aliases": "华东贸易\n华东\n"})
    with db.session() as s:
        assert s.get(Customer, c1.id).aliases == ["华东贸易", "华东"]
    html = client.get("/admin/customers?q=华东").get_data(as_text=True)
    assert "C001" in html and "C002" not in html


def test_bad_customer_file(as_role):
    resp = as_role("admin").post(
        "/admin/customers/import",
        data={"file": (io.BytesIO(b"id,title\n1,x\n"), "bad.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "code,name" in resp.get_data(as_text=True)


def test_review_threshold_setting(as_role):
    client = as_role("admin")
    client.post("/admin/settings", data={"review_threshold": "0.85"})
    with db.session() as s:
        assert s.get(Setting, "review_threshold").value == "0.85"
        assert review_threshold(s, 0.9) == 0.85
    client.post("/admin/settings", data={"review_threshold": "1.5"})
    with db.session() as s:
        assert review_threshold(s, 0.9) == 0.85
    assert 'value="0.85"' in client.get("/admin/settings").get_data(as_text=True)


def test_audit_log_filters(app, as_role):
    login(app.test_client(), "finance", "not the password")
    client = as_role("admin")
    html = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert "login_failed" in html and "bad credentials" in html
    html = client.get("/admin/audit?user=nobody").get_data(as_text=True)
    assert "bad credentials" not in html
    html = client.get("/admin/audit?since=2000-01-01&until=2999-12-31&document=").get_data(
        as_text=True
    )
    assert "login_failed" in html
    html = client.get("/admin/audit?since=2000年1月1日&until=2999/12/31").get_data(as_text=True)
    assert "login_failed" in html and 'type="date"' not in html
    html = client.get("/admin/audit?since=2999-12-31").get_data(as_text=True)
    assert "login_failed" not in html.split("<tbody", 1)[-1]


def _events() -> list[AuditEvent]:
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_audit_entries_read_as_words_in_both_languages(as_role):
    from archive import audit

    with db.session() as s:
        audit.record(s, "reviewed", user="rev", changed=["period", "amount_due"], fields=2)
        audit.record(s, "customer_changed", user="admin", code="C001",
                     before={"name": "甲", "cycle": "monthly"},
                     after={"name": "甲公司", "cycle": "monthly"})  # fmt: skip
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Reviewed" in html and "Customer changed" in html
    assert "['period', 'amount_due']" not in html and "甲 → 甲公司" in html
    client.post("/language", data={"locale": "zh"})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "已审核" in html and "修改客户" in html and "修改项" in html


def test_the_audit_day_filter_is_in_the_offices_time_zone(as_role, monkeypatch):
    import datetime as dt
    import time

    from archive import audit

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        # UTC 1 October 17:30 is 2 October, 01:30 in Shanghai
        monkeypatch.setattr("archive.audit.utcnow", lambda: dt.datetime(2026, 10, 1, 17, 30))
        with db.session() as s:
            audit.record(s, "settings_changed", user="admin", review_threshold=0.8)
        client = as_role("admin")
        html = client.get("/admin/audit?since=2026-10-02&until=2026-10-02").get_data(as_text=True)
        assert "review threshold" in html.lower() or "审核阈值" in html
        html = client.get("/admin/audit?since=2026-10-01&until=2026-10-01").get_data(as_text=True)
        assert "0.8" not in html
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
