"""How `stmt serve` and `stmt worker` log: one place for both (and the worker's pool).

STMT_LOG_FORMAT=text (the default) gives one line per event for people at a console;
json gives one JSON object per line for a log collector: time (ISO 8601, UTC), level,
logger, message, document_id while a document is being read, and exc_info when there is a
traceback.
"""

from __future__ import annotations

import contextvars
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pythonjsonlogger.json import JsonFormatter

from archive import config

# One line per event on the console, the same for `stmt serve` and its worker (Celery's own
# format is another one, in brackets).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_document: contextvars.ContextVar[int | None] = contextvars.ContextVar("document", default=None)


@contextmanager
def about_document(document_id: int) -> Iterator[None]:
    """Log records made in the block (in this thread) carry the document's id."""
    token = _document.set(document_id)
    try:
        yield
    finally:
        _document.reset(token)


class _DocumentId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        document_id = _document.get()
        if document_id is not None and not hasattr(record, "document_id"):
            record.document_id = document_id
        return True


def formatter() -> logging.Formatter:
    if config.settings().log_format == "json":
        return JsonFormatter(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            json_ensure_ascii=False,  # Chinese file names and reasons stay readable
        )
    return logging.Formatter(LOG_FORMAT)


def configure(level: str | int = logging.INFO) -> None:
    """The root logger writes to stderr in the chosen format; Python warnings go there too."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter())
    handler.addFilter(_DocumentId())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # e.g. Celery's, else printed over several raw lines


def end_process(code: int = 0) -> None:
    """End the process now, its log written out, without the interpreter's teardown.

    For `stmt serve` and `stmt worker` once their stop is done: the teardown (the last
    garbage collection of every object the app and its libraries made, threads waking from
    their sleeps) takes seconds in which a service manager waits for the exit, and native
    libraries print complaints about objects left at exit.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
