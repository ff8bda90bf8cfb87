"""Content-addressed store for original files: data/originals/ab/cd/<sha256>.

A file's name is never used as a path: names are display text only (see safe_name).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

# Control characters, and the bidirectional controls that make "\u202egnp.exe.pdf" show as
# "fdp.exe.png": a name shown to people must read as the bytes it is.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_for(root: Path, sha: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise ValueError(f"not a sha256: {sha!r}")
    return root / sha[:2] / sha[2:4] / sha


def put(root: Path, data: bytes) -> str:
    """Store `data` (once) and return its sha256. Durable before it returns."""
    sha = sha256_of(data)
    dest = path_for(root, sha)
    if dest.exists() and dest.stat().st_size == len(data):
        return sha
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha


def private_file(path: Path) -> None:
    """Create `path` (a database file) readable by its owner only, unless it exists; its
    folder too. SQLite gives its -wal and -shm files the database file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def private_dir(path: Path) -> None:
    """The data folder: statements are confidential, so only its owner may enter."""
    path.mkdir(parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def read(root: Path, sha: str) -> bytes:
    return path_for(root, sha).read_bytes()


def safe_name(name: str, limit: int = 200) -> str:
    """A file name fit for display and headers: no directories, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip()
    if name in ("", ".", ".."):
        name = "unnamed"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: limit - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:limit]
    return name
