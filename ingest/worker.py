"""Running workers: heartbeats, the recovery loop, and a local worker for one-command use."""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from celery.signals import worker_ready, worker_shutdown
from sqlalchemy import delete, func, select

from archive import db
from archive.models import WorkerHeartbeat, utcnow
from ingest.background import every

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0  # seconds
RECOVER_EVERY = 30.0  # with processing.LEASE: a dead reader's document is redone in ~75 s
ALIVE_WITHIN = dt.timedelta(seconds=20)

_stop = threading.Event()
_name = f"{socket.gethostname()}:{os.getpid()}"


def live_workers() -> int:
    with db.session() as s:
        return (
            s.scalar(select(func.count()).where(WorkerHeartbeat.seen_at > utcnow() - ALIVE_WITHIN))
            or 0
        )


def _beat() -> None:
    with db.session() as s:
        row = s.get(WorkerHeartbeat, _name)
        if row is None:
            s.add(WorkerHeartbeat(name=_name, seen_at=utcnow()))
        else:
            row.seen_at = utcnow()


def _loop() -> None:
    from ingest import processing
    from ingest.celery_app import queue_depth
    from ingest.tasks import process_document

    last_recover = 0.0
    clock = 0.0
    while not _stop.is_set():
        try:
            _beat()
            if clock - last_recover >= RECOVER_EVERY or last_recover == 0.0:
                result = processing.recover(process_document.delay, queue_depth)
                if any(result.values()):
                    log.info("recovery: %s", result)
                last_recover = clock or 1e-9
        except Exception:  # the loop must outlive a database hiccup
            log.exception("worker heartbeat failed")
        _stop.wait(HEARTBEAT_EVERY)
        clock += HEARTBEAT_EVERY


@worker_ready.connect
def _on_ready(**_kwargs) -> None:
    threading.Thread(target=_loop, name="stmt-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _on_shutdown(**_kwargs) -> None:
    _stop.set()
    try:
        with db.session() as s:
            s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == _name))
    except Exception:
        log.exception("could not remove the worker heartbeat")


def worker_argv(
    concurrency: int | None = None, loglevel: str = "INFO", beat: bool = True
) -> list[str]:
    from ingest.celery_app import app

    quiet = ["--quiet"] if loglevel.upper() in ("WARNING", "ERROR") else []  # no banner
    # Periodic work (the mailbox) runs in the worker when there is any; one beat per
    # installation is enough, so extra workers can run with --no-beat.
    beat_args = ["--beat"] if beat and app.conf.beat_schedule else []
    return [
        *quiet,
        "worker",
        *beat_args,
        f"--loglevel={loglevel}",
        f"--concurrency={concurrency or os.cpu_count() or 1}",
        "--without-mingle",
        "--without-gossip",
        f"--hostname=stmt-{_name}",
    ]


def run_worker(concurrency: int | None = None, loglevel: str = "INFO", beat: bool = True) -> None:
    """Run a worker in this process until it is stopped (`stmt worker`)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if loglevel.upper() in ("WARNING", "ERROR"):  # a local worker: only real problems
        warnings.filterwarnings("ignore", module="celery.platforms")
    db.upgrade()
    from ingest.celery_app import app

    app.worker_main(worker_argv(concurrency, loglevel, beat))


def start_local_worker(
    concurrency: int | None = None, loglevel: str = "WARNING"
) -> subprocess.Popen:
    """A worker in a child process, for `stmt serve` and `stmt ingest --wait`."""
    cmd = [sys.executable, "-m", "ingest.cli", "worker", f"--loglevel={loglevel}"]
    if concurrency:
        cmd.append(f"--concurrency={concurrency}")
    # Its output goes to stderr: stdout belongs to the command's own results (--json).
    return subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=sys.stderr, preexec_fn=_die_with_parent
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

        def ensure() -> bool:
            if live_workers():
                return False
            local.enter_context(supervised_local_worker(loglevel="WARNING"))
            return True

        def watch() -> bool:
            try:
                if ensure():
                    log.warning("no worker is running any more: started a local one")
                    return True
            except Exception:  # the database is away for a moment; look again later
                log.exception("could not tell whether a worker is running")
            return False

        if ensure():
            yield
            return
        with every(check_every, watch, "stmt-wait-watch"):
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
