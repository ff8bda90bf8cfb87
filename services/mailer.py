"""Sending e-mail through the SMTP server in STMT_SMTP_URL.

    smtp://user:password@host:587?starttls=1&from=archive@example.com
    smtps://host:465                       (TLS from the first byte)
    smtp://host:25                         (plain, e.g. a relay on the same network)

`timeout` (seconds, default 30) bounds each wait for the server.

User and password are percent-decoded (a password with '@' is written %40). `from` defaults
to statements@<host>. Certificates are checked against the system's trust store, or the file
in STMT_SMTP_CA_FILE.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from archive import config

TIMEOUT = 30


class MailError(RuntimeError):
    """The mail server cannot be reached or refused the message; the text says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: bool  # smtps: TLS from the start
    starttls: bool
    sender: str
    timeout: float = TIMEOUT

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailError("STMT_SMTP_URL must look like smtp://user:pass@host:587?starttls=1")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
            timeout = float(query.get("timeout", TIMEOUT))
        except ValueError:
            raise MailError("the port and timeout in STMT_SMTP_URL are numbers") from None
        return cls(
            host=parts.hostname,
            port=port,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=parts.scheme == "smtps",
            starttls=query.get("starttls", "0").lower() in ("1", "true", "yes"),
            sender=query.get("from") or f"statements@{parts.hostname}",
            timeout=timeout,
        )

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        url = config.settings().smtp_url
        return cls.from_url(url) if url else None


def _context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=config.settings().smtp_ca_file)


def send(settings: SmtpSettings, messages: list[EmailMessage]) -> None:
    """Send the messages over one connection; MailError when the server cannot take them."""
    if not messages:
        return
    try:
        if settings.tls:
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=_context()
            )
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with conn:
            if settings.starttls:
                conn.starttls(context=_context())
            if settings.user:
                conn.login(settings.user, settings.password or "")
            for message in messages:
                if "From" not in message:
                    message["From"] = settings.sender
                conn.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"the mail server {settings.host}:{settings.port} refused: {exc}") from exc
