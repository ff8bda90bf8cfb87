"""Running the real `stmt` command in tests, and files no statement reader should trust."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stmt(*args: str, env: dict[str, str], timeout: float = 900, check: bool = True):
    """Run `stmt ARGS…` in a child process with `env` added to a clean environment."""
    from tests.corpus import SECRET_KEY

    full = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")}
    full["STMT_SECRET_KEY"] = SECRET_KEY  # the corpus's QR codes are signed with it
    full.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"stmt {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
        )
    return proc


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def png_bomb(width: int = 40000, height: int = 40000) -> bytes:
    """A valid 1-bit PNG of width×height pixels that compresses to a few hundred KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret-password")
    c.drawString(72, 720, "Statement of account, confidential")
    c.save()
    return buf.getvalue()


def bad_files(folder: Path, good_pdf: bytes) -> dict[str, bytes]:
    """Write hostile inputs no statement reader should trust into `folder`; name -> bytes."""
    files = {
        "empty.pdf": b"",
        "truncated.pdf": good_pdf[: len(good_pdf) // 3],
        "encrypted.pdf": encrypted_pdf(),
        "notes.png": "这不是图片 this is a text file\n".encode() * 20,
        "bomb.png": png_bomb(),
        "noise.tiff": os.urandom(50_000),
        "$(touch PWNED);`id`.pdf": good_pdf[: len(good_pdf) // 2] + b"x",
        "back\\..\\..\\slashes.pdf": b"%PDF-1.4\n%%EOF\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files
