"""Fixtures for the web tests: an app on an empty archive, one user per role, documents.

Documents are made without the extraction pipeline (a real PDF, its real text layer, and
fields we choose), so the web tests do not depend on OCR or field parsing.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pytest
from sqlalchemy import select

from archive import config, db, documents
from archive.models import Customer, Document
from archive.users import ROLES, User, add_user, create_token

PASSWORD = "correct horse battery"

STATEMENT = [
    "对账单 Account Statement",
    "客户名称：上海华东贸易有限公司",
    "客户编号：C001",
    "对账期间：2026年10月",
    "对账单号：ST-202610-0001",
    "期初余额：¥10,000.00",
    "本期发生额：¥75,509.61",
    "本期收款：¥5,000.00",
    "应付金额：¥80,509.61",
]


def statement_pdf(lines: list[str] = STATEMENT) -> bytes:
    """A one-page A4 PDF with a text layer (the CJK font embedded)."""
    return _pdf(tuple(lines))


@cache
def _pdf(lines: tuple[str, ...]) -> bytes:
    from services.demo import text_pdf  # the demo's writer: the same layout, one place

    return text_pdf(lines)


@dataclass
class Made:
    id: int


def make_document(
    fields: dict[str, tuple[str, float]] | None = None,
    *,
    lines: list[str] | None = None,
    status: str = "accepted",
    filename: str = "statement.pdf",
    notes: list[str] | None = None,
    user: str | None = None,
    items: list | None = None,
) -> int:
    """Archive a generated statement PDF with these fields {name: (value, confidence)} and
    line items (extract.types.LineItem), submitted by `user` (who is then its uploader)."""
    from extract.pdf import text_pages
    from extract.types import Extraction, FieldValue
    from index.documents import backend, index_documents

    lines = lines or STATEMENT
    data = statement_pdf(lines)
    settings = config.load()
    pages = [p for p in text_pages(data) if p is not None]
    fields = fields or {
        "customer_code": ("C001", 1.0),
        "customer_name": ("上海华东贸易有限公司", 0.98),
        "period": ("2026-10", 0.95),
        "amount_due": ("80509.61", 0.97),
    }
    values = {
        name: FieldValue(
            name, _typed(name, v), conf, "text", page=1, box=_box_of(pages[0], v), raw=v
        )
        for name, (v, conf) in fields.items()
    }
    extraction = Extraction(
        pages=pages,
        codes=[],
        fields=values,
        status=status,
        notes=list(notes or []),
        items=list(items or []),
    )
    with db.session() as s:
        doc, _ = documents.register(s, settings, data, filename, source="upload", user=user)
        documents.save_extraction(s, doc, extraction, kind="pdf")
        doc_id = doc.id
    with db.session() as s:
        index_documents(s, backend(settings), [doc_id])
    return doc_id


def _typed(name: str, value: str):
    from archive.documents import AMOUNT_FIELDS

    return Decimal(value) if name in AMOUNT_FIELDS else value


def _box_of(page, value: str):
    """The box of the first word that contains the value (or its digits), for overlays."""
    plain = value.replace(".", "")
    for w in page.words:
        text = w.text.replace(",", "").replace(".", "")
        if value in w.text or (plain and plain in text):
            return w.box
    return None


def add_customer(code: str, name: str, aliases: list[str] | None = None) -> None:
    with db.session() as s:
        s.add(Customer(code=code, name=name, aliases=aliases or []))


def document(doc_id: int) -> Document:
    from sqlalchemy.orm import selectinload

    with db.session() as s:
        return s.get(Document, doc_id, options=[selectinload(Document.fields)])


@contextmanager
def served(app):
    """The app over real HTTP on a loopback port, from a thread of this process; yields its
    base URL."""
    import logging
    import threading

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()


@pytest.fixture
def app(data_dir):
    from web.app import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    return app


@pytest.fixture
def users(data_dir) -> dict[str, str]:
    """One user per role, named after it: {'mailroom': 'mailroom', …}."""
    with db.session() as s:
        for role in ROLES:
            add_user(s, role, role, PASSWORD)
    return {r: r for r in ROLES}


def login(client, name: str, password: str = PASSWORD):
    return client.post("/login", data={"name": name, "password": password})


@pytest.fixture
def as_role(app, users):
    """A signed-in test client for a role: as_role('finance')."""

    def make(role: str):
        client = app.test_client()
        resp = login(client, role)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def no_queue(monkeypatch):
    """Uploads are archived but not sent to a broker (no worker in these tests)."""
    queued: list[int] = []
    monkeypatch.setattr("services.intake.enqueue", lambda doc_id: queued.append(doc_id) or True)
    return queued


@pytest.fixture
def tokens(users) -> dict[str, dict[str, str]]:
    """An API token per role, as Bearer headers."""
    out = {}
    with db.session() as s:
        for role in users:
            user = s.scalar(select(User).where(User.name == role))
            out[role] = {"Authorization": f"Bearer {create_token(s, user)}"}
    return out


@pytest.fixture
def api(app):
    return app.test_client()
