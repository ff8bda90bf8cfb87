"""Workers killed with SIGKILL while they read: on both stacks, every document is still read
exactly once, within two minutes of the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT, json_lines, stmt
from tests.stacks import children

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
