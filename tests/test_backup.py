"""Backup, verify and restore, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from sqlalchemy import select, text

from archive import audit, backup, db, store
from archive.models import AuditEvent, Correction, Document
from archive.retention import LegalHold, place_hold
from services.corrections import correct
from tests.helpers import json_lines, stmt
from tests.web_fixtures import STATEMENT, make_document


def _env(settings) -> dict[str, str]:
    return {"STMT_DATA_DIR": str(settings.data_dir), "STMT_DATABASE_URL": settings.database_url}


def _destroy(settings) -> None:
    """The disk is lost: the data folder, and the database with it."""
    db.engine_for(settings.database_url).dispose()
    if settings.database_url.startswith("postgresql"):
        with db.engine_for(settings.database_url).begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine_for(settings.database_url).dispose()
    shutil.rmtree(settings.data_dir)


def _docs(n: int, first: int = 0) -> list[int]:
    return [
        make_document(lines=[f"对账单 Account Statement {i}", *STATEMENT[1:]])
        for i in range(first, first + n)
    ]


def test_backup_is_incremental_and_verify_names_missing_and_corrupt_files(archive, tmp_path):
    ids = _docs(2)
    dest = tmp_path / "backup"
    env = _env(archive)
    out = stmt("backup", str(dest), env=env).stdout
    assert "2 documents, 2 originals (2 copied, 0 already in the backup)" in out
    _docs(1, first=2)  # one more statement
    out = stmt("backup", str(dest), env=env).stdout
    assert "3 originals (1 copied, 2 already in the backup)" in out
    names = backup.snapshots(dest)
    assert len(names) == 2
    manifest = json.loads((dest / "snapshots" / names[-1] / "manifest.json").read_text())
    assert manifest["documents"] == 3 and len(manifest["originals"]) == 3
    assert manifest["audit_head"]["id"] > 0
    out = stmt("verify", str(dest), env=env).stdout  # two database files, three originals
    assert "5 files checked, 0 missing, 0 corrupt" in out

    with db.session() as s:
        first, second = (s.get(Document, i).sha256 for i in ids)
    damaged = store.path_for(dest / "originals", first)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    store.path_for(dest / "originals", second).unlink()
    proc = stmt("verify", str(dest), env=env, check=False)
    assert proc.returncode == 1
    assert f"corrupt: original {first}" in proc.stderr
    assert f"missing: original {second}" in proc.stderr
    assert "1 missing, 1 corrupt" in proc.stdout
    report = json_lines(stmt("verify", str(dest), "--json", env=env, check=False).stdout)[0]
    assert {(p["kind"], p["what"]) for p in report["problems"]} == {
        ("corrupt", f"original {first}"),
        ("missing", f"original {second}"),
    }

    _destroy(archive)
    proc = stmt("restore", str(dest), env=env, check=False)
    assert proc.returncode == 1 and "damaged, nothing was restored" in proc.stderr
    assert not archive.data_dir.exists() or not any(archive.data_dir.iterdir())


def test_verify_of_the_live_archive(archive):
    ids = _docs(2)
    env = _env(archive)
    assert "2 files checked, 0 missing, 0 corrupt" in stmt("verify", env=env).stdout
    with db.session() as s:
        sha = s.get(Document, ids[1]).sha256
    store.path_for(archive.store_dir, sha).write_bytes(b"not the statement")
    proc = stmt("verify", env=env, check=False)
    assert proc.returncode == 1 and f"original of document {ids[1]}" in proc.stderr


def test_restore_refuses_a_data_folder_that_is_not_empty(archive, tmp_path):
    _docs(1)
    env = _env(archive)
    stmt("backup", str(tmp_path / "b"), env=env)
    proc = stmt("restore", str(tmp_path / "b"), env=env, check=False)
    assert proc.returncode == 1 and "is not empty" in proc.stderr
    with db.session() as s:
        assert len(s.scalars(select(Document)).all()) == 1  # untouched
    proc = stmt("restore", str(tmp_path / "nothing"), env=env, check=False)
    assert proc.returncode != 0


def _state(env: dict[str, str], ids: list[int]) -> dict:
    """Everything a restore must bring back, as the commands and the database show it."""
    with db.session() as s:
        corrections = [
            (c.document_id, c.field, c.old_value, c.new_value, c.user, c.at)
            for c in s.scalars(select(Correction).order_by(Correction.id))
        ]
        events = [
            (e.id, e.at, e.user, e.action, e.document_id, e.customer, e.detail, e.hash)
            for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
        holds = [(h.document_id, h.reason, h.placed_by) for h in s.scalars(select(LegalHold))]
    return {
        "documents": [json_lines(stmt("show", str(i), "--json", env=env).stdout) for i in ids],
        "corrections": corrections,
        "events": events,
        "holds": holds,
        "search": [
            json_lines(stmt("search", *q, "--json", env=env).stdout)
            for q in (["--customer", "C0001"], ["有限公司"], ["--period", "2026-09"], [])
        ],
    }


@pytest.mark.slow
def test_ingest_back_up_destroy_restore_gives_the_same_archive(archive, tmp_path, customers_csv):
    """The real pipeline end to end: the same documents, fields, corrections, audit log and
    search results after the data folder (and database) are lost and restored."""
    from tests.corpus import make_truth, render_pdf

    env = _env(archive)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rng = random.Random(11)
    for i, (code, layout) in enumerate([("C0001", "zh"), ("C0002", "bilingual")]):
        truth = make_truth(rng, customer=code, period="2026-09")
        (inbox / f"statement-{i}.pdf").write_bytes(render_pdf(truth, layout, qr=i == 0))
    stmt("customers", "import", str(customers_csv), env=env)
    lines = json_lines(stmt("ingest", str(inbox), "--wait", "--json", env=env).stdout)
    ids = sorted(line["id"] for line in lines)
    assert len(ids) == 2 and all(line["status"] != "failed" for line in lines), lines
    assert correct(ids[0], {"statement_no": "ST-RESTORE-1"}, "reviewer") is not None
    with db.session() as s:
        audit.record(s, "view", user="finance", document_id=ids[1])
        place_hold(s, "legal", "客户争议", document_id=ids[1])
    before = _state(env, ids)
    assert before["corrections"] and before["search"][0][0]["total"] == 1

    dest = tmp_path / "offsite"
    stmt("backup", str(dest), env=env)
    _destroy(archive)
    out = stmt("restore", str(dest), env=env).stdout
    assert "2 documents" in out and "stmt reindex" in out
    stmt("reindex", env=env)
    after = _state(env, ids)
    restored = after["events"].pop()  # the restore itself is the one entry more
    assert restored[3] == "restored" and restored[6]["documents"] == 2
    assert after == before
    assert stmt("audit", "verify", env=env).returncode == 0
    assert "0 missing, 0 corrupt" in stmt("verify", env=env).stdout
    # the restored archive goes on: a new entry links to the restored chain
    with db.session() as s:
        audit.record(s, "view", user="finance", document_id=ids[0])
    with db.session() as s:
        assert audit.verify(s).ok
