"""Ledger statements: the ERP export of a customer account (应收账款明细账 from 用友 or
金蝶, SAP customer line items) read as a table.

A header row names the columns (日期 凭证号 摘要 借方 贷方 方向 余额, Date Reference
Description Debit Credit Balance); each row below is placed in those columns by where its
cells stand on the page. Rows are the opening balance (期初余额, balance brought forward),
transactions, page carry rows (承前页 / 过次页), the month total (本月合计 / 本期合计)
and the year-to-date total (本年累计), which is never the month's figures.

The statement's figures: opening from the opening row, charges and payments from the
month-total row (else the sum of the transactions), closing from the last running
balance. The rows are checked against each other: each running balance follows from the
one before, the transactions add up to the month total, and opening + charges − payments
= closing.

Where a ledger strays from that: a header cell the lexicon does not name is a column of its
own (what stands under it is no neighbour's figure); a row without a date whose debit and
credit are the rows' sums, or that repeats the last running balance, is the total wherever
it stands (Odoo prints it on the account's heading row, above the lines); labelled figures
under the table are the statement's summary and end the table.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from extract import lexicon
from extract.arithmetic import AMOUNT_FIELDS
from extract.layout import Line, page_lines
from extract.types import Box, LineItem, Page, Source
from extract.values import (
    CELL,
    _is_cjk,
    blank_currencies,
    dayfirst_of,
    find_amounts,
    find_date,
    find_dates,
    month_and_day,
)

AMOUNT_COLUMNS = ("debit", "credit", "amount", "balance")
# a header needs a balance column, a debit or credit column and one more column
_MIN_COLUMNS = 3


def _exact(words: Sequence[str]) -> re.Pattern[str]:
    rx = lexicon.phrase_regex(list(words))
    return re.compile(rf"^[\s:：*#]*(?:{rx.pattern})[\s:：*#()（）¥元]*$", re.I)


_COLUMNS = {kind: _exact(words) for kind, words in lexicon.column_terms().items()}
_ANY_COLUMN = lexicon.phrase_regex([w for words in lexicon.column_terms().values() for w in words])
_YEAR_HEAD = re.compile(r"(?<!\d)(\d{4})\s*年(?!\s*\d)")
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})[\s.\-]+(\d{1,2})\s*$")  # 05 01, 05-01, 05.01
# a year and month printed above a table ("期间：2027年8月", "2026.06.01-2026.06.30")
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*\d{1,2}\s*月|[.\-/]\d{1,2}(?!\d))")
_ROWS = {
    kind: lexicon.phrase_regex(words)
    for kind, words in lexicon.row_terms().items()
    if not kind.endswith("_mark")
}
_MARKS = {
    kind: _exact(words) for kind, words in lexicon.row_terms().items() if kind.endswith("_mark")
}
_ENTRIES = {kind: lexicon.phrase_regex(words) for kind, words in lexicon.entry_terms().items()}
_ROW_ORDER = ("year_total", "month_total", "carried", "brought", "opening")


@dataclass(frozen=True)
class Column:
    kind: str
    left: float
    right: float


@dataclass
class Cell:
    text: str
    line: Line
    start: int
    end: int
    box: Box | None
    confidence: float


@dataclass
class Row:
    item: LineItem
    cells: dict[str, Cell]  # column kind -> cell
    confidence: float  # the weakest OCR word of its amounts
    # False: a negative amount of one signed column whose words say neither payment nor
    # credit note, so which of the two sums it belongs in is a guess
    named: bool = True
    text: str = ""  # the row's words, which may name what an amount is

    @property
    def line(self) -> Line:
        """The line the row was read from."""
        return next(iter(self.cells.values())).line


@dataclass
class Ledger:
    rows: list[Row] = field(default_factory=list)

    @property
    def items(self) -> list[LineItem]:
        return [r.item for r in self.rows]

    def of(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.item.kind == kind]


def _header(line: Line) -> list[tuple[str, Cell]] | None:
    """The column names of a header row, each with where it stands. The names are looked
    for inside cells too: a narrow gap joins 凭证号数 摘要, CJK words run together (贷方方)."""
    if find_amounts(line.text):
        return None
    found = []
    text = blank_currencies(line.text)  # "Balance £", "Amount (USD)": the column's name
    matches = list(_ANY_COLUMN.finditer(text))
    for m in matches:
        if not _whole_run(text, line.owners, m, matches):
            continue  # 发生额 inside 本期发生额 is a summary label, not a column
        kind = next(k for k, rx in _COLUMNS.items() if rx.match(m.group()))
        box, conf = _name_box(line, m.start(), m.end())
        if box is not None:
            found.append((kind, Cell(m.group(), line, m.start(), m.end(), box, conf)))
    year = _YEAR_HEAD.search(line.text)  # 用友 prints the year over the month and day
    if year is not None and not any(k == "date" for k, _ in found):
        box, conf = line.box_conf(year.start(), year.end())
        if box is not None:
            found.append(("date", Cell(year.group(), line, year.start(), year.end(), box, conf)))
    found += _unread_columns(line, found)
    kinds = {k for k, _ in found}
    amounts = kinds & set(AMOUNT_COLUMNS)
    # a ledger without running balances has debit and credit columns, or one signed amount
    # column beside dates and descriptions (a hotel's folios and remittances)
    signed_only = amounts == {"amount"} and {"date", "description"} <= kinds
    if (len(amounts) < 2 and not signed_only) or len(kinds) < _MIN_COLUMNS:
        return None
    if not kinds - set(AMOUNT_COLUMNS) - {"direction"}:
        # figures' names alone (上期余额 本期应收 本期收款 期末余额 over their values): a
        # summary box; a ledger's rows have a date, a reference or a description
        return None
    named = [k for k, _ in found if k in AMOUNT_COLUMNS]
    if len(named) != len(set(named)):
        return None  # an amount column named twice: not a ledger header
    boxes = [c.box for _, c in found if c.box]
    if len({b for b in boxes}) != len(boxes):
        return None  # two names inside one word: their places are unknown
    return found + _other_columns(line, boxes)


def _other_columns(line: Line, boxes: list[Box]) -> list[tuple[str, Cell]]:
    """Header cells the lexicon does not name (單據號碼, 本期发生额), beside the named ones'
    `boxes`: columns of their own, so that a figure standing under one is not taken for its
    neighbour's debit, credit or balance."""
    out = []
    for start, end in line.cells():
        box, conf = line.box_conf(start, end)
        text = line.text[start:end].strip()
        if box is None or not any(ch.isalpha() for ch in text):
            continue
        if not any(box[0] < b[2] and b[0] < box[2] for b in boxes):
            out.append(("other", Cell(text, line, start, end, box, conf)))
    return out


def _name_box(line: Line, start: int, end: int) -> tuple[Box | None, float]:
    """Where a column's name stands. Names printed close together can be one word of
    CJK characters (贷方方向): each then has its share of the word's width, as the
    characters of a CJK font are equally wide."""
    box, conf = line.box_conf(start, end)
    owner = line.owners[start] if start < len(line.owners) else -1
    chars = [i for i, o in enumerate(line.owners) if o == owner]
    if box is None or owner < 0 or len(chars) == end - start:
        return box, conf
    first, count = chars[0], len(chars)
    if not all(_is_cjk(line.text[i]) for i in chars):
        return box, conf
    width = (box[2] - box[0]) / count
    left = box[0] + width * (start - first)
    return (left, box[1], left + width * (end - start), box[3]), conf


def _whole_run(
    text: str, owners: Sequence[int], m: re.Match[str], matches: list[re.Match[str]]
) -> bool:
    """A Chinese column name counts only when names make up its run of CJK characters
    within its word from its start: 贷方方 is 贷方 + 方, 本期发生额 is no column. Names
    may be followed by a column's name the lexicon does not know, of two characters or
    more, run into them by OCR or a narrow gap: 余额经手人 is 余额 + 经手人."""
    start, end = m.start(), m.end()
    while start > 0 and _is_cjk(text[start - 1]) and owners[start - 1] == owners[start]:
        start -= 1
    while end < len(text) and _is_cjk(text[end]) and owners[end] == owners[end - 1]:
        end += 1
    pos = start
    for other in matches:
        if other.start() == pos and other.end() <= end:
            pos = other.end()
    return pos == end or (m.end() <= pos <= end - 2)


def _unread_columns(line: Line, found: list[tuple[str, Cell]]) -> list[tuple[str, Cell]]:
    """Header names OCR garbled (贷方 read as "RA)"), placed by their neighbours: a word
    standing between the debit column and the balance (or direction) column is the
    credit column, one between the credit and balance columns is the direction."""
    kinds = {k: c for k, c in found}
    used = {i for _, c in found for i in line.owners[c.start : c.end] if i >= 0}
    spare = [
        (i, w)
        for i, w in enumerate(line.words)
        if i not in used and blank_currencies(w.text).strip("|[]()“”\"' ")
    ]

    def between(left: str, right: str) -> list[tuple[int, Any]]:
        a, b = kinds.get(left), kinds.get(right)
        if a is None or b is None or a.box is None or b.box is None:
            return []
        return [(i, w) for i, w in spare if a.box[2] <= w.box[0] and w.box[2] <= b.box[0]]

    out: list[tuple[str, Cell]] = []
    if "credit" not in kinds and "debit" in kinds:
        right = "direction" if "direction" in kinds else "balance"
        words = between("debit", right)
        if len(words) >= 1:
            i, w = words[0]
            cell = Cell(w.text, line, 0, 0, w.box, w.confidence)
            out.append(("credit", cell))
            kinds["credit"] = cell
            spare = [s for s in spare if s[0] != i]
    if "debit" not in kinds and "credit" in kinds:
        # one word between the last text column and the credit column: the debit column
        # (本期发生额 beside 本期收款)
        credit = kinds["credit"].box
        texts = [
            k for k, c in kinds.items() if k not in AMOUNT_COLUMNS and c.box and credit and
            c.box[2] <= credit[0]
        ]  # fmt: skip
        left = max(texts, key=lambda k: kinds[k].box[2], default=None)
        words = between(left, "credit") if left else []
        if len(words) == 1:
            w = words[0][1]
            out.append(("debit", Cell(w.text, line, 0, 0, w.box, w.confidence)))
    if "direction" not in kinds and "credit" in kinds and "balance" in kinds:
        words = between("credit", "balance")
        if len(words) == 1 and len(words[0][1].text) <= 2:
            w = words[0][1]
            out.append(("direction", Cell(w.text, line, 0, 0, w.box, w.confidence)))
    return out


def _columns(header: list[tuple[str, Cell]]) -> list[Column]:
    """Bands of the page width, split halfway between neighbouring header cells."""
    spans = sorted((c.box[0], c.box[2], kind) for kind, c in header if c.box)
    out = []
    for i, (left, right, kind) in enumerate(spans):
        lo = (spans[i - 1][1] + left) / 2 if i else float("-inf")
        hi = (right + spans[i + 1][0]) / 2 if i + 1 < len(spans) else float("inf")
        out.append(Column(kind, lo, hi))
    return out


def _place(line: Line, columns: list[Column]) -> dict[str, Cell]:
    """Each cell of a row in the column its box overlaps most (by its centre on a tie)."""
    placed: dict[str, Cell] = {}
    cents = _CENTS_PRINTED.search(line.text) is not None
    for start, end in (part for cell in line.cells() for part in _parts(line, *cell)):
        box, conf = line.box_conf(start, end)
        if box is None or (cents and _SPECK.fullmatch(line.text[start:end])):
            continue
        best, overlap = None, 0.0
        for col in columns:
            o = min(box[2], col.right) - max(box[0], col.left)
            if o > overlap:
                best, overlap = col, o
        if best is None:
            continue
        cell = Cell(line.text[start:end], line, start, end, box, conf)
        kind = best.kind
        if kind in AMOUNT_COLUMNS and not find_amounts(cell.text):
            # a direction mark (借/贷) or a word standing over an amount column
            if not any(rx.match(cell.text) for rx in _MARKS.values()):
                continue
            kind = "direction"
            if kind in placed:
                continue
        best = Column(kind, best.left, best.right)
        if best.kind in placed:  # two cells in one column: description words split apart
            prev = placed[best.kind]
            if best.kind in AMOUNT_COLUMNS:
                return {}  # amounts that do not line up: not a row of this table
            cell = Cell(
                prev.text + " " + cell.text, line, prev.start, end, _union(prev, cell), conf
            )
        placed[best.kind] = cell
    return placed


def _parts(line: Line, start: int, end: int) -> list[tuple[int, int]]:
    """A cell, or the words and the amount at its end when OCR joined them into one (a
    table's rule read as "|" bridges the gap): the amount is placed by its own box."""
    found = find_amounts(line.text[start:end])
    if len(found) != 1 or start + found[0].end != end:
        return [(start, end)]
    cut = start + found[0].start
    words = line.text[start:cut].rstrip(" |")
    return [(start, start + len(words)), (cut, end)] if words.strip() else [(start, end)]


def _union(a: Cell, b: Cell) -> Box | None:
    if a.box is None or b.box is None:
        return a.box or b.box
    return (
        min(a.box[0], b.box[0]),
        min(a.box[1], b.box[1]),
        max(a.box[2], b.box[2]),
        max(a.box[3], b.box[3]),
    )


def _amount(cell: Cell | None) -> Decimal | None:
    if cell is None:
        return None
    found = find_amounts(cell.text)
    if len(found) != 1:
        return None
    value = found[0].value
    if "贷" in cell.text or "貸" in cell.text or re.search(r"(?<![A-Za-z])Cr\b", cell.text, re.I):
        value = -abs(value)
    return value


def names_a_total(text: str) -> bool:
    """Whether a row's name says it totals the rows above it (合计, 本期合计, Total)."""
    return _ROWS["month_total"].fullmatch(text.strip()) is not None


def _row_kind(line: Line, placed: dict[str, Cell]) -> str | None:
    text = " ".join(c.text for k, c in placed.items() if k not in AMOUNT_COLUMNS)
    for kind in _ROW_ORDER:
        if _ROWS[kind].search(text or line.text.replace(CELL, " ")):
            return kind
    return None


def _row_date(cell: Cell | None, year: int | None, dayfirst: bool = True) -> date | None:
    if cell is None:
        return None
    found = find_date(cell.text, dayfirst=dayfirst)
    if found is not None:
        return found.value
    parts = _month_day(cell.text)
    if parts and year is not None:
        try:
            return date(year, *parts)
        except ValueError:
            return None
    return None


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a date printed without its year: "05 01" under a "2025年" header,
    "11-Aug" under "Period 01-Aug-2027 - 31-Aug-2027"."""
    md = _MONTH_DAY.match(text)
    return (int(md.group(1)), int(md.group(2))) if md else month_and_day(text)


def _row(
    line: Line, columns: list[Column], year: int | None = None, dayfirst: bool = True
) -> Row | None:
    placed = _place(line, columns)
    if not placed:
        return None
    debit, credit = _amount(placed.get("debit")), _amount(placed.get("credit"))
    signed = _amount(placed.get("amount"))
    named = True
    if signed is not None and debit is None and credit is None:
        debit, credit, named = _split_signed(signed, line.text)
    balance = _amount(placed.get("balance"))
    if debit is None and credit is None and balance is None:
        return None
    direction = placed.get("direction")
    if balance is not None and direction is not None:
        if _MARKS["credit_mark"].match(direction.text):
            balance = -abs(balance)
        elif _MARKS["zero_mark"].match(direction.text):
            balance = Decimal("0.00")
    kind = _row_kind(line, placed)
    when = _row_date(placed.get("date"), year, dayfirst)
    if kind is None and debit is None and credit is None and when is None and _summary(line):
        # "BALANCE OUTSTANDING AUD 34,216.40", "Received This Period USD 257.11" under the
        # table: the statement's summary, not a row of it
        return None
    if kind is None:
        kind = "transaction"
    ref = placed.get("voucher")
    desc = placed.get("description")
    amounts = [placed[k] for k in AMOUNT_COLUMNS if k in placed]
    box = line.box_conf(0, len(line.text))[0]
    item = LineItem(
        kind=kind,
        date=when,
        reference=ref.text.strip() if ref else None,
        description=desc.text.strip() if desc else "",
        debit=debit,
        credit=credit,
        balance=balance,
        page=line.page.number,
        box=box,
    )
    return Row(item, placed, min((c.confidence for c in amounts), default=1.0), named, line.text)


def _summary(line: Line) -> bool:
    """Whether a line is labelled with one of the statement's figures (opening balance,
    charges, payments, closing balance, amount due)."""
    return any(h.field in AMOUNT_FIELDS for h in line.hits)


def _split_signed(signed: Decimal, text: str) -> tuple[Decimal | None, Decimal | None, bool]:
    """(debit, credit, named) of an amount in one signed column: a charge is positive, a
    payment or credit note negative; `named` is whether the row's words (`text`) say which
    of the two a negative amount is."""
    if signed >= 0:
        return signed, None, True
    entry = _entry(text)
    if entry == "credit_note":  # less charged, not paid
        return signed, None, True
    return None, -signed, entry is not None


def _mend_from_balances(rows: list[Row]) -> None:
    """Mend one-column amounts that their running balances contradict, where one usual OCR
    slip explains the difference exactly: a minus sign dropped (or a dash read as one),
    far likelier than a figure changed so that the balance moves by exactly the opposite
    amount; or the decimal point lost with the separators ("-23870488" for -238,704.88). A
    row printed -15.12 and read 15.12 between balances 3,843.62 and 3,828.50 is a credit of
    15.12."""
    prev: Decimal | None = None
    for row in rows:
        item = row.item
        cell = row.cells.get("amount")
        if (
            cell is not None
            and prev is not None
            and item.balance is not None
            and item.kind == "transaction"
            and "debit" not in row.cells
            and "credit" not in row.cells
        ):
            signed, moved = _amount(cell), item.balance - prev
            mended = [-signed] if signed else []
            if signed and not _CENTS_PRINTED.search(cell.text):
                mended += [(signed / 100).quantize(_CENT), (-signed / 100).quantize(_CENT)]
            if signed != moved and moved in mended:
                debit, credit, row.named = _split_signed(moved, row.text)
                row.item = replace(item, debit=debit, credit=credit)
        elif prev is not None and item.balance is not None and item.kind == "transaction":
            row.item = _signs_mended(row, prev)
        if item.balance is not None:
            prev = row.item.balance


def _signs_mended(row: Row, prev: Decimal) -> LineItem:
    """A row of debit and credit columns with the minus sign OCR dropped, where the running
    balances tell it exactly: a credit note in the debit column ("-114.97" read 114.97,
    the balance going down by as much; a payment read into that column moves it the same
    way, so the row's words must say which), or the running balance itself turned into
    credit (122.70 less a payment of 6,304.94 printed -6,182.24, read 6,182.24) when no
    amount in the other column explains it."""
    item = row.item
    debit, credit = item.debit or Decimal(0), item.credit or Decimal(0)
    if prev + debit - credit == item.balance:
        return item
    if prev - debit + credit == item.balance:  # as if the amounts stood in the other column
        lone = item.debit is not None and item.debit > 0 and item.credit is None
        if lone and _entry(row.text) == "credit_note":
            return replace(item, debit=-item.debit)
        return item
    if item.balance and prev + debit - credit == -item.balance:
        return replace(item, balance=-item.balance)
    return item


_CENTS_PRINTED = re.compile(r"[.,]\s?\d{2}(?!\d)")
# A lone digit on a row whose amounts print cents: a speck or a rule read by OCR ("7"), not an
# amount; taken for one it would push the real amount out of its column, or add to a sum.
_SPECK = re.compile(r"\s*[|_'`.,]?\d[|_'`.,]?\s*")
_CENT = Decimal("0.01")


def _entry(text: str) -> str | None:
    """"payment" or "credit_note" when a row's words name exactly one of them."""
    found = [kind for kind, rx in _ENTRIES.items() if rx.search(text)]
    return found[0] if len(found) == 1 else None


def _year_above(lines: Sequence[Line]) -> int | None:
    """The year of rows dated by month and day only ("06-12", "12-Jun"): the one year of
    every year and month, and every date, printed above the table (none when they name
    two: a December statement printed in January)."""
    years = {int(m.group(1)) for line in lines for m in _YEAR_MONTH.finditer(line.text)}
    years |= {d.value.year for line in lines for d in find_dates(line.text)}
    return years.pop() if len(years) == 1 else None


def read_ledger(pages: Sequence[Page], lines: Sequence[Sequence[Line]] | None = None) -> Ledger:
    """The ledger rows on `pages` (none when no page has a ledger header).

    Each page's table starts at its own header row; a page without one continues the
    columns of the page before (a ledger reprints its header on every page, but OCR may
    lose it)."""
    ledger = Ledger()
    columns: list[Column] | None = None
    year: int | None = None
    rows_of = [lines[n] if lines is not None else page_lines(p) for n, p in enumerate(pages)]
    dayfirst = dayfirst_of([line.text for rows in rows_of for line in rows])
    for page_rows in rows_of:
        started = columns is not None
        read = 0  # rows read on this page
        for n, line in enumerate(page_rows):
            header = _header(line)
            if header is not None:
                columns, started = _columns(header), True
                head_year = next((c for k, c in header if k == "date"), None)
                found = _YEAR_HEAD.search(head_year.text) if head_year else None
                year = int(found.group(1)) if found else _year_above(page_rows[:n])
                continue
            if not started or columns is None:
                continue
            row = _row(line, columns, year, dayfirst)
            if row is not None and read and _summary_row(row):
                started = False  # the summary under the table
            elif row is not None:
                ledger.rows.append(row)
                read += 1
            elif read and _table_ended(line, page_rows[n + 1 : n + 2], columns, year, dayfirst):
                started = False
    guessed = columns is None and (columns := _inferred_columns(rows_of)) is not None
    if guessed:
        for page_rows in rows_of:
            ledger.rows += [r for line in page_rows if (r := _row(line, columns, None, dayfirst))]
    ledger.rows = _oldest_first(ledger.rows)
    _undated_totals(ledger.rows)
    _unlabelled_opening(ledger.rows)
    _mend_from_balances(ledger.rows)
    if guessed and not _balances_follow(ledger):
        return Ledger()  # the columns were guessed wrong, or the table is none of a ledger's
    brought = any(r.item.kind in ("opening", "brought") for r in ledger.rows)
    if _signed_only(columns) and not brought:
        # one Amount column and no balance brought into it: a list of items (a till slip's
        # goods, a page of charges), not an account's activity to sum
        return Ledger()
    return ledger


def _signed_only(columns: list[Column] | None) -> bool:
    kinds = {c.kind for c in columns or ()}
    return "amount" in kinds and not kinds & {"debit", "credit", "balance"}


def _summary_row(row: Row) -> bool:
    """A line of the summary under a table, read as a row: undated, labelled with one of the
    statement's figures ("Total payments  EUR -499.489,06", "Total Amount Due  34,216.40"),
    its figure alone in the balance or the signed amount column's place, or with two of
    them. Taken for a total row, its figure would be the last running balance or the sum of
    the rows."""
    date_cell = row.cells.get("date")
    if row.item.date is not None or (date_cell is not None and _month_day(date_cell.text)):
        return False  # dated, though its year is not known
    # label: figure pairs of two of the statement's figures side by side ("期初余额: … 本期发货:
    # …"): no ledger row names two of them
    if len({h.field for h in row.line.hits if h.field in AMOUNT_FIELDS}) >= 2:
        return True
    # the same pairs with their labels garbled ("WARM: 112.03  BMA: 67.22"): no ledger row
    # prints words, a colon and a figure in two of its cells
    if sum(1 for cell in row.line.cells() if _label_and_figure(row.line.text[slice(*cell)])) >= 2:
        return True
    amounts = {k for k in row.cells if k in AMOUNT_COLUMNS}
    return amounts in ({"balance"}, {"amount"}) and _summary(row.line)


# a label OCR garbled, then a colon: the words of a summary's "label：value" cell before its
# figure ("AMM: 588,473.52")
GARBLED_LABEL = re.compile(r"^[^\d\t]{2,12}[:;]\s*$")


def _label_and_figure(cell: str) -> bool:
    """A cell of words, a colon and one figure ("BMA: 67.22", "期初余额：13,170.38")."""
    amounts = find_amounts(cell)
    return len(amounts) == 1 and bool(GARBLED_LABEL.match(cell[: amounts[0].start]))


def _oldest_first(rows: list[Row]) -> list[Row]:
    """The rows in a ledger's order. An account page of a supplier's web portal lists the
    activity newest first, each running balance the one after its row and the balance
    forward at the bottom: its rows are turned round, so that each balance follows from the
    one above, the opening comes first and the last balance is the closing one."""
    kinds = {r.item.kind for r in rows}
    dates = [r.item.date for r in rows if r.item.date is not None]
    newest_first = (
        len(dates) >= 3
        and dates[0] > dates[-1]
        and all(a >= b for a, b in zip(dates, dates[1:], strict=False))
        and kinds <= {"transaction", "opening"}
    )
    return rows[::-1] if newest_first else rows


def _table_ended(
    line: Line, after: Sequence[Line], columns: list[Column], year: int | None, dayfirst: bool
) -> bool:
    """Whether a line that is no row ends the table: the summary's labelled figures, or
    words without a figure ("汇总", a footer). Not words a dated row follows: a cell's text
    wrapped onto a line of its own (a long description, a clerk's name)."""
    if _summary(line):
        return True
    if find_amounts(line.text):
        return False
    row = _row(after[0], columns, year, dayfirst) if after else None
    return row is None or row.item.date is None


def _unlabelled_opening(rows: list[Row]) -> None:
    """The opening row whose label was not read ("Initlal Balance"): the first row, a total
    above the lines aside, when it has only a balance, or has no date and a balance that is
    its own debit or credit (the balance brought forward, printed in its column as well)."""
    first = next((r for r in rows if r.item.kind != "month_total"), None)
    if first is None or first.item.kind != "transaction":
        return
    item = first.item
    other = first.cells.get("other")
    if other is not None and find_amounts(other.text):
        return  # a figure under a column the lexicon does not name
    alone = item.debit is None and item.credit is None
    brought = (
        item.date is None
        and item.balance is not None
        and item.balance == (item.debit or CENTS) - (item.credit or CENTS)
    )
    if alone or brought:
        first.item = replace(item, kind="opening")


def _undated_totals(rows: list[Row]) -> None:
    """Mark as the month total an undated row whose debit and credit are the sums of the
    dated transactions, or, above them, that repeats the last running balance. Some ledgers
    print the total without a label, or on the account's own heading row above its lines
    (Odoo's partner ledger); read as a transaction, it would count every line twice. (A
    total OCR misread is told by its balance; the row sums then check it. Below the lines,
    a row repeating the balance may be the aging row's total instead.)"""
    tx = [r for r in rows if r.item.kind == "transaction"]
    dated = [r for r in tx if r.item.date is not None]
    if len(dated) < 2:
        return
    sums = _sums(dated)
    last = dated[-1].item.balance
    first = next(i for i, r in enumerate(rows) if r is dated[0])
    above = {id(r) for r in rows[:first]}
    for r in tx:
        item = r.item
        if item.date is not None or (item.debit is None and item.credit is None):
            continue
        if (item.debit or CENTS, item.credit or CENTS) == sums or (
            id(r) in above and last is not None and item.balance == last
        ):
            r.item = replace(item, kind="month_total")


def _balances_follow(ledger: Ledger) -> bool:
    """An opening balance, transactions, and each running balance following from the one
    before: the rows of a ledger whose columns are placed right."""
    opening, tx = _opening_row(ledger), ledger.of("transaction")
    return (
        opening is not None
        and opening.item.balance is not None
        and bool(tx)
        and _running_ok(opening.item.balance, tx)
    )


def _inferred_columns(rows_of: Sequence[Sequence[Line]]) -> list[Column] | None:
    """The amount columns read off the rows, for a ledger whose header row OCR garbled on
    every page: an opening row with its balance, a month-total row with its sums, and rows
    of amounts whose right edges line up in columns. The rightmost column is the running
    balance; of the two to its left the first is debit and the second credit, the order
    ledgers print them in (one column alone is a signed amount). Whether that was right the
    running balances tell: read_ledger keeps the rows only when each follows from the one
    before (`_balances_follow`)."""
    lines = [(line, find_amounts(line.text)) for rows in rows_of for line in rows]

    def has_row(kind: str, amounts: int) -> bool:
        return any(_ROWS[kind].search(line.text) and len(a) >= amounts for line, a in lines)

    if not (has_row("opening", 1) and has_row("month_total", 2)):
        return None  # a summary box or an aging table has amounts in columns too
    boxes = []
    for line, amounts in lines:
        found = [line.box_conf(m.start, m.end)[0] for m in amounts]
        if len(found) >= 2 and all(found):
            boxes += found
    if len(boxes) < 6:
        return None
    tolerance = 2 * sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]  # two text heights
    groups: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b[2]):
        if groups and box[2] - groups[-1][-1][2] <= tolerance:
            groups[-1].append(box)
        else:
            groups.append([box])
    bands = [(min(b[0] for b in g), max(b[2] for b in g)) for g in groups if len(g) >= 2][-3:]
    if len(bands) < 2:
        return None
    kinds = ("debit", "credit", "balance") if len(bands) == 3 else ("amount", "balance")
    edges = [bands[0][0] - tolerance]
    edges += [(a[1] + b[0]) / 2 for a, b in zip(bands, bands[1:], strict=False)]
    edges.append(float("inf"))
    columns = [Column("description", float("-inf"), edges[0])]
    columns += [Column(k, lo, hi) for k, lo, hi in zip(kinds, edges[:-1], edges[1:], strict=True)]
    return columns


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """A statement figure read from the ledger: where it is printed and how sure."""

    value: Decimal
    cell: Cell | None  # None: computed from the rows, not printed as such
    confidence: float
    # computed from rows split as printed (debit and credit columns of their own, or each
    # negative amount named payment or credit note), every running balance followed from a
    # printed opening: the sum the ledger's own month total would print
    checked: bool = False
    # no row can be missing at the end: read from a PDF's text layer, or followed by a total
    # row repeating the last running balance
    closed: bool = False


def _running_ok(opening: Decimal | None, rows: list[Row]) -> bool:
    prev = opening
    for r in rows:
        item = r.item
        if item.balance is None:
            return False
        if prev is not None:
            expected = prev + (item.debit or 0) - (item.credit or 0)
            if expected != item.balance:
                return False
        prev = item.balance
    return True


def figures(
    ledger: Ledger,
    strength: float,
    printed_opening: Decimal | None = None,
    printed_apart: Collection[Decimal] = (),
) -> dict[str, Figure]:
    """opening_balance, charges, payments and closing_balance from the ledger rows.

    Confidence is `strength` times the weakest OCR word, lowered when the rows do not
    check: running balances that do not follow, transactions that do not add up to
    the month total. The balance identity is left to the caller's arithmetic checks.
    `printed_opening`: the opening a summary prints apart from the table, which checks
    the first row of a ledger without an opening row of its own; `printed_apart`: the
    figures printed off the table, among which the last running balance shows that no row
    was lost at its end."""
    tx = ledger.of("transaction")
    if not tx and not ledger.of("month_total"):
        return {}
    out: dict[str, Figure] = {}
    opening = _opening_row(ledger)
    opening_value = None
    if opening is not None:
        item = opening.item
        column = next(k for k in ("balance", "debit", "credit") if getattr(item, k) is not None)
        opening_value = getattr(item, column)
        if column == "credit":
            opening_value = -opening_value  # a credit brought forward
        out["opening_balance"] = Figure(
            opening_value, opening.cells.get(column), strength * opening.confidence
        )
    ok_running = _running_ok(opening_value, tx)
    # a total row printing only the ending balance ("Total  28,415.96" under the balance
    # column) gives no sums: they are summed from the rows as if it were not there
    totals = [r for r in ledger.of("month_total") if (r.item.debit, r.item.credit) != (None, None)]
    debits, credits = _sums(tx)
    if totals:
        total = totals[-1]
        adds_up = (total.item.debit or 0) == debits and (total.item.credit or 0) == credits
        factor = 1.0 if adds_up or not tx else UNCHECKED
        conf = strength * total.confidence * factor
        if total.item.debit is not None:
            out["charges"] = Figure(total.item.debit, total.cells.get("debit"), conf)
        if total.item.credit is not None:
            out["payments"] = Figure(total.item.credit, total.cells.get("credit"), conf)
    elif tx and _one_period(tx):
        conf = strength * min(r.confidence for r in tx) * COMPUTED
        # one signed amount column does not say whether a negative amount is a credit note
        # (less charged) or a payment: separate columns split the sums as printed, and in
        # one column only rows whose words name which it is
        split = all("amount" not in r.cells or r.named for r in tx)
        # Without running balances the sums stay unchecked even when the balance identity
        # holds: it vouches for charges − payments only, and a pair of rows that do not
        # belong (a charge and its payment from another period) leaves that unchanged.
        # the first running balance follows from an opening: the ledger's own row, or the
        # one the summary prints (then no row was lost before the first one read)
        first = opening is not None or (
            printed_opening is not None and _running_ok(printed_opening, tx[:1])
        )
        checked = split and ok_running and first
        closed = checked and (_closed(ledger, tx[-1]) or tx[-1].item.balance in printed_apart)
        out["charges"] = Figure(debits, None, conf, checked, closed)
        out["payments"] = Figure(credits, None, conf, checked, closed)
    last = _last_balance(ledger)
    if last is not None:
        assert last.item.balance is not None
        factor = 1.0 if ok_running else UNCHECKED
        out["closing_balance"] = Figure(
            last.item.balance, last.cells.get("balance"), strength * last.confidence * factor
        )
    return out


def _closed(ledger: Ledger, last: Row) -> bool:
    """Whether no transaction can be missing after `last`: a PDF's text layer loses no row,
    and a total row under the rows that repeats `last`'s running balance shows that nothing
    stood between them (a row lost to OCR takes its running balance with it)."""
    if last.line.page.source == Source.TEXT:
        return True
    after = ledger.rows[ledger.rows.index(last) + 1 :]
    return any(r.item.kind == "month_total" and r.item.balance == last.item.balance for r in after)


def _sums(rows: list[Row]) -> tuple[Decimal, Decimal]:
    """The debits and the credits of `rows`, in cents even when no row has one (a sum of
    nothing is 0.00, not 0)."""
    debits = sum((r.item.debit or CENTS for r in rows), CENTS)
    credits = sum((r.item.credit or CENTS for r in rows), CENTS)
    return debits, credits


def row_sums(ledger: Ledger) -> dict[str, Decimal]:
    """Charges and payments summed from the transactions where the month-total row prints
    other figures: one of the two was misread, and the balance identity may tell which."""
    tx, totals = ledger.of("transaction"), ledger.of("month_total")
    if not tx or not totals or not _one_period(tx):
        return {}
    debits, credits = _sums(tx)
    total = totals[-1].item
    out = {}
    if total.debit is not None and total.debit != debits:
        out["charges"] = debits
    if total.credit is not None and total.credit != credits:
        out["payments"] = credits
    return out


def _one_period(rows: list[Row]) -> bool:
    """Whether dated rows can be one period's transactions. Rows spread over months are an
    open-item list (invoices still unpaid, however old) or an account's history: their sums
    are not what was charged and paid this period."""
    dates = [r.item.date for r in rows if r.item.date is not None]
    return not dates or (max(dates) - min(dates)).days <= MAX_PERIOD_DAYS


MAX_PERIOD_DAYS = 40  # a month, or a billing cycle across two months, and some slack
CENTS = Decimal("0.00")
UNCHECKED = 0.7  # factor: the rows do not agree with each other
COMPUTED = 0.8  # factor: a figure summed from the rows, not printed as a total


def _opening_row(ledger: Ledger) -> Row | None:
    """The opening row, or the balance carried (brought) forward before any transaction
    ("Balance carried forward" heads an SAP statement)."""
    for r in ledger.rows:
        item = r.item
        if item.kind in ("opening", "carried", "brought"):
            return r
        if item.kind == "transaction":
            break
    return None


def _last_balance(ledger: Ledger) -> Row | None:
    """The last running balance: of the month-total row or the last row before it,
    never of the year-to-date row (which repeats it) or a later month."""
    kinds = ("transaction", "month_total", "carried", "opening", "brought")
    rows = [r for r in ledger.rows if r.item.kind in kinds and r.item.balance is not None]
    return rows[-1] if rows else None
