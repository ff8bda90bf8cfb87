"""Timestamps are stored time-zone aware and read back as aware UTC, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect

from archive import db, documents
from archive.models import Document, utc_text


def test_timestamps_come_back_aware_utc_and_print_as_before(archive):
    with db.session() as s:
        doc, _ = documents.register(s, archive, b"%PDF-1.4 t", "t.pdf", source="cli")
        doc_id = doc.id
        # a moment given in another zone is the same moment in UTC
        beijing = dt.timezone(dt.timedelta(hours=8))
        doc.processed_at = dt.datetime(2026, 12, 2, 14, 30, tzinfo=beijing)
    with db.session() as s:
        doc = s.get(Document, doc_id)
        assert doc.created_at.tzinfo is not None and doc.created_at.utcoffset() == dt.timedelta(0)
        assert doc.processed_at == dt.datetime(2026, 12, 2, 6, 30, tzinfo=dt.UTC)
        assert utc_text(doc.processed_at) == "2026-12-02T06:30:00"  # the JSON keeps its form
        engine = s.get_bind()
    if engine.dialect.name == "postgresql":
        columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("documents")}
        assert columns["created_at"].timezone and columns["processed_at"].timezone
