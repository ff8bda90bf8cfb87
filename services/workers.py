"""Worker processes seen from outside: whether any is alive, and a local one for the commands
that run everything at once (`stmt serve`, `stmt ingest --wait`)."""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from archive import db
from archive.models import WorkerHeartbeat, utcnow
from services.background import every

log = logging.getLogger(__name__)

ALIVE_WITHIN = dt.timedelta(seconds=20)  # four missed heartbeats (ingest/worker.py)


def live_workers() -> int:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).where(WorkerHeartbeat.seen_at > utcnow() - ALIVE_WITHIN))
            or 0
        )


def start_local_worker(
    concurrency: int | None = None, loglevel: str = "WARNING"
) -> subprocess.Popen:
    """A worker in a child process, for `stmt serve` and `stmt ingest --wait`."""
    cmd = [sys.executable, "-m", "ingest.cli", "worker", f"--loglevel={loglevel}"]
    if concurrency:
        cmd.append(f"--concurrency={concurrency}")
    # Its log goes to stderr, as the command's own does. Celery writes to stdout only its
    # banner and a "Warm shutdown" notice, and stdout belongs to the command's results (--json).
    # In a session of its own, a Ctrl-C at the terminal reaches the command alone, which then
    # stops the worker once and cleanly (else every pool process is interrupted and reported).
    return subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


@contextmanager
def supervised_local_worker(loglevel: str = "INFO") -> Iterator[None]:
    """A local worker for as long as the block runs, started again whenever it dies."""
    proc = start_local_worker(loglevel=loglevel)

    def watch() -> bool:
        nonlocal proc
        code = proc.poll()
        if code is not None:
            log.error("the worker exited (code %s); starting another", code)
            proc = start_local_worker(loglevel=loglevel)
        return False

    try:
        with every(2.0, watch, "stmt-worker-watch"):
            yield
    finally:
        stop_local_worker(proc)


@contextmanager
def worker_while_waiting(check_every: float = 15.0) -> Iterator[None]:
    """Some worker reads the queue while the block runs (`stmt ingest --wait`).

    A local worker is started when none is alive, at the start or later, when every other
    worker has stopped: waiting on a queue nobody reads would never end.
    """
    with ExitStack() as local:

        def ensure(later: bool = True) -> bool:
            """True once a local worker was started (then nothing more is watched)."""
            try:
                if live_workers():
                    return False
            except OperationalError as exc:  # the database restarts: look again later
                log.warning("could not tell whether a worker is running (%s)", exc.orig)
                return False
            local.enter_context(supervised_local_worker(loglevel="WARNING"))
            if later:
                log.warning("no worker is running any more: started a local one")
            return True

        if ensure(later=False):
            yield
            return
        with every(check_every, ensure, "stmt-wait-watch"):
            yield


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies, however it dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop_local_worker(proc: subprocess.Popen, timeout: float = 60) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # warm shutdown: finishes the current task
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
