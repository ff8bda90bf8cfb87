"""Admins: the access log (filters, CSV) and the retention page (holds, disposal lists)."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from archive import audit, db
from archive.models import AuditEvent, Document
from archive.retention import CLASSES, KEPT_REASONS, DisposalList, LegalHold
from archive.translations_zh import ZH
from tests.web_fixtures import STATEMENT, app, as_role, make_document, users  # noqa: F401
from web.admin_records import ACCESS_TEXT, CLASS_TEXT, LIST_STATUS_TEXT, OUTCOME_TEXT, VIA_TEXT


def _two_customers() -> tuple[int, int]:
    a = make_document(
        {"customer_code": ("C001", 1.0), "period": ("2012-10", 1.0)},
        lines=["对账单 C001", *STATEMENT[1:]],
    )
    b = make_document(
        {"customer_code": ("C002", 1.0), "period": ("2026-10", 1.0)},
        lines=["对账单 C002", *STATEMENT[1:]],
    )
    return a, b


def test_views_and_downloads_are_logged_and_filtered_by_customer_and_user(as_role):
    a, b = _two_customers()
    finance, reviewer = as_role("finance"), as_role("reviewer")
    assert finance.get(f"/documents/{a}").status_code == 200
    assert finance.get(f"/documents/{a}/original").status_code == 200
    assert reviewer.get(f"/documents/{b}").status_code == 200
    admin = as_role("admin")
    html = admin.get("/admin/access-log?customer=C001").get_data(as_text=True)
    assert f"#{a}" in html and f"#{b}" not in html and "2 " in html
    html = admin.get("/admin/access-log?user=reviewer").get_data(as_text=True)
    assert f"#{b}" in html and f"#{a}" not in html
    html = admin.get("/admin/access-log?customer=C001&action=download").get_data(as_text=True)
    assert "1 " in html
    resp = admin.get("/admin/access-log.csv?customer=C001")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted((r["user"], r["action"], r["document_id"]) for r in rows) == [
        ("finance", "download", str(a)),
        ("finance", "view", str(a)),
    ]
    assert all(len(r["entry_hash"]) == 64 for r in rows)
    assert reviewer.get(f"/review/{b}").status_code == 200
    rows = list(csv.DictReader(io.StringIO(admin.get("/admin/access-log.csv?user=reviewer")
                                           .get_data(as_text=True).lstrip("\ufeff"))))  # fmt: skip
    assert sorted(r["via"] for r in rows) == ["review", "web"]
    with db.session() as s:
        exported = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "access_exported").order_by(AuditEvent.id)
        ).first()
        assert exported.user == "admin" and exported.detail["rows"] == 2
        assert exported.detail["filters"] == {"customer": "C001"}
        assert audit.verify(s).ok


def test_only_admins_see_the_records_pages(as_role):
    for path in ("/admin/access-log", "/admin/access-log.csv", "/admin/retention"):
        assert as_role("finance").get(path).status_code == 403
    assert as_role("finance").post("/admin/retention/lists").status_code == 403


def test_hold_propose_approve_and_carry_out_in_the_admin(as_role):
    old, recent = _two_customers()
    admin = as_role("admin")
    html = admin.get("/admin/retention").get_data(as_text=True)
    assert "Draw up a disposal list" in html or "编制销毁清册" in html
    admin.post("/admin/retention/holds", data={"document": str(old), "reason": "诉讼"})
    with db.session() as s:
        hold = s.scalar(select(LegalHold))
        assert (hold.document_id, hold.placed_by, hold.reason) == (old, "admin", "诉讼")
    resp = admin.post("/admin/retention/lists", follow_redirects=True)
    assert "没有超过保管期限的文档" in resp.get_data(as_text=True)  # held: nothing is due
    admin.post(f"/admin/retention/holds/{hold.id}/release", data={"reason": "结案"})
    resp = admin.post("/admin/retention/lists")
    assert resp.status_code == 302
    with db.session() as s:
        list_id = s.scalar(select(DisposalList.id))
    page = admin.get(f"/admin/retention/lists/{list_id}").get_data(as_text=True)
    assert f"#{old}" in page and f"#{recent}" not in page
    admin.post(f"/admin/retention/lists/{list_id}/approve")
    admin.post(f"/admin/retention/lists/{list_id}/dispose")
    with db.session() as s:
        assert s.get(Document, old) is None and s.get(Document, recent) is not None
        assert s.get(DisposalList, list_id).status == "done"
    csv_text = admin.get(f"/admin/retention/lists/{list_id}.csv").get_data(as_text=True)
    assert f"{old}," in csv_text and "disposed" in csv_text
    assert as_role("finance").get(f"/documents/{old}").status_code == 404


def test_retention_periods_form(as_role):
    admin = as_role("admin")
    admin.post("/admin/retention", data={})
    admin.post("/admin/retention/periods", data={"statement": "15", "voucher": "permanent"})
    html = admin.get("/admin/retention").get_data(as_text=True)
    assert 'name="statement" value="15"' in html and 'name="voucher" value="permanent"' in html
    resp = admin.post(
        "/admin/retention/periods", data={"statement": "-3"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "保管期限为 1 至 100 年" in resp or "1 to 100 years" in resp


def test_every_label_and_message_of_records_is_translated():
    import re
    from pathlib import Path

    labels = [*CLASS_TEXT.values(), *LIST_STATUS_TEXT.values(), *OUTCOME_TEXT.values(),
              *ACCESS_TEXT.values(), *KEPT_REASONS.values(), *VIA_TEXT.values()]  # fmt: skip
    source = (Path(__file__).resolve().parent.parent / "archive" / "retention.py").read_text()
    messages = re.findall(r'RetentionError\(\s*"([^"]+)"', source)
    assert len(messages) >= 10
    assert [t for t in labels + messages if t not in ZH] == []
    assert set(CLASS_TEXT) == set(CLASSES)
