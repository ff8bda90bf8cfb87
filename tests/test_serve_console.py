"""`stmt serve` on a fresh archive, as a terminal shows it: one line per event in one format,
no Celery banner or root warning, the first-admin link, and a Ctrl-C that stops the server
and its embedded worker without a word from the worker's pool."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING|ERROR) [\w.]+: \S")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/login")
            return conn.getresponse().status == 200
        except OSError:
            time.sleep(0.5)
        finally:
            conn.close()
    return False


def _worker_children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(x) for x in found.stdout.split()]


@pytest.mark.slow
def test_the_console_of_a_first_serve(data_dir):
    port = _free_port()
    env = {**os.environ, "STMT_DATA_DIR": str(data_dir),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # fmt: skip
    # a terminal: the command leads a process group, and Ctrl-C goes to that whole group
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert _up(port, time.monotonic() + 90)
        workers = _worker_children(proc.pid)
        assert workers, "no embedded worker"
        time.sleep(5)  # the worker is up and would have said what it says at start
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines and all(LINE.match(line) for line in lines), out
    assert any("/first-admin?token=" in line for line in lines)
    assert any(f"serving on http://127.0.0.1:{port}" in line for line in lines)
    for noise in ("celery@", "SecurityWarning", "superuser", "Warm shutdown", "ForkPoolWorker"):
        assert noise not in out
    for pid in workers:  # the worker went with the server
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status"
        ).read_text().lower()
