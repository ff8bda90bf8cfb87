"""Soak: many documents through the production stack while its parts are killed (prints
figures; not a pass/fail test).

    python -m bench.soak [--docs 2000] [--workers 2] [--concurrency 2] [--no-embedded]

Starts its own PostgreSQL and Redis (tests/services) and Elasticsearch node
(tests/elasticsearch-node), generates `--docs` distinct text-PDF statements, and ingests them
with `--workers` separate `stmt worker` processes. While they work, a worker (or one of its
pool processes) is killed with SIGKILL at random moments and started again, and Redis and
PostgreSQL are each restarted once. At the end it checks that every document ended exactly
once (one `processed` or `failed` entry in the audit log, none left `received` or
`processing`, every one searchable) and prints the throughput beside the embedded default's
on the same files (no faults there).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_documents(n: int, out: Path) -> list[Path]:
    from tests.corpus import make_truth, render_pdf

    rng = random.Random(2000)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        truth = make_truth(rng)
        path = out / f"soak-{i:05d}.pdf"
        path.write_bytes(render_pdf(truth, rng.choice(["zh", "en", "bilingual"]), qr=i % 3 == 0))
        files.append(path)
    return files


def stmt(env: dict[str, str], *args: str) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")} | env
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=ROOT, env=full, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def start_services(state: Path) -> tuple[dict[str, str], str]:
    out = subprocess.run(
        [str(ROOT / "tests/services"), "start", str(state)], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    found = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines())
    es = subprocess.run(
        [str(ROOT / "tests/elasticsearch-node/start")], capture_output=True, text=True, check=True
    ).stdout.strip().splitlines()[-1]
    return found, es


def wait_done(stack, total: int, chaos=None, timeout: float = 7200) -> float:
    """Seconds until every document ended; `chaos(progress)` runs between checks."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        rows = stack.query(
            "SELECT count(*) FROM documents WHERE status IN ('accepted', 'needs_review', 'failed')"
        )
        done = rows[0][0]
        if chaos:
            chaos(done / total)
        if done >= total:
            return time.monotonic() - start
        time.sleep(1)
    raise SystemExit(f"not finished after {timeout}s")


class Chaos:
    """Kills a worker or a pool process every 15 to 40 s; restarts Redis and PostgreSQL once."""

    def __init__(self, stack, state: Path, workers: int, concurrency: int, seed: int = 7) -> None:
        self.stack, self.state, self.concurrency = stack, state, concurrency
        self.rng = random.Random(seed)
        self.next_at = time.monotonic() + self.rng.uniform(15, 40)
        self.events: list[str] = []
        self.redis_done = self.postgres_done = False
        for _ in range(workers):
            stack.start_worker(concurrency=concurrency)

    def __call__(self, progress: float) -> None:
        if not self.redis_done and progress >= 0.3:
            self._services("restart-redis")
            self.redis_done = True
        elif not self.postgres_done and progress >= 0.6:
            self._services("restart-postgres")
            self.postgres_done = True
        elif time.monotonic() >= self.next_at and progress < 0.95:
            self._kill()
            self.next_at = time.monotonic() + self.rng.uniform(15, 40)

    def _services(self, what: str) -> None:
        subprocess.run([str(ROOT / "tests/services"), what, str(self.state)], check=True)
        self.events.append(what)

    def _kill(self) -> None:
        alive = [p for p in self.stack.workers if p.poll() is None]
        victim = self.rng.choice(alive)
        from tests.stacks import children

        pool = children(victim.pid)
        if pool and self.rng.random() < 0.5:
            os.kill(self.rng.choice(pool), signal.SIGKILL)
            self.events.append("kill -9 pool process")
        else:
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
            time.sleep(self.rng.uniform(0.5, 3))
            self.stack.start_worker(concurrency=self.concurrency)
            self.events.append("kill -9 worker, started again")


def check(stack, files: list[Path]) -> dict[str, int]:
    """What a user would check: every file once, every document ended once and searchable."""
    import json

    ended = stack.finished_once()
    docs = stack.query("SELECT id, status, attempts FROM documents")
    found = json.loads(stmt(stack.env, "search", "--json", "--limit", "1"))["total"]
    return {
        "files": len(files),
        "documents": len(docs),
        "not ended": sum(1 for _, st, _ in docs if st in ("received", "processing")),
        "ended twice or more": sum(1 for n in ended.values() if n > 1),
        "never ended": sum(1 for i, _, _ in docs if i not in ended),
        "read again after a kill": sum(1 for _, _, n in docs if n > 1),
        "failed": sum(1 for _, st, _ in docs if st == "failed"),
        "searchable": found,
    }


def run_production(files, root: Path, args) -> tuple[float, dict, list[str]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.corpus import SECRET_KEY, customers_csv
    from tests.stacks import Stack

    state = root / "services"
    services, es_url = start_services(state)
    try:
        admin_url = services["STMT_TEST_DATABASE_URL"]
        name = f"soak_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        env = {
            "STMT_DATA_DIR": str(root / "production" / "data"),
            "STMT_DATABASE_URL": make_url(admin_url).set(database=name).render_as_string(False),
            "STMT_BROKER_URL": services["STMT_TEST_REDIS_URL"],
            "STMT_SEARCH_URL": es_url,
            "STMT_SEARCH_INDEX": name,
            "STMT_SECRET_KEY": SECRET_KEY,
        }
        (root / "production").mkdir()
        stack = Stack("production", root / "production", env)
        stmt(env, "customers", "import", str(customers_csv(root / "customers.csv")))
        chaos = Chaos(stack, state, args.workers, args.concurrency)
        stack.wait_for_workers(args.workers)
        stmt(env, "ingest", str(files[0].parent), "--json")
        seconds = wait_done(stack, len(files), chaos)
        stmt(env, "reindex", "--pending")
        figures = check(stack, files)
        stack.stop_workers()
        return seconds, figures, chaos.events
    finally:
        subprocess.run([str(ROOT / "tests/services"), "stop", str(state)], check=False)


def run_embedded(files, root: Path, args) -> tuple[float, dict]:
    from tests.corpus import SECRET_KEY, customers_csv
    from tests.stacks import Stack

    (root / "embedded").mkdir()
    env = {"STMT_DATA_DIR": str(root / "embedded/data"), "STMT_SECRET_KEY": SECRET_KEY}
    stack = Stack("embedded", root / "embedded", env)
    stmt(stack.env, "customers", "import", str(customers_csv(root / "customers.csv")))
    for _ in range(args.workers):
        stack.start_worker(concurrency=args.concurrency)
    stack.wait_for_workers(args.workers)
    stmt(stack.env, "ingest", str(files[0].parent), "--json")
    seconds = wait_done(stack, len(files))
    figures = check(stack, files)
    stack.stop_workers()
    return seconds, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--no-embedded", action="store_true", help="skip the embedded run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stmt-soak-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data folder
        t0 = time.monotonic()
        files = make_documents(args.docs, root / "files")
        print(f"{len(files)} statements generated in {time.monotonic() - t0:.0f} s", flush=True)
        seconds, figures, events = run_production(files, root, args)
        rate = len(files) / seconds * 60
        print(f"\nproduction stack (PostgreSQL, Redis, Elasticsearch; {args.workers} workers "
              f"x {args.concurrency} processes), with faults:")  # fmt: skip
        print(f"  {seconds:.0f} s, {rate:.0f} documents/min")
        print(f"  faults: {len(events)}: " + ", ".join(
            f"{events.count(e)} x {e}" for e in dict.fromkeys(events)))  # fmt: skip
        for key, value in figures.items():
            print(f"  {key}: {value}")
        if not args.no_embedded:
            e_seconds, e_figures = run_embedded(files, root, args)
            e_rate = len(files) / e_seconds * 60
            print(f"\nembedded default ({args.workers} workers x {args.concurrency} processes), "
                  "no faults:")  # fmt: skip
            print(f"  {e_seconds:.0f} s, {e_rate:.0f} documents/min "
                  f"(production with faults: {rate / e_rate:.2f}x)")  # fmt: skip
            for key, value in e_figures.items():
                print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
