"""Long lists come a page at a time: the mailroom's documents (page and live list), the
customers, the audit log."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import hashlib

from archive import audit, db
from archive.models import Customer, Document
from tests.web_fixtures import app, as_role, users  # noqa: F401  (fixtures)


def documents(n: int, *, by: str | None = None) -> list[int]:
    """`n` archived documents, oldest first; `by` is recorded as who submitted them."""
    ids = []
    with db.session() as s:
        for i in range(n):
            doc = Document(
                sha256=hashlib.sha256(f"{by}-{i}".encode()).hexdigest(),
                filename=f"scan-{by}-{i:03}.pdf",
                size=10,
                kind="pdf",
                source="upload",
                status="received",
            )
            s.add(doc)
            s.flush()
            if by:
                audit.record(s, "received", user=by, document_id=doc.id)
            ids.append(doc.id)
    return ids


def test_the_mailroom_list_is_paged(as_role):
    ids = documents(55, by="someone")
    own = documents(3, by="mailroom")
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    first = client.get("/upload/").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'href="/upload/?page=2"' in first
    assert f'<tr data-id="{own[-1]}">' in first and f'<tr data-id="{ids[0]}">' not in first
    assert first.count("<tr data-id=") == 50
    assert 'data-url="/upload/recent?page=1"' in first
    second = client.get("/upload/?page=2").get_data(as_text=True)
    assert second.count("<tr data-id=") == 8 and f'<tr data-id="{ids[0]}">' in second
    assert 'href="/upload/?page=1"' in second and 'data-url="/upload/recent?page=2"' in second
    live = client.get("/upload/recent?page=2").get_json()
    assert (live["page"], live["pages"]) == (2, 2) and len(live["documents"]) == 8
    past = client.get("/upload/?page=9").get_data(as_text=True)  # past the end: the last page
    assert "Page 2 of 2" in past
    client.post("/language", data={"locale": "zh"})
    assert "第 1 页，共 2 页" in client.get("/upload/").get_data(as_text=True)
    # the mailroom sees its own three on one page, no pager
    mine = as_role("mailroom").get("/upload/").get_data(as_text=True)
    assert mine.count("<tr data-id=") == 3 and 'class="pager"' not in mine


def test_customers_are_paged(as_role):
    with db.session() as s:
        s.add_all(Customer(code=f"K{i:03}", name=f"客户{i}", aliases=[]) for i in range(51))
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    first = client.get("/admin/customers").get_data(as_text=True)
    assert "K000" in first and "K050" not in first and "Page 1 of 2" in first
    second = client.get("/admin/customers?page=2").get_data(as_text=True)
    assert "K050" in second and "K000" not in second
    found = client.get("/admin/customers?q=K05").get_data(as_text=True)
    assert "K050" in found and 'class="pager"' not in found


def test_the_audit_log_is_paged_and_keeps_its_filters(as_role):
    with db.session() as s:
        for i in range(60):
            audit.record(s, "settings_changed", user="boss", note=f"n{i}")
        audit.record(s, "settings_changed", user="other")
    client = as_role("admin")
    client.post("/language", data={"locale": "en"})
    first = client.get("/admin/audit?user=boss").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "/admin/audit?page=2&amp;user=boss" in first
    second = client.get("/admin/audit?user=boss&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count("<tr") - 1 == 10  # the header row
