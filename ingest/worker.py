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
from services.workers import LOG_FORMAT

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 5.0  # seconds
RECOVER_EVERY = 30.0  # with processing.LEASE: a dead reader's document is redone in ~75 s

_stop = threading.Event()
_name = f"{socket.gethostname()}:{os.getpid()}"


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
    _configured().worker_main(worker_argv(concurrency, loglevel, beat))


def _configured():
    """The app with the periodic work, when it is set up: the mailbox every few minutes, the
    reminder digest once a day."""
    app = broker.app()
    app.conf.beat_schedule = mail.beat_schedule() | reminders.beat_schedule()
    app.conf.worker_log_format = app.conf.worker_task_log_format = LOG_FORMAT
    return app
