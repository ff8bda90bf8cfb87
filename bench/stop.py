"""Seconds from SIGTERM to exit: `stmt worker`, `stmt serve`, and a plain Celery worker on
the same app beside them (Celery's own warm shutdown), idle and while reading a document.

    python -m bench.stop [--runs 1]

On the embedded default (SQLite, file broker), and on Redis as well when STMT_TEST_REDIS_URL
(or REDIS_URL) is set. Busy: a turned scan without a QR code (tests/corpus.py) is queued,
SIGTERM goes out as soon as the document is `processing`, and the line says where the
document was left: `received` (handed back to the queue) or read to the end first.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMANDS = {
    "stmt worker": ["-m", "ingest.cli", "worker", "--concurrency=2", "--loglevel=INFO"],
    "stmt serve": ["-m", "ingest.cli", "serve", "--port", "{port}"],
    # Celery as it comes, on the same app and tasks: no heartbeat, no hand-back
    "plain celery worker": [
        "-m",
        "celery",
        "-A",
        "ingest.tasks:app",
        "worker",
        "--concurrency=2",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
    ],  # fmt: skip
}


def _env(data: Path, broker_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {"STMT_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "STMT_PAGE_WORKERS": "1"}
    if broker_url:
        env["STMT_BROKER_URL"] = broker_url
    return env


def _use(env: dict[str, str]) -> None:
    """This process reads the same archive as the commands it starts."""
    from archive import config, db

    for k in [k for k in os.environ if k.startswith("STMT_")]:
        del os.environ[k]
    os.environ.update({k: v for k, v in env.items() if k.startswith("STMT_")})
    config.reset()
    db.upgrade()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(probe, timeout: float = 180.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(0.1)
    return False


def _ready(name: str, log: Path) -> bool:
    if name == "plain celery worker":
        return " ready." in log.read_text(errors="replace")
    from services.workers import live_workers

    return live_workers() > 0


def _queue(sample: Path) -> int:
    from archive import config, db, documents
    from services import broker

    with db.session() as s:
        doc, _ = documents.register(
            s, config.settings(), sample.read_bytes(), sample.name, source="cli"
        )
        doc_id = doc.id
    broker.send_process(doc_id)
    return doc_id


def _status(doc_id: int) -> str:
    from archive import db
    from archive.models import Document

    with db.session() as s:
        return str(s.get(Document, doc_id).status)


def one(name: str, busy: bool, broker_url: str | None, sample: Path) -> tuple[float, str]:
    data = Path(tempfile.mkdtemp(prefix="stmt-stop-"))
    env = _env(data, broker_url)
    _use(env)
    if broker_url:  # an empty queue: nothing left from the run before
        from services import broker

        broker.app().control.purge()
    args = [a.replace("{port}", str(_free_port())) for a in COMMANDS[name]]
    log = data / "out.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    where = ""
    try:
        if not _wait(lambda: _ready(name, log)):
            return float("nan"), "never ready"
        doc_id = None
        if busy:
            doc_id = _queue(sample)
            if not _wait(lambda: _status(doc_id) == "processing"):
                return float("nan"), "never took the document"
        else:
            time.sleep(3)  # idle for a moment: the worker's first rounds are done
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(300)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return float("nan"), "killed after 300 s"
        seconds = time.monotonic() - start
        if doc_id is not None:
            where = f"document left {_status(doc_id)}"
        return seconds, where
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    opts = parser.parse_args()
    from tests.corpus import build_corpus

    sample = next(s for s in build_corpus() if s.variant == "rotated" and "noqr" in s.path.name)
    brokers = [("embedded", None)]
    redis = os.environ.get("STMT_TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if redis:
        brokers.append(("redis", redis))
    print(f"{'broker':9} {'state':5} {'command':20} {'seconds to exit':>16}  note")
    for label, url in brokers:
        for busy in (False, True):
            for name in COMMANDS:
                for _ in range(opts.runs):
                    seconds, note = one(name, busy, url, sample.path)
                    state = "busy" if busy else "idle"
                    print(f"{label:9} {state:5} {name:20} {seconds:16.1f}  {note}", flush=True)


if __name__ == "__main__":
    main()
