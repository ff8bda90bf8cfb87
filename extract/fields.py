"""Statement fields from page words: labels, values, page boxes and an initial confidence.

Pure functions. Each page line is rebuilt from its words with NFKC normalization
(full-width digits and punctuation become ASCII) and with the spaces OCR puts between
CJK characters removed; wide gaps between words become cell breaks ("\\t"). Bilingual
labels are found in each line; a value is read right after its label, else from the next
cell of the same line, else (summary tables) from the cell below, else (label-only lines)
from the next line. Candidates from transaction rows are penalized, so a ledger with many
dates and amounts never beats the summary block. A summary table of two ways (上期累计 |
本期 | 本期末累计 over 结算金额 / 已付款 / 欠款) names a figure by its row and its column.

OCR damage seen on real scans is undone where it is unambiguous and costs confidence:
amounts with spaces or swapped separators ("61, 455. 04", "4.534.10"), ¥ read as Y, 元
read as digits; Chinese labels with one character misread (本期收蒜 for 本期收款) when
no other field's label is as close. Summary amounts whose labels are unreadable are placed
only when the statement's arithmetic singles out one placement; a period whose label is
unreadable is the one unlabelled bare month of the document.

Ledger exports are read row by row (extract.ledger): their opening row, month total and
last running balance give the amounts, and their transaction rows label nothing but their
own amounts (a column's name over the first row is no summary label). When the
amounts chosen do not add up, the statement's arithmetic chooses among the other printed
candidates (extract.arithmetic). A statement printing one final balance gives both closing
balance and amount due; payments printed as credits are the amount paid.

Initial confidence = label strength × weakest OCR word confidence of the value × penalties.
confidence.score() then applies the customer master, QR codes and cross-checks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from extract import arithmetic
from extract.arithmetic import AMOUNT_FIELDS, balance_holds
from extract.customers import normalize_code
from extract.layout import Line, page_from_lines, page_lines
from extract.ledger import GARBLED_LABEL, Ledger, names_a_total, read_ledger, row_sums
from extract.ledger import figures as ledger_figures
from extract.lexicon import (
    STRONG,
    WEAK,
    Hit,
    find_hits,
    grid_terms,
    phrase_regex,
    traditional_script,
)
from extract.types import FieldValue, LineItem, Page, Source
from extract.values import (  # re-exported: callers parse values through this module
    _CJK,
    _CJK_RANGE,
    _CJK_SPACES,
    _CUR_ALT,
    _CURRENCIES,
    _CURRENCY_RE,
    _DIGIT_REPAIR,
    _MONTH,
    _ORD,
    _REPAIR_TABLE,
    AMBIGUOUS_SIGNS,
    CELL,
    AmountMatch,
    _is_cjk,
    currency_sign,
    dayfirst_of,
    detect_currency,
    find_amounts,
    find_date,
    find_dates,
    find_period,
    find_range,
    local_currency,
    month_bounds,
    named_currency,
    normalize,
    parse_amount,
    parse_date,
    parse_period,
    roc_dated,
)

__all__ = [
    "balance_holds",
    "STRONG",
    "WEAK",
    "detect_currency",
    "normalize",
    "page_from_lines",
    "parse_date",
]

# OCR reads a label's colon as ; or , (and NFKC turns ：；， into :;,)
_SEPARATORS = re.compile(r"[\s:;,、=|/#.\-]*")
_LEAD = re.compile(r"^[\s:;,、。.=|/#\-\"'“”‘’`~_]+")  # OCR reads a gap as quotes or 。
_TRAIL = re.compile(r"[\s:;,=|/#\-]+$")
# A colon printed apart from its label (fixed-pitch prints pad labels to one width) is its
# own OCR cell, often read as + or ; (a lone "-" is not one: it says nil)
_STRAY_MARK = re.compile(r"\s*[+:;：；|*'\"`.,]{1,2}\s*")

FIELD_NAMES: tuple[str, ...] = (
    "customer_code",
    "customer_name",
    "period",
    "period_start",
    "period_end",
    "statement_no",
    "statement_date",
    "due_date",
    "opening_balance",
    "charges",
    "payments",
    "closing_balance",
    "amount_due",
    "currency",
)
DATE_FIELDS = ("statement_date", "due_date", "period_start", "period_end")
# A document is accepted only when each of these is at or above the threshold;
# see required_field() for the field that carries each.
REQUIRED = ("customer", "period", "amount")
DEFAULT_CURRENCY = "CNY"
ROC_CURRENCY = "TWD"  # a document dated in 民國 years is Taiwanese

# Confidence weights (bench/accuracy.py measures how they relate to accuracy).
TITLE = 0.7  # an unlabelled period in a title: 2026年10月对账单, Statement for October 2026
TABLE_ROW = 0.6  # the value sits in a transaction row (a date first, or many amounts)
BELOW = 0.9  # the value is in the cell under a column-header label
ABOVE = 0.85  # the value is the figure over its caption (a dashboard's tiles)
GRID = 0.85  # the value is named by its row and its column's time (a two-way summary table)
NEXT_CELL = 0.9  # words follow the label in its cell, the value is in the next cell
NEXT_LINE = 0.85  # the label is alone on its line and the value is on the next
REPAIRED = 0.9  # O/o/l/I inside a number were read as digits, or separators were mended
ORPHAN = 0.7  # an amount without a readable label, placed by the statement's arithmetic
BARE_INTEGER = 0.5  # an amount printed without cents, separators or currency
LEFTOVER_DIGITS = 0.5  # more digits follow the amount in its cell: it may be a fragment
PERIOD_FROM_DATE = 0.8  # a period label followed by one date, not a month or a range
CODE_IN_NAME = 0.9  # a customer code printed inside the name: "C0042 上海某某", "上海某某 (C0042)"
# A code with one glyph that OCR confuses with a glyph of the other kind, alone among
# letters or digits ("0ZD2026095540" for DZD…, "…662S" for …6625): as likely misread as not,
# so it stays below confidence.FIELD_FLOOR and a person looks.
LONE_LOOKALIKE = 0.45
CURRENCY_FROM_AMOUNT = 0.9  # the currency came from a symbol next to a labelled amount
DEFAULT_CURRENCY_CONFIDENCE = 0.8  # nothing printed: the CNY default
CURRENCY_FROM_PAGE = 0.7  # no label: the one currency sign the page's amounts carry
# A bare "$" or 元 on a statement in traditional characters that says nowhere which
# (HKD, TWD, MOP...): below confidence.FIELD_FLOOR, so a person says which
AMBIGUOUS_CURRENCY = 0.45
ROWS_AGREE = 0.92  # a period every dated row of the table falls in (as confidence.PERIOD_AGREES)
AGREEING = 0.6  # readings at least this sure that give one value corroborate each other

# --------------------------------------------------------------------------- values


@dataclass
class _Candidate:
    name: str
    value: Any
    score: float
    line: Line
    start: int  # span in line.text
    end: int
    extra: dict[str, tuple[Any, int, int]] = field(default_factory=dict)
    arithmetic: bool = False  # placed by the balance identity, or summed from ledger rows
    rows: bool = False  # summed from ledger rows that check (extract.ledger.Figure.checked)
    closed: bool = False  # and none can be missing at the end (extract.ledger.Figure.closed)
    five: bool = False  # its "$" read as the 5 it was printed as (see _five_for_dollar)

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.line.page.number, self.line.index, self.start)


_CODE_LEAD = re.compile(rf"[^A-Za-z0-9{_CJK_RANGE}]{{0,4}}")
# digits and letters OCR takes for each other
_LOOKALIKES = frozenset("0125681ODQZSGBIL")
_RUNS = re.compile(r"\d+|[A-Za-z]+")
_CODE_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.\-#]*")
_CODE_IN_NAME = re.compile(
    r"^\[?((?=[A-Za-z0-9\-]{4})[A-Za-z]{0,4}\d{2,}[A-Za-z0-9\-]*)\]?\s+(.+)$"
)
# OCR with the Chinese model drops the space between a code and the name after it
# ("C0042上海某某"); a code is then one with letters, or a long run of digits, since
# a company name may start with a short number ("360安全科技").
_CODE_GLUED = re.compile(
    rf"^\[?((?:[A-Za-z]{{1,4}}\d{{2,}}|\d{{5,}})[A-Za-z0-9\-]*)\]?(?=[{_CJK_RANGE}])(.+)$"
)
# "上海某某 (C0042)"; OCR reads the brackets as others (〔《C0003 ), or the opening one as a
# letter before the code ("CC0013 )")
_NAME_WITH_CODE = re.compile(
    r"^(.+?)\s*(?:[(\[{〔《【<]+\s*)?([A-Z]{0,4}\d{2,}[A-Z0-9\-]*)\s*[)\]}〕》】>]$"
)
_MAX_NAME = 80
_DOCUMENT_TITLE = re.compile(
    rf"[{_CJK_RANGE}]{{0,4}}(?:对账单|对帐单|對賬單|账单|帳單|结单|結單|月结单|询证函)"
    r"|statement(?: of account)?",
    re.I,
)


def _repair(text: str) -> tuple[str, bool]:
    fixed = _DIGIT_REPAIR.sub(lambda m: m.group().translate(_REPAIR_TABLE), text)
    return fixed, fixed != text


_Value = tuple[str, Any, int, int, float]  # field, value, start, end, factor


# OCR damage to printed amounts, undone in the value of an amount label (each rewrite is
# (pattern, replacement); a replacement keeps or drops characters, so spans map back):
_AMOUNT_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "61, 455. 04", "695. 39": a space after (or before) a separator inside a number
    (re.compile(r"(?<=\d[.,]) +(?=\d)|(?<=\d[.,][.,]) +(?=\d)|(?<=\d) +(?=[.,]\d)"), ""),
    # "61,455,.04": two separators in a row, the last one is meant
    (re.compile(r"(?<=\d)[.,](?=[.,]\d)"), ""),
)
# "Y239,544.85", "#1,234.00": ¥ read as a letter or a hash, before an amount
_YEN_MISREAD = re.compile(r"(?<![A-Za-z0-9])[Y#](?=\d{1,3}(?:[.,]\d{3})*[.,]\d{2}(?!\d))")
# "4.534.10", "4,546,39": thousands and decimal separators confused; the last separator
# followed by exactly two digits is the decimal point, the ones before 3-digit groups are
# thousands separators. So is a lone comma before two digits ("107,45"): a thousands comma
# is followed by three, so this is a decimal comma (continental print) or a misread dot.
_SEPARATOR_MIX = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:[.,]\d{3})+|\d+)[.,]\d{2}(?![\d.,])")
# "34,065.2370", "758.785": 元 after an amount read as digits glued to its cents
_CENTS_TAIL = re.compile(r"(?<![\d.,])((?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2})\d{1,2}(?=\s*$)")


def _repair_amount(text: str) -> tuple[str, list[int], bool]:
    """`text` with the OCR damage above undone, the index in `text` of each of its
    characters, and whether anything changed."""
    fixed, _ = _repair(text)
    chars = list(fixed)
    origin = list(range(len(chars)))

    def apply(rx: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]) -> None:
        nonlocal chars, origin
        joined = "".join(chars)
        out_c: list[str] = []
        out_o: list[int] = []
        last = 0
        for m in rx.finditer(joined):
            new = replace(m)
            if new is None:
                continue
            out_c += chars[last : m.start()]
            out_o += origin[last : m.start()]
            # a replacement of the same length keeps each character's origin; a shorter
            # one keeps the first characters' origins
            out_c += list(new)
            out_o += origin[m.start() : m.start() + len(new)]
            last = m.end()
        chars, origin = out_c + chars[last:], out_o + origin[last:]

    for rx, repl in _AMOUNT_REWRITES:
        apply(rx, lambda m, repl=repl: repl)
    apply(_YEN_MISREAD, lambda m: "¥")
    apply(_SEPARATOR_MIX, _fix_separators)
    apply(_CENTS_TAIL, lambda m: m.group(1))
    result = "".join(chars)
    return result, origin, result != text


def _fix_separators(m: re.Match[str]) -> str | None:
    run = m.group()
    seps = [c for c in run if c in ".,"]
    if seps[-1] == "." and all(c == "," for c in seps[:-1]):
        return None  # already right
    body = "".join("," if c in ".," else c for c in run[:-3])
    return body + "." + run[-2:]


# A credit balance marked in words next to the amount (CR after it is read by find_amount)
_CREDIT_BEFORE = re.compile(r"(?:贷|貸|(?<![A-Za-z])Cr\.?)\s*[:：]?\s*$", re.I)
_CREDIT_AFTER = re.compile(r"\s*(?:贷|貸)")


_NIL = re.compile(r"(?<![A-Za-z])(?:NIL|Nil)(?![A-Za-z])")


def _read_amount(name: str, text: str) -> list[_Value]:
    fixed, origin, repaired = _repair_amount(text)
    amounts = find_amounts(fixed)
    m = amounts[0] if amounts else None
    figures = [a for a in amounts[1:] if not _bare(fixed[a.start : a.end])]
    if m is not None and _bare(fixed[m.start : m.end]) and figures:
        # "Invoices (8)  692,173.23", "Balance at 11th Mar 2022  1,234.56": a count, a
        # year or a page number between the label and the figure
        m = figures[0]
    if m is None:
        nil = _NIL.search(text)  # "Amount now due CNY NIL": nothing
        return [(name, Decimal("0.00"), nil.start(), nil.end(), 1.0)] if nil else []
    factor = REPAIRED if repaired else 1.0
    cut_off = fixed[m.end :] in (",", ".") and "." not in fixed[m.start : m.end]
    if re.search(r"\d", fixed[m.end :]) or cut_off:
        # "RMB 61, 455. 04" read as 61: more digits follow; "¥18," ending a line of prose:
        # the figure goes on at the start of the next
        factor *= LEFTOVER_DIGITS
    if _bare(fixed[m.start : m.end]):
        factor *= BARE_INTEGER  # "4", "2022": more often a count, a year or a code
    value = m.value
    if value > 0 and (_CREDIT_BEFORE.search(fixed[: m.start]) or _CREDIT_AFTER.match(fixed, m.end)):
        value = -value  # "贷 1,234.56", "1,234.56 贷": a credit balance
    start, end = origin[m.start], origin[m.end - 1] + 1
    out: list[_Value] = [(name, value, start, end, factor)]
    if m.currency:
        out.append(("currency", m.currency, start, end, factor * CURRENCY_FROM_AMOUNT))
    return out


def _bare(printed: str) -> bool:
    """Whether an amount is printed as a bare integer: no currency, separator or decimals."""
    return not re.search(r"[.,]", printed) and currency_sign(printed) is None


def _read_date(name: str, text: str) -> list[_Value]:
    fixed, repaired = _repair(text)
    # a range ("日期：2026/10/01 至 2026/10/31") is the period, and its dates are not this one
    span = find_range(fixed)
    for m in find_dates(fixed):
        if span is None or not span.start <= m.start < span.end:
            return [(name, m.value, m.start, m.end, REPAIRED if repaired else 1.0)]
    return []


def _read_code(name: str, text: str) -> list[_Value]:
    # anything before the first letter or digit is the colon, a gap read as quotes, or a
    # misread first letter ("©0007"); customers.match_code copes with a lost letter
    lead = _CODE_LEAD.match(text)
    m = _CODE_TOKEN.match(text, lead.end() if lead else 0)
    if not m:
        return []
    token = m.group().rstrip(".-/#")
    # letters only: a code whose digits OCR read as O and I ("COO42" is C0042), which
    # takes two of them; "YOUR" or "INFO" is a word
    looks_like_code = any(c.isdigit() for c in token) or (
        len(token) >= 3 and token.isupper() and sum(c in "OI" for c in token) >= 2
    )
    if len(token) < 2 or not looks_like_code or find_date(token):
        return []
    factor = LONE_LOOKALIKE if _lone_lookalike(token) else 1.0
    return [(name, token, m.start(), m.start() + len(token), factor)]


def _lone_lookalike(token: str) -> bool:
    """One look-alike glyph standing alone between runs of the other kind: a digit before or
    between runs of two or more letters ("0ZD2026…", "DZ0D…"), or a letter after or between
    runs of three or more digits ("…662S", "2026O95540"). A one-letter prefix ("S12345") is
    the common shape of a code and does not count."""
    runs = _RUNS.findall(token)
    # a letter after digits is a digit before letters, read from the end
    return _lone_ahead(runs, digit=True, shortest=2) or _lone_ahead(
        runs[::-1], digit=False, shortest=3
    )


def _lone_ahead(runs: list[str], *, digit: bool, shortest: int) -> bool:
    """A lone look-alike of the kind `digit` says, followed by a run of the other kind at
    least `shortest` long, and preceded by nothing or by such a run."""

    def long_other(run: str) -> bool:
        return run.isdigit() != digit and len(run) >= shortest

    return any(
        len(run) == 1
        and run in _LOOKALIKES
        and run.isdigit() == digit
        and i + 1 < len(runs)
        and long_other(runs[i + 1])
        and (i == 0 or long_other(runs[i - 1]))
        for i, run in enumerate(runs)
    )


def _read_name(name: str, text: str) -> list[_Value]:
    lead = _LEAD.match(text)
    start = lead.end() if lead else 0
    trail = _TRAIL.search(text, start)
    end = trail.start() if trail else len(text)
    value = _CJK_SPACES.sub("", text[start:end])
    if not value or len(value) > _MAX_NAME or not re.search(rf"[A-Za-z{_CJK_RANGE}]{{2}}", value):
        return []
    if parse_amount(value) is not None or parse_date(value) is not None:
        return []
    if _DOCUMENT_TITLE.fullmatch(value):
        return []  # "客户对账单" is the title, not 客户: 对账单
    m = _CODE_IN_NAME.match(value) or _CODE_GLUED.match(value) or _NAME_WITH_CODE.match(value)
    if m and m.re is not _NAME_WITH_CODE:  # "C0042 上海某某": the code printed before the name
        code_end = start + text[start:].index(m.group(1)) + len(m.group(1))
        rest = _read_name(name, text[code_end:])
        code = ("customer_code", m.group(1), code_end - len(m.group(1)), code_end, CODE_IN_NAME)
        return [code] + [(f, v, s + code_end, e + code_end, k) for f, v, s, e, k in rest]
    if m:  # "上海某某 (C0042)"
        code_at = start + text[start:].rindex(m.group(2))
        return [
            (name, m.group(1), start, start + len(m.group(1)), 1.0),
            ("customer_code", m.group(2), code_at, code_at + len(m.group(2)), CODE_IN_NAME),
        ]
    return [(name, value, start, end, 1.0)]


def _read_period(name: str, text: str) -> list[_Value]:
    fixed, repaired = _repair(text)
    factor = REPAIRED if repaired else 1.0
    m = find_period(fixed)
    if m is None:  # a clipped range, "2026年11月1日至2026年11月3": the month of its date
        d = find_date(fixed)
        if d is None:
            return []
        return [(name, f"{d.value:%Y-%m}", d.start, d.end, factor * PERIOD_FROM_DATE)]
    out: list[_Value] = [(name, m.period, m.start, m.end, factor)]
    if m.start_date and m.end_date:
        out.append(("period_start", m.start_date, m.start, m.end, factor))
        out.append(("period_end", m.end_date, m.start, m.end, factor))
    return out


def _read_currency(name: str, text: str) -> list[_Value]:
    m = _CURRENCY_RE.search(text)
    return [(name, _CURRENCIES[m.group().upper()], m.start(), m.end(), 1.0)] if m else []


_READERS: dict[str, Callable[[str, str], list[_Value]]] = {
    "customer_name": _read_name,
    "customer_code": _read_code,
    "statement_no": _read_code,
    "period": _read_period,
    "statement_date": _read_date,
    "due_date": _read_date,
    "currency": _read_currency,
    **{name: _read_amount for name in AMOUNT_FIELDS},
}


def _is_blank(text: str) -> bool:
    return _SEPARATORS.fullmatch(text) is not None


def _starts_with_date(line: Line) -> bool:
    first = find_date(line.text)
    return first is not None and first.start == 0


def _is_table_row(line: Line) -> bool:
    """A transaction row: starts with a date, or holds more amounts than its labels explain
    (a label of something else, 其中 before a figure's parts, explains its own). A letter's
    date beside its reference is none (see _letter_date)."""
    amounts = [a for a in find_amounts(line.text) if "." in line.text[a.start : a.end]]
    cells = line.cells()
    if _starts_with_date(line) and (amounts or len(cells) > 1):
        return not (len(cells) == 2 and line.hits and _letter_date(line, cells))
    labels = [h for h in line.hits if h.field in AMOUNT_FIELDS or h.field is None]
    return len(amounts) - len(labels) >= 2


def _candidates(
    line: Line, name: str, region: tuple[int, int], score: float, sign: int = 1
) -> list[_Candidate]:
    start, end = region
    out = []
    for f, value, s, e, factor in _READERS[name](name, line.text[start:end]):
        _, conf = line.box_conf(start + s, start + e)
        if sign < 0 and f in AMOUNT_FIELDS and value > 0:
            value = -value  # 贷方余额 1,234.56: the label says it is a credit
        out.append(_Candidate(f, value, score * factor * conf, line, start + s, start + e))
    _attach_period_dates(out)
    return out


def _attach_period_dates(cands: list[_Candidate]) -> None:
    """period_start/end travel with their period so the chosen three always agree."""
    period = next((c for c in cands if c.name == "period"), None)
    if period is None:
        return
    for c in [c for c in cands if c.name in ("period_start", "period_end")]:
        period.extra[c.name] = (c.value, c.start, c.end)
        cands.remove(c)


def _line_candidates(lines: list[Line], i: int) -> list[_Candidate]:
    line = lines[i]
    hits = [h for h in line.hits if h.field]
    factor = TABLE_ROW if _is_table_row(line) else 1.0
    out: list[_Candidate] = []
    carried = 0.0  # strength passed on from the first half of a bilingual label
    for hit in hits:
        strength = max(hit.strength, carried)
        carried = 0.0
        region = _region(line, hit)
        if region is None:
            nxt = _next_hit(line, hit)
            if (
                nxt is not None
                and nxt.field == hit.field
                and _is_blank(line.text[hit.end : nxt.start].replace(CELL, " "))
            ):
                carried = strength  # "客户名称 / Customer Name: …": the value follows the second
                continue
            out += (
                _below(lines, i, hit, strength)
                or _next_line(lines, i, hit, strength)
                or _above(lines, i, hit, strength)
            )
            continue
        found = _candidates(line, hit.field or "", region, strength * factor, hit.sign)
        if not any(c.name == hit.field and not _counted(c) for c in found):
            # "Balance at close of business 11th Mar 2022 | £1,234.56", "Invoices (8) |
            # £692,173.23": words (a count, a year) after the label in its cell, the value
            # in the next one
            beside = _next_cell(line, hit, region, strength * factor * NEXT_CELL)
            if any(c.name == hit.field for c in beside):
                found = [c for c in found if c.name != hit.field] + beside
        if not any(c.name == hit.field for c in found):
            # no value beside it (a garbled label or a stray mark there): a header cell
            found += _below(lines, i, hit, strength) or _above(lines, i, hit, strength)
        out += found
    return out


def _counted(c: _Candidate) -> bool:
    """An amount candidate printed as a bare integer: a count or a year as likely."""
    return c.name in AMOUNT_FIELDS and _bare(c.line.text[c.start : c.end])


def _next_cell(line: Line, hit: Hit, region: tuple[int, int], score: float) -> list[_Candidate]:
    cells = line.cells()
    c = line.cell_of(region[0])
    if c + 1 >= len(cells) or region[1] != cells[c][1]:
        return []
    # "Statement No. 结单编号 | ST-…" with the Chinese half of the label misread ("saat"):
    # words without a digit after a number's label, the number in the next cell
    wordy = not any(ch.isdigit() for ch in line.text[region[0] : region[1]])
    if hit.field not in AMOUNT_FIELDS and not (hit.field == "statement_no" and wordy):
        return []
    start, end = cells[c + 1]
    if any(start <= h.start < end for h in line.hits):
        return []
    found = _candidates(line, hit.field, (start, end), score, hit.sign)
    return [x for x in found if x.name in (hit.field, "currency")]


def _wrapped_candidates(lines: list[Line]) -> list[_Candidate]:
    """Prose wrapped in the middle of a label ("其中本月" | "收款264.04元"), between a
    label and its value ("本月收款" | "13,589.88元"), or in the middle of a figure ("付款¥18,"
    | "700.02"): the two lines read as one, for the labels that straddle or end at the
    break, or whose figure does."""
    out = []
    for a, b in zip(lines, lines[1:], strict=False):
        if len(a.cells()) > 1 or len(b.cells()) > 1 or not a.text or not b.text:
            continue
        label_ends = any(h.field and h.end == len(a.text) for h in a.hits)
        split = _SPLIT_FIGURE.search(a.text) is not None and b.text[0].isdigit()
        if not split and not (
            _is_cjk(a.text[-1]) and (_is_cjk(b.text[0]) or label_ends and b.text[0].isdigit())
        ):
            continue
        offset = len(a.words)
        joined = Line(
            a.page,
            a.index,
            a.text + b.text,
            a.owners + [o + offset if o >= 0 else o for o in b.owners],
            a.words + b.words,
        )
        joined.hits = find_hits(joined.text)
        cut = len(a.text)
        value_next = b.text[0].isdigit()
        if split:  # only the figure across the break is new
            out += [c for c in _line_candidates([joined], 0) if c.start < cut < c.end]
            continue
        joined.hits = [
            h
            for h in joined.hits
            if not h.field or h.start < cut < h.end or (value_next and h.end == cut)
        ]
        if any(h.field for h in joined.hits):
            out += _line_candidates([joined], 0)
    return out


# a line of prose ending inside a figure: "¥18," or "¥5" (the next line goes on "700.02",
# "57,870.24")
_SPLIT_FIGURE = re.compile(r"(?:[¥$€£]|\d,?)\d*,?$")


def _next_hit(line: Line, hit: Hit) -> Hit | None:
    return next((h for h in line.hits if h.start >= hit.end), None)


def _region(line: Line, hit: Hit) -> tuple[int, int] | None:
    """Where the value of `hit` is printed on its line: after it, or in the next cell."""
    cells = line.cells()
    c = line.cell_of(hit.start)
    nxt = _next_hit(line, hit)
    end = min(cells[c][1], nxt.start if nxt else len(line.text))
    if not _is_blank(line.text[hit.end : end]):
        return hit.end, end
    if c + 1 >= len(cells) or (nxt and nxt.start < cells[c][1]):
        return None
    start, end = cells[c + 1]
    if _STRAY_MARK.fullmatch(line.text[start:end]) and c + 2 < len(cells):
        start, end = cells[c + 2]  # "CUSTOMER NO | + | C0044": a colon set apart, misread
    if nxt and nxt.start < end:
        if _is_blank(line.text[start : nxt.start]):
            return None  # the next cell is another label: a header row
        end = nxt.start
    return start, end


def _below(lines: list[Line], i: int, hit: Hit, strength: float) -> list[_Candidate]:
    """Summary tables: a row of amount labels with their amounts in the row underneath;
    likewise a header row ("To: | Amount Due | Amount Enc.") over the customer's name."""
    if hit.field is None or i + 1 >= len(lines):
        return []
    line, below = lines[i], lines[i + 1]
    if below.hits or find_date(below.text):
        return []
    if hit.field not in AMOUNT_FIELDS:
        if hit.field != "customer_name" or len(line.cells()) < 2:
            return []  # alone on its line: _next_line reads it
        span = _cell_under(line, hit, below)
        if span is None:
            return []
        return _candidates(below, hit.field, span, strength * BELOW)
    rows = _figure_rows(lines, i)
    if len(rows) > 1:
        # a header over several rows of figures (a group's branches, then their 合计): the
        # statement's figures are in the total row, and without one in none of them
        totals = [r for r in rows if names_a_total(r.text[slice(*r.cells()[0])])]
        if len(totals) != 1:
            return []
        below = totals[0]
    head_cells, value_cells = line.cells(), below.cells()
    c = line.cell_of(hit.start)
    if len(head_cells) == len(value_cells):
        span = value_cells[c]
    else:  # cells don't pair up: take the one under the label
        span = _cell_under(line, hit, below)
        if span is None:
            return []
    text = below.text[span[0] : span[1]]
    if parse_amount(_repair_amount(text)[0]) is None:
        return []
    return _candidates(below, hit.field, span, strength * BELOW, hit.sign)


def _figure_rows(lines: list[Line], i: int) -> list[Line]:
    """The rows of figures under line `i`: no labels, no dates, two amounts or more (a note
    under a row of figures, with a figure in its words, is no row of the table)."""
    rows = []
    for line in lines[i + 1 :]:
        if line.hits or find_date(line.text) or len(find_amounts(line.text)) < 2:
            break
        rows.append(line)
    return rows


def _above(lines: list[Line], i: int, hit: Hit, strength: float) -> list[_Candidate]:
    """A dashboard's tiles: a row of figures, each with its caption under it ("$808,945.23"
    over "Previous Balance"). Only a row of captions alone, every cell a label, under a
    row of figures without labels: a label's value is otherwise beside or under it."""
    if hit.field not in AMOUNT_FIELDS or i == 0:
        return []
    line, above = lines[i], lines[i - 1]
    cells, figures = line.cells(), above.cells()
    if above.hits or len(cells) < 2 or len(figures) < 2:
        return []
    if not all(_is_caption(line, span) for span in cells):
        return []  # a sentence, or a cell without a label: no row of captions
    if any(parse_amount(_repair_amount(above.text[a:b])[0]) is None for a, b in figures):
        return []  # a table row (a date, words) over it, not a row of figures
    span = _cell_under(line, hit, above)
    return [] if span is None else _candidates(above, hit.field, span, strength * ABOVE, hit.sign)


_GRID = {kind: phrase_regex(words) for kind, words in grid_terms().items()}
_WHEN = ("before", "during", "after")
_WHAT = ("charges", "payments", "balance")
_GRID_FIELDS = {
    ("charges", "during"): "charges",
    ("payments", "during"): "payments",
    ("balance", "before"): "opening_balance",
    ("balance", "after"): "closing_balance",
}
GRID_ROWS = 6  # rows of a two-way summary table read under its header


def _grid_kind(text: str, kinds: Sequence[str]) -> str | None:
    """Which of `kinds` the longest word `text` starts with names, if any."""
    text = text.strip()
    found = [(m.end(), k) for k in kinds if (m := _GRID[k].match(text))]
    return max(found)[1] if found else None


def _grid_candidates(lines: list[Line]) -> list[_Candidate]:
    """A summary table of two ways: column headers say when a figure stands (上期累计 | 本期
    | 本期末累计), each row's name what it is (结算金额, 已付款, 欠款). The period's charges
    and payments stand in its column; the balance row gives the opening and the closing
    balance in the columns before and after it. A header naming the same time twice (本期借方
    | 本期贷方) pairs nothing: its columns are told apart by their own labels."""
    out: list[_Candidate] = []
    for i, head in enumerate(lines):
        if find_amounts(head.text):
            continue
        whens = [(span, _grid_kind(head.text[span[0] : span[1]], _WHEN)) for span in head.cells()]
        named = [w for _, w in whens if w]
        if len(set(named)) < 2:
            continue
        for row in lines[i + 1 : i + 1 + GRID_ROWS]:
            cells = row.cells()
            if not cells or not find_amounts(row.text):
                break
            what = _grid_kind(row.text[cells[0][0] : cells[0][1]], _WHAT)
            if what is None:
                continue
            for span, when in whens:
                name = _GRID_FIELDS.get((what, when or ""))
                if name is None or named.count(when) > 1:
                    continue
                under = _cell_under(head, Hit(name, STRONG, *span), row)
                if under is None or under == cells[0]:
                    continue
                found = _candidates(row, name, under, STRONG * GRID)
                out += [c for c in found if c.name == name]
    return out


def _is_caption(line: Line, span: tuple[int, int]) -> bool:
    """A cell that is a label and little else ("Previous Balance", "上期结余")."""
    labels = sum(h.end - h.start for h in line.hits if h.field and span[0] <= h.start < span[1])
    return labels * 2 >= len(line.text[span[0] : span[1]].strip())


def _cell_under(line: Line, hit: Hit, below: Line) -> tuple[int, int] | None:
    """The value cell under a header cell: the one overlapping it, else (a header set
    flush left over right-aligned figures) the first starting between its left edge and
    the next header cell's."""
    box, _ = line.box_conf(hit.start, hit.end)
    if box is None:
        return None
    values = [(span, b) for span in below.cells() if (b := below.box_conf(*span)[0])]
    for span, cell_box in values:
        if cell_box[0] < box[2] and cell_box[2] > box[0]:
            return span
    lefts = sorted(b[0] for span in line.cells() if (b := line.box_conf(*span)[0]))
    mine = line.box_conf(*line.cells()[line.cell_of(hit.start)])[0]
    if mine is None:
        return None
    stop = next((x for x in lefts if x > mine[0]), float("inf"))
    return next((span for span, b in values if mine[0] <= b[0] < stop), None)


def _next_line(lines: list[Line], i: int, hit: Hit, strength: float) -> list[_Candidate]:
    """ "Bill To:" alone on its line, the name on the next one."""
    line = lines[i]
    if hit.field in AMOUNT_FIELDS or len(line.cells()) > 1 or i + 1 >= len(lines):
        return []
    if any(h.field and h is not hit for h in line.hits):
        return []
    below = lines[i + 1]
    start, end = below.cells()[0]
    if any(h.start < end for h in below.hits):
        return []
    return _candidates(below, hit.field or "", (start, end), strength * NEXT_LINE)


# "2026年10月份对账单", "Statement for October 2026": an unlabelled period in a title.
_TITLE_PERIODS = (
    # "2026年10月客户对账单", "2026年10月送货对账单": a word or two of what it covers between
    re.compile(rf"(\d{{4}}\s*年\s*\d{{1,2}}\s*月份?)\s*(?:的)?\s*[{_CJK_RANGE}]{{0,4}}?\s*"
               r"(?:对账单|对帐单|账单|結單|月结单)"),
    re.compile(rf"statement\s+(?:of\s+account\s+)?for\s+(?:the\s+month\s+of\s+)?"
               rf"({_MONTH}\s*,?\s*\d{{4}})", re.I),
    re.compile(rf"(?<![A-Za-z])({_MONTH}\s*,?\s*\d{{4}})\s+statement", re.I),
    # a confirmation letter's "截至2026年10月31日，贵公司…余额为…": the month of that date
    re.compile(r"(?:截至|截止到|截止于|截止)(?:日期)?\s*[:;]?\s*(\d{4}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*[日号]?)"),
    re.compile(rf"(?<![A-Za-z])(?:balance\s+)?as\s+(?:at|of)\s+(\d{{1,2}}{_ORD}\s+{_MONTH}\s*,?\s*\d{{4}}"
               rf"|{_MONTH}\s*\d{{1,2}}{_ORD}\s*,?\s*\d{{4}})", re.I),
)  # fmt: skip
# "上海某某贸易有限公司：" alone on its line: the addressee of a letter
_SALUTATION = re.compile(
    r"^(?:致\s*)?([^:\t]{2,40}?(?:有限公司|公司|集团|厂|商行|中心|Ltd\.?|Limited|Inc\.?|Co\.?))"
    r"\s*:?\s*$",
    re.I,
)


# An audit confirmation letter's balance in prose: "as at 31 October 2026 an amount of
# USD 12,345.67 was due from you to us" (owed to the sender: positive), "... due to you",
# "a balance of 1,234.56 in your favour" (owed to the customer: negative).
# (OCR engines may lose the spaces between words: "anamountofCNY1,234.56wasduefromyou")
_PROSE_BEFORE = re.compile(r"(?:balance|amount|sum)\s*of\s*$", re.I)
_PROSE_AFTER = re.compile(
    r"\s*(?:(?:was|is|has\s*been|being)\s*)?(?:"
    r"(?:due|owing|owed|outstanding|payable)\s*(?P<by>(?:from|by|to)\s*(?:you|us))"
    r"|in\s*(?P<favour>your|our)\s*favou?r)",
    re.I,
)
_OWED_TO_CUSTOMER = ("fromus", "toyou", "your")


def _prose_balance(line: Line) -> list[_Candidate]:
    """The closing balance a letter states in prose (see _PROSE_AFTER), signed by who owes."""
    text = line.text.replace(CELL, " ")
    out = []
    for m in find_amounts(text):
        after = _PROSE_AFTER.match(text, m.end)
        if after is None or not _PROSE_BEFORE.search(text[: m.start].rstrip(" :")):
            continue
        whom = "".join((after.group("by") or after.group("favour") or "").lower().split())
        sign = -1 if whom in _OWED_TO_CUSTOMER else 1
        out += _candidates(line, "closing_balance", (m.start, m.end), STRONG, sign)
    return out


_MINUS = "-−－–"
# the field an amount of a printed sum stands for, by the operator before it
_OPERATIONS = {
    **dict.fromkeys("+＋", "charges"),
    **dict.fromkeys(_MINUS, "payments"),
    **dict.fromkeys("=＝", "closing_balance"),
}
FORMULA = 0.95  # printed arithmetic that holds says which figure is which, as a label does


def _formula(line: Line) -> list[_Candidate]:
    """A balance worked out in print: "本月结欠 = 808,945.23 + 76,119.08 - 554,571.80 =
    330,492.51", or values under Previous Balance / Payments / New Charges / New Balance with
    the operators printed between them. Where the sum holds, the first amount is the opening
    balance, the one added the charges, the one taken off the payments and the result the
    closing balance, whatever the labels beside them say (the label before the first "="
    names the result, not the amount after it)."""
    text = line.text.replace(CELL, " ")
    amounts = find_amounts(text)
    for run in zip(amounts, amounts[1:], amounts[2:], amounts[3:], strict=False):
        first = run[0]
        terms = {"opening_balance": (first.value, first.start, first.end)}
        for prev, cur, last in zip(run, run[1:], (False, False, True), strict=False):
            gap = text[prev.end : cur.start].strip()
            if not gap:  # "- 554,571.80": the operator was read as the amount's sign
                gap = text[cur.start]
            name = _OPERATIONS.get(gap)
            if name is None or name in terms or (name == "closing_balance") != last:
                break
            terms[name] = (cur.value, cur.start, cur.end) if last else _term(text, cur)
        if len(terms) < 4:
            continue
        (o, *_), (c, *_), (p, *_), (cl, *_) = (terms[n] for n in arithmetic.BALANCE)
        if o + c - p != cl:
            continue
        out = []
        for name, (_, start, end) in terms.items():
            out += [x for x in _candidates(line, name, (start, end), FORMULA) if x.name == name]
        return out
    return []


def _term(text: str, amount: AmountMatch) -> tuple[Decimal, int, int]:
    """An amount of a printed sum without the operator before it: (value, start, end)."""
    start = amount.start
    while text[start] in _MINUS or text[start].isspace():
        start += 1
    return abs(amount.value), start, amount.end


# "Statement ST-202606-9358" in a typed letter's heading: the word alone is no label (it is
# every title), but directly before a document number of letters and digits it names one; a
# bare year or month after it ("Statement 2026-10") has no letter and is not taken
_STATEMENT_WORD = re.compile(
    r"(?<![A-Za-z])(?:Statement|STATEMENT) (?=[A-Za-z0-9/-]*\d)(?=[0-9/-]*[A-Za-z])"
    r"([A-Za-z]{1,4}[-/]?\d[A-Za-z0-9/-]{3,})(?![A-Za-z0-9])"
)


def _title_candidates(line: Line) -> list[_Candidate]:
    out = []
    for rx in _TITLE_PERIODS:
        for m in rx.finditer(line.text):
            out += _candidates(line, "period", m.span(1), TITLE)
    m = _SALUTATION.match(line.text)
    if m and not line.hits and line.text.rstrip().endswith(":"):
        out += _candidates(line, "customer_name", m.span(1), WEAK)
    for m in _STATEMENT_WORD.finditer(line.text):
        found = _candidates(line, "statement_no", m.span(1), WEAK)
        out += [c for c in found if c.name == "statement_no"]
    return out


# --------------------------------------------------------------------------- unlabelled amounts


_CENTS = re.compile(r"\d[.,] ?\d{2}(?!\d)")


def _orphan(line: Line) -> _Candidate | None:
    """The amount of a summary row whose label OCR garbled ("AS HACER: ¥476,395.78"):
    one amount, in the last of two or more cells, after some text, on a row without labels."""
    if line.hits or _is_table_row(line) or _starts_with_date(line):
        return None
    cells = line.cells()
    if len(cells) < 2 or _is_blank(line.text[: cells[-1][0]]):
        return None
    if len(find_amounts(_repair_amount(line.text)[0])) != 1:
        return None
    found = _candidates(line, "opening_balance", cells[-1], ORPHAN)
    amount = next((c for c in found if c.name == "opening_balance"), None)
    if amount is None or not _CENTS.search(line.text[amount.start : amount.end]):
        return None  # a bare integer is more likely a count or a code than a balance
    return amount


# opening + charges: the identity adds them, so it cannot tell which figure is which
_SWAPPABLE = frozenset({"opening_balance", "charges"})


def _unlabelled_amounts(
    pages: list[list[Line]], best: dict[str, _Candidate], ledger: Ledger
) -> dict[str, _Candidate]:
    """Amount fields whose label OCR garbled, placed by arithmetic.

    The rows of a summary block that carry one amount and no label (among or next to the
    rows read with labels) are tried in the missing fields. An assignment is taken when it
    makes opening + charges − payments = closing (or amount due = closing) hold with every
    value it places, and no other assignment does as well: more values placed, the
    balance identity before amount due = closing alone, then the printed order of a
    summary (opening, charges, payments, closing, due) break ties. Opening and charges
    are never both placed: they add up the same either way round, and the order a
    summary prints them in differs from one statement to the next.
    """
    known = {n: c for n, c in best.items() if n in AMOUNT_FIELDS}
    missing = [n for n in AMOUNT_FIELDS if n not in known]
    if not known or not missing:
        return {}
    orphans = _orphans_off_the_table(pages, known, ledger)
    if not orphans:
        return {}
    values = {n: c.value for n, c in known.items()}
    ranked: list[tuple[tuple[int, int, int], dict[str, _Candidate]]] = []
    for k in range(min(len(missing), len(orphans)), 0, -1):
        for names in itertools.permutations(missing, k):
            if set(names) >= _SWAPPABLE:
                continue
            for chosen in itertools.permutations(orphans, k):
                placed = dict(zip(names, chosen, strict=True))
                trial = values | {n: c.value for n, c in placed.items()}
                checks = arithmetic.checks(trial, set(names))
                if checks:
                    rank = (k, checks, -_inversions(known | placed))
                    ranked.append((rank, placed))
    if not ranked:
        return {}
    top = max(rank for rank, _ in ranked)
    winners = {tuple(sorted((n, c.value) for n, c in p.items())) for r, p in ranked if r == top}
    if len(winners) != 1:
        return {}
    placed = next(p for r, p in ranked if r == top)
    return {
        n: _Candidate(n, c.value, c.score, c.line, c.start, c.end, arithmetic=True)
        for n, c in placed.items()
    }


def _unlabelled_period(pages: list[list[Line]]) -> dict[str, _Candidate]:
    """The period whose label OCR garbled ("WMA): 2026.08"): the one value cell on the
    pages, after some text on an unlabelled row, that is a month or a date range and
    nothing else. Statement, due and transaction dates carry a day, so they never qualify;
    a line that is only a range from a month's first day to its last is that month
    ("01/10/2026 To 31/10/2026" under the title)."""
    found = []
    for lines in pages:
        for line in lines:
            cells = line.cells()
            alone = len(cells) == 1 and not line.hits and _whole_month(line.text)
            if not alone and (
                line.hits
                or len(cells) < 2
                or _is_table_row(line)
                or _is_blank(line.text[: cells[-1][0]])
            ):
                continue
            start, end = cells[-1]
            text = line.text[start:end]
            lead = _LEAD.match(text)
            if parse_period(_repair(text[lead.end() if lead else 0 :])[0]) is None:
                continue
            found += [
                c for c in _candidates(line, "period", cells[-1], ORPHAN) if c.name == "period"
            ]
    return {"period": found[0]} if len(found) == 1 else {}


def _whole_month(text: str) -> bool:
    """Whether `text` is nothing but a date range from a month's first day to its last."""
    m = find_period(text)
    if m is None or m.start_date is None or m.end_date is None or text[: m.start].strip():
        return False
    return not text[m.end :].strip() and (m.start_date, m.end_date) == month_bounds(m.period)


def _month_end_period(
    pages: list[list[Line]], best: dict[str, _Candidate]
) -> dict[str, _Candidate]:
    """The period of a statement whose period label OCR garbled ("Mit AM: 2026年2月28日",
    "稚圣 2025年10月31日，贵公司…"): the month of the one month-end date printed outside
    the transaction rows that is not the due or statement date."""
    taken = {c.value for n, c in best.items() if n in ("due_date", "statement_date")}
    found: list[_Candidate] = []
    for lines in pages:
        for line in lines:
            if _is_table_row(line) or _starts_with_date(line):
                continue
            for d in find_dates(line.text):
                nxt = d.value + timedelta(days=1)
                if nxt.month == d.value.month or d.value in taken:
                    continue
                found += [
                    c
                    for c in _candidates(line, "period", (d.start, d.end), ORPHAN)
                    if c.name == "period"
                ]
    months = {c.value for c in found}
    return {"period": found[0]} if len(months) == 1 else {}


_COMPANY = re.compile(
    r"^[^\t:;]{2,60}?(?:有限公司|股份公司|公司|集团|Ltd\.?|Limited|Inc\.?|Co\.?|Corp\.?|LLC|GmbH)$",
    re.I,
)


def _addressee(pages: list[list[Line]]) -> dict[str, _Candidate]:
    """The customer of a statement that labels neither its name nor its code: the first
    company name in a cell of its own after the sender's (the letterhead's) on page one,
    as in an address window. Unlabelled, it stays below the review threshold."""
    names = []
    for lines in pages:
        for line in lines:
            for start, end in line.cells():
                if any(start <= h.start < end for h in line.hits):
                    continue
                if _COMPANY.match(line.text[start:end].strip()):
                    names.append((line, start, end))
    if len(names) < 2:
        return {}
    line, start, end = names[1]
    found = [c for c in _candidates(line, "customer_name", (start, end), ORPHAN)]
    found = [c for c in found if c.name == "customer_name"]
    return {"customer_name": found[0]} if found else {}


_SIGNED_AMOUNT = re.compile(rf"(?<![A-Za-z])(?:{_CUR_ALT})\s?(?=-?\d)", re.I)  # "$802.52", "$-8.44"


def _signed_amounts(
    pages: list[list[Line]], scanned: bool, fives: set[tuple[int, int, int]]
) -> FieldValue | None:
    """The currency of a statement without a currency label: the one sign its amounts
    carry anywhere on the pages ("$802.52"), below the review threshold; None when they
    carry none or several. On a scan, one sign before one amount alone is as likely a digit
    OCR misread ("$3,550.19" for 43,550.19): below the field floor, so a person looks.
    `fives` are the places of the signs the arithmetic showed to be misread 5s."""
    found = [
        (line, m)
        for lines in pages
        for line in lines
        for m in _SIGNED_AMOUNT.finditer(line.text)
        if (line.page.number, line.index, m.start()) not in fives
    ]
    codes = {_CURRENCIES[m.group().strip().upper()] for _, m in found}
    if len(codes) != 1:
        return None
    line, m = found[0]
    sure = AMBIGUOUS_CURRENCY if scanned and len(found) == 1 else CURRENCY_FROM_PAGE
    c = _Candidate("currency", codes.pop(), sure, line, m.start(), m.end())
    return _field_value(c, "currency", c.value, m.start(), m.end())


def _ledger_month(ledger: Ledger) -> dict[str, _Candidate]:
    """The period of a statement that prints none: the one month its dated rows fall in
    (a small-business statement: "Balance forward" on the 1st, then that month's lines)."""
    rows = [r for r in ledger.rows if r.item.date is not None and "date" in r.cells]
    months = {(r.item.date.year, r.item.date.month) for r in rows if r.item.date}
    if len(rows) < 2 or len(months) != 1:
        return {}
    (year, month), cell = months.pop(), rows[-1].cells["date"]
    start, end = cell.start, cell.end
    found = find_date(cell.line.text[start:end])
    if found is not None:
        start, end = start + found.start, start + found.end
    value = f"{year:04d}-{month:02d}"
    return {"period": _Candidate("period", value, ORPHAN * cell.confidence, cell.line, start, end)}


def _unlabelled_statement_date(
    pages: list[list[Line]], best: dict[str, _Candidate], dayfirst: bool = True
) -> dict[str, _Candidate]:
    """The statement date whose label OCR garbled ("NEA: 2026年9月2日"): the one value cell
    on an unlabelled, non-table row holding a single date within a month after the end of
    the period, and not the due date."""
    period = best.get("period")
    if period is None:
        return {}
    year, month = (int(x) for x in str(period.value).split("-"))
    first_after = date(year + month // 12, month % 12 + 1, 1)
    due = best.get("due_date")
    found = []
    for lines in pages:
        for line in lines:
            cells = line.cells()
            alone = len(cells) == 1 and not line.hits and parse_date(line.text) is not None
            if alone or _letter_date(line, cells):
                # (a letter is dated on a line of its own, under its signature)
                picks = cells[:1]
            elif len(cells) < 2 or _is_table_row(line):
                continue
            else:
                picks = [cells[k] for k in _unlabelled_cells(line, cells)]
            for start, end in picks:
                dates = find_dates(_repair(line.text[start:end])[0], dayfirst=dayfirst)
                when = dates[0].value if len(dates) == 1 else None
                if when is None or not 0 <= (when - first_after).days <= 31:
                    continue
                if due is not None and when == due.value:
                    continue
                found += [
                    c
                    for c in _candidates(line, "statement_date", (start, end), ORPHAN)
                    if c.name == "statement_date"
                ]
    return {"statement_date": found[0]} if len(found) == 1 else {}


def _letter_date(line: Line, cells: list[tuple[int, int]]) -> bool:
    """Whether the line is a letter's date beside its reference ("5 February 2027 | Our
    ref: CF-0042"): a first cell that is one date alone, no label in it, no amount on the
    line (a transaction row starts with its date too, but carries amounts)."""
    if len(cells) < 2 or any(h.start < cells[0][1] for h in line.hits):
        return False
    start, end = cells[0]
    found = find_date(line.text[start:end])
    whole = found is not None and found.end - found.start == len(line.text[start:end].strip())
    return whole and not find_amounts(line.text)


def _unlabelled_cells(line: Line, cells: list[tuple[int, int]]) -> list[int]:
    """The cells after the first that belong to no label: none starts in them, and the
    cell before is no label standing alone ("客户编号: C0013 | WMA: 2025.02.02", "fill |
    HA: 2026-02-07 | 单位:元")."""
    labelled = {line.cell_of(hit.start) for hit in line.hits}
    alone = {
        line.cell_of(hit.start) + 1
        for hit in line.hits
        if _is_blank(line.text[hit.end : cells[line.cell_of(hit.start)][1]])
    }  # a label alone in its cell: the next cell is its value
    return [k for k in range(1, len(cells)) if k not in labelled | alone]


def _summary_orphans(lines: list[Line], known: dict[str, _Candidate]) -> list[_Candidate]:
    """Unlabelled amount rows among and right next to a page's labelled amount rows."""
    page = lines[0].page if lines else None
    rows = sorted(c.line.index for c in known.values() if c.line.page is page)
    if not rows:
        return []
    found = {i: o for i in range(rows[0], rows[-1] + 1) if (o := _orphan(lines[i]))}
    for step, start in ((-1, rows[0] - 1), (1, rows[-1] + 1)):
        i = start
        while 0 <= i < len(lines) and (o := _orphan(lines[i])) is not None:
            found[i] = o
            i += step
    cells = [c for i in sorted(set(rows)) for c in _orphan_cells(lines[i])]
    taken = {(c.line.page.number, c.line.index, c.start) for c in known.values()}
    cells = [c for c in cells if (c.line.page.number, c.line.index, c.start) not in taken]
    return [found[i] for i in sorted(found)] + cells


def _orphans_off_the_table(
    pages: list[list[Line]], known: dict[str, _Candidate], ledger: Ledger
) -> list[_Candidate]:
    """The summary orphans of every page but a ledger's rows: a row's cells are its
    columns' debits, credits and balances, read as such."""
    table = {id(r.line) for r in ledger.rows}
    return [o for lines in pages for o in _summary_orphans(lines, known) if id(o.line) not in table]


def _orphan_cells(line: Line) -> list[_Candidate]:
    """Cells of a labelled summary row whose own label OCR garbled ("LAR: 1,064,924.50 |
    本月开票: 2,359.16"): text ending in a colon, then one amount with cents."""
    out = []
    for start, end in line.cells():
        if any(start <= h.start < end for h in line.hits):
            continue
        text = line.text[start:end]
        amounts = find_amounts(_repair_amount(text)[0])
        if len(amounts) != 1:
            continue
        found = _candidates(line, "opening_balance", (start, end), ORPHAN)
        amount = next((c for c in found if c.name == "opening_balance"), None)
        if amount is None or not _CENTS.search(line.text[amount.start : amount.end]):
            continue
        # a row of figures under a row of headers: a figure whose header OCR garbled
        if GARBLED_LABEL.match(line.text[start : amount.start]) or (
            not line.hits and _is_blank(line.text[start : amount.start])
        ):
            out.append(amount)
    return out


def _inversions(placed: dict[str, _Candidate]) -> int:
    """Pairs of fields printed in the opposite of the usual summary order."""
    order = sorted(placed, key=lambda n: placed[n].order)
    rank = [AMOUNT_FIELDS.index(n) for n in order]
    return sum(1 for i, a in enumerate(rank) for b in rank[i + 1 :] if a > b)


# --------------------------------------------------------------------------- fields


def _field_value(c: _Candidate, name: str, value: Any, start: int, end: int) -> FieldValue:
    box, _ = c.line.box_conf(start, end)
    raw = c.line.text[start:end].replace(CELL, " ")
    return FieldValue(
        name=name,
        value=value,
        confidence=round(min(1.0, c.score), 4),
        source=Source.ROWS if c.rows else Source.ARITHMETIC if c.arithmetic else c.line.page.source,
        page=c.line.page.number,
        box=box,
        raw=raw,
        closed=c.closed,
    )


def _best(cands: list[_Candidate]) -> dict[str, _Candidate]:
    best: dict[str, _Candidate] = {}
    for c in cands:  # in reading order: on a tie the first printed wins
        if c.name not in best or c.score > best[c.name].score:
            best[c.name] = c
    for name, c in best.items():
        best[name] = _corroborated(c, cands)
    return best


def _corroborated(c: _Candidate, cands: list[_Candidate]) -> _Candidate:
    """A value that a second label elsewhere on the page gives too ("BALANCE DUE USD
    $4,363.06" and the Amount Due cell of the aging row; HK$ on every amount) is surer
    than either reading alone: the two are combined as independent evidence, up to a
    strong label's confidence."""
    if c.arithmetic or c.score < AGREEING:
        return c
    others = [
        o.score
        for o in cands
        if o.name == c.name
        and o.value == c.value
        and not o.arithmetic
        and o.score >= AGREEING
        and not _same_figure(o, c)
    ]
    if not others:
        return c
    lifted = agreeing(c.score, max(others))
    return replace(c, score=lifted) if lifted > c.score else c


def agreeing(a: float, b: float) -> float:
    """The confidence of a value two independent readings give alike, each at least
    AGREEING sure: combined as independent evidence, up to a strong label's confidence."""
    return min(STRONG, 1 - (1 - a) * (1 - b))


_CARRIED = re.compile(r"carried\s*forward|carried\s*fwd|\bc/f\b", re.I)


def _carried_in(best: dict[str, _Candidate], cands: list[_Candidate]) -> None:
    """A balance "carried forward" printed before the month's charges and payments is the
    balance carried into the statement, its opening: continental European senders write
    it so (Saldovortrag, saldo riportato). After them, as British statements print it, it
    is the balance carried out, the closing. A statement whose opening (a label or the
    ledger's first row) is another figure is left as it is."""
    cl, opening = best.get("closing_balance"), best.get("opening_balance")
    if cl is None or cl.arithmetic or (opening is not None and opening.value != cl.value):
        return
    if not _CARRIED.search(cl.line.text[: cl.start]):
        return
    later = [best[n] for n in ("charges", "payments") if n in best]
    if later and all(c.order > cl.order for c in later):
        if opening is None:
            best["opening_balance"] = replace(cl, name="opening_balance")
        del best["closing_balance"]
        others = [
            c
            for c in cands
            if c.name == "closing_balance" and not _CARRIED.search(c.line.text[: c.start])
        ]
        best.update(_best(others))


def _same_figure(a: _Candidate, b: _Candidate) -> bool:
    """Whether two candidates were read from one printed figure."""
    return a.line is b.line and a.start == b.start


def _same_final_balance(best: dict[str, _Candidate]) -> None:
    """A ledger's last running balance that is the very figure a label calls the amount due
    ("Balance due"): one printed figure, as sure for either field as its surer reading."""
    cl, due = best.get("closing_balance"), best.get("amount_due")
    if cl and due and _same_figure(cl, due) and cl.value == due.value:
        top = max(cl.score, due.score)
        best["closing_balance"] = replace(cl, score=top)
        best["amount_due"] = replace(due, score=top)


def _row_totals(best: dict[str, _Candidate]) -> None:
    """A labelled amount that ends a row of amounts adding up to it (the Amount Due of an
    aging row: Current + 1-30 + 31-60 + Older) is vouched for by that sum: every digit
    of the row was read right. Lifted to a strong label's confidence."""
    for name, c in list(best.items()):
        if name not in AMOUNT_FIELDS or c.arithmetic or c.score >= STRONG:
            continue
        amounts = find_amounts(c.line.text)
        if len(amounts) < 3 or amounts[-1].start != c.start or amounts[-1].value != c.value:
            continue
        if sum(a.value for a in amounts[:-1]) == c.value:
            best[name] = replace(c, score=STRONG)


def _one_final_balance(best: dict[str, _Candidate]) -> list[str]:
    """A statement that prints one final balance ("Balance due", 结欠, 应收账款余额) gives
    both the closing balance and the amount due: the same printed figure, a credit balance
    negative in both (what the sender owes the customer). Returns the name of the field
    filled in."""
    for have, missing in (("amount_due", "closing_balance"), ("closing_balance", "amount_due")):
        if have in best and missing not in best:
            c = best[have]
            best[missing] = _Candidate(missing, c.value, c.score, c.line, c.start, c.end)
            return [missing]
    return []


_ALTERNATIVES = 4  # printed candidates per amount field tried when the arithmetic fails


def _consistent_amounts(
    cands: list[_Candidate], best: dict[str, _Candidate], copied: list[str]
) -> dict[str, _Candidate]:
    """When the chosen amounts do not add up, other printed candidates of the same fields
    that do: the statement's arithmetic says which figure a label meant. Nothing changes
    when the chosen amounts add up, or when no other choice adds up, or two do equally.
    A final balance `copied` from the other field is tried with that field's candidates."""
    known = {n: c.value for n, c in best.items() if n in AMOUNT_FIELDS}
    if not _checkable(known) or arithmetic.checks(known):
        return {}
    source = {"closing_balance": "amount_due", "amount_due": "closing_balance"}
    options: dict[str, list[_Candidate]] = {}
    for name in AMOUNT_FIELDS:
        if name not in best or (name == "amount_due" and name in copied):
            continue
        label = source[name] if name in copied else name
        ranked = [best[name]] + sorted(
            (c for c in cands if c.name == label), key=lambda c: -c.score
        )
        seen: set[Decimal] = set()
        options[name] = []
        readings = (
            v for c in ranked for v in (c, _five_for_dollar(c), _lost_minus(c)) if v is not None
        )
        for c in readings:
            if c.value not in seen and len(options[name]) < _ALTERNATIVES:
                seen.add(c.value)
                options[name].append(c)
    choice = arithmetic.consistent_choice(
        options,
        value=lambda c: c.value,
        score=lambda c: c.score,
        same=lambda a, b: a.line is b.line and a.start == b.start,
    )
    if choice is None:
        return {}
    changed = {n: c for n, c in choice.items() if c is not best[n]}
    if changed and "closing_balance" in copied:  # the amount due it was copied from
        c = changed.pop("closing_balance", choice["closing_balance"])
        changed["amount_due"] = _Candidate(
            "amount_due", c.value, c.score, c.line, c.start, c.end, five=c.five
        )
    return changed


# "$79,932.53" for "579,932.53": a 5 read as $ on a fax or photo. Only the arithmetic can
# tell, so the reading with the 5 is another option for it, never a value of its own.
_DOLLAR_FIVE = re.compile(r"\$(?=\d{1,2}(?:,\d{3})+(?:\.\d{2})?(?!\d)|\d{1,3}\.\d{2}(?!\d))")


def _five_for_dollar(c: _Candidate) -> _Candidate | None:
    if not isinstance(c.value, Decimal) or not _DOLLAR_FIVE.match(c.line.text, c.start):
        return None
    digits = len(str(int(abs(c.value))))
    value = (abs(c.value) + 5 * Decimal(10) ** digits).copy_sign(c.value)
    extra = {k: v for k, v in c.extra.items() if k != "currency"}  # the $ was no currency
    return replace(c, value=value, score=c.score * REPAIRED, extra=extra, five=True)


# Balances that may stand below zero (a credit balance), whose minus OCR often drops: a thin
# short stroke before a figure. Only the arithmetic can tell, as for the 5 read as "$".
_SIGNED_BALANCES = ("opening_balance", "closing_balance", "amount_due")


def _lost_minus(c: _Candidate) -> _Candidate | None:
    if c.name not in _SIGNED_BALANCES or not isinstance(c.value, Decimal) or c.value <= 0:
        return None
    return replace(c, value=-c.value, score=c.score * REPAIRED)


def _checkable(values: Mapping[str, Decimal]) -> bool:
    balance = all(n in values for n in arithmetic.BALANCE)
    return balance or ("amount_due" in values and "closing_balance" in values)


def _ledger_figures(
    pages: list[list[Line]], ledger: Ledger, best: dict[str, _Candidate]
) -> dict[str, _Candidate]:
    """Opening, charges, payments and closing of a ledger statement, where printed.

    Charges and payments are summed from the rows only when no row is dated before the
    statement's period (when a label gives it): invoices from earlier months are an
    open-item list, what is still unpaid, not what was charged and paid this period. The
    opening a label gives (`best`) checks the first row of a ledger without an opening
    row, and the figures printed off the table (`pages`) its last row."""
    out = {}
    period, opening = best.get("period"), best.get("opening_balance")
    start = _period_start(period) if period else None
    since = start - EARLY_ROWS if start else None
    tx = ledger.of("transaction")
    early = since is not None and any(r.item.date and r.item.date < since for r in tx)
    printed = opening.value if opening is not None else None
    table = {id(r.line) for r in ledger.rows}
    apart: set[Decimal] = set()
    if tx:  # only a ledger with transactions has a last row to vouch for
        apart = {
            a.value
            for lines in pages
            for line in lines
            if id(line) not in table
            for a in find_amounts(line.text)
        }
    for name, fig in ledger_figures(ledger, STRONG, printed, apart).items():
        if fig.cell is not None:
            cell = fig.cell
            out[name] = _Candidate(name, fig.value, fig.confidence, cell.line, cell.start, cell.end)
        elif early and name in ("charges", "payments"):
            continue
        elif ledger.rows:  # summed from the rows: no printed place
            line = ledger.rows[-1].line
            out[name] = _Candidate(
                name,
                fig.value,
                fig.confidence,
                line,
                0,
                0,
                arithmetic=True,
                rows=fig.checked,
                closed=fig.closed,
            )
    return out


def _printed_sums(pages: list[list[Line]], best: dict[str, _Candidate], ledger: Ledger) -> None:
    """A figure summed from a ledger's rows that the summary prints too, under a label OCR
    garbled ("AMM: 588,473.52" for 本期回款): the printed figure, as sure as two readings
    that agree. A printed figure can vouch for the rows; their sum alone cannot (a row lost
    at the end of the table is lost from the sum and the last balance alike)."""
    sums = [n for n, c in best.items() if n in AMOUNT_FIELDS and c.arithmetic and c.start == c.end]
    if not sums:
        return
    known = {n: c for n, c in best.items() if n in AMOUNT_FIELDS and n not in sums}
    orphans = _orphans_off_the_table(pages, known, ledger)
    for name in sums:
        same = [o for o in orphans if o.value == best[name].value]
        if len(same) == 1:
            o = same[0]
            score = agreeing(o.score, best[name].score)
            best[name] = _Candidate(name, o.value, score, o.line, o.start, o.end)


def _labelled_on_its_line(c: _Candidate) -> bool:
    return c.name in AMOUNT_FIELDS and any(h.field == c.name for h in c.line.hits)


def _row_sum_candidates(ledger: Ledger) -> list[_Candidate]:
    """A ledger's row sums where its total row prints other figures: never chosen by their
    score, only by the balance identity when the total was misread (_consistent_amounts)."""
    sums = row_sums(ledger)
    if not sums:
        return []
    line = ledger.rows[-1].line
    return [
        _Candidate(name, value, ROW_SUM, line, 0, 0, arithmetic=True)
        for name, value in sums.items()
    ]


ROW_SUM = 0.3  # below the field floor: a sum the printed total contradicts


def _dated_balances(cands: list[_Candidate]) -> list[_Candidate]:
    """A balance labelled with its day ("Balance on 1 June 2026", "Balance as at 31 May
    2026") is the opening balance when that day is the period's first or before it: a
    statement set out like a bank's names both of its balances so. Without a period, of
    two such days the earlier is the opening balance's."""
    dated = [(c, day) for c in cands if c.name == "closing_balance" and (day := _label_day(c))]
    if not dated:
        return cands
    period = _best([c for c in cands if c.name == "period"]).get("period")
    start = _period_start(period) if period else None
    days = {day for _, day in dated}
    if start is None and len(days) > 1:
        start = min(days)
    if start is None:
        return cands
    opening = {id(c) for c, day in dated if day <= start}
    return [replace(c, name="opening_balance") if id(c) in opening else c for c in cands]


def _customer_codes(cands: list[_Candidate], codes: Collection[str]) -> list[_Candidate]:
    """A "number" that is a customer's code in the master names the customer, not the
    statement: 编号 (any number) under a slip's 客户 line is the customer's."""
    keys = {normalize_code(code) for code in codes}
    return [
        replace(c, name="customer_code")
        if c.name == "statement_no" and normalize_code(str(c.value)) in keys
        else c
        for c in cands
    ]


def _label_day(c: _Candidate) -> date | None:
    """The date printed in a value's label: in its cell before it, or in the cell before."""
    cell = c.line.cell_of(c.start)
    first = c.line.cells()[cell - 1][0] if cell else 0
    dates = find_dates(_repair(c.line.text[first : c.start])[0])
    return dates[-1].value if dates else None


def _period_start(period: _Candidate) -> date | None:
    printed = period.extra.get("period_start")
    bounds = month_bounds(period.value)
    return printed[0] if printed else bounds[0] if bounds else None


EARLY_ROWS = timedelta(days=7)  # a billing cycle may start in the last days of the month before


def _payments_as_paid(best: dict[str, _Candidate]) -> None:
    """Payments printed as a credit (-976,710.43) are the amount paid: 976,710.43. A
    negative figure stays negative where the balance says it was money paid back."""
    p = best.get("payments")
    if p is None or p.value >= 0:
        return
    values = {n: c.value for n, c in best.items() if n in arithmetic.BALANCE}
    if len(values) == len(arithmetic.BALANCE):
        o, c, _, cl = (values[n] for n in arithmetic.BALANCE)
        if o + c - p.value == cl and o + c + p.value != cl:
            return  # a refund: paying back raised the balance
    best["payments"] = replace(p, value=-p.value)


def _month_first(best: dict[str, _Candidate]) -> None:
    """Dates of a month-first (US) document: 12/03/2025 is 3 December."""
    for name in ("statement_date", "due_date"):
        c = best.get(name)
        if c is None:
            continue
        found = find_date(_repair(c.line.text[c.start : c.end])[0], dayfirst=False)
        if found is not None:
            best[name] = replace(c, value=found.value)


def parse_fields(
    pages: Sequence[Page], customer_codes: Collection[str] = ()
) -> dict[str, FieldValue]:
    """Fields found on `pages`, keyed by the names in FIELD_NAMES.

    Each value carries its page, the union box of the words it was read from (page
    coordinates), the normalized printed text, the page source ("text"/"ocr") and an
    initial confidence. Currency defaults to CNY on a Chinese statement that prints none.
    """
    return parse_statement(pages, customer_codes)[0]


# A column header printed as a code ("[K1]", "【A】") that a note on the page defines:
# "[K1] 上期余额 balance b/f; [K2] 本期借方 debits".
# OCR reads the brackets as ( { and the digits as I, Z, O: the codes are compared so read.
_LEGEND_CODE = re.compile(r"[\[【({]([A-Za-z]{1,3}\d{1,2}|[A-Za-z]|\d{1,2})[\]】)}]")
_LEGEND_KEY = str.maketrans("ILZOS", "11205")
LEGEND = 0.95  # factor: the label is defined in a note, not printed where the value is


def _legend(lines: Sequence[Line]) -> dict[str, Hit]:
    """Codes defined on the page: each with the label its definition holds."""
    out: dict[str, Hit] = {}
    for line in lines:
        found = list(_LEGEND_CODE.finditer(line.text))
        for m, nxt in zip(found, [*found[1:], None], strict=False):
            stop = nxt.start() if nxt else len(line.text)
            label = re.split(r"[;,=。]", line.text[m.end() : stop].replace(CELL, " "))[0]
            hits = [h for h in find_hits(label) if h.field]
            key = m.group(1).upper().translate(_LEGEND_KEY)
            if hits and key not in out:
                out[key] = max(hits, key=lambda h: h.strength)
    return out


def _apply_legend(lines: Sequence[Line], legend: Mapping[str, Hit]) -> None:
    """Codes standing alone in a cell take the label the legend gives them."""
    for line in lines:
        added = []
        for m in _LEGEND_CODE.finditer(line.text):
            hit = legend.get(m.group(1).upper().translate(_LEGEND_KEY))
            after = line.text[m.end() : m.end() + 1]
            if after not in ("", CELL):
                continue  # the definition itself, or a code inside prose
            if any(h.start < m.end() and m.start() < h.end for h in line.hits):
                continue
            if hit is None:  # a header code whose definition OCR garbled: a label still
                added.append(Hit(None, 0.0, m.start(), m.end()))
            else:
                added.append(Hit(hit.field, hit.strength * LEGEND, m.start(), m.end(), hit.sign))
        if added:
            line.hits = sorted(line.hits + added, key=lambda h: h.start)


def parse_statement(
    pages: Sequence[Page], customer_codes: Collection[str] = ()
) -> tuple[dict[str, FieldValue], list[LineItem]]:
    """parse_fields, and the rows of a ledger statement (none when it has no ledger).
    `customer_codes`: the customer master's codes, which are never a statement's number."""
    cands: list[_Candidate] = []
    all_lines: list[list[Line]] = [page_lines(page) for page in pages]
    legend = _legend([line for lines in all_lines for line in lines])
    for lines in all_lines:
        if legend:
            _apply_legend(lines, legend)
        for i, line in enumerate(lines):
            found = _line_candidates(lines, i)
            if formula := _formula(line):  # the figures its labels would pair otherwise
                found = [c for c in found if c.name not in AMOUNT_FIELDS] + formula
            cands += found + _title_candidates(line) + _prose_balance(line)
        cands += _wrapped_candidates(lines) + _grid_candidates(lines)
    ledger = read_ledger(pages, all_lines)
    # words in a transaction row ("Customer invoice", "Date") label nothing of the statement
    # but its own amounts; a column's name over the table (回款金额) is no summary label
    # of the first row under it
    rows = {id(r.line) for r in ledger.of("transaction")}
    cands = [c for c in cands if id(c.line) not in rows or _labelled_on_its_line(c)]
    cands += _row_sum_candidates(ledger)
    cands = _customer_codes(_dated_balances(cands), customer_codes)
    cands.sort(key=lambda c: c.order)
    best = _best(cands)
    # a ledger's own rows say where its figures are; a summary printed with labels
    # read as well is kept
    for name, c in _ledger_figures(all_lines, ledger, best).items():
        printed = best.get(name)
        if printed is not None and c.arithmetic and printed.value == c.value:
            # the rows add up to the figure a label prints: the printed one, surer
            best[name] = replace(
                printed, score=max(printed.score, agreeing(printed.score, c.score))
            )
        elif printed is None or c.score > printed.score:
            best[name] = c
    _same_final_balance(best)
    _row_totals(best)
    best.update(_unlabelled_amounts(all_lines, best, ledger))
    _printed_sums(all_lines, best, ledger)
    _carried_in(best, cands)
    copied = _one_final_balance(best)
    chosen = _consistent_amounts(cands, best, copied)
    if chosen:
        best.update(chosen)
        for name in copied:
            best.pop(name)
        _one_final_balance(best)
    fives = {c.order for c in best.values() if c.five}
    if "currency" in best and best["currency"].order in fives:
        del best["currency"]  # its sign was a 5
    if "period" not in best:
        best.update(_unlabelled_period(all_lines))
    if "period" not in best:
        best.update(_month_end_period(all_lines, best))
    rows_month = _ledger_month(ledger)
    if "period" not in best:
        best.update(rows_month)
    elif "period" in rows_month and rows_month["period"].value == best["period"].value:
        # a period read without a label ("01/10/2026 To 31/10/2026") that every dated row
        # of the statement's table falls in: two readings that agree
        best["period"] = replace(best["period"], score=max(best["period"].score, ROWS_AGREE))
    if "customer_name" not in best and "customer_code" not in best:
        best.update(_addressee(all_lines[:1]))
    dayfirst = dayfirst_of([line.text for lines in all_lines for line in lines])
    if "statement_date" not in best:
        best.update(_unlabelled_statement_date(all_lines, best, dayfirst))
    _payments_as_paid(best)
    if not dayfirst:
        _month_first(best)
    out: dict[str, FieldValue] = {}
    for name, c in best.items():
        out[name] = _field_value(c, name, c.value, c.start, c.end)
        for extra, (value, start, end) in c.extra.items():
            out[extra] = _field_value(c, extra, value, start, end)
    cl, due = best.get("closing_balance"), best.get("amount_due")
    if cl and due and _same_figure(cl, due):
        out["amount_due"] = replace(out["amount_due"], same_as="closing_balance")
    source = pages[0].source if pages else "text"
    if "currency" not in best and (signed := _signed_amounts(all_lines, source != "text", fives)):
        out["currency"] = signed
    texts = [line.text for lines in all_lines for line in lines]
    if (cur := _currency(out.get("currency"), texts, source)) is not None:
        out["currency"] = cur
    else:
        out.pop("currency", None)
    return {name: out[name] for name in FIELD_NAMES if name in out}, ledger.items


def _currency(cur: FieldValue | None, texts: list[str], source: str) -> FieldValue | None:
    """The statement's currency, from what it prints and where it was written.

    A bare "$" or 元 means the one currency the statement names elsewhere ("All amounts in
    HKD"), else the local one of a statement in traditional characters (民國 dates: TWD; a
    Hong Kong address: HKD); where neither tells, it keeps its usual meaning ($: USD, 元:
    CNY), on a statement in traditional characters below the field floor, so that a person
    says which. With nothing printed: the currency named once anywhere, else the local one,
    else CNY on a Chinese statement; an English statement that names none has none (it is
    not guessed).
    """
    once = named_currency(texts)
    trad = traditional_script(texts)
    local = ROC_CURRENCY if roc_dated(texts) else local_currency(texts) if trad else None
    chinese = any(_CJK.search(t) for t in texts)
    default = once or local or (DEFAULT_CURRENCY if chinese and not trad else None)
    if cur is None:
        return default and FieldValue("currency", default, DEFAULT_CURRENCY_CONFIDENCE, source)
    if currency_sign(cur.raw or "") in AMBIGUOUS_SIGNS:
        if once or local:
            cur = replace(cur, value=once or local)
        elif trad:
            return replace(cur, confidence=min(cur.confidence, AMBIGUOUS_CURRENCY))
    if cur.value == default and cur.confidence < DEFAULT_CURRENCY_CONFIDENCE:
        # 元 or ¥ read weakly says no less than nothing printed at all
        cur = replace(cur, confidence=DEFAULT_CURRENCY_CONFIDENCE)
    return cur


def parse_lines(lines: Sequence[str], *, source: str = "text") -> dict[str, FieldValue]:
    """parse_fields for plain text lines (one page; boxes in characters)."""
    return parse_fields([page_from_lines(lines, source=source)])


def parse_text(text: str, *, source: str = "text") -> dict[str, FieldValue]:
    return parse_lines(text.splitlines(), source=source)


def required_field(item: str, fields: Mapping[str, Any]) -> str:
    """The field that carries REQUIRED `item`: amount is amount_due, else closing_balance."""
    if item == "customer":
        return "customer_code"
    if item == "amount":
        return "amount_due" if "amount_due" in fields else "closing_balance"
    return item
