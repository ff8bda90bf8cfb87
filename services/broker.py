"""The Celery app. Embedded broker (files under STMT_DATA_DIR) unless STMT_BROKER_URL is set.

The archive database, not the broker, is the record of what is still to do: a worker that
starts re-queues documents left `received` or `processing`, so a lost message loses nothing.
"""

from __future__ import annotations

import functools

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

from archive import config
from services import filequeue

TRANSPORT_ALIASES.setdefault(filequeue.ALIAS, f"{filequeue.__name__}:Transport")

# The task's name is what travels in the message: submitters send it by name, so they need
# not import the worker's task module (which sits in a layer above them).
PROCESS_DOCUMENT = "ingest.tasks.process_document"
# The quick code pass (services/fastlane.py) travels on a queue of its own, which a thread of
# the worker's main process reads (ingest/lane.py), not its pool: it never waits behind scans.
# Its messages are Celery's, under this name, though no Celery task takes them.
QUICK_CODES = "ingest.tasks.fast_pass"
FAST_QUEUE = "fast"

# The embedded broker has no way to wake a worker: the worker lists the queue folder, and
# sleeps this long (seconds) when it found nothing it may take. kombu's default of a second
# made every message wait most of a second behind the one before (a worker holding a
# message takes the next only after it acknowledged it); a listing costs well under a
# millisecond, so an idle worker stays near 0% CPU at ten listings a second.
EMBEDDED_POLL_SECONDS = 0.1


def app() -> Celery:
    """The one app of this process, made at first use (not at import: settings come first),
    and made again only when the settings were (tests)."""
    return _app_for(config.settings())


@functools.lru_cache(maxsize=1)
def _app_for(settings: config.Settings) -> Celery:
    # The worker (ingest/worker.py) registers the tasks and the beat schedule itself.
    celery = Celery("statement_archive")
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
    )
    if settings.embedded_broker:
        folder = settings.broker_dir
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        celery.conf.update(
            broker_url=f"{filequeue.ALIAS}://localhost/",
            broker_transport_options={
                "data_folder_in": str(folder / "queue"),
                "data_folder_out": str(folder / "queue"),
                "processed_folder": str(folder / "processed"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
                "polling_interval": EMBEDDED_POLL_SECONDS,
            },
            # The file transport has no broadcast, so no remote control or events.
            worker_enable_remote_control=False,
            worker_send_task_events=False,
        )
    else:
        celery.conf.update(broker_url=settings.broker_url)
    return celery


def send_process(document_id: int) -> None:
    app().send_task(PROCESS_DOCUMENT, args=[document_id])


def send_fast(document_id: int) -> None:
    app().send_task(QUICK_CODES, args=[document_id], queue=FAST_QUEUE)


def queue_depth() -> int | None:
    """Messages waiting in the task queue (either broker), or None when it cannot be told."""
    try:
        celery = app()
        with celery.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(
                queue=celery.conf.task_default_queue, passive=True
            )
            return declared.message_count
    except Exception:  # the broker is away or the queue does not exist yet
        return None
