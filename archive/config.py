"""Settings from the environment (12-factor), with defaults that run everything embedded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str | None  # None: the embedded broker under data_dir
    search_url: str | None  # None: the embedded SQLite FTS5 index under data_dir
    search_user: str | None
    search_password: str | None
    search_ca_file: str | None
    search_index: str  # the Elasticsearch alias; several installations can share a cluster
    review_threshold: float
    max_file_bytes: int
    max_pages: int
    secret_key: str | None
    ocr_fallback: str = "rapidocr"  # second OCR engine for poorly read pages, or "none"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "originals"

    @property
    def pages_dir(self) -> Path:
        return self.data_dir / "pages"

    @property
    def broker_dir(self) -> Path:
        return self.data_dir / "broker"

    @property
    def search_db_path(self) -> Path:
        return self.data_dir / "search.sqlite3"

    @property
    def embedded_broker(self) -> bool:
        return not self.broker_url


def _float(name: str, default: str) -> float:
    raw = os.environ.get(name, default)
    try:
        value = float(Decimal(raw))
    except ArithmeticError as exc:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from exc
    return value


def load() -> Settings:
    data_dir = Path(os.environ.get("STMT_DATA_DIR", "data")).resolve()
    database_url = (
        os.environ.get("STMT_DATABASE_URL") or f"sqlite:///{data_dir / 'archive.sqlite3'}"
    )
    threshold = _float("STMT_REVIEW_THRESHOLD", "0.9")
    if not 0 <= threshold <= 1:
        raise SystemExit(f"STMT_REVIEW_THRESHOLD must be between 0 and 1, not {threshold}")
    fallback = os.environ.get("STMT_OCR_FALLBACK", "rapidocr").strip().lower() or "rapidocr"
    if fallback not in ("rapidocr", "none"):  # extract.pipeline.FALLBACKS
        raise SystemExit(f"STMT_OCR_FALLBACK must be rapidocr or none, not {fallback!r}")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        broker_url=os.environ.get("STMT_BROKER_URL") or None,
        search_url=os.environ.get("STMT_SEARCH_URL") or None,
        search_user=os.environ.get("STMT_SEARCH_USER") or None,
        search_password=os.environ.get("STMT_SEARCH_PASSWORD") or None,
        search_ca_file=os.environ.get("STMT_SEARCH_CA_FILE") or None,
        search_index=os.environ.get("STMT_SEARCH_INDEX") or "statements",
        review_threshold=threshold,
        max_file_bytes=int(os.environ.get("STMT_MAX_FILE_MB", "200")) * 1024 * 1024,
        max_pages=int(os.environ.get("STMT_MAX_PAGES", "200")),
        secret_key=os.environ.get("STMT_SECRET_KEY") or None,
        ocr_fallback=fallback,
    )
