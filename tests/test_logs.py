"""STMT_LOG_FORMAT=json: `stmt worker` and `stmt serve` write one JSON object per line on
stderr, with the document's id on the lines about a document."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from archive import db
from archive.models import ACCEPTED, Document
from services.workers import live_workers
from tests.test_serve_console import _free_port, _up
from tests.test_stop import ROOT, _env, queue_sample
from tests.test_worker import _wait

KEYS = {"time", "level", "logger", "message"}


def _run(args: list[str], data_dir, err_path) -> subprocess.Popen:
    with err_path.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", *args],
            cwd=ROOT, env=_env(data_dir) | {"STMT_LOG_FORMAT": "json"},
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
        )  # fmt: skip


def _records(err_path) -> list[dict]:
    lines = [line for line in err_path.read_text().splitlines() if line.strip()]
    assert lines
    records = [json.loads(line) for line in lines]  # every line, or this fails
    for r in records:
        assert r.keys() >= KEYS, r
        assert r["time"].endswith("+00:00"), r["time"]
    return records


@pytest.mark.slow
def test_the_worker_logs_json_lines(data_dir, tmp_path, corpus, customers_csv):
    sample = next(s for s in corpus if s.variant == "digital")
    doc_id = queue_sample(sample.path, customers_csv)
    err = tmp_path / "worker.err"
    proc = _run(["worker", "--concurrency=1", "--loglevel=INFO"], data_dir, err)
    try:

        def done() -> bool:
            with db.session() as s:
                return s.get(Document, doc_id).status == ACCEPTED

        _wait(done, timeout=180)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    records = _records(err)
    assert any(r["logger"].startswith("celery") for r in records)
    about = [r for r in records if r.get("document_id") == doc_id]
    assert any(r["message"] == f"document {doc_id}: accepted" for r in about), records


@pytest.mark.slow
def test_serve_logs_json_lines(data_dir, tmp_path):
    port = _free_port()
    err = tmp_path / "serve.err"
    proc = _run(["serve", "--port", str(port)], data_dir, err)
    try:
        assert _up(port, time.monotonic() + 90)
        _wait(live_workers)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    records = _records(err)
    assert any(r["message"] == f"serving on http://127.0.0.1:{port}" for r in records)
    assert any(r["logger"] == "waitress" for r in records)
