"""The statement mailbox against a real IMAP server (a private Dovecot the tests start)."""

from __future__ import annotations

import contextlib
import io
import random
import socket
import threading
import zipfile
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select

from archive import db
from archive.messages import FAILED, PROCESSED, MailMessage, MessageDocument
from archive.models import Document
from ingest import mail
from services import eml
from tests.helpers import ROOT, json_lines, stmt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def imap():
    from tests import imap_server

    server = imap_server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(imap, data_dir, monkeypatch):
    """An empty INBOX on the test server and the archive's settings pointing at it."""
    conn = imap.client()
    for folder in ("INBOX", "Archived"):
        typ, count = conn.select(f'"{folder}"')
        if typ == "OK" and int(count[0]) > 0:
            conn.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            conn.expunge()
    conn.logout()
    for k, v in imap.env().items():
        monkeypatch.setenv(k, v)
    return imap


def _pdf(seed: int) -> bytes:
    from tests.corpus import make_truth, render_pdf

    return render_pdf(make_truth(random.Random(seed)), "zh", qr=True)


def message(subject: str, attachments=(), body: str = "Statements attached.", **headers):
    msg = EmailMessage()
    msg["From"] = headers.get("sender", "Billing <billing@supplier.example>")
    msg["To"] = "statements@example.test"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 02 Nov 2026 09:30:00 +0800"
    msg["Message-ID"] = headers.get("message_id") or make_msgid(domain="supplier.example")
    msg.set_content(body)
    for name, data in attachments:
        if isinstance(data, EmailMessage):
            msg.add_attachment(data)  # message/rfc822
            continue
        maintype, subtype = (
            ("application", "pdf") if name.endswith(".pdf") else ("application", "zip")
        )
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def _docs() -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Document))


def _messages() -> list[MailMessage]:
    with db.session() as s:
        return list(s.scalars(select(MailMessage).order_by(MailMessage.id)))


def test_three_attachments_and_an_attached_eml_become_four_documents_once(mailbox):
    inner = message("fwd", [("inner.pdf", _pdf(4))])
    outer = message(
        "October statements", [(f"s{i}.pdf", _pdf(i)) for i in (1, 2, 3)] + [("", inner)]
    )
    raw = outer.as_bytes()
    mailbox.append(raw)
    first = mail.fetch_once()
    assert (first.processed, first.failed, first.error) == (1, 0, None)
    assert len(first.documents) == 4 and _docs() == 4
    assert mailbox.uids("INBOX") == [] and len(mailbox.uids("Archived")) == 1

    mailbox.append(raw)  # the same message again (a new UID): fetched, archived once
    second = mail.fetch_once()
    assert (second.processed, second.skipped, second.documents) == (0, 1, [])
    assert _docs() == 4 and mailbox.uids("INBOX") == []

    [msg] = _messages()
    assert msg.status == PROCESSED and msg.subject == "October statements"
    assert "billing@supplier.example" in msg.sender and msg.date.hour == 1  # UTC
    with db.session() as s:
        names = sorted(s.scalars(select(MessageDocument.name)))
    assert names == ["attached message.eml/inner.pdf", "s1.pdf", "s2.pdf", "s3.pdf"]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_tls_and_starttls_with_a_verified_certificate(mailbox, monkeypatch, security):
    monkeypatch.setenv("STMT_IMAP_URL", mailbox.url(security))
    mailbox.append(message("tls", [("a.pdf", _pdf(10 + len(security)))]).as_bytes())
    assert mail.fetch_once().processed == 1


def test_an_untrusted_certificate_is_refused(mailbox, monkeypatch):
    monkeypatch.setenv("STMT_IMAP_URL", mailbox.url("tls"))
    monkeypatch.delenv("STMT_IMAP_CA_FILE")
    with pytest.raises(mail.MailError, match="TLS"):
        mail.fetch_once()


def test_a_statement_in_the_body_without_attachment_is_a_document(mailbox):
    body = (
        "对账单\n客户编号: C0042\n对账期间: 2026年10月\n"
        "对账单号: ST-202610-0042\n应付金额: ¥12,345.67\n"
    )
    mailbox.append(message("Statement 2026-10", body=body).as_bytes())
    result = mail.fetch_once()
    assert result.processed == 1 and len(result.documents) == 1
    with db.session() as s:
        doc = s.get(Document, result.documents[0])
        assert doc.filename == "Statement 2026-10.pdf"
    from archive import config, documents
    from extract import pdf

    with db.session() as s:
        data = documents.original(config.load(), s.get(Document, result.documents[0]))
    assert "ST-202610-0042" in pdf.text_pages(data)[0].text


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("statement.pdf", "w", force_zip64=True) as fh,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(300):  # 300 MB of zeros in ~300 KB
            fh.write(chunk)
    return buf.getvalue()


def _nested(depth: int) -> EmailMessage:
    msg = message("level 0", [("deep.pdf", _pdf(30))])
    for level in range(1, depth + 1):
        msg = message(f"level {level}", [("", msg)])
    return msg


def test_hostile_messages_fail_clearly_and_are_not_fetched_again(mailbox, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken = (
        b"From: x@y\r\nMessage-ID: <broken@x>\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        b'Content-Type: application/pdf; name="s.pdf"\r\nContent-Transfer-Encoding: base64\r\n'
        b"Content-Disposition: attachment; filename*=utf-8''%E4%B8%8X.pdf\r\n\r\n"
        b"JVBERi0x!!!not base64###\r\n"  # no closing boundary either
    )
    bomb = message("bomb", [("bomb.zip", _zip_bomb())])
    deep = _nested(5)
    names = message(
        "names", [("../../etc/passwd.pdf", _pdf(31)), ("$(touch PWNED);`id`.pdf", _pdf(32))]
    )
    for m in (broken, bomb.as_bytes(), deep.as_bytes(), names.as_bytes()):
        mailbox.append(m)
    first = mail.fetch_once()
    assert first.error is None
    by_subject = {m.subject: m for m in _messages()}
    assert "ZIP bomb" in by_subject["bomb"].error and by_subject["bomb"].status == FAILED
    assert "nested deeper" in by_subject["level 5"].error
    assert by_subject["names"].status == PROCESSED
    assert by_subject["broken"].status in (PROCESSED, FAILED)  # archived for people to see
    with db.session() as s:
        files = set(s.scalars(select(Document.filename)))
    assert {"passwd.pdf", "$(touch PWNED);`id`.pdf"} <= files
    assert not (tmp_path / "PWNED").exists() and not (ROOT / "PWNED").exists()
    count = _docs()
    again = mail.fetch_once()  # failed ones wait for --retry-failed; nothing is taken twice
    assert (again.processed, again.documents) == (0, []) and _docs() == count
    assert len(mailbox.uids("INBOX")) == sum(m.status == FAILED for m in _messages())


def test_oversized_attachment_is_refused(mailbox, monkeypatch):
    monkeypatch.setattr(eml, "MAX_PART_BYTES", 10_000)
    mailbox.append(message("huge", [("big.pdf", _pdf(40))]).as_bytes())
    mail.fetch_once()
    [msg] = _messages()
    assert msg.status == FAILED and "larger than" in msg.error


class _CuttingProxy:
    """Relays one IMAP connection and cuts it after `limit` bytes from the server."""

    def __init__(self, port: int, limit: int) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.target, self.limit = port, limit
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        client, _ = self.server.accept()
        upstream = socket.create_connection(("127.0.0.1", self.target))
        threading.Thread(target=self._pipe, args=(client, upstream, None), daemon=True).start()
        self._pipe(upstream, client, self.limit)

    @staticmethod
    def _pipe(src, dst, limit) -> None:
        sent = 0
        try:
            while data := src.recv(4096):
                if limit is not None and sent + len(data) > limit:
                    dst.sendall(data[: limit - sent])
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def test_a_connection_lost_mid_fetch_loses_nothing_and_takes_nothing_twice(mailbox, monkeypatch):
    for i in range(4):
        mailbox.append(message(f"m{i}", [(f"m{i}.pdf", _pdf(50 + i))]).as_bytes())
    size = len(message("x", [("x.pdf", _pdf(50))]).as_bytes())
    proxy = _CuttingProxy(mailbox.port, limit=int(size * 2.5))
    url = mailbox.url("none").replace(f":{mailbox.port}/", f":{proxy.port}/")
    monkeypatch.setenv("STMT_IMAP_URL", url)
    first = mail.fetch_once()
    assert first.error and "connection" in first.error
    assert 1 <= first.processed < 4
    monkeypatch.setenv("STMT_IMAP_URL", mailbox.url("none"))
    second = mail.fetch_once()
    assert second.error is None
    assert first.processed + second.processed == 4
    assert _docs() == 4 and mailbox.uids("INBOX") == [] and len(mailbox.uids("Archived")) == 4
    assert all(m.status == PROCESSED for m in _messages())


def test_stmt_mail_and_an_eml_from_the_cli(mailbox, tmp_path):
    inner = message("fwd", [("inner.pdf", _pdf(61))])
    msg = message("cli", [("a.pdf", _pdf(60)), ("", inner)])
    path = tmp_path / "statements.eml"
    path.write_bytes(msg.as_bytes())
    env = {"STMT_DATA_DIR": str(tmp_path / "data")}
    lines = json_lines(stmt("ingest", str(path), "--wait", "--json", env=env).stdout)
    assert [(o["file"], o["part"]) for o in lines] == [("statements.eml", 1), ("statements.eml", 2)]
    assert all(o["status"] in ("accepted", "needs_review") for o in lines)
    # The same message in the mailbox afterwards is known by its Message-ID: not redone.
    mailbox.append(msg.as_bytes())
    out = stmt("mail", "--json", env=env | mailbox.env()).stdout
    assert json_lines(out)[0]["skipped"] == 1 and json_lines(out)[0]["documents"] == []
