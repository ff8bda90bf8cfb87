"""`stmt demo`: generated customers and statements that read like real ones."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from sqlalchemy import select

from archive import db
from archive.models import Customer, Document
from ingest.cli import main
from services import processing
from services.demo import statements


def test_demo_loads_customers_and_statements_that_read_back(data_dir, monkeypatch):
    monkeypatch.setattr("services.intake.enqueue", lambda doc_id: True)  # read below, in-process
    result = CliRunner().invoke(main, ["demo", "--no-wait"])
    assert result.exit_code == 0, result.output
    expected = statements(dt.date.today())
    assert f"5 demo customers added, {len(expected)} demo statements archived" in result.output
    with db.session() as s:
        assert len(s.scalars(select(Customer)).all()) == 5
        ids = list(s.scalars(select(Document.id)))
    assert len(ids) == len(expected)
    for doc_id in ids:
        assert processing.process(doc_id) in ("accepted", "needs_review")
    with db.session() as s:
        read = {(d.value("customer_code"), d.value("period"), d.value("amount_due"))
                for d in s.scalars(select(Document))}  # fmt: skip
    assert read == {(st.code, st.period, format(st.due, "f")) for st in expected}
    last = max(st.period for st in expected)
    out = json.loads(CliRunner().invoke(main, ["completeness", "--period", last, "--json"]).output)
    assert "D003" in out["missing"]
    again = CliRunner().invoke(main, ["demo", "--no-wait"])  # twice: nothing new
    assert "0 demo customers added" in again.output
