"""Backups of the archive: a consistent snapshot of the database and the originals, each file
listed with its SHA-256 in a manifest, restored only into an empty data folder and verified.

A backup folder holds any number of snapshots; originals are shared between them, stored
like the live store under their hash, so a file already there is never copied again:

    DEST/originals/ab/cd/<sha256>
    DEST/snapshots/20261202T031500Z/database.sqlite3   (or database.pgdump, pg_dump -Fc)
    DEST/snapshots/20261202T031500Z/manifest.json

The database is copied first (SQLite's online backup API; pg_dump on a snapshot exported
from the same transaction that lists the originals), then the originals that copy refers to.
Originals are written before their rows and never change, so the pair is consistent while
the service keeps running. A snapshot is written under a temporary name and renamed once
complete. The search index and page images are derived: `stmt reindex` rebuilds the index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from archive import audit, db, store
from archive.config import Settings
from archive.messages import MailMessage
from archive.models import Document

FORMAT = 1
MANIFEST = "manifest.json"
SNAPSHOTS = "snapshots"
ORIGINALS = "originals"
_CHUNK = 1 << 20
COPY_THREADS = 4
# Every stored original the database refers to: documents and the raw mail messages.
_REFERENCED = (
    "SELECT sha256, 'document' FROM documents "
    "UNION SELECT sha256, 'message' FROM mail_messages WHERE sha256 IS NOT NULL"
)
_REFERENCED_DOCS_ONLY = "SELECT sha256, 'document' FROM documents"


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass
class Problem:
    kind: str  # missing | corrupt | unreadable
    what: str  # a file in the backup, or an original of the archive
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.what}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Report:
    snapshot: str | None = None
    checked: int = 0
    copied: int = 0
    reused: int = 0
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- hashing and copying ---------------------------------------------------------------


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _copy_checked(src: Path, dest: Path, sha: str) -> None:
    """Copy src to dest (atomically, fsynced), refusing content that is not `sha`."""
    _private_dir(dest.parent)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".copy-")
    h = hashlib.sha256()
    try:
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(_CHUNK):
                h.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if h.hexdigest() != sha:
            raise BackupError(f"{src} does not match its hash {sha}")
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- the database ----------------------------------------------------------------------


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"{url} is not a database file")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore, with the password in the environment instead."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    plain = u.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt install postgresql-client)")
    proc = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if proc.returncode != 0:
        raise BackupError(f"{args[0]} failed: {proc.stderr.strip()[-2000:]}")


def _snapshot_sqlite(url: str, dest: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    src = sqlite3.connect(_sqlite_path(url), timeout=30)
    out = sqlite3.connect(dest)
    try:
        src.backup(out)  # a consistent copy while others keep writing
        out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _read_snapshot(
            lambda sql: out.execute(sql).fetchall(),
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'mail_messages'",
        )
    finally:
        out.close()
        src.close()
        os.chmod(dest, 0o600)


def _snapshot_postgres(url: str, dest: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    conninfo, env = _libpq(url)
    engine = db.engine_for(url)
    conn = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        # pg_dump sees exactly what this transaction sees while it stays open.
        _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dest}", f"--dbname={conninfo}"],
                env,
            )  # fmt: skip
        found = _read_snapshot(
            lambda sql: conn.execute(text(sql)).all(),
            "SELECT to_regclass('mail_messages') IS NOT NULL",
        )
    os.chmod(dest, 0o600)
    return found


def _read_snapshot(
    query: Callable[[str], list], has_mail: str
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    mail = query(has_mail)[0][0]  # an archive made before mail capture has no such table
    referenced = [tuple(r) for r in query(_REFERENCED if mail else _REFERENCED_DOCS_ONLY)]
    info: dict[str, Any] = {
        "documents": query("SELECT count(*) FROM documents")[0][0],
        "schema": sorted(r[0] for r in query("SELECT version_num FROM alembic_version")),
    }
    head = query("SELECT last_id, last_hash FROM audit_chain WHERE id = 1")
    if head:
        info["audit_head"] = {"id": head[0][0], "hash": head[0][1]}
    return referenced, info


# -- backup ----------------------------------------------------------------------------


def _snapshot_name(root: Path) -> str:
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while (root / name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def backup(settings: Settings, dest: Path, user: str | None = None) -> Report:
    """Write a new snapshot into `dest`; problems of the live archive are reported, not fatal."""
    dest = dest.resolve()
    if dest == settings.data_dir or settings.data_dir in dest.parents:
        raise BackupError("the backup folder must be outside the data folder")
    snapshots = dest / SNAPSHOTS
    _private_dir(snapshots)
    name = _snapshot_name(snapshots)
    work = snapshots / f".partial-{name}"
    _private_dir(work)
    report = Report(snapshot=name)
    try:
        kind = backend_of(settings.database_url)
        db_file = work / ("database.sqlite3" if kind == "sqlite" else "database.pgdump")
        if kind == "sqlite":
            referenced, info = _snapshot_sqlite(settings.database_url, db_file)
        else:
            referenced, info = _snapshot_postgres(settings.database_url, db_file)
        originals: dict[str, int] = {}
        # Several at once: each copy waits on its fsync, and the waits overlap.
        shas = [sha for sha, _what in referenced]
        with ThreadPoolExecutor(max_workers=COPY_THREADS) as pool:
            copies = pool.map(partial(_backup_original, settings, dest), shas)
            for sha, (size, outcome) in zip(shas, copies, strict=True):
                originals[sha] = size
                if isinstance(outcome, Problem):
                    report.problems.append(outcome)
                elif outcome == "copied":
                    report.copied += 1
                else:
                    report.reused += 1
        _fsync(db_file)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {
                "backend": kind,
                "file": db_file.name,
                "sha256": file_sha256(db_file),
                "size": db_file.stat().st_size,
            },
            **info,
            "originals": originals,
            "problems": [str(p) for p in report.problems],
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        os.chmod(work / MANIFEST, 0o600)
        _fsync(work / MANIFEST)
        os.replace(work, snapshots / name)  # complete: the manifest is written last
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report.documents = info["documents"]
    report.checked = len(referenced)
    _audit("backup", user, snapshot=name, dest=str(dest), documents=report.documents,
           copied=report.copied, problems=len(report.problems))  # fmt: skip
    return report


def _audit(action: str, user: str | None, **detail: Any) -> None:

    with db.session() as s:
        audit.record(s, action, user=user, **detail)


def _backup_original(settings: Settings, dest: Path, sha: str) -> tuple[int, str | Problem]:
    """Copy one original unless the backup has it: (size, "copied" | "reused" | a Problem)."""
    target = store.path_for(dest / ORIGINALS, sha)
    src = store.path_for(settings.store_dir, sha)
    if not src.exists():
        return -1, Problem("missing", f"original {sha}", "not in the archive")
    size = src.stat().st_size
    if target.exists() and target.stat().st_size == size:
        return size, "reused"
    try:
        _copy_checked(src, target, sha)
    except BackupError:
        return size, Problem("corrupt", f"original {sha}", "damaged in the archive")
    return size, "copied"


# -- reading a backup ------------------------------------------------------------------


def snapshots(src: Path) -> list[str]:
    root = src / SNAPSHOTS
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_manifest(src: Path, name: str) -> dict[str, Any]:
    path = src / SNAPSHOTS / name / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup manifest this version reads")
    return manifest


def _pick(src: Path, name: str | None) -> str:
    names = snapshots(src)
    if not names:
        raise BackupError(f"{src} holds no backup (no {SNAPSHOTS}/…/{MANIFEST})")
    if name is None:
        return names[-1]
    if name not in names:
        raise BackupError(f"{src} has no snapshot {name}; it has {', '.join(names)}")
    return name


def verify_backup(src: Path, name: str | None = None, *, every: bool = True) -> Report:
    """Check the hash of every file of the snapshots (all, or `name`, or the newest)."""
    src = src.resolve()
    names = snapshots(src) if every and name is None else [_pick(src, name)]
    if not names:
        raise BackupError(f"{src} holds no backup (no {SNAPSHOTS}/…/{MANIFEST})")
    report = Report(snapshot=names[-1])
    originals: dict[str, int] = {}
    for snap in names:
        try:
            manifest = load_manifest(src, snap)
        except BackupError as exc:
            report.problems.append(Problem("unreadable", f"{snap}/{MANIFEST}", str(exc)))
            continue
        dbinfo = manifest["database"]
        _check_file(src / SNAPSHOTS / snap / dbinfo["file"], dbinfo["sha256"], report,
                    f"{snap}/{dbinfo['file']}")  # fmt: skip
        originals.update(manifest["originals"])
        report.documents = manifest.get("documents", 0)
    for sha in originals:
        _check_file(store.path_for(src / ORIGINALS, sha), sha, report, f"original {sha}")
    return report


def _check_file(path: Path, sha: str, report: Report, label: str) -> None:
    report.checked += 1
    if not path.is_file():
        report.problems.append(Problem("missing", label))
    elif file_sha256(path) != sha:
        report.problems.append(Problem("corrupt", label, "its content does not match its hash"))


def verify_live(settings: Settings) -> Report:
    """Check that every original the archive refers to is there and matches its hash."""


    report = Report()
    with db.session() as s:
        rows = [(sha, f"document {i} ({name})") for i, sha, name in
                s.execute(select(Document.id, Document.sha256, Document.filename))]  # fmt: skip
        rows += [(sha, f"mail message {i}") for i, sha in
                 s.execute(select(MailMessage.id, MailMessage.sha256)) if sha]  # fmt: skip
    report.documents = len(rows)
    for sha, label in rows:
        _check_file(store.path_for(settings.store_dir, sha), sha, report, f"original of {label}")
    return report


# -- restore ---------------------------------------------------------------------------


def _is_empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def restore(
    settings: Settings, src: Path, name: str | None = None, user: str | None = None
) -> Report:
    """Restore a snapshot (the newest by default) into an empty data folder and database."""
    src = src.resolve()
    name = _pick(src, name)
    manifest = load_manifest(src, name)
    kind = backend_of(settings.database_url)
    if manifest["database"]["backend"] != kind:
        raise BackupError(
            f"the backup holds a {manifest['database']['backend']} database, but the archive "
            f"is configured for {kind} (STMT_DATABASE_URL)"
        )
    if not _is_empty(settings.data_dir):
        raise BackupError(
            f"the data folder {settings.data_dir} is not empty; restore only into an empty "
            "data folder (move the old one away first)"
        )
    if kind == "sqlite" and _sqlite_path(settings.database_url).exists():
        raise BackupError(f"{_sqlite_path(settings.database_url)} exists already; move it away")
    if kind == "postgresql" and inspect(db.engine_for(settings.database_url)).get_table_names():
        raise BackupError("the PostgreSQL database is not empty; restore into an empty database")
    report = verify_backup(src, name)
    if not report.ok:
        raise BackupError(
            "the backup is damaged, nothing was restored:\n  "
            + "\n  ".join(str(p) for p in report.problems)
        )
    _private_dir(settings.data_dir)
    try:
        for sha in manifest["originals"]:
            _copy_checked(store.path_for(src / ORIGINALS, sha),
                          store.path_for(settings.store_dir, sha), sha)  # fmt: skip
            report.copied += 1
        db_file = src / SNAPSHOTS / name / manifest["database"]["file"]
        if kind == "sqlite":
            target = _sqlite_path(settings.database_url)
            _copy_checked(db_file, target, manifest["database"]["sha256"])
        else:
            conninfo, env = _libpq(settings.database_url)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  "--single-transaction", f"--dbname={conninfo}", str(db_file)], env)  # fmt: skip
    except BaseException:
        _undo_restore(settings, kind)
        raise
    db.upgrade(settings.database_url)  # a backup from an older version gets the newer schema
    report.documents = manifest.get("documents", 0)
    _audit("restored", user, snapshot=name, src=str(src), documents=report.documents)
    return report


def _undo_restore(settings: Settings, kind: str) -> None:
    """Leave the data folder (and database) empty again, as they were before."""
    if settings.data_dir.exists():
        for child in settings.data_dir.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    if kind == "sqlite":
        _sqlite_path(settings.database_url).unlink(missing_ok=True)
