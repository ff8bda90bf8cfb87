"""Plain data passed between extraction steps. No I/O here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

YEAR = r"(19\d{2}|2[01]\d{2})"  # the years statements are read with: 1900-2199
# A statement period as the archive writes it: YYYY-MM (people, QR codes and the index alike).
PERIOD = re.compile(rf"^{YEAR}-(0[1-9]|1[0-2])$", re.ASCII)

# (left, top, right, bottom) in pixels of the page image at `Page.dpi`,
# or in PDF points (dpi=72) for text-layer pages.
Box = tuple[float, float, float, float]


class Status(StrEnum):
    """A document's status, in the order a document moves through them. Extraction ends in
    ACCEPTED or NEEDS_REVIEW; the archive adds the others. A scan batch (or an e-mail, a ZIP
    file) that was cut into parts ends SPLIT; its parts are documents of their own."""

    RECEIVED = "received"
    PROCESSING = "processing"
    ACCEPTED = "accepted"
    NEEDS_REVIEW = "needs_review"
    FAILED = "failed"
    SPLIT = "split"
    REJECTED = "rejected"  # a reviewer said it is no statement to archive (kept in the archive)


class Source(StrEnum):
    """Where a page's words or a field's value came from."""

    TEXT = "text"  # the PDF's text layer
    OCR = "ocr"  # Tesseract
    OCR2 = "ocr2"  # the second OCR engine
    QR = "qr"  # our signed QR code
    COVER = "cover"  # our cover sheet's QR code, vouching for the statement behind it
    LEARNED = "learned"  # where a reviewer showed it stands on this layout (extract.learned)
    ARITHMETIC = "arithmetic"  # a printed figure placed by the balance identity, or summed
    # summed from a ledger's rows split as printed (debit and credit columns of their own,
    # or words naming each negative amount of a signed column), every running balance followed
    ROWS = "rows"
    MANUAL = "reviewer"  # entered or confirmed by a reviewer


class ExtractError(Exception):
    """A document that cannot be read. The message is shown to users as is."""


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    confidence: float  # 0..1; 1.0 for text-layer words
    line: int = 0  # line number within the page, words of one line share it


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    dpi: int
    source: str  # Source.TEXT, OCR or OCR2
    words: list[Word] = field(default_factory=list)
    rotation: int = 0  # degrees the scan was turned to read it (0/90/180/270)
    skew: float = 0.0  # degrees of deskew applied
    # Words of a second OCR engine that read the page again (same coordinates as `words`);
    # fields come from `words`, but search finds what either engine read.
    second: list[Word] = field(default_factory=list)
    # The coarsest resolution the page was scanned at, where coarser than `dpi`: a fax
    # received at standard resolution has 98 lines per inch, stretched to 204 dpi to read it.
    scan_dpi: int | None = None
    photo: bool = False  # found on a larger picture (a phone photo), its perspective undone

    @property
    def resolution(self) -> int:
        """The detail the page was scanned with, in dots per inch."""
        return min(self.dpi, self.scan_dpi or self.dpi)

    def lines(self) -> list[str]:
        """The page text as lines, words joined with one space."""
        return _lines(self.words)

    @property
    def text(self) -> str:
        """The page text; a second engine's reading follows the first's."""
        return "\n".join(self.lines() + _lines(self.second))


def _lines(words: list[Word]) -> list[str]:
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    out = []
    for key in sorted(by_line):
        line = sorted(by_line[key], key=lambda w: w.box[0])
        out.append(" ".join(w.text for w in line))
    return out


@dataclass(frozen=True)
class Code:
    type: str  # "QRCODE", "CODE128", ...
    data: str  # exactly as encoded, decoded as UTF-8
    page: int
    box: Box


@dataclass
class FieldValue:
    name: str
    value: Any  # str, Decimal or date; see extract.fields.FIELD_NAMES
    confidence: float
    source: str  # a Source
    page: int | None = None
    box: Box | None = None
    raw: str | None = None  # the printed text the value was read from
    # the field whose printed figure this one repeats: a statement's one final balance is
    # both its closing balance and its amount due (it cannot vouch for itself)
    same_as: str | None = None
    # summed from ledger rows that none can be missing from at the end (a last row lost to
    # OCR takes its running balance with it): see extract.ledger.Figure.closed
    closed: bool = False


@dataclass(frozen=True)
class LineItem:
    """One row of a ledger statement (应收账款明细账, customer line items)."""

    kind: str  # "opening", "transaction", "brought" (承前页), "carried" (过次页),
    # "month_total" (本月合计) or "year_total" (本年累计)
    date: date | None
    reference: str | None  # voucher or document number
    description: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal | None  # the running balance; negative when a credit (贷)
    page: int
    box: Box | None


@dataclass
class Extraction:
    pages: list[Page]
    codes: list[Code]
    fields: dict[str, FieldValue]
    status: str  # "accepted" or "needs_review"
    notes: list[str] = field(default_factory=list)
    items: list[LineItem] = field(default_factory=list)  # ledger rows, when there are any
