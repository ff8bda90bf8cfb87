"""Retention periods, legal holds and disposal lists, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from archive import audit, db, store
from archive import retention as r
from archive.models import AuditEvent, Correction, Document
from archive.users import add_user
from index.base import SearchQuery
from index.documents import backend
from services import retention as disposal
from tests.helpers import json_lines, stmt
from tests.web_fixtures import PASSWORD, make_document


def _doc(period: str, customer: str = "C001", n: int = 0) -> int:
    return make_document(
        {
            "customer_code": (customer, 1.0),
            "period": (period, 1.0),
            "amount_due": ("100.00", 1.0),
        },
        lines=[f"对账单 {customer} {period} #{n}", f"应付金额：¥100.00 {n}"],
    )


def _ids_in_index(settings) -> set[int]:
    result = backend(settings).search(SearchQuery(text="", limit=100))
    return {h.id for h in result.hits}


def _env(settings) -> dict[str, str]:
    return {"STMT_DATA_DIR": str(settings.data_dir), "STMT_DATABASE_URL": settings.database_url}


def test_keep_until_is_years_after_the_end_of_the_period_year(archive):
    doc_id = _doc("2026-10")
    with db.session() as s:
        doc = s.get(Document, doc_id)
        assert r.keep_until(doc, r.years_for(s, "statement")) == dt.date(2036, 12, 31)
        assert r.keep_until(doc, None) is None
        r.set_years(s, "statement", 30, "admin")
    with db.session() as s:
        assert r.keep_until(s.get(Document, doc_id), r.years_for(s, "statement")).year == 2056
    with pytest.raises(r.RetentionError):
        r.parse_years("0")
    assert r.parse_years("permanent") is None and r.parse_years("永久") is None


def test_nothing_before_its_time_and_nothing_on_hold(archive):
    old = _doc("2012-03", n=1)
    recent = _doc("2026-10", n=2)
    held_doc = _doc("2013-01", n=3)
    held_customer = _doc("2011-07", customer="C0077", n=4)
    with db.session() as s:
        add_user(s, "boss", "admin", PASSWORD)
        add_user(s, "clerk", "finance", PASSWORD)
        r.place_hold(s, "legal", "lawsuit 2026-17", document_id=held_doc)
        r.place_hold(s, "legal", "tax audit", customer="C0077")
        with pytest.raises(r.RetentionError):
            r.place_hold(s, "legal", "  ", document_id=old)
    with db.session() as s:
        expired = {e.document.id: e for e in r.expired(s)}
        assert set(expired) == {old, held_doc, held_customer}  # not the 2026 statement
        assert expired[held_customer].holds and expired[held_doc].holds
        lst = r.propose(s, "clerk")
        assert [i.document_id for i in lst.items] == [old]
        list_id = lst.id
    with db.session() as s, pytest.raises(r.RetentionError, match="no document has passed"):
        r.propose(s, "clerk")  # the one due is on an open list already
    with db.session() as s, pytest.raises(r.RetentionError, match="must be approved"):
        r.carry_out(s, list_id, "clerk")
    with db.session() as s, pytest.raises(r.RetentionError, match="only an active admin"):
        r.approve(s, list_id, "clerk")
    with db.session() as s:
        r.approve(s, list_id, "boss")
    assert recent in _ids_in_index(archive)


def test_disposal_removes_rows_originals_and_index_entries_and_keeps_the_list(archive):
    keep = _doc("2026-10", n=1)
    gone = _doc("2012-03", n=2)
    late_hold = _doc("2014-05", n=3)
    with db.session() as s:
        add_user(s, "boss", "admin", PASSWORD)
        doc = s.get(Document, gone)
        s.add(Correction(document_id=gone, field="period", old_value=None, new_value="2012-03",
                         user="rev"))  # fmt: skip
        shas = {i: s.get(Document, i).sha256 for i in (keep, gone, late_hold)}
        list_id = r.propose(s, "clerk").id
        r.approve(s, list_id, "boss")
    from web.pages import page_png

    with db.session() as s:
        doc = s.get(Document, gone)
        page = page_png(archive, doc, 1)  # a cached page image, derived from the original
    assert page is not None and page.exists()
    with db.session() as s:  # a hold placed after approval still wins
        r.place_hold(s, "legal", "new claim", document_id=late_hold)
    result, problems = disposal.dispose(archive, list_id, "boss")
    assert problems == []
    assert result.disposed == [gone] and result.kept == {late_hold: "held"}
    assert not store.path_for(archive.store_dir, shas[gone]).exists()
    assert not page.exists()
    assert store.path_for(archive.store_dir, shas[late_hold]).exists()
    assert _ids_in_index(archive) == {keep, late_hold}
    with db.session() as s:
        assert s.get(Document, gone) is None
        assert s.scalar(select(func.count()).select_from(Correction)) == 0
        lst = r.get_list(s, list_id)
        outcomes = {i.document_id: (i.outcome, i.sha256) for i in lst.items}
        assert lst.status == r.DONE and lst.done_by == "boss"
        assert outcomes == {gone: ("disposed", shas[gone]), late_hold: ("held", shas[late_hold])}
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert audit.verify(s).ok
        disposed = s.scalar(select(AuditEvent).where(AuditEvent.action == "disposed"))
    assert disposed.document_id == gone and disposed.customer == "C001"
    steps = ["hold_placed", "disposal_proposed", "disposal_approved", "disposed", "disposal_done"]
    assert [a for a in actions if a in steps] == [
        "disposal_proposed", "disposal_approved", "hold_placed", "disposed", "disposal_done",
    ]  # fmt: skip
    with db.session() as s, pytest.raises(r.RetentionError):
        r.carry_out(s, list_id, "boss")  # once only


def test_a_longer_period_set_after_approval_keeps_the_documents(archive):
    doc_id = _doc("2015-06")
    with db.session() as s:
        add_user(s, "boss", "admin", PASSWORD)
        list_id = r.propose(s, "boss").id
        r.approve(s, list_id, "boss")
        r.set_years(s, "statement", 30, "boss")
    result, _ = disposal.dispose(archive, list_id, "boss")
    assert result.disposed == [] and result.kept == {doc_id: "kept"}
    with db.session() as s:
        assert s.get(Document, doc_id) is not None


def test_the_retention_commands(archive):
    env = _env(archive)
    old = _doc("2010-01", n=1)
    _doc("2026-10", n=2)
    with db.session() as s:
        add_user(s, "boss", "admin", PASSWORD)
    rows = json_lines(stmt("retention", "list", "--json", env=env).stdout)
    assert [row["id"] for row in rows] == [old] and rows[0]["keep_until"] == "2020-12-31"
    out = stmt("retention", "hold", "--document", str(old), "--reason", "审计", "--user", "legal",
               env=env).stdout  # fmt: skip
    assert "legal hold 1 placed" in out
    proc = stmt("retention", "propose", env=env, check=False)
    assert proc.returncode == 1 and "no document has passed" in proc.stderr
    stmt("retention", "release", "1", "--reason", "settled", "--user", "legal", env=env)
    assert "disposal list 1" in stmt("retention", "propose", "--user", "clerk", env=env).stdout
    proc = stmt("retention", "approve", "1", "--user", "clerk", env=env, check=False)
    assert proc.returncode == 1 and "only an active admin" in proc.stderr
    stmt("retention", "approve", "1", "--user", "boss", env=env)
    out = stmt("retention", "dispose", "1", "--user", "boss", env=env).stdout
    assert "1 documents disposed of, 0 kept" in out
    shown = json_lines(stmt("retention", "show", "1", "--json", env=env).stdout)[0]
    assert shown["status"] == "done" and shown["approved_by"] == "boss"
    assert [(i["document_id"], i["outcome"]) for i in shown["items"]] == [(old, "disposed")]
    assert "annual_report    permanent" in stmt("retention", "periods", env=env).stdout
    stmt("retention", "periods", "statement", "15", env=env)
    assert "statement        15 years" in stmt("retention", "periods", env=env).stdout
    proc = stmt("retention", "periods", "statement", "forever", env=env, check=False)
    assert proc.returncode == 1 and "1 to 100 years" in proc.stderr


@pytest.mark.parametrize("table", ["disposal_lists", "disposal_items", "legal_holds"])
def test_lists_and_holds_cannot_be_deleted(archive, table):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    _doc("2011-01")
    with db.session() as s:
        r.place_hold(s, "legal", "audit", customer="C0099")
        r.propose(s, "clerk")
    with pytest.raises(DBAPIError, match="kept permanently"), db.engine().begin() as conn:
        conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608  (a fixed table name)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(r.DisposalItem)) == 1
