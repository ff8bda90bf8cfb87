"""The review station never blocks: skip, put off, reject, take, order, pick or add the
customer, explicit confirmation of weak values, errors on top; roles, CSRF and escaping."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import re

from sqlalchemy import select

from archive import db
from archive.models import AuditEvent, Customer, Document, ReviewState
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    add_customer,
    app,
    as_role,
    document,
    make_document,
    users,
)

UNKNOWN = {
    "customer_name": ("华东商贸中心", 0.3),
    "period": ("2026-09", 0.95),
    "amount_due": ("12345.67", 0.97),
}
LINES = [
    "对账单 Account Statement",
    "客户名称：华东商贸中心",
    "对账期间：2026年9月",
    "应付金额：¥12,345.67",
]


def waiting(n: int, amounts=None) -> list[int]:
    add_customer("C001", "上海华东贸易有限公司", ["华东贸易"])
    ids = []
    for i in range(n):
        fields = dict(UNKNOWN)
        if amounts:
            fields["amount_due"] = (amounts[i], 0.97)
        ids.append(
            make_document(
                fields,
                lines=[*LINES, f"对账单号：ST-202609-{i:04d}"],
                status="needs_review",
                notes=["customer not matched"],
            )
        )
    return ids


def _queue_ids(client, order: str = "age") -> list[int]:
    html = client.get(f"/review/?order={order}").get_data(as_text=True)
    return [int(m) for m in re.findall(r'<tr data-id="(\d+)"', html)]


def test_skip_offers_the_others_first(as_role):
    a, b = waiting(2)
    client = as_role("reviewer")
    resp = client.post(f"/review/{a}/skip")
    assert resp.headers["Location"].endswith(f"/review/{b}")
    # "start reviewing" does not come back to the skipped statement while another waits
    assert client.get("/review/next").headers["Location"].endswith(f"/review/{b}")
    assert a in _queue_ids(client)  # still in the queue, for others and for later


def test_postpone_needs_a_reason_then_leaves_the_queue(as_role):
    a, b = waiting(2)
    client = as_role("reviewer")
    resp = client.post(f"/review/{a}/postpone", data={"reason": "  ", "hours": "24"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'id="form-errors" role="alert"' in html and "请说明推迟处理的原因" in html
    assert html.index('id="form-errors"') < html.index('id="f-customer_code"')  # on top
    resp = client.post(f"/review/{a}/postpone", data={"reason": "ask sales", "hours": "2"})
    assert resp.status_code == 302
    assert _queue_ids(client) == [b]
    assert _queue_ids(as_role("admin")) == [b]  # put off for everyone
    with db.session() as s:
        assert s.get(ReviewState, a).reason == "ask sales"


def test_reject_keeps_the_file_in_the_archive(as_role):
    (a,) = waiting(1)
    client = as_role("reviewer")
    assert client.post(f"/review/{a}/reject", data={"kind": "duplicate"}).status_code == 400
    resp = client.post(f"/review/{a}/reject", data={"kind": "duplicate", "reason": "same as 7"})
    assert resp.status_code == 302
    assert document(a).status == "rejected"
    assert _queue_ids(client) == []
    assert client.get(f"/documents/{a}").status_code == 200
    with db.session() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "rejected")) is not None


def test_a_taken_statement_is_offered_to_its_reviewer_only(as_role):
    a, b = waiting(2)
    reviewer = as_role("reviewer")
    assert reviewer.post(f"/review/{a}/claim").status_code == 302
    assert _queue_ids(reviewer) == [a, b]
    assert _queue_ids(as_role("admin")) == [b]
    admin = as_role("admin")
    assert admin.post(f"/review/{b}/claim", data={"to": "reviewer"}).status_code == 302
    assert _queue_ids(admin) == []
    assert "reviewer" in reviewer.get("/review/").get_data(as_text=True)


def test_queue_by_amount_and_customer(as_role):
    ids = waiting(3, amounts=["10.00", "5000.00", "300.00"])
    client = as_role("reviewer")
    assert _queue_ids(client, "amount") == [ids[1], ids[2], ids[0]]
    assert _queue_ids(client, "age") == ids
    assert sorted(_queue_ids(client, "customer")) == sorted(ids)


def test_customer_picker_finds_code_name_and_alias(as_role):
    waiting(1)
    client = as_role("reviewer")
    for q in ("C001", "上海华东", "华东贸易"):
        found = client.get(f"/review/customers?q={q}").get_json()
        assert [c["code"] for c in found] == ["C001"], q
    assert client.get("/review/customers?q=nobody").get_json() == []
    assert as_role("finance").get("/review/customers?q=C001").status_code == 403


def test_unknown_customer_added_from_the_page_then_saved(as_role):
    (a,) = waiting(1)
    client = as_role("reviewer")
    form = {"customer_code": "C900", "customer_name": "华东商贸中心", "period": "2026-09",
            "amount_due": "12345.67"}  # fmt: skip
    refused = client.post(f"/review/{a}", data=form)
    assert refused.status_code == 400 and 'role="alert"' in refused.get_data(as_text=True)
    resp = client.post(
        f"/review/{a}/customers",
        data={"code": "C900", "name": "华东商贸中心<script>x</script>", "alias": "华东商贸中心"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'value="C900"' in html
    assert "<script>x</script>" not in html  # escaped wherever it is shown
    with db.session() as s:
        added = s.scalar(select(Customer).where(Customer.code == "C900"))
        assert added.aliases == ["华东商贸中心"]
    again = client.post(f"/review/{a}/customers", data={"code": "C900", "name": "x"})
    assert again.status_code == 400
    saved = client.post(f"/review/{a}", data=form | {"customer_name": "华东商贸中心"})
    assert saved.status_code == 302
    assert document(a).status == "accepted"


def test_weak_untouched_value_must_be_confirmed(as_role):
    add_customer("C001", "上海华东贸易有限公司")
    doc_id = make_document(
        {"customer_code": ("C001", 1.0), "period": ("2026-10", 0.95),
         "amount_due": ("80509.61", 0.51)},
        status="needs_review",
    )  # fmt: skip
    client = as_role("reviewer")
    form = {"customer_code": "C001", "period": "2026-10", "amount_due": "80509.61"}
    resp = client.post(f"/review/{doc_id}", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="err-amount_due"' in html
    assert 'name="confirm_amount_due"' in html
    assert document(doc_id).status == "needs_review"
    ok = client.post(f"/review/{doc_id}", data=form | {"confirm_amount_due": "1"})
    assert ok.status_code == 302 and document(doc_id).status == "accepted"


def test_moves_need_a_reviewer_and_a_csrf_token(as_role, users):
    (a,) = waiting(1)
    finance = as_role("finance")
    for path in ("skip", "postpone", "reject", "claim", "customers"):
        assert finance.post(f"/review/{a}/{path}").status_code == 403, path
    from web.app import create_app

    strict = create_app({"TESTING": True, "SESSION_COOKIE_SECURE": False})
    client = strict.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"name": "reviewer", "password": "correct horse battery",
                                "csrf_token": token})  # fmt: skip
    resp = client.post(f"/review/{a}/reject", data={"kind": "duplicate", "reason": "x"})
    assert resp.status_code == 400
    with db.session() as s:
        assert s.get(Document, a).status == "needs_review"


def test_line_items_edited_saved_and_checked(as_role):
    add_customer("C001", "上海华东贸易有限公司")
    doc_id = make_document(status="needs_review")
    client = as_role("reviewer")
    html = client.get(f"/review/{doc_id}").get_data(as_text=True)
    assert 'id="line-items"' in html and 'id="add-row"' in html
    form = {
        "customer_code": "C001",
        "period": "2026-10",
        "amount_due": "80509.61",
        "items-present": "1",
        "items-0-date": "2026/10/08",
        "items-0-description": "货款 <b>",
        "items-0-debit": "75,509.61",
        "items-3-description": "",  # a blank row is dropped
        "items-5-date": "2026-10-20",
        "items-5-credit": "oops",
    }
    bad = client.post(f"/review/{doc_id}", data=form)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="err-items"' in text and "oops" in text
    assert 'value="货款 &lt;b&gt;"' in text  # what was typed comes back, escaped
    resp = client.post(f"/review/{doc_id}", data=form | {"items-5-credit": "(5,000.00)"})
    assert resp.status_code == 302
    with db.session() as s:
        items = s.get(ReviewState, doc_id).items
    assert items == [
        {"date": "2026-10-08", "reference": "", "description": "货款 <b>", "debit": "75509.61",
         "credit": "", "balance": ""},
        {"date": "2026-10-20", "reference": "", "description": "", "debit": "",
         "credit": "-5000.00", "balance": ""},
    ]  # fmt: skip
    html = client.get(f"/review/{doc_id}").get_data(as_text=True)
    assert 'value="75509.61"' in html
