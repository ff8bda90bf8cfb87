"""A step repeated in a background thread while a block of work runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


@contextmanager
def every(seconds: float, step: Callable[[], object], name: str) -> Iterator[None]:
    """Run `step` in a thread every `seconds` while the block runs, until it returns True.
    A step that fails is logged and tried again next time: one bad moment (the database
    restarting) must not end the watching for the rest of the block."""
    stopping = threading.Event()

    def loop() -> None:
        while not stopping.wait(seconds):
            try:
                if step() is True:
                    return
            except Exception:
                log.exception("%s failed; trying again in %s s", name, seconds)

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()
