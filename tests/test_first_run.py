"""The first run: `stmt serve` prints a one-time link to create the first admin; the page
answers only on this computer, only with the token, only while no user exists."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

from sqlalchemy import select

from archive import db
from archive.users import User
from tests.web_fixtures import PASSWORD, app  # noqa: F401
from web.first_run import announce


def test_the_link_creates_one_admin_once(app):
    client = app.test_client()
    client.post("/language", data={"locale": "en"})
    assert "No user exists yet" in client.get("/login").get_data(as_text=True)
    link = announce("0.0.0.0", 8000)  # noqa: S104
    assert link.startswith("http://127.0.0.1:8000/first-admin?token=")
    path = link.removeprefix("http://127.0.0.1:8000")
    token = urlsplit(link).query.removeprefix("token=")
    assert client.get("/first-admin?token=wrong").status_code == 404
    assert client.get("/first-admin").status_code == 404
    remote = app.test_client()
    assert remote.get(path, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 404
    assert client.get(path).status_code == 200
    weak = client.post("/first-admin", data={"token": token, "name": "root", "password": "short"})
    assert weak.status_code == 400 and "at least 10 characters" in weak.get_data(as_text=True)
    resp = client.post("/first-admin", data={"token": token, "name": "chen", "password": PASSWORD,
                                             "email": "chen@example.cn"})  # fmt: skip
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/users")
    assert client.get("/admin/users").status_code == 200  # signed in as the new admin
    with db.session() as s:
        [user] = s.scalars(select(User)).all()
        assert (user.name, user.role, user.email) == ("chen", "admin", "chen@example.cn")
    assert client.get(path).status_code == 404  # used up
    assert announce("127.0.0.1", 8000) is None  # a user exists: no new link
    assert "No user exists yet" not in app.test_client().get("/login").get_data(as_text=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_stmt_serve_prints_the_link_on_a_fresh_installation(data_dir):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "serve", "--no-worker", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy(),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "first-admin?token=" in line or not line:
                break
        found = next(line for line in lines if "first-admin?token=" in line)
        assert f"http://127.0.0.1:{port}/first-admin?token=" in found
        assert len(found.strip().splitlines()) == 1
    finally:
        proc.terminate()
        proc.wait(30)
