"""The statement mailbox: fetch messages over IMAP, archive what is in them, move them on.

One fetch (`fetch_once`, `stmt mail`, the Celery beat task every STMT_IMAP_INTERVAL s):
for each message in the folder, by UID -
  1. skip it when the archive already has it (its UID, or its Message-ID from a cheap
     header fetch) and only move it on; skip it while it waits in `failed` for good;
  2. fetch it (BODY.PEEK: not marked read yet), store the raw message in the content store;
  3. register its files as documents linked to the message, in one transaction with the
     message's status: `processed`, or `failed` with the reason;
  4. mark it \\Seen and move it to STMT_IMAP_DONE_FOLDER (a failed one stays, \\Flagged).
A crash or a dropped connection between any two steps repeats at most the fetch: the
documents are registered once (same bytes, one document; the message's key is unique).

Settings: STMT_IMAP_URL = imaps://user:pass@host[:port]/FOLDER (implicit TLS) or
imap://… (STARTTLS, required; `?security=none` for plain IMAP, e.g. on localhost), or the
separate STMT_IMAP_HOST, _PORT, _USER, _PASSWORD, _FOLDER, _SECURITY (tls|starttls|none);
STMT_IMAP_DONE_FOLDER (default Archived), STMT_IMAP_CA_FILE (a private CA),
STMT_IMAP_INTERVAL (seconds, default 300), STMT_IMAP_TIMEOUT (seconds, default 60).
"""

from __future__ import annotations

import contextlib
import fcntl
import imaplib
import logging
import os
import ssl
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select

from archive import config, db, documents, store
from archive.messages import FAILED, PROCESSED, RECEIVED, MailMessage, documents_of, link
from archive.models import RECEIVED as DOC_RECEIVED
from archive.models import utc_text, utcnow
from services import eml, intake

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a message that failed this often waits for `stmt mail --retry-failed`
DEFAULT_INTERVAL = 300
SOURCE = "mail"
_SECURITY = ("tls", "starttls", "none")


class MailError(Exception):
    """The mailbox cannot be used (settings, connection, login); shown to users as is."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    security: str = "tls"
    done_folder: str = "Archived"
    ca_file: str | None = None
    interval: int = DEFAULT_INTERVAL
    timeout: float = 60.0

    @classmethod
    def from_env(cls) -> MailSettings | None:
        """The mailbox settings, or None when no mailbox is configured."""
        env = os.environ
        url = env.get("STMT_IMAP_URL", "").strip()
        common = {
            "done_folder": env.get("STMT_IMAP_DONE_FOLDER") or "Archived",
            "ca_file": env.get("STMT_IMAP_CA_FILE") or None,
            "interval": _int("STMT_IMAP_INTERVAL", DEFAULT_INTERVAL),
            "timeout": float(_int("STMT_IMAP_TIMEOUT", 60)),
        }
        if url:
            return cls.from_url(url, **common)
        if not env.get("STMT_IMAP_HOST"):
            return None
        security = (env.get("STMT_IMAP_SECURITY") or "tls").lower()
        if security not in _SECURITY:
            raise MailError(f"STMT_IMAP_SECURITY must be one of {', '.join(_SECURITY)}")
        return cls(
            host=env["STMT_IMAP_HOST"],
            port=_int("STMT_IMAP_PORT", 993 if security == "tls" else 143),
            user=env.get("STMT_IMAP_USER", ""),
            password=env.get("STMT_IMAP_PASSWORD", ""),
            folder=env.get("STMT_IMAP_FOLDER") or "INBOX",
            security=security,
            **common,
        )

    @classmethod
    def from_url(cls, url: str, **common) -> MailSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise MailError("STMT_IMAP_URL must look like imaps://user:password@host/INBOX")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        security = "tls" if parts.scheme == "imaps" else query.get("security", "starttls")
        if security not in _SECURITY:
            raise MailError(f"security= must be one of {', '.join(_SECURITY)}")
        try:
            port = parts.port or (993 if security == "tls" else 143)
        except ValueError as exc:
            raise MailError(f"STMT_IMAP_URL has a bad port: {exc}") from None
        return cls(
            host=parts.hostname,
            port=port,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            security=security,
            **common,
        )


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise MailError(f"{name} must be a whole number, not {raw!r}") from None


@dataclass
class FetchResult:
    processed: int = 0  # messages archived in this fetch
    failed: int = 0  # messages that failed in this fetch
    skipped: int = 0  # already archived (only moved on) or waiting in `failed`
    documents: list[int] = field(default_factory=list)
    error: str | None = None  # the fetch stopped early (connection lost, login refused)

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- IMAP


def _quote(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ssl_context(settings: MailSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file)


def connect(settings: MailSettings) -> imaplib.IMAP4:
    """A logged-in connection. TLS certificates are always verified."""
    try:
        if settings.security == "tls":
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                settings.host,
                settings.port,
                ssl_context=_ssl_context(settings),
                timeout=settings.timeout,
            )
        else:
            conn = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
            if settings.security == "starttls":
                conn.starttls(ssl_context=_ssl_context(settings))
        conn.login(settings.user, settings.password)
        return conn
    except ssl.SSLError as exc:
        raise MailError(f"TLS with {settings.host}:{settings.port} failed: {exc}") from exc
    except imaplib.IMAP4.error as exc:
        raise MailError(f"the mail server refused: {_text(exc)}") from exc
    except OSError as exc:
        raise MailError(f"cannot reach {settings.host}:{settings.port}: {exc}") from exc


def _text(exc: BaseException) -> str:
    arg = exc.args[0] if exc.args else exc
    return arg.decode(errors="replace") if isinstance(arg, bytes) else str(arg)


def _ok(typ: str, data, what: str) -> list:
    if typ != "OK":
        raise imaplib.IMAP4.error(f"{what}: {typ} {data!r}")
    return data


class Mailbox:
    """The folder being fetched, on one connection."""

    def __init__(self, conn: imaplib.IMAP4, settings: MailSettings) -> None:
        self.conn = conn
        self.settings = settings
        self.uidvalidity = 0

    def open(self) -> None:
        s = self.settings
        typ, data = self.conn.create(_quote(s.done_folder))  # NO when it exists: fine
        _ok(*self.conn.select(_quote(s.folder)), f"select {s.folder}")
        typ, data = self.conn.response("UIDVALIDITY")
        self.uidvalidity = int(data[0]) if data and data[0] else 0

    def uids(self) -> list[int]:
        data = _ok(*self.conn.uid("SEARCH", None, "ALL"), "search")
        return [int(u) for u in (data[0] or b"").split()]

    def message_id(self, uid: int) -> str | None:
        data = _ok(
            *self.conn.uid("FETCH", str(uid), "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"), "fetch"
        )
        raw = b"".join(part[1] for part in data if isinstance(part, tuple))
        return eml.info_of(eml.parse(raw)).message_id if raw.strip() else None

    def fetch(self, uid: int) -> bytes:
        data = _ok(*self.conn.uid("FETCH", str(uid), "(BODY.PEEK[])"), "fetch")
        raw = [part[1] for part in data if isinstance(part, tuple)]
        if not raw:
            raise imaplib.IMAP4.error(f"message UID {uid} is gone")
        return raw[0]

    def done(self, uid: int) -> None:
        """Mark read and move to the done folder (MOVE, else COPY + delete)."""
        u = str(uid)
        _ok(*self.conn.uid("STORE", u, "+FLAGS.SILENT", r"(\Seen)"), "store")
        target = _quote(self.settings.done_folder)
        if "MOVE" in self.conn.capabilities:
            _ok(*self.conn.uid("MOVE", u, target), "move")
            return
        _ok(*self.conn.uid("COPY", u, target), "copy")
        _ok(*self.conn.uid("STORE", u, "+FLAGS.SILENT", r"(\Deleted)"), "store")
        if "UIDPLUS" in self.conn.capabilities:
            self.conn.uid("EXPUNGE", u)
        else:
            self.conn.expunge()

    def flag_failed(self, uid: int) -> None:
        self.conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Flagged)")


# --------------------------------------------------------------------------- archive side


def _known(s, folder: str, uidvalidity: int, uid: int) -> MailMessage | None:
    return s.scalar(
        select(MailMessage).where(
            MailMessage.folder == folder,
            MailMessage.uidvalidity == uidvalidity,
            MailMessage.uid == uid,
        )
    )


def _by_key(s, key: str) -> MailMessage | None:
    return s.scalar(select(MailMessage).where(MailMessage.key == key))


def archive_message(
    raw: bytes, *, source: str = SOURCE, where: tuple[str, int, int] | None = None
) -> tuple[MailMessage, list[int]]:
    """Store a raw message and register its files as documents, exactly once.

    `where` is (folder, uidvalidity, uid) for a message from the mailbox. Returns the
    message (status processed or failed) and its documents; queues new documents.
    """
    settings = config.settings()
    sha = store.put(settings.store_dir, raw)  # the message itself is never lost
    out = eml.explode(raw)
    key = out.info.key(raw)
    queued: list[int] = []
    with db.session() as s:
        msg = _message_row(s, key, where, source)
        _describe(msg, out.info, sha, len(raw), where)
        msg.attempts += 1
        for f in out.files:
            doc, created = documents.register(s, settings, f.data, f.name, source=source)
            s.flush()
            link(s, msg, doc.id, f.origin)
            if created or doc.status == DOC_RECEIVED:
                queued.append(doc.id)
        _finish(msg, out)
        s.flush()

        ids = documents_of(s, msg)

    for doc_id in queued:
        intake.enqueue(doc_id)
    return msg, ids


def _message_row(s, key: str, where, source: str) -> MailMessage:
    """The message's row: by key, else by UID (a placeholder from a failed fetch)."""
    by_key = _by_key(s, key)
    by_uid = _known(s, *where) if where else None
    if by_key is not None and by_uid is not None and by_key.id != by_uid.id:
        s.delete(by_uid)  # the placeholder gives way to the message's own row
        s.flush()
    msg = by_key or by_uid
    if msg is None:
        msg = MailMessage(key=key, source=source, attempts=0)
        s.add(msg)
    msg.key = key
    return msg


def _describe(msg: MailMessage, info: eml.MessageInfo, sha: str, size: int, where) -> None:
    msg.message_id, msg.sender, msg.subject, msg.date = (
        info.message_id,
        info.sender,
        info.subject,
        info.date,
    )
    msg.sha256, msg.size = sha, size
    if where is not None:
        msg.folder, msg.uidvalidity, msg.uid = where


def _finish(msg: MailMessage, out: eml.Exploded) -> None:
    problems = list(out.problems)
    if not out.files and not problems:
        what = f" (not statements: {', '.join(out.skipped[:5])})" if out.skipped else ""
        problems.append("no PDF or image attachment and no text to archive" + what)
    msg.processed_at = utcnow()
    if problems:
        msg.status, msg.error = FAILED, "; ".join(problems)
        msg.attempts = max(msg.attempts, MAX_ATTEMPTS)  # the content will not change: no retry
    else:
        msg.status, msg.error = PROCESSED, None


def _failed(where: tuple[str, int, int], error: str) -> None:
    """Record that a message could not be archived now; a later fetch tries again."""
    folder, uidvalidity, uid = where
    with db.session() as s:
        msg = _known(s, folder, uidvalidity, uid)
        if msg is None:
            msg = MailMessage(key=f"uid:{folder}:{uidvalidity}:{uid}"[:255], source=SOURCE)
            msg.folder, msg.uidvalidity, msg.uid, msg.attempts = folder, uidvalidity, uid, 0
            s.add(msg)
        msg.attempts += 1
        msg.status, msg.error = FAILED, error[:4000]


# --------------------------------------------------------------------------- fetching


@contextlib.contextmanager
def _single_fetch() -> Iterator[bool]:
    """One fetch at a time per archive (beat and `stmt mail` may overlap)."""
    path = config.settings().data_dir / "mail.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def fetch_once(settings: MailSettings | None = None) -> FetchResult:
    """Fetch the mailbox once. Raises MailError when it cannot be reached at all."""
    settings = settings or MailSettings.from_env()
    if settings is None:
        raise MailError("no mailbox configured: set STMT_IMAP_URL")
    result = FetchResult()
    with _single_fetch() as mine:
        if not mine:
            result.error = "another fetch of this mailbox is running"
            return result
        conn = connect(settings)
        try:
            box = Mailbox(conn, settings)
            box.open()
            for uid in box.uids():
                _one(box, uid, result)
        except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError) as exc:
            # Lost connection mid-fetch: what was committed stays; the rest comes next time.
            result.error = f"the mail server connection failed: {_text(exc)}"
            log.warning("mail fetch stopped: %s", result.error)
        finally:
            with contextlib.suppress(Exception):
                conn.logout()
    return result


def _one(box: Mailbox, uid: int, result: FetchResult) -> None:
    where = (box.settings.folder, box.uidvalidity, uid)
    with db.session() as s:
        known = _known(s, *where)
        state = (known.status, known.attempts) if known else None
    if state and state[0] == FAILED and state[1] >= MAX_ATTEMPTS:
        result.skipped += 1
        return
    if state and state[0] == PROCESSED or _already_archived(box, uid):
        box.done(uid)  # archived before; the move was lost (e.g. the connection dropped)
        result.skipped += 1
        return
    raw = box.fetch(uid)
    try:
        msg, ids = archive_message(raw, where=where)
    except Exception as exc:  # a bug or a database hiccup: record it, retry next fetch
        log.exception("message UID %s could not be archived", uid)
        _failed(where, f"could not be archived ({type(exc).__name__}: {exc})")
        result.failed += 1
        return
    result.documents.extend(ids)
    if msg.status == PROCESSED:
        box.done(uid)
        result.processed += 1
    else:
        box.flag_failed(uid)
        result.failed += 1


def _already_archived(box: Mailbox, uid: int) -> bool:
    """The same message (Message-ID) arrived before under another UID or by upload."""
    mid = box.message_id(uid)
    if not mid or len(mid) > 255:
        return False
    with db.session() as s:
        msg = _by_key(s, mid)
        return msg is not None and msg.status == PROCESSED


def retry_failed() -> int:
    """Let every failed message be fetched again on the next fetch."""
    with db.session() as s:
        msgs = s.scalars(select(MailMessage).where(MailMessage.status == FAILED)).all()
        for m in msgs:
            m.attempts, m.status = 0, RECEIVED
        return len(msgs)


def recent(limit: int = 50) -> list[dict]:
    with db.session() as s:
        rows = s.scalars(select(MailMessage).order_by(MailMessage.id.desc()).limit(limit)).all()

        return [
            {
                "id": m.id,
                "message_id": m.message_id,
                "sender": m.sender,
                "subject": m.subject,
                "date": utc_text(m.date) if m.date else None,
                "status": m.status,
                "error": m.error,
                "attempts": m.attempts,
                "documents": documents_of(s, m),
            }
            for m in rows
        ]


def beat_schedule() -> dict:
    """The Celery beat entry that fetches the mailbox; empty when none is configured."""
    try:
        settings = MailSettings.from_env()
    except MailError as exc:
        log.error("mail fetching is off: %s", exc)
        return {}
    if settings is None:
        return {}
    return {
        "fetch-mail": {
            "task": "ingest.mail_tasks.fetch_mail",
            "schedule": float(settings.interval),
            "options": {"expires": float(settings.interval)},  # no pile-up while away
        }
    }
