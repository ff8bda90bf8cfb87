"""An archive that had an audit log before the chain: upgrading links its entries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from archive import audit, config, db


def _upgrade(url: str, target: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with db.engine_for(url).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_existing_entries_are_chained_on_upgrade(kind, tmp_path, monkeypatch, request):
    for name in ("STMT_DATABASE_URL", "STMT_SEARCH_URL", "STMT_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STMT_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()
    if kind == "postgres":
        monkeypatch.setenv("STMT_DATABASE_URL", request.getfixturevalue("postgres_url"))
    url = config.load().database_url
    _upgrade(url, "0001")
    insert = (
        'INSERT INTO audit_events (at, "user", action, document_id, detail) '
        + ("VALUES (:at, :user, :action, :doc, CAST(:detail AS json))" if kind == "postgres"
           else "VALUES (:at, :user, :action, :doc, :detail)")
    )  # fmt: skip
    with db.engine_for(url).begin() as conn:
        for i in range(3):
            conn.execute(
                text(insert),
                {
                    "at": dt.datetime(2026, 11, 1, 9, i, 0, 123456),
                    "user": "mei",
                    "action": "view",
                    "doc": i,
                    "detail": json.dumps({"第": i}),
                },
            )
    db.upgrade()
    with db.session() as s:
        audit.record(s, "view", user="lan")
    with db.session() as s:
        report = audit.verify(s)
        assert report.ok and report.checked == 4
