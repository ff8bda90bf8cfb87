"""The installation's secret key: STMT_SECRET_KEY, else one generated once in the data folder.

The web app signs sessions with it and the QR codes we issue carry an HMAC under it, which
workers check; every process of one installation must use the same key. The file is made
with O_EXCL, so two processes starting at once cannot each write their own.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from archive.config import Settings

FILE_NAME = "secret_key"


def secret_text(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    return _from_file(settings.data_dir / FILE_NAME)


def server_key(settings: Settings) -> bytes:
    """The key as bytes, for HMAC."""
    return secret_text(settings).encode("utf-8")


def _from_file(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32))
        fh.flush()
        os.fsync(fh.fileno())
    return _read(path)


def _read(path: Path) -> str:
    for _ in range(50):  # another process may be between creating and writing it
        text = path.read_text().strip()
        if text:
            return text
        time.sleep(0.02)
    raise SystemExit(f"{path} is empty; delete it or set STMT_SECRET_KEY")
