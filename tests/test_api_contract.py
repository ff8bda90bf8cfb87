"""The API does what /api/v1/openapi.json says: Schemathesis (every check) against the app
served over real HTTP on loopback, with a real API token."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from archive import db
from archive.users import User, create_token
from tests.web_fixtures import (  # noqa: F401  (fixtures)
    app,
    make_document,
    no_queue,
    served,
    users,
)

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).resolve().with_name("schemathesis.toml")


@pytest.fixture
def server(app):
    with served(app) as base:
        yield base


@pytest.mark.slow
def test_schemathesis_finds_nothing(server, users, no_queue, tmp_path):
    make_document()  # something to find, correct and download
    with db.session() as s:
        token = create_token(s, s.scalar(select(User).where(User.name == "admin")))
    run = subprocess.run(
        [
            str(ST), "--config-file", str(CONFIG), "run", f"{server}/api/v1/openapi.json",
            "--checks", "all",
            "--header", f"Authorization: Bearer {token}",
            "--max-examples", "25",
            "--seed", "1",
            "--workers", "1",
            "--generation-deterministic",
            "--report-dir", str(tmp_path),
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env=os.environ | {"SCHEMATHESIS_HOOKS": ""},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
