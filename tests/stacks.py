"""The two stacks the service runs on, for end-to-end tests that must hold on both.

- embedded: SQLite archive and index, the embedded broker; `stmt ingest --wait` starts its
  own local worker, as a user's first run does.
- production: PostgreSQL archive, Redis broker, Elasticsearch index, and separate
  `stmt worker` processes with two pool processes each, as docker/compose.yml runs them.
  Each stack gets its own database, Redis database number and index alias, so stacks never
  see each other's documents or messages.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers import ROOT

STACKS = ["embedded", pytest.param("production", marks=[pytest.mark.postgres, pytest.mark.slow])]

_redis_dbs = itertools.cycle(range(1, 16))  # database 0 is left to tests that use Redis alone


class Stack:
    """One installation: the environment every `stmt` process of it runs with."""

    def __init__(self, name: str, root: Path, env: dict[str, str]) -> None:
        self.name = name
        self.root = root
        self.env = env
        self.workers: list[subprocess.Popen] = []
        self._logs: list = []

    @property
    def production(self) -> bool:
        return self.name == "production"

    def full_env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
        return clean | self.env

    def start_worker(self, concurrency: int = 2, beat: bool = False) -> subprocess.Popen:
        """A `stmt worker` process of its own (its output goes to a log under the stack)."""
        log = open(self.root / f"worker-{len(self.workers) + 1}.log", "w")  # noqa: SIM115
        self._logs.append(log)
        args = ["worker", f"--concurrency={concurrency}", "--loglevel=INFO"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", *args, "--beat" if beat else "--no-beat"],
            cwd=ROOT,
            env=self.full_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.workers.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def query(self, sql: str, **params) -> list:
        """Rows of a read-only query on this stack's archive database."""
        return self._rows(text(sql), params)

    def _rows(self, query, params: dict) -> list:
        url = self.env.get("STMT_DATABASE_URL") or f"sqlite:///{self.root / 'data/archive.sqlite3'}"
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(query, params))
        finally:
            engine.dispose()

    def states(self, ids: list[int]) -> dict[int, tuple[str, int]]:
        """Per document: its status and how many times a reader claimed it."""
        query = text("SELECT id, status, attempts FROM documents WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        return {i: (status, n) for i, status, n in self._rows(query, {"ids": ids})}

    def wait_for_workers(self, count: int, timeout: float = 120) -> None:
        """Until `count` workers have sent a heartbeat (they are reading the queue)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.workers:
                if proc.poll() is not None:
                    raise AssertionError(f"a worker exited:\n{self.worker_log()[-3000:]}")
            with contextlib.suppress(Exception):  # the schema may not be there yet
                if self.query("SELECT count(*) FROM worker_heartbeats")[0][0] >= count:
                    return
            time.sleep(0.3)
        raise AssertionError(f"{count} workers did not start:\n{self.worker_log()[-3000:]}")

    def finished_once(self) -> dict[int, int]:
        """Per document, how many times processing ended (processed, failed or split)."""
        rows = self.query(
            "SELECT document_id, count(*) FROM audit_events "
            "WHERE action IN ('processed', 'failed', 'split') GROUP BY document_id"
        )
        return dict(rows)

    def worker_log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.root.glob("worker-*")))


def children(pid: int) -> list[int]:
    """The direct child processes of `pid` (a worker's pool processes, serve's worker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that just ended
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _need(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not set: .ci/run must start the production services")
        pytest.skip(f"{name} not set (no production services)")
    return value


@contextmanager
def make_stack(name: str, root: Path, request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The stack `name` in the folder `root`, torn down afterwards."""
    from tests.corpus import SECRET_KEY

    # the corpus's QR codes are signed with this installation key
    env = {"STMT_DATA_DIR": str(root / "data"), "STMT_SECRET_KEY": SECRET_KEY}
    if name == "embedded":
        stack = Stack(name, root, env)
        try:
            yield stack
        finally:
            stack.stop_workers()
        return
    admin_url = _need("STMT_TEST_DATABASE_URL")
    redis_url = _need("STMT_TEST_REDIS_URL")
    search_url = request.getfixturevalue("elasticsearch_url")
    unique = uuid.uuid4().hex[:12]
    database = f"stmt_stack_{unique}"
    # pre-ping: the fault tests restart the server while this engine is held
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    import redis

    broker_url = f"redis://{urlsplit(redis_url).netloc}/{next(_redis_dbs)}"
    redis.Redis.from_url(broker_url).flushdb()
    env |= {
        "STMT_DATABASE_URL": make_url(admin_url)
        .set(database=database)
        .render_as_string(hide_password=False),
        "STMT_BROKER_URL": broker_url,
        "STMT_SEARCH_URL": search_url,
        "STMT_SEARCH_INDEX": f"stack-{unique}",
    }
    stack = Stack(name, root, env)
    try:
        yield stack
    finally:
        stack.stop_workers()
        from index.elastic import ElasticBackend

        es = ElasticBackend.from_url(search_url)
        es.client.indices.delete(index=f"stack-{unique}-v*", ignore_unavailable=True)
        es.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
