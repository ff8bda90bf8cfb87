"""Real receipt scans (the public SROIE set): what the OCR text holds, plain Tesseract beside
ours (prints figures; not a pass/fail test).

    python -m bench.sroie DIR [--limit 30] [--jobs 2] [--fallback rapidocr|none]

DIR holds the receipts as `img/NNN.jpg` with their labels as `key/NNN.json` (the layout of
the zzzDavid/ICDAR-2019-SROIE repository's `data/`). Receipts whose number is a multiple of
6 are never read: they are kept for a measurement from outside the project.

Per receipt, side by side:
- plain: `tesseract IMAGE stdout -l eng`, as a user would run it;
- ours: the words the pipeline keeps for search (`Page.words` and, where the second OCR
  engine read the page again, `Page.second`), read as the service reads an upload.
Figures: the share of receipts whose exact total (the labelled `total`, e.g. 9.00) is
among the amounts of the text; the share whose shop name would be found by searching for
its first two words (both present as whole words, any case); seconds per receipt.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

KEPT_OUT = 6  # receipts numbered by a multiple of this are not ours to measure
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
# A word is what a user types between spaces, without the punctuation around it: the shop
# "MR D.I.Y. (M) SDN BHD" is searched as "mr d.i.y", not as the fragments "mr d".
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.&'-]*[A-Za-z0-9])?")


def receipts(root: Path, limit: int) -> list[tuple[Path, dict]]:
    """(image, labels) of the first `limit` receipts we may use, in number order."""
    out = []
    for image in sorted((root / "img").glob("*.jpg")):
        if not image.stem.isdigit() or int(image.stem) % KEPT_OUT == 0:
            continue
        key = root / "key" / f"{image.stem}.json"
        if key.exists():
            out.append((image, json.loads(key.read_text(encoding="utf-8"))))
        if len(out) >= limit:
            break
    return out


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def labelled_total(total: str) -> Decimal | None:
    """The label's total as a number ("$8.20" is 8.20); None when it has none."""
    found = _NUMBER.search(total)
    return _amount(found.group()) if found else None


def has_total(text: str, total: str) -> bool:
    """Whether the labelled total is one of the amounts printed in `text`."""
    want = labelled_total(total)
    return want is not None and any(_amount(m.group()) == want for m in _NUMBER.finditer(text))


def name_words(company: str) -> list[str]:
    """The first two words of a shop name, as a user would type them into search."""
    return [w.lower() for w in _WORD.findall(company)][:2]


def has_name(text: str, company: str) -> bool:
    words = set(w.lower() for w in _WORD.findall(text))
    wanted = name_words(company)
    return bool(wanted) and all(w in words for w in wanted)


def _plain(path: Path) -> tuple[str, float]:
    t0 = time.perf_counter()
    done = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "eng"], capture_output=True, check=False
    )
    return done.stdout.decode("utf-8", "replace"), time.perf_counter() - t0


def _ours(path: Path, fallback: str) -> tuple[str, float, bool]:
    """The pipeline's searchable text of the receipt; whether the second engine read it."""
    from extract.pipeline import extract_document

    t0 = time.perf_counter()
    ex = extract_document(
        path.read_bytes(), customers=[], threshold=0.9, workers=1, fallback=fallback
    )
    second = any(p.second for p in ex.pages)
    return "\n".join(p.text for p in ex.pages), time.perf_counter() - t0, second


def _one(job: tuple[Path, dict, str]) -> dict:
    path, labels, fallback = job
    plain, plain_s = _plain(path)
    ours, ours_s, second = _ours(path, fallback)
    total, company = labels.get("total", ""), labels.get("company", "")
    return {
        "name": path.name,
        "total": total,
        "plain_total": has_total(plain, total),
        "ours_total": has_total(ours, total),
        "plain_name": has_name(plain, company),
        "ours_name": has_name(ours, company),
        "plain_s": plain_s,
        "ours_s": ours_s,
        "second": second,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path, help="directory with img/ and key/")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 2))
    ap.add_argument("--fallback", default="rapidocr", help="second OCR engine: rapidocr|none")
    ap.add_argument("--verbose", action="store_true", help="one line per receipt")
    args = ap.parse_args()

    found = receipts(args.root, args.limit)
    if not found:
        sys.exit(f"no receipts under {args.root} (expected img/NNN.jpg and key/NNN.json)")
    jobs = [(p, k, args.fallback) for p, k in found]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(_one, jobs))
    n = len(rows)

    def share(key: str) -> str:
        # a receipt whose label has no total counts for neither engine
        counted = [r for r in rows if "total" not in key or labelled_total(r["total"])]
        ok = sum(r[key] for r in counted)
        return f"{ok}/{len(counted)} ({100 * ok / len(counted):.0f}%)"

    if args.verbose:
        for r in rows:
            print(
                f"  {r['name']}  total {r['total']:>9}  plain {'Y' if r['plain_total'] else '-'}"
                f"  ours {'Y' if r['ours_total'] else '-'}  name plain "
                f"{'Y' if r['plain_name'] else '-'} ours {'Y' if r['ours_name'] else '-'}"
                f"  second engine {'yes' if r['second'] else 'no'}"
            )
    plain_s = sum(r["plain_s"] for r in rows) / n
    ours_s = sum(r["ours_s"] for r in rows) / n
    print(f"\nSROIE receipts (numbers not a multiple of {KEPT_OUT}): {n}; fallback {args.fallback}")
    print(f"{'':<34}{'plain tesseract':>18}{'our pipeline':>18}")
    print(f"{'exact total in the text':<34}{share('plain_total'):>18}{share('ours_total'):>18}")
    print(
        f"{'shop name found (first 2 words)':<34}{share('plain_name'):>18}{share('ours_name'):>18}"
    )
    print(f"{'seconds per receipt (wall)':<34}{plain_s:>18.2f}{ours_s:>18.2f}")
    print(f"read again by the second engine: {sum(r['second'] for r in rows)} of {n}")


if __name__ == "__main__":
    main()
