"""Settings from the environment (12-factor), with defaults that run everything embedded.

`settings()` builds them once per process, at start-up, and checks every value: a bad one
stops the program with a message naming the variable. Nothing else reads STMT_* variables
(the mailbox, optional, reads its own when it is used: ingest/mail.py). Tests that change
the environment call `reset()` (tests/conftest.py does it for monkeypatch).
"""

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
    search_shards: int  # primary shards of a new Elasticsearch index
    review_threshold: float
    max_file_bytes: int
    max_pages: int
    secret_key: str | None
    ocr_fallback: str = "rapidocr"  # second OCR engine for poorly read pages, or "none"
    ocr_lang: str = "chi_sim+eng"  # Tesseract languages
    ocr_timeout: float = 120.0  # seconds per Tesseract run
    page_workers: int = 0  # pages read in parallel within one document; 0: one per core
    # A worker's reader process whose memory peaked above this many MiB while reading a
    # document is replaced by a fresh one after it (0: never).
    reader_max_mb: int = 350
    # Session cookies only over HTTPS; None (not set): yes, except under the plain-HTTP
    # `stmt serve` (web/serve.py).
    cookie_secure: bool | None = None
    # The currency of amounts on statements that name none (None: show no sign).
    house_currency: str | None = "CNY"
    # Statement management: a statement is late this many days after its period ended;
    # reminders (None: the admins' setting, else the rule's default).
    late_days: int | None = None
    remind_missing_after_day: int | None = None
    remind_review_days: int | None = None
    remind_confirmation_days: int | None = None
    remind_dispute_days: int | None = None
    remind_at: tuple[int, int] = (0, 30)  # the daily digest, HH:MM UTC
    smtp_url: str | None = None  # smtp://user:pass@host:587?starttls=1 (services/mailer.py)
    smtp_ca_file: str | None = None
    base_url: str = "http://127.0.0.1:8000"  # how links in e-mails start
    language: str = "en"  # of the command line's messages: en or zh
    # The bearer token a Prometheus scraper sends to /metrics (None: admins signed in only).
    metrics_token: str | None = None
    log_format: str = "text"  # of `stmt serve` and `stmt worker`: text, or json (one object a line)

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
        return float(Decimal(raw.strip()))
    except ArithmeticError:
        raise SystemExit(f"{name} must be a number, not {raw!r}") from None


def _int(name: str, default, *, least: int):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None
    if value < least:
        raise SystemExit(f"{name} must be at least {least}, not {value}")
    return value


def _bool(name: str, default: bool | None) -> bool | None:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be true or false, not {raw!r}")


_current: Settings | None = None


def settings() -> Settings:
    """This process's settings, built from the environment at first use and kept."""
    global _current
    if _current is None:
        _current = load()
    return _current


def reset() -> None:
    """Forget the settings: the next `settings()` reads the environment again (tests)."""
    global _current
    _current = None


def load() -> Settings:
    """Settings built and checked from the environment now (`settings()` keeps one)."""
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
    timeout = _float("STMT_OCR_TIMEOUT", "120")
    if timeout <= 0:
        raise SystemExit(f"STMT_OCR_TIMEOUT must be more than 0 seconds, not {timeout:g}")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        broker_url=os.environ.get("STMT_BROKER_URL") or None,
        search_url=os.environ.get("STMT_SEARCH_URL") or None,
        search_user=os.environ.get("STMT_SEARCH_USER") or None,
        search_password=os.environ.get("STMT_SEARCH_PASSWORD") or None,
        search_ca_file=os.environ.get("STMT_SEARCH_CA_FILE") or None,
        search_index=os.environ.get("STMT_SEARCH_INDEX") or "statements",
        search_shards=_int("STMT_SEARCH_SHARDS", 1, least=1),
        review_threshold=threshold,
        max_file_bytes=_int("STMT_MAX_FILE_MB", 200, least=1) * 1024 * 1024,
        max_pages=_int("STMT_MAX_PAGES", 200, least=1),
        secret_key=os.environ.get("STMT_SECRET_KEY") or None,
        ocr_fallback=fallback,
        ocr_lang=os.environ.get("STMT_OCR_LANG", "").strip() or "chi_sim+eng",
        ocr_timeout=timeout,
        page_workers=_int("STMT_PAGE_WORKERS", 0, least=0),
        reader_max_mb=_int("STMT_READER_MAX_MB", 350, least=0),
        cookie_secure=_bool("STMT_COOKIE_SECURE", None),
        house_currency=_currency(),
        late_days=_int("STMT_LATE_DAYS", None, least=0),
        remind_missing_after_day=_int("STMT_REMIND_MISSING_AFTER_DAY", None, least=0),
        remind_review_days=_int("STMT_REMIND_REVIEW_DAYS", None, least=0),
        remind_confirmation_days=_int("STMT_REMIND_CONFIRMATION_DAYS", None, least=0),
        remind_dispute_days=_int("STMT_REMIND_DISPUTE_DAYS", None, least=0),
        remind_at=_clock("STMT_REMIND_AT", "00:30"),
        smtp_url=os.environ.get("STMT_SMTP_URL", "").strip() or None,
        smtp_ca_file=os.environ.get("STMT_SMTP_CA_FILE") or None,
        base_url=(os.environ.get("STMT_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        language=_language(),
        metrics_token=_metrics_token(),
        log_format=_choice("STMT_LOG_FORMAT", ("text", "json")),
    )


def _metrics_token() -> str | None:
    raw = os.environ.get("STMT_METRICS_TOKEN", "").strip()
    if raw and len(raw) < 16:  # a scrape token is guessed like a password
        raise SystemExit("STMT_METRICS_TOKEN must be at least 16 characters long")
    return raw or None


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed`, the first by default."""
    raw = os.environ.get(name, "").strip().lower() or allowed[0]
    if raw not in allowed:
        raise SystemExit(f"{name} must be {' or '.join(allowed)}, not {raw!r}")
    return raw


def _currency() -> str | None:
    raw = os.environ.get("STMT_CURRENCY", "CNY").strip().upper() or "CNY"
    if raw == "NONE":
        return None
    if not raw.isalpha() or len(raw) != 3:
        raise SystemExit(f"STMT_CURRENCY must be a three-letter code such as CNY, not {raw!r}")
    return raw


def _clock(name: str, default: str) -> tuple[int, int]:
    raw = os.environ.get(name, default).strip()
    hour, _sep, minute = raw.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise SystemExit(f"{name} must be HH:MM, not {raw!r}")
    return int(hour), int(minute)


def _language() -> str:
    """STMT_LANG, else the system's LANG: zh_CN.UTF-8 gives Chinese."""
    chosen = (os.environ.get("STMT_LANG") or os.environ.get("LANG") or "en").lower()
    return "zh" if chosen.startswith("zh") else "en"
