"""Workers killed with SIGKILL while they read: on both stacks, every document is still read
exactly once, within two minutes of the kill."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, json_lines, stmt
from tests.stacks import children, make_stack

pytestmark = pytest.mark.slow

TAKEN_UP_WITHIN = 120  # seconds from the kill to the document's end


def wait_status(stack, ids: list[int], statuses: tuple[str, ...], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(status in statuses for status, _ in stack.states(ids).values()):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("what", ["pool", "worker"])
def test_a_killed_reader_s_documents_are_read_once_within_two_minutes(
    fresh_stack, corpus, customers_csv, what
):
    stack = fresh_stack
    env = stack.env
    stmt("customers", "import", str(customers_csv), env=env)
    worker = stack.start_worker(concurrency=2)
    stack.wait_for_workers(1)
    scans = [s for s in corpus if s.variant == "scan300"][:2]
    lines = json_lines(stmt("ingest", *[str(s.path) for s in scans], "--json", env=env).stdout)
    ids = [o["id"] for o in lines]
    assert wait_status(stack, ids, ("processing",), 60), stack.worker_log()[-2000:]

    if what == "pool":  # the pool processes die; the worker itself lives on and forks new ones
        for pid in children(worker.pid):
            os.kill(pid, signal.SIGKILL)
    else:  # the whole worker dies, with the message it had taken; another one starts
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        stack.start_worker(concurrency=2)
    killed_at = time.monotonic()

    done = wait_status(stack, ids, ("accepted", "needs_review"), TAKEN_UP_WITHIN)
    taken = time.monotonic() - killed_at
    assert done, f"not done {taken:.0f}s after the kill:\n{stack.worker_log()[-3000:]}"
    assert stack.finished_once() == {i: 1 for i in ids}  # read to the end exactly once
    # the killed attempt counted, then one more
    assert [n for _, n in stack.states(ids).values()] == [2, 2]


def test_ingest_wait_ends_when_every_worker_died(fresh_stack, corpus, customers_csv):
    """`stmt ingest --wait` whose only worker is killed starts one of its own and still ends."""
    stack = fresh_stack
    stmt("customers", "import", str(customers_csv), env=stack.env)
    worker = stack.start_worker(concurrency=1)
    stack.wait_for_workers(1)
    scan = next(s for s in corpus if s.variant == "scan300")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "ingest", str(scan.path), "--wait", "--json"],
        cwd=ROOT, env=stack.full_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not stack.query("SELECT id FROM documents WHERE status = 'processing'"):
        assert time.monotonic() < deadline, stack.worker_log()[-2000:]
        time.sleep(0.2)
    os.killpg(worker.pid, signal.SIGKILL)
    out, err = ingest.communicate(timeout=240)
    assert ingest.returncode == 0, err[-2000:]
    [line] = json_lines(out)
    assert line["status"] in ("accepted", "needs_review")
    assert "no worker is running any more" in err


# -- servers restarted, a full disk ------------------------------------------------------------


def _services(what: str) -> None:
    """Restart a server the suite started (scripts/test says where its state is)."""
    state = os.environ.get("STMT_TEST_SERVICES_DIR")
    if not state:
        if os.environ.get("CI") == "true":
            pytest.fail("STMT_TEST_SERVICES_DIR is not set: scripts/test must export it")
        pytest.skip("the test servers were not started by scripts/test")
    subprocess.run([str(ROOT / "tests/services"), what, state], check=True, timeout=120)


@pytest.fixture
def production_stack(request, tmp_path):
    """Only the production stack: the embedded one has no separate server to restart."""
    with make_stack("production", tmp_path, request) as st:
        yield st


@pytest.mark.postgres
@pytest.mark.parametrize("server", ["redis", "postgres"])
def test_a_server_restarted_mid_ingest_loses_nothing(
    production_stack, corpus, customers_csv, server
):
    """Redis restarted with messages queued (it keeps none), or PostgreSQL restarted while
    documents are read: each document still ends once, and `stmt ingest --wait` returns."""
    stack = production_stack
    stmt("customers", "import", str(customers_csv), env=stack.env)
    stack.start_worker(concurrency=1)
    stack.wait_for_workers(1)
    files = [str(s.path) for s in corpus if s.variant in ("digital", "scan300")][:6]
    ingest = subprocess.Popen(
        [sys.executable, "-m", "ingest.cli", "ingest", *files, "--wait", "--json"],
        cwd=ROOT, env=stack.full_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not stack.query("SELECT id FROM documents WHERE status = 'processing'"):
        assert time.monotonic() < deadline and ingest.poll() is None, stack.worker_log()[-2000:]
        time.sleep(0.2)
    _services(f"restart-{server}")
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, err[-3000:] + stack.worker_log()[-3000:]
    lines = json_lines(out)
    assert len(lines) == len(files)
    assert {o["status"] for o in lines} <= {"accepted", "needs_review"}
    ids = [o["id"] for o in lines]
    assert stack.finished_once() == {i: 1 for i in ids}


@pytest.fixture
def small_disk(tmp_path):
    """A data folder on its own 8 MB file system, to fill up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a small file system: {done.stderr}")
        pytest.skip(f"cannot mount a small file system: {done.stderr}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_refuses_new_files_clearly_and_keeps_the_originals(
    small_disk, corpus, tmp_path
):
    env = {"STMT_DATA_DIR": str(small_disk / "data")}
    first = next(s for s in corpus if s.variant == "digital")
    [kept] = json_lines(stmt("ingest", str(first.path), "--json", env=env).stdout)
    filler = small_disk / "filler"
    with filler.open("wb") as fh:  # fill the disk up to about 256 KB
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        fh.write(b"\0" * max(0, free - 256 * 1024))
    big = tmp_path / "big-statement.pdf"
    big.write_bytes(first.path.read_bytes() + os.urandom(1024 * 1024))  # 1 MB more than fits
    proc = stmt("ingest", str(big), "--json", env=env)
    [line] = json_lines(proc.stdout)
    assert line["status"] == "failed" and line["id"] is None
    assert "not archived" in line["error"] and "No space left" in line["error"]
    assert "Traceback" not in proc.stderr
    # nothing half-written in the store; the original archived before is intact
    originals = [p for p in (small_disk / "data/originals").rglob("*") if p.is_file()]
    assert [p.name for p in originals] == [hashlib.sha256(first.path.read_bytes()).hexdigest()]
    assert originals[0].read_bytes() == first.path.read_bytes()
    filler.unlink()
    shown = json_lines(stmt("show", str(kept["id"]), "--json", env=env).stdout)[0]
    assert shown["id"] == kept["id"]


def test_waiting_outlives_a_database_that_is_away(monkeypatch, tmp_path, caplog):
    """`stmt ingest --wait` asks whether a worker runs as it starts to wait, which may be the
    moment the database restarts: it looks again later rather than ending with a traceback."""
    from services import workers

    with socket.socket() as s:  # a port nothing listens on: every connection is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("STMT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STMT_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/x")
    before = set(children(os.getpid()))
    with (
        caplog.at_level("WARNING", logger="services.workers"),
        workers.worker_while_waiting(check_every=0.2),
    ):
        time.sleep(1)
        started = set(children(os.getpid())) - before
    unsure = [r for r in caplog.records if "could not tell whether a worker" in r.getMessage()]
    assert len(unsure) >= 2  # at the start, and again while waiting
    assert not started  # no worker was started on a guess
