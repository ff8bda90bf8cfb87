"""The Celery worker: its tasks, the beat schedule, heartbeats and the recovery loop.

Processes outside the worker see it through services/workers.py (alive? start a local one).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import warnings

from celery.signals import worker_ready, worker_shutdown
from sqlalchemy import delete

from archive import db
from archive.models import WorkerHeartbeat, utcnow
from ingest import mail, mail_tasks, tasks  # noqa: F401  (registers the tasks on the app)
from services import broker, processing, reminders
from services.workers import LOG_FORMAT, supervised_local_worker

log = logging.getLogger(__name__)

FAST = "fast"  # the lane of the quick code pass (`stmt worker --lane fast`)
HEARTBEAT_EVERY = 5.0  # seconds
RECOVER_EVERY = 30.0  # with processing.LEASE: a dead reader's document is redone in ~75 s

_stop = threading.Event()
_name = f"{socket.gethostname()}:{os.getpid()}"
# "fast": this process is the quick code pass's worker, a child of a `stmt worker`; the
# parent sends the heartbeats and runs recovery.
_lane: str | None = None


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


@worker_ready.connect
def _on_ready(**_kwargs) -> None:
    if _lane == FAST:
        return
    threading.Thread(target=_loop, name="stmt-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _on_shutdown(**_kwargs) -> None:
    _stop.set()
    if _lane == FAST:
        return
    try:
        with db.session() as s:
            s.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == _name))
    except Exception:
        log.exception("could not remove the worker heartbeat")


def worker_argv(
    concurrency: int | None = None, loglevel: str = "INFO", beat: bool = True
) -> list[str]:
    app = _configured()
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
        f"--queues={app.conf.task_default_queue}",
        "--without-mingle",
        "--without-gossip",
        f"--hostname=stmt-{_name}",
    ]


def fast_worker_argv(loglevel: str = "INFO") -> list[str]:
    """The quick code pass's worker: its queue alone, one pass at a time in the process itself
    (no pool: nothing to fork or hand over, so a pass starts the moment its message comes)."""
    quiet = ["--quiet"] if loglevel.upper() in ("WARNING", "ERROR") else []
    return [
        *quiet,
        "worker",
        f"--loglevel={loglevel}",
        "--pool=solo",
        "--concurrency=1",
        f"--queues={broker.FAST_QUEUE}",
        "--without-mingle",
        "--without-gossip",
        f"--hostname=stmt-fast-{_name}",
    ]


def run_worker(
    concurrency: int | None = None,
    loglevel: str = "INFO",
    beat: bool = True,
    lane: str | None = None,
) -> None:
    """Run a worker in this process until it is stopped (`stmt worker`).

    Beside its pool, which reads documents (OCR), it keeps a child process that reads only
    the quick code pass's queue (services/fastlane.py), so a busy pool never holds a coded
    statement up. `lane="fast"` is that child."""
    global _lane
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if loglevel.upper() in ("WARNING", "ERROR"):  # a local worker: only real problems
        warnings.filterwarnings("ignore", module="celery.platforms")
    if lane == FAST:
        _lane = FAST
        _configured().worker_main(fast_worker_argv(loglevel))
        return
    db.upgrade()
    with supervised_local_worker(loglevel=loglevel, lane=FAST):
        _configured().worker_main(worker_argv(concurrency, loglevel, beat))


def _configured():
    """The app with the periodic work, when it is set up: the mailbox every few minutes, the
    reminder digest once a day."""
    app = broker.app()
    app.conf.beat_schedule = mail.beat_schedule() | reminders.beat_schedule()
    app.conf.worker_log_format = app.conf.worker_task_log_format = LOG_FORMAT
    return app
