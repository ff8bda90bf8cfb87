"""The system of record, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select

from archive import db, documents, store
from archive.customers import CustomerFileError, import_rows, master, parse_csv
from archive.models import AuditEvent, Document
from extract.types import Code, Extraction, FieldValue, Page, Word


def test_migrations_create_every_table(archive):
    names = set(inspect(db.engine()).get_table_names())
    assert {
        "documents",
        "pages",
        "fields",
        "codes",
        "customers",
        "corrections",
        "audit_events",
        "alembic_version",
    } <= names
    db.upgrade()  # again: nothing to do, no error


def test_register_stores_original_before_anything_and_dedupes(archive):
    data = b"%PDF-1.4 statement bytes"
    with db.session() as s:
        doc, created = documents.register(s, archive, data, "对账单 10月.pdf", source="cli")
        first_id = doc.id
    assert created
    path = store.path_for(archive.store_dir, store.sha256_of(data))
    assert path.read_bytes() == data
    with db.session() as s:
        again, created = documents.register(s, archive, data, "copy.pdf", source="upload")
        assert not created and again.id == first_id
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["received", "duplicate"]


@pytest.mark.parametrize(
    "name,shown",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("$(rm -rf ~);`id`.pdf", "$(rm -rf ~);`id`.pdf"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("", "unnamed"),
        (".hidden.png", ".hidden.png"),
        ("..", "unnamed"),
    ],
)
def test_hostile_names_are_display_text_only(archive, name, shown):
    with db.session() as s:
        doc, _ = documents.register(s, archive, name.encode() + b"!", name, source="cli")
        assert doc.filename == shown
    # the original is stored under its hash, nowhere else
    stored = [p for p in archive.store_dir.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [store.sha256_of(name.encode() + b"!")]


def test_long_names_are_shortened_keeping_the_extension():
    name = "对" * 300 + ".pdf"
    short = store.safe_name(name)
    assert len(short) <= 200 and short.endswith(".pdf")


def _extraction() -> Extraction:
    page = Page(
        1,
        595,
        842,
        72,
        "text",
        [Word("期末余额", (10, 10, 60, 20), 1.0, 0), Word("80,509.61", (70, 10, 120, 20), 1.0, 0)],
    )
    fields = {
        "customer_code": FieldValue("customer_code", "C0042", 1.0, "qr"),
        "period": FieldValue("period", "2026-10", 0.97, "text", 1, (1, 2, 3, 4)),
        "amount_due": FieldValue(
            "amount_due", Decimal("80509.61"), 0.95, "text", 1, (70, 10, 120, 20)
        ),
        "statement_date": FieldValue("statement_date", dt.date(2026, 10, 31), 0.9, "text"),
        "opening_balance": FieldValue("opening_balance", Decimal("-5"), 0.9, "text"),
    }
    codes = [Code("CODE128", "ST-1", 1, (1.0, 2.0, 3.0, 4.0))]
    return Extraction([page], codes, fields, "accepted", [])


def test_saved_extraction_prints_as_the_cli_contract(archive):
    with db.session() as s:
        doc, _ = documents.register(s, archive, b"x", "a.pdf", source="cli")
        documents.save_extraction(s, doc, _extraction(), kind="pdf")
    with db.session() as s:
        doc = s.get(Document, doc.id)
        out = documents.to_json(doc)
        detail = documents.to_json(doc, detail=True)
    assert out["status"] == "accepted" and out["error"] is None
    assert out["fields"]["amount_due"] == {
        "value": "80509.61",
        "confidence": 0.95,
        "source": "text",
    }
    assert out["fields"]["opening_balance"]["value"] == "-5.00"
    assert out["fields"]["statement_date"]["value"] == "2026-10-31"
    assert out["fields"]["customer_code"]["source"] == "qr"
    assert list(out) == ["id", "file", "status", "error", "fields"]
    assert detail["codes"] == [
        {"type": "CODE128", "data": "ST-1", "page": 1, "box": [1.0, 2.0, 3.0, 4.0]}
    ]
    assert detail["pages"][0]["source"] == "text"
    assert detail["field_details"]["period"]["box"] == [1, 2, 3, 4]


def test_failure_keeps_the_reason(archive):
    with db.session() as s:
        doc, _ = documents.register(s, archive, b"", "empty.pdf", source="cli")
        documents.fail(s, doc, "the file is empty (0 bytes)")
    with db.session() as s:
        doc = s.get(Document, doc.id)
        assert (doc.status, doc.error) == ("failed", "the file is empty (0 bytes)")


def test_customers_import_and_master(archive):
    rows = parse_csv(
        "\ufeffcode,name,aliases\n"
        "C001,上海华东贸易有限公司,华东贸易;HD Trading\n"
        "C002,Northwind Ltd.,\n"
    )
    assert rows[0][:3] == ("C001", "上海华东贸易有限公司", ["华东贸易", "HD Trading"])
    with db.session() as s:
        r = import_rows(s, rows)
        assert (r.added, r.updated) == (2, 0)
    with db.session() as s:
        r = import_rows(s, [("C002", "Northwind Trading Ltd.", ["Northwind"])])
        assert (r.added, r.updated) == (0, 1)
    with db.session() as s:
        customers = {c.code: c for c in master(s)}
    assert customers["C002"].name == "Northwind Trading Ltd."
    assert customers["C002"].aliases == ("Northwind",)
    assert customers["C001"].aliases == ("华东贸易", "HD Trading")


@pytest.mark.parametrize("text", ["name,code\nx,y\n", "code,name\n,missing code\n"])
def test_customer_file_errors(text):
    with pytest.raises(CustomerFileError):
        parse_csv(text)
