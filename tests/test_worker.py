"""The worker process: periodic mail fetching runs inside it, on the embedded broker too."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.slow


def test_worker_runs_the_mail_schedule_on_the_embedded_broker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {
        "STMT_DATA_DIR": str(tmp_path / "data"),
        "STMT_IMAP_URL": "imap://user:pw@127.0.0.1:1/INBOX",  # nothing listens there
        "STMT_IMAP_INTERVAL": "2",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "worker", "--concurrency", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "cannot reach 127.0.0.1:1" not in log.read_text():
            time.sleep(0.5)
        text = log.read_text()
        assert "Sending due task fetch-mail" in text
        assert "cannot reach 127.0.0.1:1" in text  # the fetch ran, failed clearly
        assert proc.poll() is None  # and the worker carries on
    finally:
        proc.terminate()
        proc.wait(60)
