"""The quick code pass's queue, read by a thread of the worker's main process.

Each upload sends one message to the lane's queue (services/broker.send_fast) and each
message is one quick pass (services/fastlane.next_pass: our codes on a document's first
pages, a second or less, no OCR). The pool's reader processes may all be busy with OCR for
minutes, so the pass must not wait for them; it needs no process of its own either. A
worker process of its own held ~130 MiB while it sat idle (the readers imported, the
worker's machinery), over a fifth of a 2-core worker's memory on a long scanned batch
(bench/memory.py); the worker's main process has the readers imported already and spends
its time waiting on the broker.

The cost is isolation. The pass renders pages with pdfium and reads codes with zxing-cpp
only (not zbar, not OpenCV's filters), but a native reader crashing on a hostile file would
end the worker's main process, not a pass alone. Nothing is lost then: the service manager
(or `stmt serve`, `stmt ingest --wait`, which supervise their worker) starts the worker
again, the documents its pool was reading come back when their lease runs out
(services/processing.recover), and their full read looks at the codes again.
"""

from __future__ import annotations

import logging
import threading

from kombu import Exchange, Queue
from sqlalchemy.exc import OperationalError

from services import broker, fastlane

log = logging.getLogger(__name__)

WAIT = 1.0  # seconds a read of the queue waits for a message before it looks at the stop
RECONNECT_AFTER = 2.0  # seconds between attempts to reach a broker that went away
DB_TRIES = 3  # a busy database is tried again this often, a second apart


def lane_queue() -> Queue:
    """The lane's queue as Celery declares a queue it is given by name (a direct exchange
    of the same name, the name as routing key), so either side may declare it first."""
    return Queue(broker.FAST_QUEUE, Exchange(broker.FAST_QUEUE, type="direct"), broker.FAST_QUEUE)


class Lane:
    """The thread that reads the lane's queue until `stop`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stmt-fast-lane", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the pass under way, if any (a pass lasts a second or so)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with (
                    broker.app().connection_for_read() as conn,
                    conn.SimpleQueue(lane_queue()) as queue,
                ):
                    queue.consumer.qos(prefetch_count=1)  # messages left wait in the broker
                    while not self._stop.is_set():
                        try:
                            message = queue.get(timeout=WAIT)
                        except queue.Empty:
                            continue
                        try:
                            self._pass()
                        finally:
                            message.ack()
            except Exception:  # the broker went away: the lane waits for it, the worker goes on
                log.exception("the fast lane lost its broker; connecting again")
                self._stop.wait(RECONNECT_AFTER)

    def _pass(self) -> None:
        """One quick pass. A pass that fails costs only time: the full read comes anyway."""
        for attempt in range(1, DB_TRIES + 1):
            try:
                outcome = fastlane.next_pass()
            except OperationalError:  # the database was busy or away
                if attempt < DB_TRIES and not self._stop.wait(1.0):
                    continue
                log.warning("fast lane: the database did not answer; a pass was skipped")
            except Exception:
                log.exception("fast lane: a code pass failed")
            else:
                if outcome != fastlane.NONE:
                    log.info("code pass: %s", outcome)
            return
