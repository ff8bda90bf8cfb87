"""A step repeated in a background thread while a block of work runs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def every(seconds: float, step: Callable[[], object], name: str) -> Iterator[None]:
    """Run `step` in a thread every `seconds` while the block runs, until it returns True."""
    stopping = threading.Event()

    def loop() -> None:
        while not stopping.wait(seconds):
            if step() is True:
                return

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()
