"""The Celery worker: its tasks, the beat schedule, heartbeats and the recovery loop.

Processes outside the worker see it through services/workers.py (alive? start a local one).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import socket
import threading
import warnings

import cv2
from celery.signals import (
    setup_logging,
    task_prerun,
    worker_process_init,
    worker_ready,
    worker_shutdown,
    worker_shutting_down,
)
from sqlalchemy import delete

from archive import config, db
from archive.models import WorkerHeartbeat, utcnow
from ingest import mail, mail_tasks, tasks  # noqa: F401  (registers the tasks on the app)
from ingest.lane import Lane
from services import broker, logs, processing, reminders

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0  # seconds
RECOVER_EVERY = 30.0  # with processing.LEASE: a dead reader's document is redone in ~75 s

_stop = threading.Event()
_pool = None  # the pool of reader processes, once the worker is ready
# Set by the main process when it stops (WARM or COLD); read by its pool processes: shared
# memory, the same byte after the fork.
WARM, COLD = 1, 2
_stopping = multiprocessing.RawValue("b", 0)
_name = f"{socket.gethostname()}:{os.getpid()}"
_exit_when_stopped = False  # `stmt worker`: the process ends with the worker (run_worker)
# The quick code pass's queue, read by a thread of this process once the worker is ready
_lane = Lane()


def _beat() -> None:
    with db.session() as s:
        row = s.get(WorkerHeartbeat, _name)
        if row is None:
            s.add(WorkerHeartbeat(name=_name, seen_at=utcnow()))
        else:
            row.seen_at = utcnow()


def _loop() -> None:
    last_recover = 0.0
    clock = 0.0
    while not _stop.is_set():
        try:
            _beat()
            if clock - last_recover >= RECOVER_EVERY or last_recover == 0.0:
                result = processing.recover(tasks.process_document.delay, broker.queue_depth)
                if any(result.values()):
                    log.info("recovery: %s", result)
                last_recover = clock or 1e-9
        except Exception:  # the loop must outlive a database hiccup
            log.exception("worker heartbeat failed")
        _stop.wait(HEARTBEAT_EVERY)
        clock += HEARTBEAT_EVERY


@setup_logging.connect
def _logging(loglevel=None, **_kwargs) -> None:
    """Celery leaves logging to us when this signal has a receiver: the worker and its pool
    processes log as `stmt serve` does (services/logs.py)."""
    logs.configure(loglevel or logging.INFO)


@worker_ready.connect
def _on_ready(sender=None, **_kwargs) -> None:
    _lane.start()  # after the pool's processes are forked: they have no use for it
    threading.Thread(target=_loop, name="stmt-heartbeat", daemon=True).start()
    global _pool
    _pool = getattr(sender, "pool", None)  # the consumer's


@worker_shutting_down.connect
def _on_shutting_down(how: str = "Warm", **_kwargs) -> None:
    """In the main process, at SIGTERM or Ctrl-C: tell the pool processes at once, so that a
    document being read goes back to the queue instead of holding the stop (Celery's warm
    shutdown would wait for it to be read to the end)."""
    _stopping.value = COLD if how == "Cold" else WARM
    _lane.stop(timeout=0)  # no new pass; the one under way ends before the worker does
    try:
        pids = _pool.info.get("processes", []) if _pool is not None else []
    except Exception:  # the pool is gone already
        pids = []
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


@worker_process_init.connect
def _in_pool_process(**_kwargs) -> None:
    # billiard replaces a SIGTERM handler set here with its own, which exits at once, but
    # leaves an ignored signal alone; ours is set with the first task (task_prerun).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


@task_prerun.connect
def _before_task(**_kwargs) -> None:
    if signal.getsignal(signal.SIGTERM) is not _pool_process_stop:
        signal.signal(signal.SIGTERM, _pool_process_stop)
    if _stopping.value:  # a message taken after the stop began (this process missed the signal)
        processing.stop()


def _pool_process_stop(signum, _frame) -> None:
    """SIGTERM in a pool process: from the worker above as it stops, or from a service
    manager that signals every process of the service (systemd, `kill` of a group); then
    the worker above has the signal too and sends its own once it is stopping.

    Only the worker's stop counts: the document being read goes back to the queue
    (processing.stop), and so does any message still passed down. An idle pool process
    otherwise carries on until the pool ends it: it waits for work holding the pool's queue
    lock, and dying then would leave the lock held and the worker hanging at its exit. At a
    cold shutdown the pool is being terminated and the lock is the worker's: it ends here.
    """
    if not _stopping.value:
        return
    if _stopping.value == COLD and not processing.in_hand():
        signal.signal(signum, signal.SIG_DFL)
        raise SystemExit(0)
    processing.stop()


@worker_shutdown.connect
def _on_shutdown(sender=None, **_kwargs) -> None:
    _stop.set()
    _lane.stop()
    try:
        with db.session() as s:
            s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == _name))
    except Exception:
        log.exception("could not remove the worker heartbeat")
    if _exit_when_stopped and sender is not None:
        # Celery sends this when the stop is done: the consumer closed (messages not yet
        # started are back in the queue), the pool's processes ended. What is left is its
        # threads waking from one-second sleeps and the interpreter's teardown.
        logs.end_process(getattr(sender, "exitcode", None) or 0)


def worker_argv(
    concurrency: int | None = None, loglevel: str = "INFO", beat: bool = True
) -> list[str]:
    app = _configured()
    quiet = ["--quiet"] if loglevel.upper() in ("WARNING", "ERROR") else []  # no banner
    # A pool process keeps memory a big file made it take (a scan batch's first pass over
    # every page peaks near twice a statement's reading) for as long as it lives: one whose
    # peak passed the limit is replaced after that document, by a fork of this process.
    limit_mb = config.settings().reader_max_mb
    recycle = [f"--max-memory-per-child={limit_mb * 1024}"] if limit_mb else []
    # Periodic work (the mailbox) runs in the worker when there is any; one beat per
    # installation is enough, so extra workers can run with --no-beat.
    beat_args = ["--beat"] if beat and app.conf.beat_schedule else []
    return [
        *quiet,
        "worker",
        *beat_args,
        f"--loglevel={loglevel}",
        f"--concurrency={concurrency or os.cpu_count() or 1}",
        *recycle,
        f"--queues={app.conf.task_default_queue}",
        "--without-mingle",
        "--without-gossip",
        f"--hostname=stmt-{_name}",
    ]


# glibc mallopt() parameters (malloc.h)
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_FROM = 1 << 20  # bytes: buffers this large are mapped on their own and unmapped on free
TRIM_ABOVE = 8 << 20  # bytes: free memory at the top of the heap beyond this goes back


def return_freed_memory() -> bool:
    """Have glibc give freed page images back to the system rather than keep them.

    A 300 dpi page is tens of MB of image buffers (the page, its grey and binarized copies,
    the crops the code search tries). By default glibc raises its mmap threshold to the size
    of the largest buffer freed, so from the second page on these come from the heap, and a
    freed heap is kept for reuse: each reader process held ~90 MiB more after a page than
    before it, and peaked ~60 MiB higher, at the same speed (bench/memory.py). Fixed
    thresholds keep large buffers mapped, so freeing one returns it at once. Called before
    the worker forks its pool, whose processes inherit it. False where the C library has no
    mallopt (not glibc)."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_FROM) and mallopt(M_TRIM_THRESHOLD, TRIM_ABOVE))


def run_worker(
    concurrency: int | None = None,
    loglevel: str = "INFO",
    beat: bool = True,
) -> None:
    """Run a worker in this process until it is stopped (`stmt worker`).

    Beside its pool, which reads documents (OCR), a thread of this process reads the quick
    code pass's queue (ingest/lane.py), so a busy pool never holds a coded statement up."""
    global _exit_when_stopped
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # The pool already keeps every core reading a page, so OpenCV's own threads gain nothing
    # here, and each of them kept its buffers: ~25 MiB more per reader process (a page's
    # preparation takes ~45 ms longer on one thread, alone on an idle machine).
    cv2.setNumThreads(1)
    return_freed_memory()
    logs.configure(loglevel.upper())  # now: Celery warns before it sets up logging (_logging)
    if loglevel.upper() in ("WARNING", "ERROR"):  # a local worker: only real problems
        warnings.filterwarnings("ignore", module="celery.platforms")
    _exit_when_stopped = True
    _upgrade_apart()
    _configured().worker_main(worker_argv(concurrency, loglevel, beat))


def _upgrade_apart() -> None:
    """Bring the schema up to date in a child process of its own. Alembic and the migrations
    it loads (~13 MiB) would otherwise stay in this process for good, and again in each pool
    process forked from it."""
    child = multiprocessing.get_context("fork").Process(target=db.upgrade, name="schema upgrade")
    child.start()
    child.join()
    if child.exitcode:  # its traceback is on standard error already
        raise SystemExit(f"the database schema could not be upgraded (exit code {child.exitcode})")


def _configured():
    """The app with the periodic work, when it is set up: the mailbox every few minutes, the
    reminder digest once a day."""
    app = broker.app()
    app.conf.beat_schedule = mail.beat_schedule() | reminders.beat_schedule()
    return app
