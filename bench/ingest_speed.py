"""Digital PDF pages per second through the real queue (prints figures; not a pass/fail test).

    python -m bench.ingest_speed [--docs 48] [--jobs 2] [--broker embedded|redis|both]

Generates `docs` digital statements (tests/corpus.py: the three layouts, half with our QR,
every fourth on two pages), then in the same run:

1. plain pypdfium2: every page's text and character boxes, the floor of any PDF reading;
2. time per stage of our reading, in this process, one document at a time: text and word
   boxes, rendering and the code search, fields (with confidence), and the rest of what a
   worker does (`services.processing.process` minus the reading: the database, the search
   index, and the look for batch separators in files of more than one page);
3. end to end: a real `stmt worker` (concurrency `jobs`) is started and has sent its first
   heartbeat, then `stmt ingest --wait` is timed on the files; on the embedded broker (files)
   and, with --broker redis or both, on Redis (STMT_TEST_REDIS_URL, or --redis-url);
4. the idle worker's CPU use (all its processes) over a few seconds after the ingest: what
   the embedded broker's polling costs when nothing is queued.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_docs(n: int, out: Path, seed: int = 4848) -> list[Path]:
    from tests import corpus as C

    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        truth = C.make_truth(rng)
        layout = C.LAYOUTS[i % len(C.LAYOUTS)]
        qr = (i // len(C.LAYOUTS)) % 2 == 0
        pages = 2 if i % 4 == 3 else 1
        path = out / f"{layout}-{'qr' if qr else 'noqr'}-{i:03d}.pdf"
        path.write_bytes(C.render_pdf(truth, layout, qr=qr, pages=pages))
        paths.append(path)
    return paths


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def plain_pdfium(datas: list[bytes]) -> None:
    import pypdfium2 as pdfium

    for data in datas:
        doc = pdfium.PdfDocument(data)
        for page in doc:
            text = page.get_textpage()
            text.get_text_range()
            for i in range(text.count_chars()):
                text.get_charbox(i, loose=True)


def stages(datas: list[bytes]) -> dict[str, float]:
    """Seconds per stage of our reading over all documents, in this process."""
    from extract import pdf, pipeline
    from extract.customers import Customer
    from tests.corpus import CUSTOMERS, SECRET_KEY

    customers = [Customer(c, n, tuple(a)) for c, n, a in CUSTOMERS]
    key = SECRET_KEY.encode()
    out = dict.fromkeys(("text and boxes", "render and codes", "fields"), 0.0)
    for data in datas:
        t0 = time.perf_counter()
        pdf.text_pages(data)
        t1 = time.perf_counter()
        pages, found = pipeline.read_pages(data, "pdf", workers=1)
        t2 = time.perf_counter()
        pipeline.finish(data, "pdf", pages, found, customers=customers, threshold=0.9, qr_key=key)
        t3 = time.perf_counter()
        out["text and boxes"] += t1 - t0
        # read_pages reads the text layer too: what is left is rendering and the code search
        out["render and codes"] += (t2 - t1) - (t1 - t0)
        out["fields"] += t3 - t2
    return out


def in_process(paths: list[Path], data_dir: Path, customers_csv: Path) -> float:
    """Seconds of `services.processing.process` (what a worker runs) over all documents."""
    from archive import config, db
    from archive.customers import import_rows, parse_csv
    from services import intake, processing

    os.environ["STMT_DATA_DIR"] = str(data_dir)
    config.reset()
    try:
        db.upgrade()
        with db.session() as s:
            import_rows(s, parse_csv(customers_csv.read_text(encoding="utf-8-sig")))
        ids = [intake.submit(p.read_bytes(), p.name, source="bench").id for p in paths]
        return _timed(lambda: [processing.process(i) for i in ids])
    finally:
        del os.environ["STMT_DATA_DIR"]
        config.reset()


def _cpu_seconds(pid: int) -> float:
    """User+system CPU seconds of a process and its children that are alive (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = {pid}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                pids.add(int(entry))
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def end_to_end(
    paths: list[Path], pages: int, root: Path, jobs: int, broker_url: str | None
) -> tuple[float, float, dict[str, int]]:
    """(seconds of `stmt ingest --wait`, idle worker CPU %, statuses) with a worker running."""
    from tests.corpus import SECRET_KEY, customers_csv

    env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    env |= {"STMT_DATA_DIR": str(root / "data"), "STMT_SECRET_KEY": SECRET_KEY}
    if broker_url:
        env["STMT_BROKER_URL"] = broker_url
    stmt = [sys.executable, "-m", "ingest.cli"]
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([*stmt, "customers", "import", str(customers_csv(root / "c.csv"))], **run)
    worker = subprocess.Popen(
        [*stmt, "worker", "--loglevel=WARNING", f"--concurrency={jobs}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _until_alive(env)
        secs = _timed(
            lambda: statuses.append(
                subprocess.run([*stmt, "ingest", *map(str, paths), "--wait", "--json"], **run)
            )
        )
        time.sleep(2)  # the worker settles
        cpu0, t0 = _cpu_seconds(worker.pid), time.monotonic()
        time.sleep(6)
        idle = 100 * (_cpu_seconds(worker.pid) - cpu0) / (time.monotonic() - t0)
    finally:
        worker.terminate()
        worker.wait(60)
    counts: dict[str, int] = {}
    for line in statuses.pop().stdout.splitlines():
        status = json.loads(line)["status"]
        counts[status] = counts.get(status, 0) + 1
    return secs, idle, counts


statuses: list[subprocess.CompletedProcess] = []


def _until_alive(env: dict[str, str], timeout: float = 120) -> None:
    """Until the worker's first heartbeat is in the database (it then reads the queue)."""
    check = (
        "from archive import db\nfrom services.workers import live_workers\n"
        "db.upgrade()\nraise SystemExit(0 if live_workers() else 1)"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env).returncode == 0:
            time.sleep(1)  # the heartbeat comes when the worker is ready; let it poll once
            return
        time.sleep(0.5)
    raise SystemExit("the worker did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=48)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--broker", choices=("embedded", "redis", "both"), default=None)
    ap.add_argument("--redis-url", default=os.environ.get("STMT_TEST_REDIS_URL"))
    args = ap.parse_args()
    broker = args.broker or ("both" if args.redis_url else "embedded")
    if broker != "embedded" and not args.redis_url:
        raise SystemExit("--broker redis needs --redis-url or STMT_TEST_REDIS_URL")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from tests.corpus import SECRET_KEY

    os.environ["STMT_SECRET_KEY"] = SECRET_KEY  # the statements' QR codes are signed with it

    from extract.pdf import page_count
    from tests.corpus import customers_csv

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_docs(args.docs, root / "in")
        datas = [p.read_bytes() for p in paths]
        pages = sum(page_count(d) for d in datas)
        print(f"{len(paths)} digital statements, {pages} pages; worker concurrency {args.jobs}")

        plain_pdfium(datas[:2])  # warm up (imports, fonts)
        plain = _timed(lambda: plain_pdfium(datas))
        stages(datas[:2])
        per_stage = stages(datas)
        total = in_process(paths, root / "inproc", customers_csv(root / "c.csv"))
        print(f"  {'plain pypdfium2 text+boxes':<32} {pages / plain:7.1f} pages/s")
        for name, secs in per_stage.items():
            print(f"  stage {name:<26} {1000 * secs / pages:7.1f} ms/page")
        # What processing adds to the reading: the database, the index, and for files of more
        # than one page the look for batch separators (services/batches.py)
        rest = total - sum(per_stage.values())
        print(f"  stage {'database, index, batch look':<26} {1000 * rest / pages:7.1f} ms/page")
        print(f"  {'in process (one at a time)':<32} {pages / total:7.1f} pages/s")
        runs = [("embedded", None)] if broker in ("embedded", "both") else []
        if broker in ("redis", "both"):
            runs.append(("redis", args.redis_url))
        for name, url in runs:
            secs, idle, counts = end_to_end(paths, pages, root / name, args.jobs, url)
            print(
                f"  {'stmt ingest --wait, ' + name:<32} {pages / secs:7.1f} pages/s  "
                f"({secs:.1f} s; {pages / plain / (pages / secs):.1f}x slower than plain; "
                f"idle worker {idle:.1f}% CPU; {counts})"
            )


if __name__ == "__main__":
    main()
