"""The JSON API under /api/v1: tokens, roles, the CLI's JSON shapes, errors."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import select

from archive import db
from archive.documents import to_json
from archive.models import AuditEvent, Document
from index.base import SearchQuery
from index.service import result_json, run_search
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    add_customer,
    api,
    app,
    make_document,
    no_queue,
    statement_pdf,
    tokens,
    users,
)


def test_no_token_or_a_bad_one_is_401(api, tokens):
    doc_id = make_document()
    for headers in ({}, {"Authorization": "Bearer stmt_nope"}, {"Authorization": "Basic x"}):
        resp = api.get(f"/api/v1/documents/{doc_id}", headers=headers)
        assert resp.status_code == 401 and resp.json["error"] == "unauthorized"
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_stored_as_hashes(tokens):
    from archive.users import ApiToken

    with db.session() as s:
        stored = {t.token_hash for t in s.scalars(select(ApiToken))}
    for headers in tokens.values():
        assert headers["Authorization"].split()[1] not in stored


def test_upload_then_duplicate(api, tokens, no_queue):
    data = statement_pdf(["应付金额：¥9.00 上海华东贸易有限公司 statement"])
    resp = api.post(
        "/api/v1/documents", headers=tokens["mailroom"],
        data={"file": (io.BytesIO(data), "s.pdf")}, content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 202 and set(resp.json) == {"id", "status"}
    assert resp.json["status"] == "received" and no_queue == [resp.json["id"]]
    again = api.post(
        "/api/v1/documents", headers=tokens["mailroom"],
        data={"file": (io.BytesIO(data), "copy.pdf")}, content_type="multipart/form-data",
    )  # fmt: skip
    assert again.status_code == 200 and again.json["duplicate"] is True
    assert again.json["id"] == resp.json["id"]
    missing = api.post("/api/v1/documents", headers=tokens["mailroom"], data={})
    assert missing.status_code == 400 and missing.is_json
    forbidden = api.post(
        "/api/v1/documents", headers=tokens["finance"],
        data={"file": (io.BytesIO(data), "s.pdf")}, content_type="multipart/form-data",
    )  # fmt: skip
    assert forbidden.status_code == 403 and forbidden.json["error"] == "forbidden"


def test_document_is_the_show_json(api, tokens):
    doc_id = make_document(user="mailroom")
    resp = api.get(f"/api/v1/documents/{doc_id}", headers=tokens["finance"])
    with db.session() as s:
        expected = to_json(s.get(Document, doc_id), detail=True)
    assert resp.status_code == 200 and resp.json == expected
    status_only = api.get(f"/api/v1/documents/{doc_id}", headers=tokens["mailroom"]).json
    assert set(status_only) == {"id", "file", "status", "error"}
    assert api.get("/api/v1/documents/999", headers=tokens["finance"]).status_code == 404
    with db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "view"))
        assert event.user == "finance" and event.detail["via"] == "api"


def test_original(api, tokens):
    doc_id = make_document()
    resp = api.get(f"/api/v1/documents/{doc_id}/original", headers=tokens["reviewer"])
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert (
        api.get(f"/api/v1/documents/{doc_id}/original", headers=tokens["mailroom"]).status_code
        == 403
    )


def test_search_is_the_search_json(api, tokens):
    add_customer("C001", "上海华东贸易有限公司")
    doc_id = make_document()
    for query, q in (
        ("amount=80509.61", SearchQuery(amount=Decimal("80509.61"))),
        ("q=华东&customer=C001&period=2026-10", SearchQuery(
            text="华东", customer="C001", period_from="2026-10", period_to="2026-10")),
        ("amount_min=100&amount_max=90000&status=accepted", SearchQuery(
            amount_min=Decimal(100), amount_max=Decimal(90000), status="accepted")),
    ):  # fmt: skip
        resp = api.get(f"/api/v1/search?{query}", headers=tokens["finance"])
        assert resp.status_code == 200
        assert resp.json == result_json(run_search(q, None))
        assert [h["id"] for h in resp.json["hits"]] == [doc_id]
    bad = api.get("/api/v1/search?amount=lots", headers=tokens["finance"])
    assert bad.status_code == 400 and "amount" in bad.json["message"]
    assert api.get("/api/v1/search?period=2026-13", headers=tokens["finance"]).status_code == 400
    assert api.get("/api/v1/search", headers=tokens["mailroom"]).status_code == 403


def test_patch_fields_records_corrections(api, tokens):
    add_customer("C001", "上海华东贸易有限公司")
    doc_id = make_document({"amount_due": ("80509.64", 0.5)}, status="needs_review")
    body = {"amount_due": "80,509.61", "period": "2026-10"}
    for role in ("finance", "mailroom"):
        resp = api.patch(f"/api/v1/documents/{doc_id}/fields", json=body, headers=tokens[role])
        assert resp.status_code == 403
    resp = api.patch(f"/api/v1/documents/{doc_id}/fields", json=body, headers=tokens["reviewer"])
    assert resp.status_code == 200
    assert {c["field"]: (c["old"], c["new"]) for c in resp.json["corrections"]} == {
        "amount_due": ("80509.64", "80509.61"),
        "period": (None, "2026-10"),
    }
    assert resp.json["status"] == "needs_review"  # no customer yet: required fields missing
    resp = api.patch(
        f"/api/v1/documents/{doc_id}/fields",
        json={"customer_code": "C001"},
        headers=tokens["admin"],
    )
    assert resp.json["status"] == "accepted"

    history = api.get(f"/api/v1/documents/{doc_id}/history", headers=tokens["finance"]).json
    assert [c["field"] for c in history["corrections"]] == [
        "amount_due", "period", "customer_code", "customer_name",
    ]  # fmt: skip
    assert history["corrections"][0]["user"] == "reviewer"
    assert [e["action"] for e in history["events"]].count("reviewed") == 2


def test_patch_errors(api, tokens):
    doc_id = make_document()
    url = f"/api/v1/documents/{doc_id}/fields"
    h = tokens["reviewer"]
    assert api.patch(url, data="nope", headers=h).status_code == 400
    assert api.patch(url, json={"colour": "red"}, headers=h).status_code == 400
    resp = api.patch(url, json={"amount_due": "lots"}, headers=h)
    assert resp.status_code == 422 and resp.json["field"] == "amount_due"
    assert (
        api.patch("/api/v1/documents/999/fields", json={"period": "2026-10"}, headers=h).status_code
        == 404
    )


def test_json_errors_everywhere(api, tokens):
    resp = api.get("/api/v1/nothing-here", headers=tokens["admin"])
    assert resp.status_code == 404 and resp.is_json
    resp = api.delete("/api/v1/search", headers=tokens["admin"])
    assert resp.status_code == 405 and resp.is_json


def test_openapi(api):
    spec = api.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {
        "/documents",
        "/documents/{id}",
        "/documents/{id}/original",
        "/documents/{id}/fields",
        "/documents/{id}/history",
        "/ledger",
        "/search",
    }
    assert "patch" in spec["paths"]["/documents/{id}/fields"]
