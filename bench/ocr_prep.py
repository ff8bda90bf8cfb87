"""OCR throughput: plain `tesseract page.png out -l chi_sim+eng` vs `extract.ocr.ocr_page`.

Prints wall and CPU seconds per A4 page at 300 dpi (CPU = this process + children, which
is what matters on a busy worker machine; wall time is noisy when other jobs run).

    .venv/bin/python bench/ocr_prep.py [runs]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["OMP_THREAD_LIMIT"] = "1"

from PIL import Image  # noqa: E402

from extract import imageprep, ocr  # noqa: E402
from tests.test_ocr import render, tilt  # noqa: E402


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn) -> tuple[float, float]:
    wall, used = time.perf_counter(), cpu()
    fn()
    return time.perf_counter() - wall, cpu() - used


def main(runs: int = 3) -> None:
    pages = {
        "clean 300 dpi": render(300),
        "noisy scan 300 dpi, 3° skew": tilt(render(300, scanned=True), 3.0),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, page in pages.items():
            png = Path(tmp) / "page.png"
            Image.fromarray(page).save(png, dpi=(300, 300))
            plain = ["tesseract", str(png), str(Path(tmp) / "out"), "-l", "chi_sim+eng"]
            results: dict[str, list[tuple[float, float]]] = {"tesseract": [], "ocr_page": []}
            for _ in range(runs):  # interleaved, so load from other jobs hits both alike
                results["tesseract"].append(timed(lambda c=plain: subprocess.run(c, check=True)))
                results["ocr_page"].append(timed(lambda p=page: ocr.ocr_page(p, 1, 300)))
            prep = min(timed(lambda p=page: imageprep.prepare(p, 300))[1] for _ in range(runs))
            print(f"{name}: prepare() {prep * 1000:.0f} ms CPU")
            for label, times in results.items():
                wall = min(t[0] for t in times)
                used = min(t[1] for t in times)
                print(f"  {label:10s} best wall {wall:.2f} s, best CPU {used:.2f} s")
            ratio = min(t[1] for t in results["tesseract"]) / min(t[1] for t in results["ocr_page"])
            print(f"  ocr_page throughput = {ratio:.2f}x plain tesseract (by CPU)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
