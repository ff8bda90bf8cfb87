"""Values printed on statements: amounts, dates, periods and currencies, from text.

Pure functions over normalized text (see normalize()): full-width digits and punctuation
become ASCII, OCR spaces between CJK characters go. Money is Decimal, dates are dates.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CELL = "\t"  # a wide gap between words on one line: a table cell break

_CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_RANGE}]")
_CJK_SPACE = re.compile(f"(?<=[{_CJK_RANGE}]) (?=[{_CJK_RANGE}])")
_CJK_SPACES = re.compile(f"(?<=[{_CJK_RANGE}])\\s+(?=[{_CJK_RANGE}])")
# NFKC leaves these alone; they all mean "-" or a space on a statement.
_TRANSLATE = str.maketrans(
    {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u3000": " ", "\xa0": " "}
)


# --------------------------------------------------------------------------- normalization


def normalize(text: str) -> str:
    """NFKC (full-width to ASCII), unified dashes, single spaces between CJK removed.

    Line breaks and runs of two or more spaces (column gaps) are kept.
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _CJK_SPACE.sub("", text)


def _norm_token(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return " ".join(_CJK_SPACES.sub("", text).split())


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# --------------------------------------------------------------------------- currency

_CURRENCIES = {
    "¥": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY", "人民幣": "CNY", "元": "CNY",
    "$": "USD", "US$": "USD", "USD": "USD", "美元": "USD", "美金": "USD",
    "HK$": "HKD", "HKD": "HKD", "港元": "HKD", "港币": "HKD", "港幣": "HKD",
    "NT$": "TWD", "NTD": "TWD", "TWD": "TWD", "新台币": "TWD", "新臺幣": "TWD", "新台幣": "TWD",
    "MOP$": "MOP", "MOP": "MOP", "澳门元": "MOP", "澳門元": "MOP", "澳门币": "MOP", "澳門幣": "MOP",
    "S$": "SGD", "SGD": "SGD", "新加坡元": "SGD", "新币": "SGD", "新幣": "SGD",
    "A$": "AUD", "AU$": "AUD", "AUD": "AUD", "澳元": "AUD", "澳币": "AUD", "澳幣": "AUD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "加元": "CAD", "加币": "CAD", "加幣": "CAD",
    "€": "EUR", "EUR": "EUR", "欧元": "EUR", "歐元": "EUR",
    "£": "GBP", "GBP": "GBP", "英镑": "GBP", "英鎊": "GBP",
    "JPY": "JPY", "日元": "JPY", "日圆": "JPY", "日圓": "JPY", "円": "JPY",
    "CHF": "CHF", "瑞士法郎": "CHF",
}  # fmt: skip
# Signs whose currency depends on where the statement was written: "$" is the local dollar
# in Hong Kong, Taiwan and Macau, US dollars on an English or mainland statement; 元 is
# the local yuan (CNY on the mainland, TWD in Taiwan, HKD in Hong Kong).
_SIGN_MEANS = {
    "$": {"USD", "HKD", "TWD", "MOP", "SGD", "AUD", "CAD"},
    "元": {"CNY", "TWD", "HKD", "MOP", "SGD"},
}
AMBIGUOUS_SIGNS = frozenset(_SIGN_MEANS)
# Places an address names: the local currency of a statement written in traditional
# characters, whose "$" and 元 mean that currency.
LOCAL_CURRENCY = {
    "香港": "HKD", "九龍": "HKD", "新界": "HKD", "HONG KONG": "HKD", "KOWLOON": "HKD",
    "澳門": "MOP", "MACAU": "MOP", "MACAO": "MOP",
    "臺灣": "TWD", "台灣": "TWD", "臺北": "TWD", "台北": "TWD", "統一編號": "TWD",
    "TAIWAN": "TWD", "TAIPEI": "TWD",
}  # fmt: skip
_CUR_ALT = "|".join(re.escape(k) for k in sorted(_CURRENCIES, key=len, reverse=True))
_CURRENCY_RE = re.compile(f"(?<![A-Za-z])(?:{_CUR_ALT})(?![A-Za-z])", re.I)
_PLACE_RE = re.compile("|".join(map(re.escape, LOCAL_CURRENCY)), re.I)
# a currency beside a column's name: "Balance £", "Debit RMB", "Amount (USD)", "金额(元)"; a
# Chinese name only in brackets (元 is also a character of words)
_SIGNS_AND_CODES = sorted(
    (k for k in _CURRENCIES if all(ord(ch) < 0x2E80 for ch in k)), key=len, reverse=True
)
_LATIN_CUR = "|".join(map(re.escape, _SIGNS_AND_CODES))
_CURRENCY_MARK = re.compile(
    rf"[(（]\s*(?:{_CUR_ALT}|￥)\s*[)）]|(?<![A-Za-z])(?:{_LATIN_CUR}|￥)(?![A-Za-z])", re.I
)


def blank_currencies(text: str) -> str:
    """`text` with its currency signs and names (and their brackets) blanked out, every
    other character where it was: the words a table's header names its columns by."""
    return _CURRENCY_MARK.sub(lambda m: " " * len(m.group()), text)


def detect_currency(text: str) -> str | None:
    """ISO code of the first currency sign or name in `text` (¥/RMB/元/人民币 are CNY)."""
    m = _CURRENCY_RE.search(normalize(text))
    return _CURRENCIES[m.group().upper()] if m else None


def currency_sign(text: str) -> str | None:
    """The first currency sign or name printed in `text`, as printed (upper case)."""
    m = _CURRENCY_RE.search(normalize(text))
    return m.group().upper() if m else None


def named_currency(texts: list[str]) -> str | None:
    """The one currency the texts name unambiguously (a code, a name, HK$), when every bare
    $ and 元 they print can mean it too; None when they name none, or several."""
    named, signs = set(), set()
    for text in texts:
        for m in _CURRENCY_RE.finditer(normalize(text)):
            key = m.group().upper()
            if key in AMBIGUOUS_SIGNS:
                signs.add(key)
            else:
                named.add(_CURRENCIES[key])
    if len(named) != 1:
        return None
    (one,) = named
    return one if all(one in _SIGN_MEANS[sign] for sign in signs) else None


def local_currency(texts: list[str]) -> str | None:
    """The one local currency the places named in the texts agree on (香港: HKD), else None."""
    found = {LOCAL_CURRENCY[m.group().upper()] for t in texts for m in _PLACE_RE.finditer(t)}
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------- amounts

# A thousands-grouped figure takes its cents across one space: OCR splits "1,682,451.46"
# at the decimal point when the dot stands apart, and ".46" is never an amount of its own.
# For the same reason it takes a space inside its last group ("172,1 59.57": "172,1" is no
# figure). After thousands groups, the separator before the last two digits is the decimal
# point whichever it is: "1.053.86" and "114,960,86" are a point read as a dot or comma,
# "41.011,54" is continental print; a thousands separator is followed by three digits.
# Nordic and French print groups by spaces before a decimal comma: "1 234 567,89"; a figure
# under a thousand then has its decimal comma alone ("-83,28"), taken when the figure stands
# alone (a space, a bracket, 元 or the end after it), as a dot misread as a comma is too.
_NUMBER = re.compile(
    r"(?<![\d.,])"
    r"(\d{1,3}(?:,\d{3})*,(?:\d \d\d|\d\d \d)\.\d{2}"
    r"|\d{1,3}(?:,\d{3})+(?: ?\.\d{1,2}|,\d{2})?|\d{1,3}(?: \d{3})+[.,]\d{1,2}"
    r"|\d{1,3}(?:\.\d{3})+[.,]\d{2}|\d{1,6},\d{2}(?=[\s)元]|$)|\d+(?:\.\d{1,2})?)"
    # no digit or separated digits after it; a comma after cents is prose: "¥51,108.80，8月"
    r"(?!\d)(?!\.\d)(?!(?<!\.\d\d),\d)"
)
_DECIMAL_POINT = re.compile(r"[.,] ?(\d{1,2})$")  # the last separator before the cents
_CUR_PREFIX = r"RMB|CNY|USD|HKD|EUR|GBP|TWD|NTD|US\$|HK\$|NT\$|人民币|¥|\$|€|£"
_BEFORE = re.compile(
    rf"(?P<minus1>-)?\s*(?P<cur1>{_CUR_PREFIX})?\s*(?P<paren>\()?\s*"
    rf"(?P<cur2>{_CUR_PREFIX})?\s*(?P<minus2>-)?\s*$",
    re.I,
)
_AFTER = re.compile(
    rf"\s*(?P<p1>\))?\s*(?P<cur>{_CUR_ALT})?\s*(?P<p2>\))?(?:\s*(?P<cr>CR|DR)(?![A-Za-z]))?",
    re.I,
)
_NOT_AFTER = "年月日号%/:-"  # 2026年, 10月, 50%, 10/31, 12:30, 2026-10: not amounts
_COUNT_BEFORE = re.compile(r"(?:(?<![A-Za-z])(?:page|of|no\.?)|第|共)\s*$", re.I)
# "4 entries", "16 items", "3笔", "page 1 of 2", "31-60 days": counts, page numbers and
# ranges of days, not amounts
_COUNT_AFTER = re.compile(
    r"(?:\s*-\s*\d+)?\s*(?:(?:entries|entry|items?|transactions?|txns?|pages?|days?|months?|of\s+\d)"
    r"(?![A-Za-z])|[笔条项页张天个次份])",
    re.I,
)
_MAX_PLAIN_DIGITS = 8  # longer bare integers are phone/account numbers, not amounts
_CENT = Decimal("0.01")
# O/o/l/I between digits are OCR misreads of 0 and 1.
_DIGIT_REPAIR = re.compile(r"(?<=\d)[OoIl](?=[\d,./-])|(?<=[\d,./-])[OoIl](?=\d)")
_REPAIR_TABLE = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


@dataclass(frozen=True)
class AmountMatch:
    value: Decimal
    currency: str | None
    start: int  # span of the amount in the searched text, currency signs included
    end: int


def _is_year(text: str, m: re.Match[str], digits: str) -> bool:
    """The year of a date written with a month name: "11th Mar 2022", "March 2022"."""
    if not (len(digits) == 4 and 1900 <= int(digits) <= 2199):
        return False
    return _MONTH_BEFORE.search(text[max(0, m.start() - 14) : m.start()]) is not None


def find_amounts(text: str) -> list[AmountMatch]:
    """Every amount in `text` (already normalized), left to right; dates, phone numbers,
    codes (C0042, INV-001) and years with 年 are skipped."""
    out = []
    for m in _NUMBER.finditer(text):
        found = _amount_at(text, m)
        if found is not None:
            out.append(found)
    return out


def find_amount(text: str) -> AmountMatch | None:
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


def parse_amount(text: str) -> Decimal | None:
    """The amount when `text` is one amount and nothing else, quantized to cents.

    "¥12,345.67", "RMB 12,345.67", "12,345.67元", "(1,234.00)" (negative), "1 234.56",
    "1,234.00 CR" (negative). Dates, phone numbers and codes give None. Never a float.
    """
    text = normalize(text).strip()
    m = find_amount(text)
    return m.value if m and m.start == 0 and m.end == len(text) else None


def _amount_at(text: str, m: re.Match[str]) -> AmountMatch | None:
    digits = m.group(1)
    if digits.isdigit() and (len(digits) > _MAX_PLAIN_DIGITS or digits[0] == "0" < digits):
        return None  # 13812345678, 0042: phone numbers and codes
    before = _BEFORE.search(text, max(0, m.start() - 16), m.start())
    after = _AFTER.match(text, m.end())
    assert before is not None and after is not None  # every group is optional
    start = before.start() + len(before.group()) - len(before.group().lstrip())
    prev = text[start - 1] if start > 0 else ""
    if prev and (prev.isascii() and (prev.isalnum() or prev in "-/#_.") or prev in "年月"):
        return None  # glued to a code or a date: C0042, INV-001, 2026-10
    nxt = text[m.end() : m.end() + 1]
    # SAP and other ERPs print a credit with the minus after it: "2,039.08-"
    trailing = nxt == "-" and "." in digits and not text[m.end() + 1 : m.end() + 2].isdigit()
    if trailing:
        after = _AFTER.match(text, m.end() + 1)
        assert after is not None
    elif nxt and (nxt in _NOT_AFTER or nxt.isascii() and nxt.isalpha() and not after.group()):
        return None  # 2026年, 10月, 50%, 10/31, 100abc
    point = _DECIMAL_POINT.search(digits)
    if point is None and (  # a whole number: it may be a count, a year or a day
        _COUNT_AFTER.match(text, m.end())
        or _COUNT_BEFORE.search(text[max(0, m.start() - 8) : m.start()])
        or _is_year(text, m, digits)
        or _MONTH_AFTER.match(text, m.end())  # the day of "as at 31 July 2026"
    ):
        return None
    end = after.end()
    opened, closed = bool(before.group("paren")), bool(after.group("p1") or after.group("p2"))
    if opened and not closed:
        start = before.start() + before.group().index("(") + 1
    if closed and not opened:
        end = after.start("p1") if after.group("p1") else after.start("p2")
    negative = bool(before.group("minus1") or before.group("minus2") or (opened and closed))
    negative |= trailing
    negative |= (after.group("cr") or "").upper() == "CR"
    whole, cents = (digits[: point.start()], point.group(1)) if point else (digits, "0")
    whole = whole.replace(",", "").replace(".", "").replace(" ", "")
    value = Decimal(f"{whole}.{cents}").quantize(_CENT)
    cur = before.group("cur1") or before.group("cur2") or after.group("cur")
    currency = _CURRENCIES[cur.upper()] if cur else None
    while start < m.start() and text[start].isspace():
        start += 1
    while end > m.end() and text[end - 1].isspace():
        end -= 1
    return AmountMatch(-value if negative else value, currency, start, end)


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_ORD = r"(?:st|nd|rd|th)?"
_MONTH_AFTER = re.compile(rf"{_ORD}\s*{_MONTH}", re.I)
_MONTH_BEFORE = re.compile(rf"(?<![A-Za-z]){_MONTH}[\s,.]*$", re.I)
_YMD = re.compile(r"(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)(?![.,]\d)")
_YMD_CN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# Taiwan counts years from 1912 (民國): 115/08/02, 115.07.13, 115年7月1日 are in 2026. Only
# three-digit years 100-149 (2011-2060) are read so, with every part separated, so that a
# reference such as 2301-1150713027 or an amount is never taken for one.
_ROC_YEAR = r"(?:民[國国]\s*)?(1[0-4]\d)"
_YMD_ROC = re.compile(
    rf"(?<![\d.]){_ROC_YEAR}\s*([-/.])\s*(\d{{1,2}})\s*\2\s*(\d{{1,2}})(?!\d)(?![.,]\d)"
)
_YMD_ROC_CN = re.compile(rf"(?<!\d){_ROC_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]")
_ROC_OFFSET = 1911
_DMY = re.compile(r"(?<![\d.])(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
# Two-digit years, as desktop accounting packages print them (UK 31/07/26, US 7/31/26):
# written solid, and with nothing number-like on either side, so that a part or phone
# number (12-30-45-6), a version or an address (10.1.26.4) is never taken for one.
_DMYY = re.compile(r"(?<![A-Za-z\d./-])(\d{1,2})([-/.])(\d{1,2})\2(\d{2})(?![\d/-])(?![.,]\d)")
_D_MON_Y = re.compile(rf"(?<!\d)(\d{{1,2}}){_ORD}[\s\-/.]*{_MONTH}[\s\-/.,]*(\d{{4}})(?!\d)", re.I)
# Oracle's default date mask DD-MON-RR, on mainframe and ERP prints: 05-OCT-26.
_D_MON_YY = re.compile(rf"(?<![\d-])(\d{{1,2}})-{_MONTH}-(\d{{2}})(?![\d-])", re.I)
_MON_D_Y = re.compile(rf"(?<![A-Za-z]){_MONTH}\s*(\d{{1,2}}){_ORD}\s*,?\s*(\d{{4}})(?!\d)", re.I)


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int
    end: int


def _mk_date(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2199:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


_DAY_MON = re.compile(rf"^\s*(\d{{1,2}}){_ORD}[\s\-/.]*{_MONTH}\s*$", re.I)
_MON_DAY = re.compile(rf"^\s*{_MONTH}[\s\-/.]*(\d{{1,2}}){_ORD}\s*$", re.I)


def month_and_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a date printed without its year and with its month named: "11-Aug",
    "11 Aug", "Aug 11" (a table's rows under a heading that gives the year)."""
    if m := _DAY_MON.match(text):
        return _month(m.group(2)), int(m.group(1))
    if m := _MON_DAY.match(text):
        return _month(m.group(1)), int(m.group(2))
    return None


def _ymd(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))


def _ymd_cn(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _ymd_roc(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)) + _ROC_OFFSET, int(m.group(3)), int(m.group(4)))


def _ymd_roc_cn(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)) + _ROC_OFFSET, int(m.group(2)), int(m.group(3)))


def _century(yy: str) -> int:
    """A two-digit year as Oracle's RR mask and most packages read it: 00-49 this century,
    50-99 the last."""
    return (2000 if int(yy) < 50 else 1900) + int(yy)


def _d_mon_yy(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(_century(m.group(3)), _month(m.group(2)), int(m.group(1)))


def _dmy(m: re.Match[str], dayfirst: bool) -> date | None:
    a, b, y = int(m.group(1)), int(m.group(3)), m.group(4)
    y = int(y) if len(y) == 4 else _century(y)
    if a > 12 or (b <= 12 and dayfirst):
        return _mk_date(y, b, a)
    return _mk_date(y, a, b)  # month first: the second number is > 12, or dayfirst=False


def _d_mon_y(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(3)), _month(m.group(2)), int(m.group(1)))


def _mon_d_y(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(3)), _month(m.group(1)), int(m.group(2)))


_DATE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], bool], date | None]], ...] = (
    (_YMD, _ymd),
    (_YMD_CN, _ymd_cn),
    (_DMY, _dmy),
    (_DMYY, _dmy),
    (_D_MON_Y, _d_mon_y),
    (_MON_D_Y, _mon_d_y),
    (_YMD_ROC, _ymd_roc),
    (_YMD_ROC_CN, _ymd_roc_cn),
    (_D_MON_YY, _d_mon_yy),
)


def find_dates(text: str, *, dayfirst: bool = True) -> list[DateMatch]:
    """Every date in `text` (already normalized), left to right, without overlaps."""
    found = []
    for rx, build in _DATE_FORMS:
        for m in rx.finditer(text):
            value = build(m, dayfirst)
            if value is not None:
                found.append(DateMatch(value, m.start(), m.end()))
    found.sort(key=lambda d: (d.start, -d.end))
    out: list[DateMatch] = []
    for d in found:
        if not out or d.start >= out[-1].end:
            out.append(d)
    return out


def dayfirst_of(texts: list[str]) -> bool:
    """Whether a document writes numeric dates day first (31/10/2026, the default) or
    month first (10/31/2026, US): decided by the dates that can only be read one way, the
    more of them winning, since OCR misreads a digit now and then ("11/02" as "21/02"). A
    number above 31 is no day either way ("41/02")."""
    day_first = month_first = 0
    for text in texts:
        for m in (*_DMY.finditer(text), *_DMYY.finditer(text)):
            a, b = int(m.group(1)), int(m.group(3))
            day_first += 31 >= a > 12 >= b
            month_first += 31 >= b > 12 >= a
    return month_first <= day_first


def roc_dated(texts: list[str]) -> bool:
    """Whether a document writes its dates in 民國 years (two or more of them): a Taiwanese
    document, whose money is New Taiwan dollars unless it says otherwise."""
    found = 0
    for text in texts:
        for rx, build in ((_YMD_ROC, _ymd_roc), (_YMD_ROC_CN, _ymd_roc_cn)):
            found += sum(build(m, True) is not None for m in rx.finditer(text))
    return found >= 2


def find_date(text: str, *, dayfirst: bool = True) -> DateMatch | None:
    dates = find_dates(text, dayfirst=dayfirst)
    return dates[0] if dates else None


def parse_date(text: str, *, dayfirst: bool = True) -> date | None:
    """The date when `text` is one date (surrounding spaces and a final '.' allowed).

    Year-first forms are always year-month-day: 2026-10-31, 2026/10/31, 2026.10.31,
    2026年10月31日. Year-last numeric forms (31/10/2026, 31/10/26) are day-first when the first
    number is > 12, month-first when the second is > 12, and otherwise day-first (the
    CN/HK/UK convention; pass dayfirst=False for US statements). Month names: 31 Oct 2026,
    Oct 31, 2026, October 31st, 2026, 31-Oct-2026.
    """
    text = normalize(text).strip().rstrip(".")
    m = find_date(text, dayfirst=dayfirst)
    return m.value if m and m.start == 0 and m.end >= len(text.rstrip(".")) else None


# --------------------------------------------------------------------------- periods

_PERIOD_CN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(?!\s*\d)")
_PERIOD_ROC_CN = re.compile(rf"(?<!\d){_ROC_YEAR}\s*年\s*(\d{{1,2}})\s*月(?:份)?(?!\s*\d)")
_PERIOD_YM = re.compile(r"(?<![\d.])(\d{4})\s*[-/.]\s*(\d{1,2})(?!\d)(?!\s*[-/.]\s*\d)")
_PERIOD_MY = re.compile(r"(?<![\d./-])(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)(?![.,]\d)")
_PERIOD_EN = re.compile(rf"(?<![A-Za-z\d]){_MONTH}\s*,?\s*(\d{{4}})(?!\d)", re.I)
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|-|to|till|until|through|thru)\s*", re.I)
# "2026年10月1日至31日", "2026年10月1日至10月31日": the end date without its year.
_PARTIAL_END = re.compile(r"\s*(?:至|到|~|-)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")


_MONTH_FORMS = (
    (_PERIOD_CN, "ym"),
    (_PERIOD_ROC_CN, "roc"),
    (_PERIOD_YM, "ym"),
    (_PERIOD_MY, "my"),
    (_PERIOD_EN, "my"),
)


@dataclass(frozen=True)
class PeriodMatch:
    period: str  # YYYY-MM
    start_date: date | None
    end_date: date | None
    start: int
    end: int


def _ym(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1900 <= year <= 2199 and 1 <= month <= 12 else None


def find_range(text: str) -> PeriodMatch | None:
    """The first date range in `text` (2026-10-01 至 2026-10-31), as a period."""
    dates = find_dates(text)
    for a, b in zip(dates, dates[1:], strict=False):
        if _RANGE_SEP.fullmatch(text, a.end, b.start) and a.value <= b.value:
            return PeriodMatch(f"{b.value:%Y-%m}", a.value, b.value, a.start, b.end)
    for a in dates:
        m = _PARTIAL_END.match(text, a.end)
        if m:
            month = int(m.group(1)) if m.group(1) else a.value.month
            end = _mk_date(a.value.year, month, int(m.group(2)))
            if end and end >= a.value:
                return PeriodMatch(f"{end:%Y-%m}", a.value, end, a.start, m.end())
    return None


def _find_month(text: str) -> PeriodMatch | None:
    # "March 2027" inside "01 March 2027" is a day, not a month: "As at 01 March 2027" beside
    # "Period 01 Feb 2027 to 28 Feb 2027" dates the statement, it names no period.
    days: list[tuple[int, int]] | None = None  # found once, and only for text naming a month
    found = []
    for rx, order in _MONTH_FORMS:
        for m in rx.finditer(text):
            if days is None:
                days = [(d.start, d.end) for d in find_dates(text)]
            if any(s <= m.start() and m.end() <= e for s, e in days):
                continue
            a, b = m.group(1), m.group(2)
            year, month = (b, a) if order == "my" else (a, b)
            month_no = int(month) if month.isdigit() else _month(month)
            period = _ym(int(year) + (_ROC_OFFSET if order == "roc" else 0), month_no)
            if period:
                found.append(PeriodMatch(period, None, None, m.start(), m.end()))
    return min(found, key=lambda p: p.start) if found else None


def find_period(text: str) -> PeriodMatch | None:
    """The first period in `text` (normalized); a date range wins over a bare month."""
    return find_range(text) or _find_month(text)


def month_bounds(period: str) -> tuple[date, date] | None:
    """The first and last day of a period's month ("2026-10"), None if it is not one."""
    try:
        year, month = (int(part) for part in period.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def parse_period(text: str) -> tuple[str, date | None, date | None] | None:
    """(period "YYYY-MM", start, end) when `text` is one period, else None.

    Months: 2026年10月, 2026年10月份, 2026.10, 2026-10, 2026/10, 10/2026, Oct 2026,
    October 2026. Ranges (dates as parse_date) joined by 至/到/~/-/to: the period is the
    month of the end date, so a 26 Sep – 25 Oct billing cycle is 2026-10.
    """
    text = normalize(text).strip()
    m = find_period(text)
    if m is None or m.start != 0 or m.end != len(text):
        return None
    return m.period, m.start_date, m.end_date
