"""Worker memory on a long scanned batch (prints figures; not a pass/fail test).

    python -m bench.memory [--pages 200] [--dpi 300] [--timeout 1500]

Builds a `--pages`-page scanned PDF batch at `--dpi` (two-page statements from tests/corpus.py,
rasterized and degraded as a scanner would, our statement QR code on each first page; cached
under bench/out/), then runs it through `stmt ingest --wait` with the embedded broker and no
worker running, so that it starts the real local `stmt worker` (one process per core). The
worker's whole process tree (the Celery parent, its pool processes and their Tesseract runs)
is sampled from /proc every quarter second. The corpus's customers are imported into the
customer master first, as an archive in use has them. It prints the tree's peak RSS (and PSS, which
counts pages shared between forked processes once) and the largest single process's peak,
beside plain `tesseract` reading one page of the same batch.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
TARGET_MIB = 600


def build_batch(pages: int, dpi: int, unique: int = 20) -> Path:
    """A scanned batch of two-page statements, made once and kept in bench/out/. `unique`
    pages are scanned (rasterized and degraded: the slow part) and the batch repeats them;
    every first page carries its statement's QR code, so each repeat is a part of its own."""
    path = OUT / f"batch-{pages}p-{dpi}dpi.pdf"
    if path.exists():
        return path
    import pypdfium2 as pdfium

    from tests.corpus import LAYOUTS, make_truth, render_scan

    rng = random.Random(200)
    t0 = time.perf_counter()
    scans = []
    for _ in range(max(1, min(unique, pages) // 2)):
        scans.append(
            render_scan(
                make_truth(rng),
                rng.choice(LAYOUTS),
                qr=True,
                dpi=dpi,
                pages=2,
                rotation_deg=rng.uniform(-1.5, 1.5),
                noise=2.0,  # a scanner's grey paper and sensor noise, JPEG as scanners save:
                jpeg_quality=60,  # a few hundred KB a page, within STMT_MAX_FILE_MB
                fmt="pdf",
            )
        )
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        src = pdfium.PdfDocument(scans[(len(out) // 2) % len(scans)])
        out.import_pages(src, list(range(min(len(src), pages - len(out)))))
        src.close()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as f:
        out.save(f)
    out.close()
    tmp.replace(path)
    secs = time.perf_counter() - t0
    print(f"made {path.name} ({path.stat().st_size / 2**20:.0f} MiB) in {secs:.0f} s")
    return path


def _status(pid: int) -> dict[str, str]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def _pss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def tree(root: int) -> list[int]:
    """`root` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(_status(int(entry.name)).get("PPid", "0"))
            except (OSError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


class TreeSampler(threading.Thread):
    """Peak RSS and PSS of a process tree, summed at each sampling instant."""

    def __init__(self, root: int, every: float = 0.25, without_root: bool = False) -> None:
        super().__init__(daemon=True)
        self.root, self.every, self.without_root = root, every, without_root
        self.peak_rss = self.peak_pss = self.peak_one = self.most_procs = 0
        self.peak_names: list[str] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            rss = pss = 0
            names = []
            pids = tree(self.root)[1:] if self.without_root else tree(self.root)
            for pid in pids:
                try:
                    st = _status(pid)
                    one = int(st.get("VmRSS", "0 kB").split()[0]) * 1024
                    rss += one
                    pss += _pss(pid)
                    names.append(f"{st.get('Name', '?')} {one / 2**20:.0f}")
                    self.peak_one = max(self.peak_one, one)
                except (OSError, ValueError, IndexError):
                    continue  # ended between listing and reading
            if rss > self.peak_rss:
                self.peak_rss, self.peak_names = rss, names
            self.peak_pss = max(self.peak_pss, pss)
            self.most_procs = max(self.most_procs, len(pids))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def plain_tesseract(batch: Path, dpi: int, lang: str) -> int:
    """Peak RSS of `tesseract` reading the batch's first page (a PNG at `dpi`)."""
    from extract import pdf

    page = OUT / f"page1-{dpi}dpi.png"
    if not page.exists():
        for _, image, _used in pdf.render(batch.read_bytes(), dpi, [1]):
            image.save(page, dpi=(dpi, dpi))
    proc = subprocess.Popen(
        ["tesseract", str(page), "stdout", "-l", lang],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ | {"OMP_THREAD_LIMIT": "1"},
    )
    # Its own high-water mark, read while it runs: the rusage of a child counts the memory
    # of this process too, which the child had between its fork and its exec.
    peak = 0
    while proc.poll() is None:
        with contextlib.suppress(OSError, ValueError, IndexError, KeyError):  # KeyError: ended
            st = _status(proc.pid)
            if st.get("Name") == "tesseract":
                peak = max(peak, int(st["VmHWM"].split()[0]) * 1024)
        time.sleep(0.02)
    return peak


def run_worker(batch: Path, timeout: float) -> dict[str, object]:
    """`stmt ingest BATCH --wait` with no worker running: it starts the real local worker
    (`stmt worker`, a child of its own), whose process tree is sampled (not the ingest
    command itself, which only waits)."""
    from tests.corpus import SECRET_KEY, customers_csv

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
        env |= {"STMT_DATA_DIR": str(Path(tmp) / "data"), "STMT_SECRET_KEY": SECRET_KEY}
        # the statements' customers are in the master, as in any archive in use: without
        # them every statement waits for review and is read again by the second OCR engine
        master = customers_csv(Path(tmp) / "customers.csv")
        subprocess.run(
            [sys.executable, "-m", "ingest.cli", "customers", "import", str(master)],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        t0 = time.perf_counter()
        ingest = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "ingest", str(batch), "--wait", "--json"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        sampler = TreeSampler(ingest.pid, without_root=True)
        sampler.start()
        try:
            out, err = ingest.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:  # a busy machine: report the peak so far
            print(f"ingest stopped after --timeout {timeout:.0f} s; figures are up to then")
            for pid in reversed(tree(ingest.pid)):  # the worker finishes no task of ours
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            out, err = ingest.communicate()
        finally:
            sampler.stop()
        secs = time.perf_counter() - t0
        if ingest.returncode:
            print(err[-3000:])
        statuses = [line.split('"status": "')[1].split('"')[0] for line in out.splitlines()
                    if '"status": "' in line]  # fmt: skip
        finished, notes = _finished(Path(tmp) / "data")
    return {
        "secs": secs,
        "rss": sampler.peak_rss,
        "pss": sampler.peak_pss,
        "one": sampler.peak_one,
        "procs": sampler.most_procs,
        "at_peak": sampler.peak_names,
        "statuses": statuses,
        "finished": finished,
        "notes": notes,
    }


def _finished(data: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Documents by status in the worker's archive (the embedded SQLite database), and how
    often each review note was given (why they wait for a reviewer)."""
    import json
    import sqlite3
    from collections import Counter

    found = list(data.rglob("*.sqlite3")) + list(data.rglob("*.db"))
    for db in found:
        try:
            conn = sqlite3.connect(db)
            rows = conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
            notes = Counter(
                item.get("code", "text") if isinstance(item, dict) else "text"
                for (raw,) in conn.execute("SELECT notes FROM documents WHERE notes IS NOT NULL")
                for item in json.loads(raw or "[]")
            )
            conn.close()
            return dict(rows), dict(notes.most_common())
        except sqlite3.Error:
            continue
    return {}, {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--timeout", type=float, default=1500, help="Seconds for the ingest.")
    args = ap.parse_args()
    from extract.ocr import LANG

    batch = build_batch(args.pages, args.dpi)
    plain = plain_tesseract(batch, args.dpi, LANG)
    got = run_worker(batch, args.timeout)
    mib = 2**20
    counts = {s: got["statuses"].count(s) for s in sorted(set(got["statuses"]))}
    print(f"\n{args.pages}-page {args.dpi} dpi scanned batch, worker of {os.cpu_count()} processes")
    print(f"  ingest --wait: {got['secs']:.0f} s ({60 * args.pages / got['secs']:.1f} pages/min); "
          f"documents: {counts or got['finished']}")  # fmt: skip
    if got["notes"]:
        print(f"  review notes given: {got['notes']}")
    print(f"  {'plain tesseract, one page':<34} {plain / mib:7.0f} MiB peak RSS")
    print(f"  {'worker tree peak, RSS summed':<34} {got['rss'] / mib:7.0f} MiB "
          f"({got['rss'] / plain:.1f}× plain tesseract; target {TARGET_MIB} MiB)")  # fmt: skip
    print(f"  {'worker tree peak, PSS summed':<34} {got['pss'] / mib:7.0f} MiB")
    print(f"  {'largest single process':<34} {got['one'] / mib:7.0f} MiB")
    print(f"  most processes in the tree: {got['procs']}; at the RSS peak (MiB): "
          + ", ".join(got["at_peak"]))  # fmt: skip


if __name__ == "__main__":
    main()
