"""Shared fixtures: an isolated archive per test, optional PostgreSQL, the test corpus."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive import config, db
from tests.corpus import SECRET_KEY
from tests.elastic_node import elasticsearch_url  # noqa: F401  (session fixture: a real node)
from tests.stacks import STACKS, make_stack

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


def _needs(env: str, what: str) -> str:
    """A service URL from the environment; skipped locally without it, an error in CI."""
    value = os.environ.get(env)
    if not value:
        if IN_CI:
            pytest.fail(f"{env} is not set: .ci/run must start {what}")
        pytest.skip(f"{env} not set (no {what})")
    return value


class _SettingsMonkeyPatch(pytest.MonkeyPatch):
    """monkeypatch whose environment changes reach the settings: the program builds them once
    (archive/config.py), so each change, and the undoing at the end, makes them anew."""

    def setenv(self, *args, **kwargs) -> None:
        super().setenv(*args, **kwargs)
        config.reset()

    def delenv(self, *args, **kwargs) -> None:
        super().delenv(*args, **kwargs)
        config.reset()

    def undo(self) -> None:
        super().undo()
        config.reset()


@pytest.fixture
def monkeypatch():
    patch = _SettingsMonkeyPatch()
    config.reset()
    yield patch
    patch.undo()


def _clear_env(monkeypatch) -> None:
    for name in (
        "STMT_DATABASE_URL",
        "STMT_BROKER_URL",
        "STMT_SEARCH_URL",
        "STMT_REVIEW_THRESHOLD",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty archive on the embedded default (SQLite, embedded broker and index)."""
    _clear_env(monkeypatch)
    path = tmp_path / "data"
    monkeypatch.setenv("STMT_DATA_DIR", str(path))
    monkeypatch.setenv("STMT_SECRET_KEY", SECRET_KEY)  # the corpus's QR codes are signed with it
    db.upgrade()
    return path


@pytest.fixture
def postgres_url(monkeypatch) -> str:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    admin_url = _needs("STMT_TEST_DATABASE_URL", "a PostgreSQL server")
    name = f"stmt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    yield url
    db.engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def archive(request, data_dir, monkeypatch) -> config.Settings:
    """The archive on SQLite and on PostgreSQL: archive tests run against both."""
    if request.param == "postgres":
        monkeypatch.setenv("STMT_DATABASE_URL", request.getfixturevalue("postgres_url"))
        db.upgrade()
    return config.load()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return _needs("STMT_TEST_REDIS_URL", "a Redis server")


@pytest.fixture(scope="session")
def corpus():
    """The generated statements (made once, cached under tests/.cache)."""
    from tests.corpus import build_corpus

    return build_corpus()


@pytest.fixture(scope="session")
def customers_csv(tmp_path_factory) -> Path:
    from tests.corpus import customers_csv as write

    return write(tmp_path_factory.mktemp("customers") / "customers.csv")


@pytest.fixture(scope="module", params=STACKS)
def stack(request, tmp_path_factory):
    """Each stack once per module: the embedded default, then the production stack."""
    with make_stack(request.param, tmp_path_factory.mktemp(request.param), request) as st:
        yield st


@pytest.fixture(params=STACKS)
def fresh_stack(request, tmp_path):
    """A new installation on each stack for one test."""
    with make_stack(request.param, tmp_path, request) as st:
        yield st
