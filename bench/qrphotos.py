"""QR codes in real photos: how many our quick and thorough passes read exactly, beside the
plain readers, and what each pass costs.

    .venv/bin/python bench/qrphotos.py [FOLDER] [--rotations 0,90,180,270] [--codes-pages N]

FOLDER (default /tmp/zxing-qr) holds one sub-folder per set of photos, each image (png, jpg,
gif) beside its expected text: NAME.txt (UTF-8) or NAME.bin (bytes read as ISO-8859-1), the
layout of the zxing project's blackbox test sets (qrcode-1 ... qrcode-6), which are not part
of this repository. A photo counts for a reader when the expected text is exactly one of the
texts it returns. Columns: zbar alone (pyzbar.decode, all defaults), zxing-cpp alone
(zxingcpp.read_barcodes, all defaults), both together ("out of the box": either read it),
our quick pass (extract.codes.read_codes with QUICK_ORDER, thorough=False, as ingest's first
look) and our thorough pass (read_codes with its defaults), then CPU ms per photo of the two
passes. --codes-pages N also times the quick pass on bench/codes.py's synthetic A4 pages
(N pages per variant and dpi), to show that work on the thorough pass left it alone.
Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image
from pyzbar import pyzbar

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract import codes  # noqa: E402

DEFAULT_FOLDER = Path("/tmp/zxing-qr")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")
COLUMNS = ("zbar", "zxing-cpp", "out of box", "quick", "thorough")


def expected_text(image: Path) -> str | None:
    """The text a photo's code holds, from NAME.txt (UTF-8) or NAME.bin (ISO-8859-1)."""
    txt, binary = image.with_suffix(".txt"), image.with_suffix(".bin")
    if txt.exists():
        return txt.read_bytes().decode("utf-8")
    if binary.exists():
        return binary.read_bytes().decode("latin-1")
    return None


def photo_sets(folder: Path) -> dict[str, list[tuple[Path, str]]]:
    """Set name -> (image, expected text), for every sub-folder (or the folder itself)."""
    sets: dict[str, list[tuple[Path, str]]] = {}
    for directory in sorted([folder, *(p for p in folder.iterdir() if p.is_dir())]):
        photos = []
        for image in sorted(directory.iterdir()):
            text = expected_text(image) if image.suffix.lower() in IMAGE_SUFFIXES else None
            if text is not None:
                photos.append((image, text))
        if photos:
            sets[directory.name] = photos
    return sets


def plain_zbar(gray: np.ndarray) -> set[str]:
    return {s.data.decode("utf-8", "replace") for s in pyzbar.decode(gray)}


def plain_zxing(gray: np.ndarray) -> set[str]:
    return {r.text for r in zxingcpp.read_barcodes(gray)}


def quick(gray: np.ndarray) -> set[str]:
    return {c.data for c in codes.read_codes(gray, 1, codes.QUICK_ORDER, thorough=False)}


def thorough(gray: np.ndarray) -> set[str]:
    return {c.data for c in codes.read_codes(gray, 1)}


def cpu_ms(read: Callable[[np.ndarray], set[str]], gray: np.ndarray) -> tuple[set[str], float]:
    start = time.process_time()
    texts = read(gray)
    return texts, (time.process_time() - start) * 1000


def bench_photos(folder: Path, rotations: list[int]) -> None:
    sets = photo_sets(folder)
    print(f"{sum(map(len, sets.values()))} photos in {len(sets)} sets under {folder}, "
          f"each read at rotations {rotations}; counts are readings of the exact text")  # fmt: skip
    header = f"{'set':<14}{'reads':>7}" + "".join(f"{c:>12}" for c in COLUMNS)
    print(header + f"{'quick ms':>10}{'thor. ms':>10}")
    totals = np.zeros(len(COLUMNS) + 1, dtype=int)
    times = {"quick": 0.0, "thorough": 0.0}
    thorough(np.full((64, 64), 255, np.uint8))  # warm up libraries
    for name, photos in sets.items():
        counts = np.zeros(len(COLUMNS) + 1, dtype=int)
        set_ms = {"quick": 0.0, "thorough": 0.0}
        for image, text in photos:
            gray0 = np.asarray(Image.open(image).convert("L"))
            for turn in rotations:
                gray = np.ascontiguousarray(np.rot90(gray0, k=-turn // 90))
                zb, zx = text in plain_zbar(gray), text in plain_zxing(gray)
                q, q_ms = cpu_ms(quick, gray)
                t, t_ms = cpu_ms(thorough, gray)
                set_ms["quick"] += q_ms
                set_ms["thorough"] += t_ms
                counts += [1, zb, zx, zb or zx, text in q, text in t]
        n = counts[0]
        print(f"{name:<14}{n:>7}" + "".join(f"{v:>12}" for v in counts[1:])
              + f"{set_ms['quick'] / n:>10.1f}{set_ms['thorough'] / n:>10.1f}")  # fmt: skip
        totals += counts
        times = {k: times[k] + set_ms[k] for k in times}
    n = totals[0]
    print(f"{'total':<14}{n:>7}" + "".join(f"{v:>12}" for v in totals[1:])
          + f"{times['quick'] / n:>10.1f}{times['thorough'] / n:>10.1f}")  # fmt: skip


def bench_enhancements(folder: Path, rotations: list[int]) -> None:
    """What each whole-page retry of the thorough pass rescues on its own: photos that the
    thorough pass reads only with its retries, counted per retry (the order in ENHANCEMENTS
    should follow these counts where costs are alike)."""
    photos = [p for photos in photo_sets(folder).values() for p in photos]
    enhancements = codes.ENHANCEMENTS
    rescued = dict.fromkeys(enhancements, 0)
    needed = 0
    try:
        for image, text in photos:
            gray0 = np.asarray(Image.open(image).convert("L"))
            for turn in rotations:
                gray = np.ascontiguousarray(np.rot90(gray0, k=-turn // 90))
                codes.ENHANCEMENTS = ()
                if text in thorough(gray):
                    continue
                codes.ENHANCEMENTS = enhancements
                if text not in thorough(gray):
                    continue
                needed += 1
                for name in enhancements:
                    codes.ENHANCEMENTS = (name,)
                    rescued[name] += text in thorough(gray)
    finally:
        codes.ENHANCEMENTS = enhancements
    print(f"read only with a whole-page retry: {needed}; rescued by each retry alone: "
          + ", ".join(f"{name} {n}" for name, n in rescued.items()))  # fmt: skip


def bench_quick_on_pages(per_variant: int) -> None:
    """The quick pass, as ingest runs it first, on bench/codes.py's synthetic A4 pages."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import codes as pages  # bench/codes.py

    samples = pages.make_samples(per_variant, seed=1)
    codes.read_codes(samples[0].image, 1, codes.QUICK_ORDER, thorough=False)  # warm up
    cpu, read, drawn = [], 0, 0
    for s in samples:
        start = time.process_time()
        got = {(c.type, c.data) for c in
               codes.read_codes(s.image, 1, codes.QUICK_ORDER, thorough=False)}  # fmt: skip
        cpu.append((time.process_time() - start) * 1000)
        read += len(got & s.expected)
        drawn += len(s.expected)
    print(f"quick pass on {len(samples)} synthetic A4 pages (bench/codes.py, seed 1): "
          f"{read}/{drawn} codes read, CPU ms/page mean {np.mean(cpu):.1f}, "
          f"median {np.median(cpu):.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--rotations", default="0", help="comma-separated: 0,90,180,270")
    parser.add_argument(
        "--codes-pages", type=int, default=0, metavar="N",
        help="also time the quick pass on N synthetic pages per variant and dpi",
    )  # fmt: skip
    args = parser.parse_args()
    if args.folder.is_dir():
        rotations = [int(r) for r in args.rotations.split(",")]
        bench_photos(args.folder, rotations)
        bench_enhancements(args.folder, rotations)
    else:
        print(
            f"{args.folder} not found: put the photo sets there, each image beside "
            "NAME.txt with its expected text (zxing's test/resources/blackbox/qrcode-*)."
        )
    if args.codes_pages:
        bench_quick_on_pages(args.codes_pages)


if __name__ == "__main__":
    main()
