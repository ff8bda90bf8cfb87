"""Mailroom: uploads (many files, duplicates), the live list, retry."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io

from sqlalchemy import func, select

from archive import db
from archive.models import FAILED, Document
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    app,
    as_role,
    no_queue,
    statement_pdf,
    users,
)

JSON = {"Accept": "application/json"}


def _files(*items: tuple[bytes, str]):
    return {"file": [(io.BytesIO(data), name) for data, name in items]}


def count_documents() -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Document))


def test_upload_many_files_and_a_duplicate(as_role, no_queue):
    client = as_role("mailroom")
    a, b = statement_pdf(["应付金额：¥1.00"]), statement_pdf(["应付金额：¥2.00"])
    resp = client.post(
        "/upload/", data=_files((a, "a.pdf"), (b, "b.pdf")), headers=JSON,
        content_type="multipart/form-data",
    )  # fmt: skip
    assert resp.status_code == 202
    files = resp.json["files"]
    assert [f["file"] for f in files] == ["a.pdf", "b.pdf"]
    assert all(f["status"] == "received" and not f["duplicate"] for f in files)
    assert sorted(no_queue) == sorted(f["id"] for f in files)

    again = client.post(
        "/upload/", data=_files((a, "a-again.pdf")), headers=JSON,
        content_type="multipart/form-data",
    )  # fmt: skip
    dup = again.json["files"][0]
    assert dup["duplicate"] is True and dup["id"] == files[0]["id"]
    assert count_documents() == 2  # not stored twice

    recent = client.get("/upload/recent").json["documents"]
    assert [d["id"] for d in recent] == [files[1]["id"], files[0]["id"]]
    assert recent[0]["status_label"] == "Received" or recent[0]["status_label"] == "已接收"


def test_plain_form_upload_redirects_with_a_message(as_role, no_queue):
    client = as_role("mailroom")
    resp = client.post(
        "/upload/", data=_files((statement_pdf(["x 1"]), "x.pdf")),
        content_type="multipart/form-data", follow_redirects=True,
    )  # fmt: skip
    assert resp.status_code == 200
    assert "x.pdf" in resp.get_data(as_text=True)


def test_upload_without_files(as_role):
    resp = as_role("mailroom").post("/upload/", data={}, headers=JSON)
    assert resp.status_code == 400 and "error" in resp.json


def test_failed_documents_show_the_reason_and_can_be_retried(as_role, no_queue):
    client = as_role("mailroom")
    resp = client.post(
        "/upload/", data=_files((b"not a statement", "notes.txt")), headers=JSON,
        content_type="multipart/form-data",
    )  # fmt: skip
    doc_id = resp.json["files"][0]["id"]
    with db.session() as s:
        doc = s.get(Document, doc_id)
        doc.status, doc.error = FAILED, "not a PDF, PNG, JPEG or TIFF file"
    row = client.get("/upload/recent").json["documents"][0]
    assert row["status"] == "failed" and row["can_retry"] and "not a PDF" in row["reason"]
    page = client.get("/upload/").get_data(as_text=True)
    assert "not a PDF, PNG, JPEG or TIFF file" in page

    retry = client.post(f"/upload/{doc_id}/retry", headers=JSON)
    assert retry.status_code == 200 and retry.json["ok"]
    assert no_queue[-1] == doc_id
    with db.session() as s:
        assert s.get(Document, doc_id).status == "received"
    assert client.post(f"/upload/{doc_id}/retry", headers=JSON).status_code == 409


def test_uploads_are_audited_with_the_user(as_role, no_queue):
    from archive.models import AuditEvent

    as_role("admin").post(
        "/upload/", data=_files((statement_pdf(["y 2"]), "y.pdf")), headers=JSON,
        content_type="multipart/form-data",
    )  # fmt: skip
    with db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "received"))
        assert event.user == "admin" and event.detail["source"] == "upload"


def test_a_file_that_can_never_be_read_says_so_in_words_and_offers_no_retry(as_role, no_queue):
    import pytest

    from extract.pipeline import TEXT_NOT_STATEMENT, sniff
    from extract.types import ExtractError

    with pytest.raises(ExtractError) as err:
        sniff(b"This is a letter.\n")
    assert str(err.value) == TEXT_NOT_STATEMENT and "b'" not in str(err.value)
    client = as_role("mailroom")
    resp = client.post(
        "/upload/", data=_files((b"This is a letter.\n", "letter.pdf")), headers=JSON,
        content_type="multipart/form-data",
    )  # fmt: skip
    doc_id = resp.json["files"][0]["id"]
    with db.session() as s:
        doc = s.get(Document, doc_id)
        doc.status, doc.error = FAILED, str(err.value)
    client.post("/language", data={"locale": "zh"})
    row = client.get("/upload/recent").json["documents"][0]
    assert not row["can_retry"] and "文本文件" in row["reason"]
    page = client.get("/upload/").get_data(as_text=True)
    assert f'action="/upload/{doc_id}/retry"' not in page
