"""Our statement QR payload (docs/qr-payload.md): build, parse and verify.

    STMT1|c=C0042|p=2026-10|a=12345.67|cur=CNY|n=ST-202610-0042|k=1a2b3c4d

`k` is zlib.crc32 of the UTF-8 bytes before "|k=", as 8 lowercase hex digits: it catches
misreads, not forgery, since anyone can compute it. Codes this service issues also carry
`m=`, before `k`: HMAC-SHA256 under the installation's secret key of the text before "|m=",
as 32 hex digits (128 bits). A code whose `m` checks is ours and fully trusted; a code
without one (older codes, or made elsewhere) is read at lower trust; a code whose `m` does
not check is forged or damaged and is not read at all.

    STMT1|c=C0042|p=2026-10|a=12345.67|cur=CNY|n=ST-1|m=<32 hex>|k=1a2b3c4d
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extract.types import PERIOD

PREFIX = "STMT1"
MAC_HEX = 32

# StatementCode.trust values
SIGNED = "signed"  # its m= checks under our key
CHECKSUM = "checksum"  # only the CRC: readable, but anyone could have made it


@dataclass(frozen=True)
class StatementCode:
    customer: str
    period: str  # YYYY-MM
    amount: Decimal | None = None
    currency: str | None = "CNY"  # None when a parsed code did not say
    number: str | None = None
    kind: str | None = None  # "cover" for cover sheets
    trust: str = CHECKSUM  # SIGNED or CHECKSUM, set by parse()

    @property
    def is_cover(self) -> bool:
        return self.kind == "cover"


def _checksum(body: str) -> str:
    return format(zlib.crc32(body.encode("utf-8")) & 0xFFFFFFFF, "08x")


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()[:MAC_HEX]


def build(code: StatementCode, key: bytes | None = None) -> str:
    """The payload text for `code`, checksum included; signed (m=) when given our key."""
    parts = [PREFIX, f"c={code.customer}", f"p={code.period}"]
    if code.kind:
        parts.append(f"t={code.kind}")
    if code.amount is not None:
        parts.append(f"a={code.amount:f}")
    if code.currency:
        parts.append(f"cur={code.currency}")
    if code.number:
        parts.append(f"n={code.number}")
    body = "|".join(parts)
    for value in (code.customer, code.number or "", code.currency or ""):
        if "|" in value or "=" in value:
            raise ValueError(f"payload values may not contain '|' or '=': {value!r}")
    if key:
        body = f"{body}|m={_mac(key, body)}"
    return f"{body}|k={_checksum(body)}"


def parse(data: str, key: bytes | None = None) -> StatementCode | None:
    """The statement code in `data`, or None when it is not ours or fails its checksum.

    With our `key`, a code whose m= checks has trust SIGNED, and one whose m= does not check
    is None; without a key every code has trust CHECKSUM."""
    if not data.startswith(PREFIX + "|"):
        return None
    body, sep, check = data.rpartition("|k=")
    if not sep or check.lower() != _checksum(body) or len(check) != 8:
        return None
    trust = CHECKSUM
    signed, msep, mac = body.rpartition("|m=")
    if msep and key:
        if not hmac.compare_digest(mac.lower(), _mac(key, signed)):
            return None
        trust = SIGNED
    if msep:
        body = signed
    values: dict[str, str] = {}
    for item in body.split("|")[1:]:
        name, eq, value = item.partition("=")
        if eq:
            values.setdefault(name, value)  # unknown keys are ignored below
    customer, period = values.get("c", "").strip(), values.get("p", "").strip()
    if not customer or not PERIOD.match(period):
        return None
    amount = None
    if values.get("a"):
        try:
            amount = Decimal(values["a"])
        except InvalidOperation:
            return None
        if not amount.is_finite():
            return None
    return StatementCode(
        customer=customer,
        period=period,
        amount=amount,
        currency=values.get("cur") or None,  # a cover sheet says nothing about the currency
        number=values.get("n") or None,
        kind=values.get("t") or None,
        trust=trust,
    )


def qr_image(payload: str, box_size: int = 8, border: int = 4):
    """A PIL image of `payload` as a QR code (error correction M)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()
