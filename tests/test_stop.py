"""Stopping `stmt worker` and `stmt serve` with SIGTERM, as a service manager does: an idle
one exits, and a busy worker hands its document back to the queue, where another worker
reads it to the end; a reader process over its memory limit ends after its document and is
replaced. The timeouts here only say "it did not hang"; bench/stop.py measures."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from archive import config, customers, db, documents
from archive.models import FAILED, PROCESSING, RECEIVED, Document
from services import broker
from services.workers import live_workers
from tests.test_worker import _wait

ROOT = Path(__file__).resolve().parent.parent
EXITS_WITHIN = 60  # seconds: a liveness bound, not a speed


def _env(data_dir: Path) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    extra = {k: v for k, v in os.environ.items() if k in ("STMT_SECRET_KEY", "STMT_DATA_DIR")}
    return keep | extra | {"STMT_DATA_DIR": str(data_dir), "STMT_PAGE_WORKERS": "1",
                           "PYTHONPATH": str(ROOT)}  # fmt: skip


def _start(args: list[str], data_dir: Path, log: Path, **env: str) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", *args],
            cwd=ROOT, env=_env(data_dir) | env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(EXITS_WITHIN)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise AssertionError(f"still running {EXITS_WITHIN} s after SIGTERM") from None


def archive_sample(path: Path, customers_csv: Path) -> int:
    """A corpus file archived (with the customer master), no message sent: its id."""
    with db.session() as s:
        customers.import_rows(s, customers.parse_csv(customers_csv.read_text()))
        doc, _ = documents.register(
            s, config.settings(), path.read_bytes(), path.name, source="cli"
        )
        return doc.id


def queue_sample(path: Path, customers_csv: Path) -> int:
    """A corpus file archived and its message sent: its id."""
    doc_id = archive_sample(path, customers_csv)
    broker.send_process(doc_id)
    return doc_id


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(x) for x in found.stdout.split()]


def _gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return True


@pytest.mark.slow
def test_an_idle_worker_exits_on_sigterm(data_dir, tmp_path):
    proc = _start(["worker", "--concurrency=2"], data_dir, tmp_path / "worker.log")
    _wait(live_workers)
    pool = _children(proc.pid)
    assert _stop(proc) == 0, (tmp_path / "worker.log").read_text()
    assert all(_gone(pid) for pid in pool)
    assert live_workers() == 0  # it took its heartbeat with it


@pytest.mark.slow
def test_an_idle_serve_exits_on_sigterm_with_its_worker(data_dir, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = _start(["serve", "--port", str(port)], data_dir, tmp_path / "serve.log")

    def up() -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/health")
            return conn.getresponse().status in (200, 503)
        except OSError:
            return False
        finally:
            conn.close()

    _wait(up)
    _wait(live_workers)
    worker = _children(proc.pid)
    assert worker
    _stop(proc)
    assert all(_gone(pid) for pid in worker)


@pytest.mark.slow
def test_a_busy_worker_hands_its_document_back(data_dir, tmp_path, corpus, customers_csv):
    # a scan without a QR code, turned: OCR of every page, long enough to be caught reading
    sample = next(s for s in corpus if s.variant == "rotated" and "noqr" in s.path.name)
    doc_id = queue_sample(sample.path, customers_csv)

    def state() -> Document:
        with db.session() as s:
            return s.get(Document, doc_id)

    # two pool processes: the one reading, and one that would take the message back up
    first = _start(["worker", "--concurrency=2", "--no-beat"], data_dir, tmp_path / "w1.log")
    _wait(lambda: state().status == PROCESSING)
    assert _stop(first) == 0
    handed = state()
    # back in the queue at once, this attempt not counted, no lease left to run out
    assert (handed.status, handed.attempts, handed.lease_token) == (RECEIVED, 0, None)
    assert broker.queue_depth() == 1

    second = _start(["worker", "--concurrency=1", "--no-beat"], data_dir, tmp_path / "w2.log")
    try:
        done = _wait(
            lambda: (d := state()).status not in (RECEIVED, PROCESSING) and d,
            timeout=300,
        )
    finally:
        _stop(second)
    assert done.status != FAILED, done.error
    assert done.processed_at is not None and done.attempts == 1


@pytest.mark.slow
def test_a_worker_stops_with_its_fast_lane_after_a_code_pass(
    data_dir, tmp_path, corpus, customers_csv
):
    """The fast lane runs passes in a thread of the worker's main process, not in its pool:
    once it has run one, SIGTERM must still end the worker."""
    sample = next(s for s in corpus if "noqr" not in s.path.name and s.path.suffix == ".pdf")
    doc_id = archive_sample(sample.path, customers_csv)
    broker.send_fast(doc_id)  # only the code pass: the pool stays idle
    proc = _start(["worker", "--concurrency=1", "--no-beat"], data_dir, tmp_path / "w.log")

    def passed() -> bool:
        with db.session() as s:
            return s.get(Document, doc_id).codes_looked_at is not None

    _wait(passed)
    children = _children(proc.pid)
    assert len(children) == 1  # the pool's one process: the lane needs none of its own
    assert _stop(proc) == 0, (tmp_path / "w.log").read_text()
    assert all(_gone(pid) for pid in children)


@pytest.mark.slow
def test_a_reader_over_its_memory_limit_is_replaced_after_its_document(
    data_dir, tmp_path, corpus, customers_csv
):
    sample = next(s for s in corpus if "noqr" not in s.path.name and s.path.suffix == ".pdf")
    proc = _start(
        ["worker", "--concurrency=1", "--no-beat"], data_dir, tmp_path / "w.log",
        STMT_READER_MAX_MB="1",  # every reader passes it
    )  # fmt: skip
    try:
        first = _wait(lambda: _children(proc.pid))
        doc_id = queue_sample(sample.path, customers_csv)

        def read() -> bool:
            with db.session() as s:
                return s.get(Document, doc_id).status not in (RECEIVED, PROCESSING)

        _wait(read)
        replaced = _wait(lambda: [p for p in _children(proc.pid) if p not in first])
        assert len(replaced) == 1 and all(_gone(pid) for pid in first)
    finally:
        assert _stop(proc) == 0
