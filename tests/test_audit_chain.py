"""The audit log is append-only and tamper-evident, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from archive import audit, db
from archive.models import AuditEvent
from tests.helpers import json_lines, stmt


def _env(settings) -> dict[str, str]:
    return {"STMT_DATA_DIR": str(settings.data_dir), "STMT_DATABASE_URL": settings.database_url}


def _write(n: int, user: str = "mei") -> None:
    for i in range(n):
        with db.session() as s:
            audit.record(s, "view", user=user, document_id=i + 1, note=f"第{i}次", n=[i, 0.5])


def _verify(settings) -> dict:
    proc = stmt("audit", "verify", "--json", env=_env(settings), check=False)
    out = json_lines(proc.stdout)[0]
    assert (proc.returncode == 0) == out["ok"]
    return out


def _tamper(sql: str, **params) -> None:
    """What someone with write access to the database could do: drop the guard and edit."""
    with db.engine().begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete ON audit_events"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
        conn.execute(text(sql), params)


def test_an_intact_log_verifies(archive):
    _write(5)
    out = _verify(archive)
    assert out == {"ok": True, "checked": 5, "broken_id": None, "reason": None}


@pytest.mark.parametrize(
    "sql", ["UPDATE audit_events SET \"user\" = 'x'", "DELETE FROM audit_events"]
)
def test_the_database_refuses_changes_to_entries(archive, sql):
    _write(2)
    with pytest.raises(DBAPIError, match="append-only"), db.engine().begin() as conn:
        conn.execute(text(sql))
    assert _verify(archive)["ok"]


def test_an_edited_entry_is_named(archive):
    _write(6)
    _tamper("UPDATE audit_events SET \"user\" = 'nobody' WHERE id = 4")
    out = _verify(archive)
    assert out["ok"] is False and out["broken_id"] == 4 and out["checked"] == 3
    proc = stmt("audit", "verify", env=_env(archive), check=False)
    assert proc.returncode == 1 and "entry 4" in proc.stderr


def test_an_edited_detail_is_named(archive):
    _write(3)
    sql = (
        "UPDATE audit_events SET detail = CAST(:d AS json) WHERE id = 1"
        if archive.database_url.startswith("postgresql")
        else "UPDATE audit_events SET detail = :d WHERE id = 1"
    )
    _tamper(sql, d='{"note": "x", "n": [0]}')
    assert _verify(archive)["broken_id"] == 1


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(archive):
    _write(4)
    with db.session() as s:
        e = s.get(AuditEvent, 2)
        e.user = "nobody"
        forged = audit.hash_of(e, e.prev_hash)
        s.expunge(e)
    _tamper("UPDATE audit_events SET \"user\" = 'nobody', hash = :h WHERE id = 2", h=forged)
    out = _verify(archive)
    assert out["broken_id"] == 3 and "link" in out["reason"]


def test_removed_entries_are_detected(archive):
    _write(5)
    _tamper("DELETE FROM audit_events WHERE id = 3")
    assert _verify(archive)["broken_id"] == 4
    _tamper("DELETE FROM audit_events WHERE id >= 4")
    out = _verify(archive)  # the chain that is left links up, but the head knows of entry 5
    assert out["ok"] is False and out["broken_id"] == 3


def test_concurrent_writers_build_one_chain(archive):
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            _write(15, user=name)
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"u{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as s:
        ids = list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
        assert audit.verify(s).ok
    assert ids == list(range(1, 61))


def test_access_entries_carry_the_customer(archive):
    from tests.web_fixtures import make_document

    doc_id = make_document()
    with db.session() as s:
        audit.record(s, "view", user="mei", document_id=doc_id)
    with db.session() as s:
        views = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "view")))
    assert [(e.user, e.customer) for e in views] == [("mei", "C001")]
