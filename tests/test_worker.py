"""The worker process: periodic mail fetching runs inside it, on the embedded broker too;
`stmt serve` keeps one alive, and /health says when none is."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.helpers import ROOT
from tests.stacks import children

pytestmark = pytest.mark.slow


def test_worker_runs_the_mail_schedule_on_the_embedded_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {
        "STMT_DATA_DIR": str(tmp_path / "data"),
        "STMT_IMAP_URL": "imap://user:pw@127.0.0.1:1/INBOX",  # nothing listens there
        "STMT_IMAP_INTERVAL": "2",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "worker", "--concurrency", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "cannot reach 127.0.0.1:1" not in log.read_text():
            time.sleep(0.5)
        text = log.read_text()
        assert "Sending due task fetch-mail" in text
        assert "cannot reach 127.0.0.1:1" in text  # the fetch ran, failed clearly
        assert proc.poll() is None  # and the worker carries on
    finally:
        proc.terminate()
        proc.wait(60)


def _health(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/health", timeout=5) as resp:  # noqa: S310  (loopback)
        return json.loads(resp.read())


def _workers_of(pid: int) -> list[int]:
    """Direct children of `pid` that run `ingest.cli worker`."""
    return [c for c in children(pid) if b"ingest.cli\0worker" in _cmdline(c)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it just ended
        return b""


def test_serve_starts_its_worker_again_when_it_is_killed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {"STMT_DATA_DIR": str(tmp_path / "data"), "STMT_COOKIE_SECURE": "false"}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with (tmp_path / "serve.log").open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        first = _wait(lambda: _workers_of(proc.pid) if _live(base) else None)
        os.kill(first[0], signal.SIGKILL)
        second = _wait(lambda: [p for p in _workers_of(proc.pid) if p not in first] or None)
        assert second and proc.poll() is None
        assert _wait(lambda: _health(base)["workers"] >= 1 or None)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)


def _live(base: str) -> bool:
    try:
        return _health(base)["status"] == "ok"
    except OSError:
        return False


def _wait(probe, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_health_says_when_no_worker_is_alive(data_dir):
    from archive import db
    from archive.models import WorkerHeartbeat, utcnow
    from web.app import create_app

    client = create_app().test_client()
    assert client.get("/health").json["status"] == "degraded"
    assert client.get("/health").json["workers"] == 0
    with db.session() as s:
        s.add(WorkerHeartbeat(name="elsewhere:1", seen_at=utcnow()))
    assert client.get("/health").json == {"status": "ok", "workers": 1, "documents": {}}


# A 30 MiB buffer, freed, then made again and freed: by default glibc serves the second
# from its heap (its mmap threshold grew to the first's size) and keeps it after the free.
FREED_TWICE = """
import sys
from ingest.worker import return_freed_memory

def rss_mib():
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) // 1024

lean = sys.argv[1] == "lean"
if lean:
    assert return_freed_memory()
before = rss_mib()
for _ in range(2):
    page = b"x" * (30 << 20)
    del page
print(rss_mib() - before)
"""


@pytest.mark.parametrize("mode", ["lean", "default"])
def test_the_worker_gives_a_freed_page_back(mode):
    out = subprocess.run(
        [sys.executable, "-c", FREED_TWICE, mode],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    kept = int(out.stdout)
    if mode == "lean":
        assert kept < 10
    else:  # what the worker would hold without it: the test shows the setting matters
        assert kept >= 25


UPGRADE_APART = """
import sys
from ingest.worker import _upgrade_apart
_upgrade_apart()
print("alembic" in sys.modules)
"""


def test_the_worker_upgrades_the_schema_without_loading_alembic_itself(tmp_path):
    """Its pool processes are forked from it: what it loads, each of them carries."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {"STMT_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", UPGRADE_APART], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert (out.returncode, out.stdout.strip()) == (0, "False"), out.stderr
    with closing(sqlite3.connect(tmp_path / "data" / "archive.sqlite3")) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"alembic_version", "documents"} <= tables

    env["STMT_DATABASE_URL"] = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # nothing there
    out = subprocess.run(
        [sys.executable, "-c", UPGRADE_APART], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "the database schema could not be upgraded" in out.stderr
