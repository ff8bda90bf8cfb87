"""Where a scan batch splits into statements. Pure: per-page codes and header values in,
parts out.

Rules, strongest first:
- A separator sheet (our QR cover sheet, or a PATCH T sheet) ends the current part and is
  not kept as a page of any part. The pages after a cover sheet, until the next separator,
  are one statement of the cover's customer and period.
- Elsewhere a page starts a new statement when it carries our statement QR code (printed on
  a statement's first page) naming another statement than the current part, or when its
  header names another customer or statement number than the current part's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extract import qrpayload
from extract.customers import Customer, match_customer
from extract.qrpayload import StatementCode
from extract.types import Code, Page

# Separator barcodes that are not ours: the PATCH T sheet of document scanners, as decoded
# by barcode readers (Paperless-ngx prints "PATCHT" as a Code 128 or QR code).
PATCH_T = frozenset({"PATCHT", "PATCH T", "PATCH-T"})
HEADER_FRACTION = 0.4  # the top of a page where customer and statement number are printed
MATCH_FLOOR = 0.8  # a header customer match below this is not trusted to split on
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class PageInfo:
    """What is known about one page of a batch before it is split."""

    number: int
    codes: Sequence[Code] = ()
    customer: str | None = None  # customer code from the page header
    statement_no: str | None = None  # statement number from the page header


@dataclass(frozen=True)
class Part:
    pages: tuple[int, ...]
    cover: StatementCode | None = None
    cover_payload: str | None = None  # the cover's QR text, stored with the part


@dataclass
class Plan:
    parts: list[Part] = field(default_factory=list)
    separators: list[int] = field(default_factory=list)  # page numbers of separator sheets

    @property
    def is_batch(self) -> bool:
        """True when the file must be cut: several parts, or sheets to leave out."""
        return len(self.parts) > 1 or bool(self.separators)


@dataclass(frozen=True)
class _Identity:
    customer: str | None = None
    period: str | None = None
    number: str | None = None
    from_code: bool = False

    def empty(self) -> bool:
        return not (self.customer or self.period or self.number)

    def differs(self, other: _Identity) -> bool:
        pairs = ((self.customer, other.customer), (self.period, other.period))
        pairs += ((self.number, other.number),)
        return any(a and b and _key(a) != _key(b) for a, b in pairs)

    def merged(self, other: _Identity) -> _Identity:
        return _Identity(
            self.customer or other.customer,
            self.period or other.period,
            self.number or other.number,
            self.from_code or other.from_code,
        )


def _key(value: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", value).upper().split())
    return text.translate(_CONFUSIONS)


def separator(codes: Sequence[Code]) -> tuple[StatementCode | None, str | None] | None:
    """(cover code, its payload) for a cover sheet, (None, None) for PATCH T, else None."""
    for code in codes:
        parsed = qrpayload.parse(code.data)
        if parsed is not None and parsed.is_cover:
            return parsed, code.data
    if any(code.data.strip().upper() in PATCH_T for code in codes):
        return None, None
    return None


def _page_identity(page: PageInfo) -> _Identity:
    for code in page.codes:
        parsed = qrpayload.parse(code.data)
        if parsed is not None and not parsed.is_cover:
            return _Identity(parsed.customer, parsed.period, parsed.number, from_code=True)
    return _Identity(page.customer, None, page.statement_no)


def _starts_new(current: _Identity | None, page: _Identity) -> bool:
    """Whether a page with `page` identity starts another statement than the current part's."""
    if page.empty():
        return False  # a continuation page, or one we cannot read
    if current is None or current.empty():
        # Our QR is printed on first pages only; a header alone may be a continuation page.
        return page.from_code
    return current.differs(page)


def plan(pages: Sequence[PageInfo]) -> Plan:
    """The parts of a batch, in page order. A file that is one statement gives one part."""
    out = Plan()
    current: list[int] = []
    identity: _Identity | None = None
    cover: tuple[StatementCode | None, str | None] = (None, None)

    def close() -> None:
        if current:
            out.parts.append(Part(tuple(current), *cover))

    for page in pages:
        sep = separator(page.codes)
        if sep is not None:
            close()
            current, identity, cover = [], None, sep
            out.separators.append(page.number)
            continue
        this = _page_identity(page)
        if cover[0] is None and current and _starts_new(identity, this):
            close()
            current, identity = [], None
        current.append(page.number)
        identity = this if identity is None else identity.merged(this)
    close()
    return out


def header_values(page: Page, customers: Sequence[Customer]) -> tuple[str | None, str | None]:
    """(customer code, statement number) printed in the top of a page, when readable.

    Names are turned into master codes so that a code on one page and a name on the next
    compare; a name the master does not know gives no customer (no split on a guess).
    """
    from extract import fields

    if not page.words:
        return None, None
    limit = page.height * HEADER_FRACTION
    top = replace(page, words=[w for w in page.words if w.box[1] <= limit])
    found = fields.parse_fields([top])
    code, name, number = (found.get(n) for n in ("customer_code", "customer_name", "statement_no"))
    match = match_customer(
        str(code.value) if code else None, str(name.value) if name else None, customers
    )
    customer = match.customer.code if match and match.score >= MATCH_FLOOR else None
    return customer, str(number.value) if number and number.value else None


def cover_code(payload: str) -> Code:
    """The cover sheet's code as if it were on the part's pages (page 0: no page of its own)."""
    return Code("QRCODE", payload, 0, (0.0, 0.0, 0.0, 0.0))
