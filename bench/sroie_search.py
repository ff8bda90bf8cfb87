"""Real receipt scans (the public SROIE set) found through the product's search, beside plain
Tesseract's text (prints figures; not a pass/fail test).

    python -m bench.sroie_search DIR [--limit 30] [--data ARCHIVE]

DIR is laid out as for bench/sroie.py (`img/NNN.jpg`, `key/NNN.json`); receipts numbered by a
multiple of 6 are never read. The receipts are archived as a user would: `stmt ingest --wait
--json` into a fresh temporary STMT_DATA_DIR (embedded broker and SQLite index, the second OCR
engine on). Then, per receipt:
- total: `stmt search --amount TOTAL --json` (anywhere: summary, lines, page) lists the scan;
- name: `stmt search "W1 W2" --json` with the shop name's first two words lists the scan;
beside whether plain `tesseract IMAGE stdout` text holds the total / both words.

With `--data ARCHIVE` the archive is kept in ARCHIVE: a second run finds the receipts already
read (the same bytes are the same document) and only searches again, which is how a change to
search is measured without reading the scans again (`stmt reindex` first if the index's terms
changed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sroie import (  # noqa: E402
    KEPT_OUT,
    _plain,
    has_name,
    has_total,
    labelled_total,
    name_words,
    receipts,
)

ROOT = Path(__file__).resolve().parent.parent


def _stmt(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"stmt {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _found(env: dict[str, str], doc_id: int, *args: str) -> bool:
    out = json.loads(_stmt(env, "search", *args, "--limit", "1000", "--json"))
    return any(h["id"] == doc_id for h in out["hits"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path, help="directory with img/ and key/")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--fallback", default="rapidocr", help="second OCR engine: rapidocr|none")
    ap.add_argument("--verbose", action="store_true", help="one line per receipt")
    ap.add_argument("--data", type=Path, help="keep the archive here (and reuse it next run)")
    args = ap.parse_args()

    found = receipts(args.root, args.limit)
    if not found:
        sys.exit(f"no receipts under {args.root} (expected img/NNN.jpg and key/NNN.json)")
    with contextlib.ExitStack() as stack:
        if args.data is not None:
            args.data.mkdir(parents=True, exist_ok=True)
            data = str(args.data.resolve())
        else:
            data = stack.enter_context(tempfile.TemporaryDirectory(prefix="stmt-sroie-"))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "STMT_DATA_DIR": data,
            "STMT_OCR_FALLBACK": args.fallback,
        }
        for key in ("STMT_SEARCH_URL", "STMT_BROKER_URL", "STMT_DATABASE_URL"):
            env.pop(key, None)  # the embedded default
        t0 = time.perf_counter()
        lines = _stmt(env, "ingest", "--wait", "--json", *(str(p) for p, _ in found))
        ingest_s = time.perf_counter() - t0
        ids = {}
        statuses: dict[str, int] = {}
        for line in lines.splitlines():
            obj = json.loads(line)
            ids[obj["file"]] = obj["id"]
            statuses[obj["status"]] = statuses.get(obj["status"], 0) + 1
        with ThreadPoolExecutor(2) as pool:
            plain = list(pool.map(lambda job: _plain(job[0])[0], found))
        rows = []
        for (path, labels), text in zip(found, plain, strict=True):
            total, company = labels.get("total", ""), labels.get("company", "")
            doc_id, want = ids.get(path.name), labelled_total(total)
            words = name_words(company)
            rows.append(
                {
                    "name": path.name,
                    "total": total,
                    "counted": want is not None,
                    "plain_total": has_total(text, total),
                    "ours_total": bool(doc_id and want is not None)
                    and _found(env, doc_id, "--amount", format(want, "f")),
                    "plain_name": has_name(text, company),
                    "ours_name": bool(doc_id and words) and _found(env, doc_id, " ".join(words)),
                }
            )

    n = len(rows)

    def share(key: str) -> str:
        counted = [r for r in rows if "total" not in key or r["counted"]]
        ok = sum(r[key] for r in counted)
        return f"{ok}/{len(counted)} ({100 * ok / max(len(counted), 1):.0f}%)"

    if args.verbose:
        for r in rows:
            print(
                f"  {r['name']}  total {r['total']:>9}  plain {'Y' if r['plain_total'] else '-'}"
                f"  search {'Y' if r['ours_total'] else '-'}  name plain "
                f"{'Y' if r['plain_name'] else '-'} search {'Y' if r['ours_name'] else '-'}"
            )
    print(f"\nSROIE receipts (numbers not a multiple of {KEPT_OUT}): {n}; fallback {args.fallback}")
    print(f"statuses after ingest: {statuses}; ingest {ingest_s / n:.1f} s per receipt (wall)")
    print(f"{'':<34}{'plain tesseract':>18}{'stmt search':>18}")
    print(f"{'exact total found':<34}{share('plain_total'):>18}{share('ours_total'):>18}")
    name = "shop name found (first 2 words)"
    print(f"{name:<34}{share('plain_name'):>18}{share('ours_name'):>18}")


if __name__ == "__main__":
    main()
