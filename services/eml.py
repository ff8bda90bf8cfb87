"""An email message's bytes -> the files in it that may be statements.

Used for messages from the mailbox and for .eml files uploaded or ingested from the CLI.
PDF and image attachments are taken (by content, not by name), attached .eml messages and
ZIP archives are opened (within limits: a ZIP bomb or a deep nest is refused, not
unpacked), and a message with no attachment at all gives its text body, printed to a PDF.
Names are display text only: `../` or `$(…)` in a name never reaches a path or a shell.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import html.parser
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime

from archive.store import safe_name
from extract import pipeline

MAX_MESSAGE_BYTES = 150 * 1024 * 1024  # a raw message larger than this is refused
MAX_PART_BYTES = 100 * 1024 * 1024  # one attachment or ZIP member, decoded
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # everything one message unpacks to
MAX_PARTS = 100  # files one message may give
MAX_DEPTH = 3  # message -> attached .eml -> ZIP -> file; deeper is refused
MAX_ZIP_MEMBERS = 200
MAX_ZIP_RATIO = 100  # uncompressed / compressed; ZIP bombs are far above, PDFs far below
MIN_BODY_CHARS = 20  # a body shorter than this is no statement

_MAGIC = (*pipeline.magics(), (b"PK\x03\x04", "zip"))
_STATEMENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff")
_STATEMENT_EXTS = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass(frozen=True)
class Attachment:
    name: str  # safe display name of the file
    origin: str  # where it was in the message, e.g. "fwd.eml/scans.zip/p1.pdf"
    data: bytes


@dataclass
class MessageInfo:
    message_id: str | None
    sender: str | None
    subject: str | None
    date: dt.datetime | None  # UTC, naive

    def key(self, raw: bytes) -> str:
        """What makes a message the same message: its Message-ID, else its bytes."""
        mid = (self.message_id or "").strip()
        if mid and len(mid) <= 255:
            return mid
        return "sha256:" + hashlib.sha256(raw).hexdigest()


@dataclass
class Exploded:
    info: MessageInfo
    files: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # refused parts: the message fails
    skipped: list[str] = field(default_factory=list)  # parts that are not statements


def kind_of(data: bytes) -> str | None:
    return pipeline.kind_of(data, _MAGIC)


def looks_like_email(data: bytes) -> bool:
    """An RFC 822 message: header lines up to a blank line, and a From/Date/Message-ID."""
    head = data[:16384]
    if kind_of(head) is not None or b"\x00" in head:
        return False
    header = head.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].lower()
    lines = header.split(b"\n")
    names = {line.split(b":", 1)[0].strip() for line in lines if b":" in line[:80]}
    return bool(names & {b"from", b"message-id"}) and bool(
        names & {b"date", b"subject", b"mime-version", b"to", b"received"}
    )


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _header(msg: Message, name: str) -> str | None:
    """A header as text; a header too broken to decode is given as its raw value."""
    try:
        value = msg.get(name)
    except Exception:  # policy.default raises on some malformed headers
        value = msg.get_all(name, [None])[0] if hasattr(msg, "get_all") else None
    if value is None:
        return None
    return " ".join(str(value).split())[:2000] or None


def info_of(msg: Message) -> MessageInfo:
    date = None
    raw_date = _header(msg, "Date")
    if raw_date:
        try:
            parsed = parsedate_to_datetime(raw_date)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(dt.UTC)
            date = parsed
        except (TypeError, ValueError, IndexError):
            date = None
    return MessageInfo(
        message_id=_header(msg, "Message-ID"),
        sender=_header(msg, "From"),
        subject=_header(msg, "Subject"),
        date=date,
    )


class _Walk:
    """Collects files from one message and what it contains, minding the limits."""

    def __init__(self, out: Exploded) -> None:
        self.out = out
        self.total = 0

    def problem(self, text: str) -> None:
        if text not in self.out.problems:
            self.out.problems.append(text)

    def add(self, name: str, origin: str, data: bytes) -> None:
        if len(self.out.files) >= MAX_PARTS:
            self.problem(f"more than {MAX_PARTS} files in one message; the rest were not taken")
            return
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            self.problem(f"the message unpacks to more than {MAX_TOTAL_BYTES:,} bytes")
            return
        self.out.files.append(Attachment(safe_name(name), origin[:1000], data))

    def message(self, msg: Message, prefix: str, depth: int) -> None:
        taken_before = len(self.out.files)
        leaves = list(_leaves(msg))
        attachments = [p for p in leaves if not _is_body(p)]
        for part in attachments:
            self.part(part, prefix, depth)
        if not attachments and len(self.out.files) == taken_before:
            self.body(msg, prefix)

    def part(self, part: Message, prefix: str, depth: int) -> None:
        name = _filename(part)
        origin = prefix + name
        if part.get_content_type() == "message/rfc822":
            self.nested_message(part, origin, depth)
            return
        encoded = part.get_payload()
        if isinstance(encoded, str) and len(encoded) * 3 // 4 > MAX_PART_BYTES:
            self.problem(f"{origin}: larger than {MAX_PART_BYTES:,} bytes; not taken")
            return
        data = part.get_payload(decode=True) or b""
        self.file(name, origin, data, depth, declared=part.get_content_type())

    def nested_message(self, part: Message, origin: str, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self.problem(f"{origin}: nested deeper than {MAX_DEPTH} levels; not opened")
            return
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            self.message(inner, origin + "/", depth + 1)
        else:
            self.problem(f"{origin}: an attached message that cannot be read")

    def file(self, name: str, origin: str, data: bytes, depth: int, declared: str = "") -> None:
        kind = kind_of(data)
        lower = name.lower()
        if kind == "zip":
            self.zip(origin, data, depth)
        elif kind is not None:
            self.add(name, origin, data)
        elif lower.endswith(".eml") or declared == "message/rfc822" or looks_like_email(data):
            if depth >= MAX_DEPTH:
                self.problem(f"{origin}: nested deeper than {MAX_DEPTH} levels; not opened")
            else:
                self.message(parse(data), origin + "/", depth + 1)
        elif declared in _STATEMENT_TYPES or lower.endswith(_STATEMENT_EXTS):
            # Says it is a PDF or image but is not: archived, so it fails where people see it.
            self.add(name, origin, data)
        else:
            self.out.skipped.append(f"{origin} ({declared or 'unknown type'})")

    def zip(self, origin: str, data: bytes, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self.problem(f"{origin}: nested deeper than {MAX_DEPTH} levels; not opened")
            return
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                members = [i for i in z.infolist() if not i.is_dir()]
                if len(members) > MAX_ZIP_MEMBERS:
                    self.problem(
                        f"{origin}: {len(members)} files in the ZIP; the limit is {MAX_ZIP_MEMBERS}"
                    )
                    return
                for info in members:
                    self.zip_member(z, info, origin, depth)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
                zlib.error, ValueError, OSError) as exc:  # fmt: skip
            self.problem(f"{origin}: the ZIP archive is damaged or unsupported ({exc})")

    def zip_member(self, z: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, depth: int):
        where = f"{origin}/{info.filename}"
        name = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        if info.flag_bits & 0x1:
            self.problem(f"{where}: encrypted; not opened")
            return
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or ratio > MAX_ZIP_RATIO:
            self.problem(
                f"{where}: expands to {info.file_size:,} bytes (ratio {ratio:.0f}:1), "
                "a ZIP bomb or too large; not unpacked"
            )
            return
        with z.open(info) as fh:  # the header may lie: never read more than the limit
            data = fh.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES or len(data) > MAX_ZIP_RATIO * max(info.compress_size, 1):
            self.problem(f"{where}: expands beyond what its header says; not unpacked")
            return
        self.file(name, where, data, depth + 1)

    def body(self, msg: Message, prefix: str) -> None:
        text = body_text(msg)
        if len("".join(text.split())) < MIN_BODY_CHARS:
            return
        info = info_of(msg)
        title = info.subject or "message"
        data = text_pdf(title, info, text)
        self.add(safe_name(title)[:150] + ".pdf", prefix + "(message text)", data)


def _leaves(msg: Message) -> Iterator[Message]:
    """The leaf parts of a message; attached messages are leaves (opened on their own)."""
    if msg.get_content_type() == "message/rfc822" or not msg.is_multipart():
        yield msg
        return
    payload = msg.get_payload()
    for sub in payload if isinstance(payload, list) else []:
        if isinstance(sub, Message):
            yield from _leaves(sub)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # a broken RFC 2231 parameter
        name = None
    if not name and part.get_content_type() == "message/rfc822":
        name = "attached message.eml"
    return safe_name(str(name or "attachment"))


def _is_body(part: Message) -> bool:
    """Text of the message itself (not a file), or an inline logo referenced by the HTML."""
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    if disposition == "attachment" or (_filename(part) != "attachment" and disposition != "inline"):
        return False
    ctype = part.get_content_type()
    if ctype in ("text/plain", "text/html"):
        return True
    return ctype.startswith("image/") and disposition == "inline" and bool(part.get("Content-ID"))


def body_text(msg: Message) -> str:
    """The message text: the plain part, else the HTML part as text."""
    plain = html_part = None
    for part in _leaves(msg):
        if not _is_body(part):
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _text_of(part)
        elif ctype == "text/html" and html_part is None:
            html_part = _text_of(part)
    if plain and plain.strip():
        return plain
    return _html_to_text(html_part or "")


def _text_of(part: Message) -> str:
    try:
        return part.get_content()  # type: ignore[attr-defined]
    except Exception:  # an unknown charset or a broken encoding: decode what is there
        data = part.get_payload(decode=True) or b""
        return data.decode("utf-8", "replace")


class _HtmlText(html.parser.HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("    ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def text_pdf(title: str, info: MessageInfo, text: str, max_lines: int = 2000) -> bytes:
    """The message text as a PDF with a text layer, so it is read like a digital statement."""
    from reportlab.pdfgen import canvas

    from extract.coversheet import A4, cjk_font

    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)  # same bytes each time
    c.setTitle(title[:200])
    header = [f"From: {info.sender or ''}", f"Subject: {title}", f"Date: {info.date or ''}", ""]
    lines = header + text.replace("\t", "    ").splitlines()[:max_lines]
    y = A4[1] - 50
    for line in lines:
        if y < 50:
            c.showPage()
            y = A4[1] - 50
        c.setFont(font, 10)
        c.drawString(42, y, line[:120])
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def explode(raw: bytes) -> Exploded:
    """The files in a message, or the problems that stopped some of them."""
    if len(raw) > MAX_MESSAGE_BYTES:
        out = Exploded(MessageInfo(None, None, None, None))
        out.problems.append(
            f"the message is {len(raw):,} bytes; the limit is {MAX_MESSAGE_BYTES:,}"
        )
        return out
    msg = parse(raw)
    out = Exploded(info_of(msg))
    walk = _Walk(out)
    try:
        walk.message(msg, "", 0)
    except RecursionError:
        walk.problem("the message's MIME structure is nested too deeply to read")
    return out


def explode_zip(data: bytes, name: str = "archive.zip") -> Exploded:
    """The files in a ZIP archive, within the same limits as a message's."""
    out = Exploded(MessageInfo(None, None, None, None))
    _Walk(out).zip(name, data, 0)
    return out
