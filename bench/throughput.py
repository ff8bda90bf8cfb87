"""Throughput (prints figures; not a pass/fail test).

    python -m bench.throughput [--pages 12] [--jobs 2]

1. Scanned pages per minute: plain `tesseract PAGE stdout -l chi_sim+eng` on every page, `jobs`
   at a time, against our pipeline on the same page images (image preparation, orientation,
   OCR, codes, fields) with `jobs` documents at a time, and against `stmt ingest --wait`
   through the real queue and a worker of `jobs` processes.
2. Digital PDF pages per second: plain pdfplumber `extract_words` against our reading of the
   same PDFs (text layer, codes, fields; no OCR).
3. CPU seconds per page of the second OCR engine (RapidOCR, read only for pages whose first
   reading leaves a required field unfound or weak, or a balance unread on a coded fax)
   against Tesseract's reading of the same pages, on one thread each, and how many of the
   scanned pages above asked for it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"


def _scan_pages(corpus, n: int, out: Path) -> list[Path]:
    """Single-page scans (PNG/JPEG) of the corpus, as files tesseract can read directly."""
    pages = [s.path for s in corpus if s.variant != "digital" and s.path.suffix in (".png", ".jpg")]
    chosen = (pages * (n // max(len(pages), 1) + 1))[:n]
    files = []
    for i, p in enumerate(chosen):
        dest = out / f"page-{i:03d}{p.suffix}"
        shutil.copy(p, dest)
        files.append(dest)
    return files


def _plain_tesseract(path: Path) -> None:
    subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "chi_sim+eng"], check=True, capture_output=True
    )


def _ours(path: Path) -> str:
    from extract.customers import Customer
    from extract.pipeline import extract_document
    from tests.corpus import CUSTOMERS, SECRET_KEY

    customers = [Customer(c, n, tuple(a)) for c, n, a in CUSTOMERS]
    ex = extract_document(
        path.read_bytes(),
        customers=customers,
        threshold=0.9,
        workers=1,
        qr_key=SECRET_KEY.encode(),
    )
    return "ocr2" if any(p.second for p in ex.pages) else ex.status


def corpus_key() -> str:
    from tests.corpus import SECRET_KEY

    return SECRET_KEY


def _cpu() -> float:
    t = os.times()  # this process (onnxruntime) and its finished children (tesseract)
    return t.user + t.system + t.children_user + t.children_system


def _engine_cpu(path: Path) -> tuple[float, float]:
    """CPU seconds of Tesseract's and of RapidOCR's reading of one page image."""
    from extract import ocr, rapid
    from extract.pipeline import page_images, sniff

    data = path.read_bytes()
    gray, _, dpi, _ = next(page_images(data, sniff(data)))  # as ingest reads the image
    rapid.engine()  # loaded once per process, not counted per page
    t0 = _cpu()
    page = ocr.ocr_page(gray, 1, dpi)
    t1 = _cpu()
    rapid.read_page(gray, page)
    return t1 - t0, _cpu() - t1


def fallback_cost(corpus, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = _scan_pages(corpus, n, Path(tmp))
        with ProcessPoolExecutor(1) as pool:  # one process, one thread: CPU, not wall time
            costs = list(pool.map(_engine_cpu, files))
    tess = sum(c[0] for c in costs) / len(costs)
    second = sum(c[1] for c in costs) / len(costs)
    print(f"second OCR engine ({len(files)} pages, CPU seconds per page, one thread)")
    print(f"  {'tesseract':<20} {tess:7.2f} s")
    print(f"  {'rapidocr':<20} {second:7.2f} s  ({second / tess:.1f}× tesseract)")


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def scanned(corpus, n: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = _scan_pages(corpus, n, Path(tmp))
        with ThreadPoolExecutor(jobs) as pool:
            plain = _timed(lambda: list(pool.map(_plain_tesseract, files)))
        statuses: list[str] = []
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_ours, files[:jobs]))  # warm the processes (imports)
            ours = _timed(lambda: statuses.extend(pool.map(_ours, files)))
        data = Path(tmp) / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
        env |= {"STMT_DATA_DIR": str(data), "STMT_PAGE_WORKERS": "1"}
        env["STMT_SECRET_KEY"] = corpus_key()  # the corpus's QR codes are signed with it
        cmd = [sys.executable, "-m", "ingest.cli", "ingest", *map(str, files), "--wait"]
        e2e = _timed(
            lambda: subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)
        )
    print(f"scanned pages ({len(files)} pages, {jobs} at a time)")
    for name, secs in (
        ("plain tesseract", plain),
        ("our pipeline", ours),
        ("stmt ingest --wait", e2e),
    ):
        print(
            f"  {name:<20} {60 * len(files) / secs:7.1f} pages/min  "
            f"({secs:.1f} s, {plain / secs:.2f}× plain tesseract)"
        )
    print(f"  pages read again by the second OCR engine: {statuses.count('ocr2')} of {len(files)}")


def _plain_pdfplumber(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
        return len(pdf.pages)


def digital(corpus, jobs: int) -> None:
    from extract.pdf import page_count

    files = [s.path for s in corpus if s.variant == "digital"]
    pages = sum(page_count(p.read_bytes()) for p in files)
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_ours, files[:jobs]))
        plain = _timed(lambda: list(pool.map(_plain_pdfplumber, files)))
        ours = _timed(lambda: list(pool.map(_ours, files)))
    print(f"digital PDFs ({len(files)} files, {pages} pages, {jobs} at a time)")
    for name, secs in (("plain pdfplumber", plain), ("our pipeline", ours)):
        print(f"  {name:<20} {pages / secs:7.1f} pages/s  ({secs:.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--size", default="small")
    ap.add_argument(
        "--fallback-pages", type=int, default=3, help="pages for the second engine's CPU cost"
    )
    args = ap.parse_args()
    from tests.corpus import build_corpus

    corpus = build_corpus(size=args.size)
    digital(corpus, args.jobs)
    scanned(corpus, args.pages, args.jobs)
    if args.fallback_pages:
        fallback_cost(corpus, args.fallback_pages)


if __name__ == "__main__":
    main()
