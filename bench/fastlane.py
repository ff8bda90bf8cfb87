"""Time from upload to the first search hit for a statement with our QR code (prints figures;
not a pass/fail test).

    python -m bench.fastlane [--pages 50] [--burst 8] [--concurrency 2]

A real `stmt worker` (its OCR pool of `concurrency` processes, and its quick code pass's
thread) reads an archive of its own; the statement is uploaded (services/intake.submit) and
the index searched by customer, period and amount every 20 ms until it is there. Scenarios:

- idle: nothing else queued;
- backlog: `pages` pages of scans without codes wait for OCR (uploaded before, their quick
  passes done);
- burst: `burst` scans without codes uploaded just before it (their quick passes come first,
  one by one, on the lane).

On the embedded default (SQLite, file broker), and with a Redis broker when
STMT_TEST_REDIS_URL is set. Beside it: the plain zbar decode (pyzbar) of that page, rendered
as a scan is, and the quick code pass alone (services/fastlane.first_codes) on the file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _copy(data: bytes, n: int) -> bytes:
    """The same PDF as another file: the archive keeps one document per content."""
    return data + f"\n% copy {n}\n".encode()


def _fast_depth() -> int | None:
    from services import broker

    try:
        with broker.app().connection_for_read() as conn:
            return conn.default_channel.queue_declare(
                queue=broker.FAST_QUEUE, passive=True
            ).message_count
    except Exception:  # not declared yet
        return None


def _first_hit(doc_id: int, want: dict, started: float, timeout: float = 300) -> float:
    """Seconds from `started` (the upload) until the index finds `doc_id` by customer,
    period and amount."""
    from decimal import Decimal

    from archive import config
    from index.base import SearchQuery
    from index.documents import backend

    q = SearchQuery(
        customer=want["customer_code"],
        period_from=want["period"],
        period_to=want["period"],
        amount=Decimal(want["amount_due"]),
    )
    while time.monotonic() - started < timeout:
        if any(h.id == doc_id for h in backend(config.settings()).search(q).hits):
            return time.monotonic() - started
        time.sleep(0.02)
    raise TimeoutError(f"document {doc_id} was not found within {timeout:.0f} s")


def _upload(data: bytes, name: str) -> tuple[int, float]:
    from services import intake

    started = time.monotonic()
    return intake.submit(data, name, source="cli").id, started


def _statuses(ids: list[int]) -> dict[str, int]:
    from sqlalchemy import func, select

    from archive import db
    from archive.models import Document

    with db.session() as s:
        rows = s.execute(
            select(Document.status, func.count())
            .where(Document.id.in_(ids))
            .group_by(Document.status)
        )
        return dict(rows.all())


def run_stack(label: str, extra_env: dict, args, corpus, customers_csv: Path) -> None:
    from archive import config, db
    from archive import customers as master
    from services.workers import live_workers
    from tests.corpus import SECRET_KEY

    coded = next(s for s in corpus if s.variant == "scan300" and s.has_qr and s.fmt == "pdf")
    want = coded.truth.expected()
    scans = [s for s in corpus if s.variant != "digital" and not s.has_qr and s.fmt == "pdf"]
    with tempfile.TemporaryDirectory(prefix="stmt-fastlane-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
        env |= {"STMT_DATA_DIR": f"{tmp}/data", "STMT_SECRET_KEY": SECRET_KEY, **extra_env}
        for k in [k for k in os.environ if k.startswith("STMT_")]:
            del os.environ[k]
        os.environ.update({k: v for k, v in env.items() if k.startswith("STMT_")})
        config.reset()
        db.upgrade()
        with db.session() as s:
            master.import_rows(s, master.parse_csv(customers_csv.read_text()))
        log = open(f"{tmp}/worker.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "worker", "--no-beat", "--loglevel=INFO"]
            + [f"--concurrency={args.concurrency}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        copies = iter(range(1, 10_000))
        try:
            while not live_workers():
                time.sleep(0.2)
            # warm-up: the lane's first pass loads the code readers
            doc, started = _upload(_copy(coded.path.read_bytes(), next(copies)), "warm.pdf")
            _first_hit(doc, want, started)
            results = []
            doc, started = _upload(_copy(coded.path.read_bytes(), next(copies)), coded.name)
            results.append(("idle queue", _first_hit(doc, want, started), ""))
            # backlog: pages of scans without codes waiting for OCR
            backlog, pages = [], 0
            while pages < args.pages:
                s = scans[len(backlog) % len(scans)]
                backlog.append(_upload(_copy(s.path.read_bytes(), next(copies)), s.name)[0])
                pages += s.pages
            while _fast_depth():
                time.sleep(0.1)
            doc, started = _upload(_copy(coded.path.read_bytes(), next(copies)), coded.name)
            took = _first_hit(doc, want, started)
            waiting = _statuses(backlog).get("received", 0)
            results.append((f"{args.pages} pages wait for OCR", took, f"{waiting} still unread"))
            # burst: scans uploaded just before, their quick passes still to come
            for s in (scans * args.burst)[: args.burst]:
                _upload(_copy(s.path.read_bytes(), next(copies)), s.name)
            doc, started = _upload(_copy(coded.path.read_bytes(), next(copies)), coded.name)
            took = _first_hit(doc, want, started)
            results.append(
                (f"{args.burst} scans uploaded just before", took, f"behind {pages} pages")
            )
        finally:
            worker.terminate()
            try:
                worker.wait(60)
            except subprocess.TimeoutExpired:
                worker.kill()
            log.close()
        for what, took, note in results:
            print(f"  {label:<9} {what:<32} upload -> search hit {took:6.2f} s   {note}")


def plain_codes(corpus) -> None:
    """The plain zbar decode of the coded page, and our quick code pass, on the same file."""
    from pyzbar import pyzbar

    from extract import pdf, pipeline
    from services import fastlane

    coded = next(s for s in corpus if s.variant == "scan300" and s.has_qr and s.fmt == "pdf")
    data = coded.path.read_bytes()
    ((_, image, _dpi),) = pdf.render(data, pipeline.OCR_DPI, [1])

    def best(fn, n: int = 5) -> float:
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    zbar = best(lambda: pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE]))
    render = best(lambda: list(pdf.render(data, pipeline.OCR_DPI, [1])))
    quick = best(lambda: fastlane.first_codes(data, "pdf", pipeline.Limits()))
    print(f"  plain zbar decode of the page image ({image.width}x{image.height}): {zbar:.3f} s")
    print(f"  plain render of the page at {pipeline.OCR_DPI} dpi (pdfium): {render:.3f} s")
    print(f"  our quick code pass on the file (render + read, no OCR): {quick:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--burst", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--stacks", default="embedded,redis", help="embedded, redis or both")
    args = parser.parse_args()
    redis_url = os.environ.get("STMT_TEST_REDIS_URL")  # each stack below sets its own STMT_*
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from tests.corpus import build_corpus, customers_csv

    corpus = build_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        csv = customers_csv(Path(tmp) / "customers.csv")
        print("quick code pass, plain tools beside it:")
        plain_codes(corpus)
        print(f"upload to first search hit (stmt worker, OCR pool of {args.concurrency}):")
        if "embedded" in args.stacks:
            run_stack("embedded", {}, args, corpus, csv)
        if redis_url and "redis" in args.stacks:
            from urllib.parse import urlsplit

            import redis

            broker_url = f"redis://{urlsplit(redis_url).netloc}/14"
            redis.Redis.from_url(broker_url).flushdb()
            run_stack("redis", {"STMT_BROKER_URL": broker_url}, args, corpus, csv)


if __name__ == "__main__":
    main()
