"""The original in the browser (PDF viewer or image, inline, under the app's CSP), page
thumbnails beside the pages and in search results; all behind sign-in, the readers' roles and
per-customer access."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from archive import access, config, db, documents
from archive.models import AuditEvent, Document
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    add_customer,
    app,
    as_role,
    login,
    make_document,
    users,
)


def two_pages(code: str = "C001") -> int:
    """A two-page statement PDF with a text layer, archived and indexed as accepted."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from extract.pdf import text_pages
    from extract.types import Extraction, FieldValue
    from index.documents import backend, index_documents

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for n in (1, 2):
        pdf.drawString(70, 750, f"Account statement {code} page {n}")
        pdf.showPage()
    pdf.save()
    data = buf.getvalue()
    settings = config.load()
    fields = {"customer_code": FieldValue("customer_code", code, 1.0, "text", page=1, raw=code)}
    extraction = Extraction(
        pages=[p for p in text_pages(data) if p is not None],
        codes=[],
        fields=fields,
        status="accepted",
        notes=[],
        items=[],
    )
    with db.session() as s:
        doc, _ = documents.register(s, settings, data, f"{code}-two.pdf", source="upload")
        documents.save_extraction(s, doc, extraction, kind="pdf")
        doc_id = doc.id
    with db.session() as s:
        index_documents(s, backend(settings), [doc_id])
    return doc_id


def image_original(kind: str, fmt: str) -> int:
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buf, format=fmt)
    with db.session() as s:
        doc, _ = documents.register(
            s, config.load(), buf.getvalue(), f"scan.{kind}", source="upload"
        )
        doc.kind = kind
        return doc.id


def test_the_original_opens_inline_under_the_apps_csp(as_role):
    doc_id = two_pages()
    client = as_role("finance")
    client.post("/language", data={"locale": "en"})
    resp = client.get(f"/documents/{doc_id}/view")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("inline")
    assert "C001-two.pdf" in resp.headers["Content-Disposition"]
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in resp.headers["Cache-Control"]
    with db.session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "view_original"))
        assert (event.user, event.document_id) == ("finance", doc_id)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f'href="/documents/{doc_id}/view"' in page and "Open original" in page
    client.post("/language", data={"locale": "zh"})
    assert "在浏览器中打开原件" in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    admin = as_role("admin")
    admin.post("/language", data={"locale": "zh"})
    assert "已打开原件" in admin.get("/admin/audit?action=view_original").get_data(as_text=True)


def test_images_inline_and_tiff_through_its_page_images(as_role):
    png, jpeg, tiff = (
        image_original("png", "PNG"),
        image_original("jpeg", "JPEG"),
        image_original("tiff", "TIFF"),
    )
    client = as_role("reviewer")
    for doc_id, mime in ((png, "image/png"), (jpeg, "image/jpeg")):
        resp = client.get(f"/documents/{doc_id}/view")
        assert resp.status_code == 200 and resp.mimetype == mime
        assert resp.headers["Content-Disposition"].startswith("inline")
    resp = client.get(f"/documents/{tiff}/view")
    assert resp.status_code == 302 and resp.location.endswith(f"/documents/{tiff}#pages")
    page = client.get(f"/documents/{tiff}").get_data(as_text=True)
    assert f"/documents/{tiff}/view" not in page and f"/documents/{tiff}/original" in page


def test_page_thumbnails_beside_the_pages_and_in_results(as_role, data_dir):
    doc_id = two_pages()
    client = as_role("finance")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    for n in (1, 2):
        assert f'<a href="#page-{n}"' in page
        assert f'src="/documents/{doc_id}/pages/{n}/thumb.png"' in page
    resp = client.get(f"/documents/{doc_id}/pages/2/thumb.png")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.headers["Cache-Control"] == "private, max-age=3600"
    assert resp.headers.get("ETag")
    width, height = Image.open(io.BytesIO(resp.data)).size
    assert width == 160 and abs(width / height - 595.28 / 841.89) < 0.02
    again = client.get(
        f"/documents/{doc_id}/pages/2/thumb.png", headers={"If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304  # the browser's copy stands
    cached = sorted(p.name for p in (data_dir / "pages").rglob("*.png"))
    # page 2 as drawn for the page view (page 1 on the way) and its thumbnail made from it
    assert len(cached) == 3 and sum("thumb" in n for n in cached) == 1
    assert client.get(f"/documents/{doc_id}/pages/3/thumb.png").status_code == 404
    results = client.get("/search?customer=C001").get_data(as_text=True)
    assert f'src="/documents/{doc_id}/pages/1/thumb.png" alt="" loading="lazy"' in results


def test_every_route_needs_sign_in_a_readers_role_and_access(app, as_role):
    from archive.users import FINANCE, add_user
    from tests.web_fixtures import PASSWORD

    add_customer("C001", "上海华东贸易有限公司")
    add_customer("C002", "北京中科联创科技有限公司")
    open_doc, secret = two_pages("C001"), two_pages("C002")
    with db.session() as s:
        access.set_sensitive(s, "C002", True, by="test")
        add_user(s, "granted", FINANCE, PASSWORD)
        access.grant(s, "C002", user="granted", by="test")
    routes = ("view", "pages/1/thumb.png", "pages/1.png")
    anonymous = app.test_client()
    for route in routes:
        assert anonymous.get(f"/documents/{open_doc}/{route}").status_code == 302  # to sign in
        assert as_role("mailroom").get(f"/documents/{open_doc}/{route}").status_code == 403
        assert as_role("finance").get(f"/documents/{secret}/{route}").status_code == 404
    granted = app.test_client()
    login(granted, "granted")
    for route in routes:
        assert granted.get(f"/documents/{secret}/{route}").status_code == 200
    results = as_role("finance").get("/search").get_data(as_text=True)
    assert f"/documents/{secret}/pages/1/thumb.png" not in results
    assert f"/documents/{open_doc}/pages/1/thumb.png" in results
    with db.session() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.action == "access_denied")).all()
        assert {e.document_id for e in refused} == {secret}
        assert s.get(Document, secret) is not None
