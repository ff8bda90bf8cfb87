"""Hot folders: files dropped into a watched folder are archived once they stop growing.

A file is taken when its size and modification time have not changed for `settle`
seconds (a scanner or a slow copy over the network writes for a while). It is archived
(stored, queued), then moved to DIR/done/; when it cannot be archived, or reading it fails
later, it goes to DIR/failed/ with DIR/failed/NAME.reason.txt beside it. Files left from
before are taken on start. watchdog's native observer (inotify) wakes the loop at once; a
periodic rescan catches what events miss, and `polling=True` uses watchdog's polling
observer for network shares, where inotify sees nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from archive import db
from archive.models import FAILED, FINAL_STATUSES, Document
from services import intake

log = logging.getLogger(__name__)

DONE, FAILED_DIR = "done", "failed"
SETTLE_SECONDS = 3.0  # unchanged this long: the writer is done
RESCAN_BUSY = 0.5  # seconds between scans while files are settling
RESCAN_IDLE = 10.0  # seconds between scans with nothing pending (events wake us sooner)
ADOPT_DAYS = 7  # files in done/ this recent are matched to their documents again on start
# Names writers use while a file is incomplete, and names that are never statements.
_SKIP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download", ".reason.txt")
_SKIP_PREFIXES = (".", "~$", "~")


@dataclass(frozen=True)
class Folder:
    path: Path
    source: str  # the source label documents get, e.g. "scanner-2F"


@dataclass
class _Seen:
    size: int
    mtime: int
    since: float


@dataclass
class Watcher:
    folders: list[Folder]
    settle: float = SETTLE_SECONDS
    polling: bool = False
    seen: dict[Path, _Seen] = field(default_factory=dict)
    pending: dict[int, tuple[Folder, Path]] = field(default_factory=dict)  # doc id -> done file
    archived: int = 0

    def run(self, stop: threading.Event, on_archived=None) -> None:
        """Watch until `stop` is set."""
        self.adopt_done()
        wake = threading.Event()
        observer = self._observer(wake)
        try:
            while not stop.is_set():
                for folder, path, doc_id in self.tick():
                    if on_archived:
                        on_archived(folder, path, doc_id)
                wake.wait(RESCAN_BUSY if self.seen or self.pending else RESCAN_IDLE)
                wake.clear()
        finally:
            if observer is not None:
                observer.stop()
                observer.join(5)

    def _observer(self, wake: threading.Event):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                wake.set()

        for make in ([] if self.polling else [Observer]) + [PollingObserver]:
            observer = make()
            try:
                for f in self.folders:
                    observer.schedule(Wake(), str(f.path), recursive=True)
                observer.start()
                return observer
            except OSError as exc:  # inotify limits, or a file system without events
                log.warning("%s cannot watch (%s); polling instead", make.__name__, exc)
        return None

    def tick(self) -> list[tuple[Folder, Path, int | None]]:
        """One scan: archive settled files, move files whose reading failed."""
        now = time.monotonic()
        done: list[tuple[Folder, Path, int | None]] = []
        present: set[Path] = set()
        for folder in self.folders:
            for path in _candidates(folder.path):
                present.add(path)
                if self._settled(path, now):
                    done.append((folder, path, self._take(folder, path)))
        for path in set(self.seen) - present:
            del self.seen[path]
        self._check_pending()
        return done

    def _settled(self, path: Path, now: float) -> bool:
        try:
            st = path.stat()
        except OSError:
            return False
        prev = self.seen.get(path)
        if prev is None or (prev.size, prev.mtime) != (st.st_size, st.st_mtime_ns):
            self.seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
            return False
        return now - prev.since >= self.settle

    def _take(self, folder: Folder, path: Path) -> int | None:
        expected = self.seen.pop(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            _to_failed(folder, path, f"cannot read the file: {exc.strerror or exc}")
            return None
        if len(data) != expected.size:  # still being written after all: look again later
            return None
        if not data:
            _to_failed(folder, path, "the file is empty (0 bytes)")
            return None
        sub = intake.submit(data, path.name, source=folder.source)
        moved = _move(path, folder.path / DONE)
        self.archived += 1
        log.info("%s: archived as document %s (%s)", path, sub.id, folder.source)
        self.pending[sub.id] = (folder, moved)
        return sub.id

    def adopt_done(self) -> None:
        """Files archived by an earlier run (or by `--once`, which does not wait for reading):
        by their content, find their documents again; those that failed since move to
        failed/ with the reason, those still being read are followed like new ones."""
        import hashlib

        recent = time.time() - ADOPT_DAYS * 86400
        by_hash: dict[str, tuple[Folder, Path]] = {}
        for folder in self.folders:
            done = folder.path / DONE
            if not done.is_dir():
                continue
            for entry in os.scandir(done):
                if entry.is_file() and entry.stat().st_mtime >= recent:
                    try:
                        digest = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
                    except OSError:
                        continue
                    by_hash[digest] = (folder, Path(entry.path))
        if not by_hash:
            return
        with db.session() as s:
            rows = s.execute(
                select(Document.sha256, Document.id).where(Document.sha256.in_(list(by_hash)))
            ).all()
        for sha, doc_id in rows:
            self.pending.setdefault(doc_id, by_hash[sha])
        self._check_pending()

    def _check_pending(self) -> None:
        if not self.pending:
            return
        with db.session() as s:
            rows = s.execute(
                select(Document.id, Document.status, Document.error).where(
                    Document.id.in_(list(self.pending))
                )
            ).all()
        for doc_id, status, error in rows:
            if status in FINAL_STATUSES or status == "split":
                folder, path = self.pending.pop(doc_id)
                if status == FAILED and path.exists():
                    _to_failed(folder, path, f"document {doc_id}: {error or 'failed'}")


def _candidates(root: Path) -> Iterator[Path]:
    """Files under `root`, except done/, failed/ and names of incomplete or hidden files."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in (DONE, FAILED_DIR)]
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in sorted(filenames):
            lower = name.lower()
            if lower.startswith(_SKIP_PREFIXES) or lower.endswith(_SKIP_SUFFIXES):
                continue
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path


def _unique(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while target.exists() or Path(f"{target}.reason.txt").exists():
        target = folder / (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        n += 1
    return target


def _move(path: Path, folder: Path) -> Path:
    target = _unique(folder, path.name)
    shutil.move(str(path), str(target))
    return target


def _to_failed(folder: Folder, path: Path, reason: str) -> None:
    try:
        target = _move(path, folder.path / FAILED_DIR)
    except OSError as exc:
        log.error("%s failed (%s) and cannot be moved: %s", path, reason, exc)
        return
    Path(f"{target}.reason.txt").write_text(reason + "\n", encoding="utf-8")
    log.warning("%s: %s", target, reason)


def watch(folders: list[Folder], *, settle: float = SETTLE_SECONDS, polling: bool = False,
          stop: threading.Event | None = None, on_archived=None) -> Watcher:  # fmt: skip
    """Watch `folders` until `stop` is set (or Ctrl-C)."""
    for f in folders:
        f.path.mkdir(parents=True, exist_ok=True)
        (f.path / DONE).mkdir(exist_ok=True)
        (f.path / FAILED_DIR).mkdir(exist_ok=True)
    watcher = Watcher(folders, settle=settle, polling=polling)
    watcher.run(stop or threading.Event(), on_archived)
    return watcher
