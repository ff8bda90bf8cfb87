"""Our statement QR payload (docs/qr-payload.md): build, parse and verify.

    STMT1|c=C0042|p=2026-10|a=12345.67|cur=CNY|n=ST-202610-0042|k=1a2b3c4d

`k` is zlib.crc32 of the UTF-8 bytes before "|k=", as 8 lowercase hex digits.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

PREFIX = "STMT1"
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class StatementCode:
    customer: str
    period: str  # YYYY-MM
    amount: Decimal | None = None
    currency: str | None = "CNY"  # None when a parsed code did not say
    number: str | None = None
    kind: str | None = None  # "cover" for cover sheets

    @property
    def is_cover(self) -> bool:
        return self.kind == "cover"


def _checksum(body: str) -> str:
    return format(zlib.crc32(body.encode("utf-8")) & 0xFFFFFFFF, "08x")


def build(code: StatementCode) -> str:
    """The payload text for `code`, checksum included."""
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
    return f"{body}|k={_checksum(body)}"


def parse(data: str) -> StatementCode | None:
    """The statement code in `data`, or None when it is not ours or fails its checksum."""
    if not data.startswith(PREFIX + "|"):
        return None
    body, sep, check = data.rpartition("|k=")
    if not sep or check.lower() != _checksum(body) or len(check) != 8:
        return None
    values: dict[str, str] = {}
    for item in body.split("|")[1:]:
        key, eq, value = item.partition("=")
        if eq:
            values.setdefault(key, value)  # unknown keys are ignored below
    customer, period = values.get("c", "").strip(), values.get("p", "").strip()
    if not customer or not _PERIOD.match(period):
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
    )


def qr_image(payload: str, box_size: int = 8, border: int = 4):
    """A PIL image of `payload` as a QR code (error correction M)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()
