"""`stmt serve`: the web app under waitress, plus an embedded worker."""

from __future__ import annotations

import contextlib
import logging
import signal

from waitress import serve as waitress_serve

from services import logs
from services.workers import supervised_local_worker
from web.app import create_app

log = logging.getLogger(__name__)


def _stop(signum, _frame) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def serve(host: str, port: int, *, with_worker: bool = True) -> None:
    logs.configure(logging.INFO)
    # waitress speaks plain HTTP here; production (gunicorn behind TLS) keeps secure cookies.
    app = create_app(plain_http=True)
    from web.first_run import announce

    link = announce(host, port)
    if link:  # a fresh installation: nobody could sign in
        log.warning("no user exists yet; create the first admin on this computer (the link "
                    "works once): %s", link)  # fmt: skip
    # Stopping the server (Ctrl-C, or SIGTERM from a service manager) stops its worker too.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # The embedded worker speaks only of problems (no Celery banner, no INFO chatter), so the
    # console shows one line per event.
    worker = supervised_local_worker(loglevel="WARNING") if with_worker else None
    with worker or contextlib.nullcontext():
        log.info("serving on http://%s:%s", host, port)
        waitress_serve(app, host=host, port=port, threads=8)  # returns when stopped
    logs.end_process(0)  # stopped, the worker too: nothing is left to do
