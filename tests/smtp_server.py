"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, with a login."""

from __future__ import annotations

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "archive", "s3cret@mail"


class _Keep:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        msg["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server():
    """Yields (url for STMT_SMTP_URL, handler with .messages)."""
    handler = _Keep()

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        if ok:
            handler.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    port = _free_port()
    # Loopback only, so AUTH without TLS (aiosmtpd warns about it; the tests filter that).
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=check,
        auth_require_tls=False, auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        secret = PASSWORD.replace("@", "%40")
        url = f"smtp://{USER}:{secret}@127.0.0.1:{port}?from=archive%40example.cn&timeout=3"
        yield url, handler
    finally:
        controller.stop()
