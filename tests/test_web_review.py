"""Reviewers: the queue, the correction page, corrections recorded, aliases learned, stats."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from archive import db
from archive.corrections import CorrectionError, apply
from archive.models import AuditEvent, Correction, Customer, Document
from index.base import SearchQuery
from index.service import run_search
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    add_customer,
    app,
    as_role,
    document,
    make_document,
    users,
)

UNMATCHED = {
    "customer_name": ("上海华东贸易", 0.55),
    "period": ("2026-10", 0.95),
    "amount_due": ("80509.64", 0.6),
}


def queued(n: int = 1) -> list[int]:
    add_customer("C001", "上海华东贸易有限公司")
    return [
        make_document(
            UNMATCHED,
            lines=[
                "对账单 Account Statement",
                f"客户名称：上海华东贸易 {i}",
                "应付金额：¥80,509.61",
            ],
            status="needs_review",
            notes=["customer not matched"],
        )
        for i in range(n)
    ]


def test_queue_oldest_first_with_count(as_role):
    ids = queued(3)
    make_document()  # accepted: not in the queue
    html = as_role("reviewer").get("/review/").get_data(as_text=True)
    positions = [html.index(f"/review/{i}") for i in ids]
    assert positions == sorted(positions)
    assert '<span class="count big">3</span>' in html
    assert as_role("reviewer").get("/review/next").headers["Location"].endswith(f"/review/{ids[0]}")


def test_review_page_boxes_low_confidence_and_words(as_role):
    (doc_id,) = queued()
    html = as_role("reviewer").get(f"/review/{doc_id}").get_data(as_text=True)
    assert 'class="box low"' in html  # customer name at 0.55 is marked
    assert 'data-attention="1"' in html
    assert 'id="review-data"' in html and "80,509.61" in html  # OCR words for click-to-fill
    assert 'value="80509.64"' in html  # pre-filled


def test_saving_records_corrections_alias_reindex_and_next(as_role):
    first, second = queued(2)
    client = as_role("reviewer")
    client.get(f"/review/{first}")
    resp = client.post(
        f"/review/{first}",
        data={
            "customer_code": "C001",
            "customer_name": "上海华东贸易",
            "confirm_customer_name": "1",  # read weakly and kept: confirmed explicitly
            "period": "2026年10月",
            "amount_due": "¥80,509.61",
        },
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/review/{second}")

    with db.session() as s:
        rows = s.scalars(select(Correction).where(Correction.document_id == first)).all()
        changes = {c.field: (c.old_value, c.new_value, c.user) for c in rows}
        customer = s.scalar(select(Customer).where(Customer.code == "C001"))
        reviewed = s.scalar(select(AuditEvent).where(AuditEvent.action == "reviewed"))
    assert changes == {
        "customer_code": (None, "C001", "reviewer"),
        "customer_name": ("上海华东贸易", "上海华东贸易有限公司", "reviewer"),  # the master's name
        "amount_due": ("80509.64", "80509.61", "reviewer"),
    }
    assert "上海华东贸易" in customer.aliases  # the printed name now matches on its own
    assert reviewed.detail["fields"] == 3 and reviewed.detail["seconds"] is not None

    doc = document(first)
    assert doc.status == "accepted" and doc.reviewed_by == "reviewer"
    due = doc.field("amount_due")
    assert due.source == "reviewer" and due.confidence == 1.0
    assert doc.field("period").source == "text"  # unchanged fields keep their source
    hits = run_search(SearchQuery(amount=Decimal("80509.61")), None).hits
    assert first in [h.id for h in hits]
    hits = run_search(SearchQuery(amount=Decimal("80509.64")), None).hits
    assert first not in [h.id for h in hits]


def test_customer_code_sets_the_master_name(data_dir):
    (doc_id,) = queued()
    with db.session() as s:
        doc = s.get(Document, doc_id)
        outcome = apply(s, doc, {"customer_code": "c001"}, "rita")
        assert doc.value("customer_name") == "上海华东贸易有限公司"
    assert outcome.alias_added == "上海华东贸易"
    assert {c.field for c in outcome.changes} == {"customer_code", "customer_name"}


def test_bad_values_are_refused_with_the_reason(as_role):
    (doc_id,) = queued()
    resp = as_role("reviewer").post(
        f"/review/{doc_id}", data={"amount_due": "eighty", "customer_code": "C999"}
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "has-error" in html
    with db.session() as s:
        assert s.scalar(select(Correction)) is None
    assert document(doc_id).status == "needs_review"


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        ("amount_due", "¥1,234.5", "1234.50"),
        ("amount_due", "(1,234.00)", "-1234.00"),
        ("period", "Oct 2026", "2026-10"),
        ("statement_date", "2026年10月31日", "2026-10-31"),
        ("currency", "¥", "CNY"),
        ("statement_no", "  ST-1 ", "ST-1"),
        ("statement_no", "", None),
    ],
)
def test_values_are_stored_as_extraction_stores_them(data_dir, field, raw, stored):
    from archive.corrections import normalize

    with db.session() as s:
        assert normalize(s, field, raw) == stored


def test_unknown_field_and_failed_documents(data_dir):
    (doc_id,) = queued()
    with db.session() as s:
        doc = s.get(Document, doc_id)
        with pytest.raises(CorrectionError):
            apply(s, doc, {"colour": "red"}, "rita")
        doc.status = "failed"
        with pytest.raises(CorrectionError):
            apply(s, doc, {"period": "2026-10"}, "rita")


def test_reviewer_statistics(as_role):
    first, second = queued(2)
    client = as_role("reviewer")
    client.get(f"/review/{first}")
    client.post(f"/review/{first}", data={"customer_code": "C001", "amount_due": "80509.61"})
    client.post(f"/review/{second}", data={"customer_code": "C001"})
    html = client.get("/review/stats").get_data(as_text=True)
    row = html[html.index("<td>reviewer</td>") :]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:4]]
    assert cells[:2] == ["2", "5"]  # documents, fields (code+name, amount; code+name)
