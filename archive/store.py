"""Content-addressed store for original files: data/originals/ab/cd/<sha256>.

A file's name is never used as a path: names are display text only (see safe_name).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


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
