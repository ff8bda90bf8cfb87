"""Backup, verify and the audit chain at scale (prints figures; not a pass/fail test).

    python -m bench.records [--files 1000] [--kb 60] [--entries 5000]

Builds a throwaway SQLite archive of synthetic originals (random bytes, so nothing
compresses) with a document row each, then prints:
- the backup (first, full) and again (incremental, nothing new) beside `cp -r` of the
  originals plus a copy of the database file;
- verifying the backup beside `sha256sum` of the same files;
- audit entries appended per second (one entry per transaction, the chain's locking
  included) beside commits of one plain row, and the chain checked per second (what
  `stmt audit verify` does).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=int, default=1000)
    p.add_argument("--kb", type=int, default=60, help="size of each original")
    p.add_argument("--entries", type=int, default=5000)
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="stmt-bench-records-") as tmp:
        root = Path(tmp)
        os.environ["STMT_DATA_DIR"] = str(root / "data")
        for name in ("STMT_DATABASE_URL", "STMT_BROKER_URL", "STMT_SEARCH_URL"):
            os.environ.pop(name, None)

        from archive import audit, backup, config, db, store
        from archive.models import Document

        db.upgrade()
        settings = config.load()
        with db.session() as s:
            for i in range(args.files):
                data = os.urandom(args.kb * 1024)
                sha = store.put(settings.store_dir, data)
                s.add(Document(sha256=sha, filename=f"s{i}.pdf", size=len(data), source="cli"))
        mb = args.files * args.kb / 1024
        print(f"archive: {args.files} originals, {mb:.0f} MB")

        dest = root / "backup"
        full = _timed(lambda: backup.backup(settings, dest))
        again = _timed(lambda: backup.backup(settings, dest))
        plain = root / "plain"

        def copy_plain() -> None:
            shutil.copytree(settings.store_dir, plain / "originals")
            shutil.copy(settings.data_dir / "archive.sqlite3", plain / "archive.sqlite3")

        cp = _timed(copy_plain)
        print(f"backup, full:          {full:6.2f} s  ({mb / full:6.1f} MB/s)")
        print(f"backup, incremental:   {again:6.2f} s  (nothing new to copy)")
        print(f"cp -r (plain copy):    {cp:6.2f} s  ({mb / cp:6.1f} MB/s)")

        check = _timed(lambda: backup.verify_backup(dest))
        files = [str(f) for f in (dest / "originals").rglob("*") if f.is_file()]

        def sha256sum() -> None:
            for start in range(0, len(files), 500):
                subprocess.run(["sha256sum", *files[start : start + 500]], check=True,
                               capture_output=True)  # fmt: skip

        plain_check = _timed(sha256sum)
        print(f"verify backup:         {check:6.2f} s  ({mb / check:6.1f} MB/s)")
        print(f"sha256sum (plain):     {plain_check:6.2f} s  ({mb / plain_check:6.1f} MB/s)")

        def append() -> None:
            for i in range(args.entries):
                with db.session() as s:
                    audit.record(s, "view", user="bench", document_id=1 + i % args.files)

        def plain_commits() -> None:
            from archive.users import set_setting

            for i in range(args.entries):
                with db.session() as s:
                    set_setting(s, "bench", str(i))

        write = _timed(append)
        baseline = _timed(plain_commits)
        with db.session() as s:
            n = audit.head(s)["id"]
            chain = _timed(lambda: audit.verify(s))
        print(f"audit append:          {args.entries / write:8.0f} entries/s (one per commit)")
        print(f"plain commits:         {args.entries / baseline:8.0f} /s (one setting row each)")
        print(f"audit verify:          {n / chain:8.0f} entries/s ({n} entries, {chain:.2f} s)")


if __name__ == "__main__":
    main()
