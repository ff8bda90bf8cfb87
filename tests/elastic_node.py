"""A real Elasticsearch for tests: STMT_TEST_ELASTICSEARCH_URL, else a local node started once.

The local node comes from tests/elasticsearch-node (Elasticsearch jars from Maven Central, run
on a JDK 21+); its first start builds it with Maven. Import the fixture into conftest.py:

    from tests.elastic_node import elasticsearch_url  # noqa: F401
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NODE_DIR = Path(__file__).resolve().parent / "elasticsearch-node"
START_TIMEOUT = 900  # seconds; the first start downloads jars and compiles


def node_running() -> bool:
    """Whether `start` has a node up already (then this session leaves it running)."""
    pid_file = NODE_DIR / "target" / "run" / "pid"
    try:
        pid = pid_file.read_text().strip()
        return b"statementarchive.esnode.Launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def wait_healthy(url: str, timeout: float = 120) -> None:
    """Wait for cluster health yellow or green (credentials may be in the URL)."""
    from index.elastic import ElasticBackend

    backend = ElasticBackend.from_url(url, request_timeout=10)
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    try:
        while time.monotonic() < deadline:
            try:
                health = backend.client.cluster.health(wait_for_status="yellow", timeout="5s")
                if health["status"] in ("yellow", "green"):
                    return
            except Exception as exc:  # any failure here means "not yet"
                last = exc
            time.sleep(1)
    finally:
        backend.close()
    pytest.fail(f"Elasticsearch at {url} is not healthy after {timeout}s: {last}")


@pytest.fixture(scope="session")
def elasticsearch_url() -> Iterator[str]:
    """URL of an Elasticsearch node for the whole session."""
    url = os.environ.get("STMT_TEST_ELASTICSEARCH_URL")
    if url:
        wait_healthy(url)
        yield url
        return
    was_running = node_running()
    try:
        proc = subprocess.run(
            [str(NODE_DIR / "start")],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        subprocess.run([str(NODE_DIR / "stop")], check=False, timeout=60)
        pytest.fail(f"tests/elasticsearch-node/start took over {START_TIMEOUT}s: {exc.stderr}")
    if proc.returncode != 0:
        pytest.fail(f"tests/elasticsearch-node/start failed:\n{proc.stderr[-4000:]}")
    url = proc.stdout.strip().splitlines()[-1]
    try:
        wait_healthy(url)
        yield url
    finally:
        if not was_running and not os.environ.get("STMT_TEST_ELASTICSEARCH_KEEP"):
            subprocess.run([str(NODE_DIR / "stop")], check=False, timeout=120)
