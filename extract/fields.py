"""Statement fields from page words: labels, values, page boxes and an initial confidence.

Pure functions. Each page line is rebuilt from its words with NFKC normalization
(full-width digits and punctuation become ASCII) and with the spaces OCR puts between
CJK characters removed; wide gaps between words become cell breaks ("\\t"). Bilingual
labels are found in each line; a value is read right after its label, else from the next
cell of the same line, else (summary tables) from the cell below, else (label-only lines)
from the next line. Candidates from transaction rows are penalized, so a ledger with many
dates and amounts never beats the summary block.

OCR damage seen on real scans is undone where it is unambiguous and costs confidence:
amounts with spaces or swapped separators ("61, 455. 04", "4.534.10"), ¥ read as Y, 元
read as digits; Chinese labels with one character misread (本期收蒜 for 本期收款) when
no other field's label is as close. Summary amounts whose labels are unreadable are placed
only when the statement's arithmetic singles out one placement; a period whose label is
unreadable is the one unlabelled bare month of the document.

Initial confidence = label strength × weakest OCR word confidence of the value × penalties.
confidence.score() then applies the customer master, QR codes and cross-checks.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rapidfuzz.distance import Levenshtein

from extract.types import Box, FieldValue, Page, Word

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
AMOUNT_FIELDS = ("opening_balance", "charges", "payments", "closing_balance", "amount_due")
# No customer statement is for ten trillion or more; a larger figure is a misread, a test or
# an attack, and it would not fit the index's 64-bit cents. Such values go to review.
MAX_AMOUNT = Decimal(10) ** 13


def amount_in_range(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < MAX_AMOUNT
DATE_FIELDS = ("statement_date", "due_date", "period_start", "period_end")
# A document is accepted only when each of these is at or above the threshold;
# see required_field() for the field that carries each.
REQUIRED = ("customer", "period", "amount")
DEFAULT_CURRENCY = "CNY"

# Confidence weights (bench/accuracy.py measures how they relate to accuracy).
STRONG = 0.9  # a specific label: 客户编号, Statement Date, 期末余额
WEAK = 0.7  # a generic label: 客户, 日期, Date, Period, Ref
TITLE = 0.7  # an unlabelled period in a title: 2026年10月对账单, Statement for October 2026
TABLE_ROW = 0.6  # the value sits in a transaction row (a date first, or many amounts)
BELOW = 0.9  # the value is in the cell under a column-header label
NEXT_LINE = 0.85  # the label is alone on its line and the value is on the next
REPAIRED = 0.9  # O/o/l/I inside a number were read as digits, or separators were mended
ORPHAN = 0.7  # an amount without a readable label, placed by the statement's arithmetic
FUZZY_LABEL = 0.85  # factor: a Chinese label read with one character wrong, added or lost
LEFTOVER_DIGITS = 0.5  # more digits follow the amount in its cell: it may be a fragment
PERIOD_FROM_DATE = 0.8  # a period label followed by one date, not a month or a range
CODE_IN_NAME = 0.9  # a customer code printed inside the name: "C0042 上海某某", "上海某某 (C0042)"
CURRENCY_FROM_AMOUNT = 0.9  # the currency came from a symbol next to a labelled amount
DEFAULT_CURRENCY_CONFIDENCE = 0.8  # nothing printed: the CNY default

CELL = "\t"  # a wide gap between words on one line
CELL_GAP = 1.6  # gap (in character widths) that separates table cells / label and value
JOIN_GAP = 0.5  # gap below which neighbouring CJK words are one word split by OCR

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
    "¥": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY", "元": "CNY",
    "$": "USD", "US$": "USD", "USD": "USD", "美元": "USD",
    "HK$": "HKD", "HKD": "HKD", "港元": "HKD", "港币": "HKD",
    "€": "EUR", "EUR": "EUR", "欧元": "EUR",
    "£": "GBP", "GBP": "GBP", "英镑": "GBP",
}  # fmt: skip
_CUR_ALT = "|".join(re.escape(k) for k in sorted(_CURRENCIES, key=len, reverse=True))
_CURRENCY_RE = re.compile(f"(?<![A-Za-z])(?:{_CUR_ALT})(?![A-Za-z])", re.I)


def detect_currency(text: str) -> str | None:
    """ISO code of the first currency sign or name in `text` (¥/RMB/元/人民币 are CNY)."""
    m = _CURRENCY_RE.search(normalize(text))
    return _CURRENCIES[m.group().upper()] if m else None


# --------------------------------------------------------------------------- amounts

_NUMBER = re.compile(
    r"(?<![\d.,])"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?: \d{3})+\.\d{1,2}|\d+(?:\.\d{1,2})?)"
    r"(?!\d)(?![.,]\d)"
)
_CUR_PREFIX = r"RMB|CNY|USD|HKD|EUR|GBP|US\$|HK\$|人民币|¥|\$|€|£"
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
    if nxt and (nxt in _NOT_AFTER or nxt.isascii() and nxt.isalpha() and not after.group()):
        return None  # 2026年, 10月, 50%, 10/31, 100abc
    end = after.end()
    opened, closed = bool(before.group("paren")), bool(after.group("p1") or after.group("p2"))
    if opened and not closed:
        start = before.start() + before.group().index("(") + 1
    if closed and not opened:
        end = after.start("p1") if after.group("p1") else after.start("p2")
    negative = bool(before.group("minus1") or before.group("minus2") or (opened and closed))
    negative |= (after.group("cr") or "").upper() == "CR"
    value = Decimal(digits.replace(",", "").replace(" ", "")).quantize(_CENT)
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
_YMD = re.compile(r"(?<!\d)(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)(?![.,]\d)")
_YMD_CN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_D_MON_Y = re.compile(rf"(?<!\d)(\d{{1,2}}){_ORD}[\s\-/.]*{_MONTH}[\s\-/.,]*(\d{{4}})(?!\d)", re.I)
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


def _ymd(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))


def _ymd_cn(m: re.Match[str], dayfirst: bool) -> date | None:
    return _mk_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _dmy(m: re.Match[str], dayfirst: bool) -> date | None:
    a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
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
    (_D_MON_Y, _d_mon_y),
    (_MON_D_Y, _mon_d_y),
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


def find_date(text: str, *, dayfirst: bool = True) -> DateMatch | None:
    dates = find_dates(text, dayfirst=dayfirst)
    return dates[0] if dates else None


def parse_date(text: str, *, dayfirst: bool = True) -> date | None:
    """The date when `text` is one date (surrounding spaces and a final '.' allowed).

    Year-first forms are always year-month-day: 2026-10-31, 2026/10/31, 2026.10.31,
    2026年10月31日. Year-last numeric forms (31/10/2026) are day-first when the first
    number is > 12, month-first when the second is > 12, and otherwise day-first (the
    CN/HK/UK convention; pass dayfirst=False for US statements). Month names: 31 Oct 2026,
    Oct 31, 2026, October 31st, 2026, 31-Oct-2026.
    """
    text = normalize(text).strip().rstrip(".")
    m = find_date(text, dayfirst=dayfirst)
    return m.value if m and m.start == 0 and m.end >= len(text.rstrip(".")) else None


# --------------------------------------------------------------------------- periods

_PERIOD_CN = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?(?!\s*\d)")
_PERIOD_YM = re.compile(r"(?<![\d.])(\d{4})\s*[-/.]\s*(\d{1,2})(?!\d)(?!\s*[-/.]\s*\d)")
_PERIOD_MY = re.compile(r"(?<![\d./-])(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)(?![.,]\d)")
_PERIOD_EN = re.compile(rf"(?<![A-Za-z\d]){_MONTH}\s*,?\s*(\d{{4}})(?!\d)", re.I)
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|-|to|till|until|through|thru)\s*", re.I)
# "2026年10月1日至31日", "2026年10月1日至10月31日": the end date without its year.
_PARTIAL_END = re.compile(r"\s*(?:至|到|~|-)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")


_MONTH_FORMS = ((_PERIOD_CN, "ym"), (_PERIOD_YM, "ym"), (_PERIOD_MY, "my"), (_PERIOD_EN, "my"))


@dataclass(frozen=True)
class PeriodMatch:
    period: str  # YYYY-MM
    start_date: date | None
    end_date: date | None
    start: int
    end: int


def _ym(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1900 <= year <= 2199 and 1 <= month <= 12 else None


def _find_range(text: str) -> PeriodMatch | None:
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
    found = []
    for rx, order in _MONTH_FORMS:
        for m in rx.finditer(text):
            a, b = m.group(1), m.group(2)
            year, month = (a, b) if order == "ym" else (b, a)
            month_no = int(month) if month.isdigit() else _month(month)
            period = _ym(int(year), month_no)
            if period:
                found.append(PeriodMatch(period, None, None, m.start(), m.end()))
    return min(found, key=lambda p: p.start) if found else None


def find_period(text: str) -> PeriodMatch | None:
    """The first period in `text` (normalized); a date range wins over a bare month."""
    return _find_range(text) or _find_month(text)


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


# --------------------------------------------------------------------------- labels

# field -> (strong labels, weak labels). English labels match case-insensitively on word
# boundaries, with "." optional and any spacing; Chinese labels also match with one OCR
# space between characters, and with 帐 for 账 and in traditional characters.
_LABELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customer_name": (
        ("客户名称", "客户全称", "单位名称", "购货单位", "购买方名称", "客户名", "Customer Name",
         "Account Name", "Company Name", "Client Name"),
        ("客户", "致", "Customer", "Bill To", "Sold To", "Client"),
    ),
    "customer_code": (
        ("客户编号", "客户代码", "客户编码", "客户号", "客户账号", "客户ID", "Customer No.",
         "Customer Number", "Customer Code", "Customer ID", "Customer #", "Client No.",
         "Client Code", "Account Code"),
        ("Account No.", "Account Number", "Account #", "Acct No.", "A/C No."),
    ),
    "period": (
        ("对账期间", "对账月份", "对账周期", "账单期间", "结算期间", "所属期间", "账单月份",
         "Statement Period", "Billing Period", "Period Covered", "For the Period"),
        ("账期", "期间", "月份", "Period", "Statement Month", "Month"),
    ),
    "statement_no": (
        ("对账单号", "对账单编号", "账单编号", "账单号", "Statement No.", "Statement Number",
         "Statement #", "Statement ID", "Reference No."),
        ("单号", "编号", "Ref", "Ref."),
    ),
    "statement_date": (
        ("对账日期", "出单日期", "账单日期", "制表日期", "Statement Date", "Issue Date",
         "Date of Statement"),
        ("日期", "打印日期", "制单日期", "Date"),
    ),
    "due_date": (
        ("付款截止日期", "付款截止日", "最后付款日期", "最后付款日", "到期日期", "到期日",
         "付款期限", "Due Date", "Payment Due Date", "Payment Due", "Pay By"),
        ("截止日期",),
    ),
    "opening_balance": (
        ("期初余额", "上期余额", "上期结余", "上月结余", "上期欠款", "Opening Balance",
         "Previous Balance", "Balance Brought Forward", "Balance B/F", "Beginning Balance"),
        ("Balance Forward",),
    ),
    "charges": (
        ("本期发生额", "本期应收", "本期应收金额", "本期销售", "本期新增", "本期消费",
         "New Charges", "Current Charges", "Total Charges", "New Purchases"),
        ("Charges", "Purchases", "Invoices"),
    ),
    "payments": (
        ("本期收款", "本期已收", "本期回款", "本期已付", "本期付款", "Payments Received",
         "Total Payments", "Payment Received"),
        ("已收款", "Payments", "Less Payments", "Receipts", "Credits"),
    ),
    "closing_balance": (
        ("期末余额", "本期结余", "期末应收", "期末欠款", "本期余额", "Closing Balance",
         "Ending Balance", "Balance Carried Forward", "Balance C/F", "New Balance"),
        ("Balance",),
    ),
    "amount_due": (
        ("应付金额", "应付款", "本期应付", "本期应付金额", "应付总额", "请付金额", "应付款项",
         "Amount Due", "Total Due", "Balance Due", "Total Amount Due", "Please Pay",
         "Amount Payable", "Total Payable"),
        ("应付", "Amount to Pay"),
    ),
    "currency": (
        ("币种", "币别", "货币", "金额单位", "货币单位", "Currency"),
        ("单位",),
    ),
}  # fmt: skip

# Labels of things that are not statement fields: they stop the value before them and
# shadow the field labels they contain (Bank Account No., 发票编号, Minimum Payment Due).
_DECOYS = (
    "电话", "联系电话", "手机", "传真", "地址", "联系人", "开户行", "开户银行", "银行账号", "账号",
    "税号", "纳税人识别号", "发票号", "发票号码", "发票编号", "合同编号", "订单编号", "页码",
    "摘要", "备注", "邮箱", "客户经理", "客户服务", "客服", "客服电话", "客户签字", "客户签章",
    "客户确认", "客户盖章", "Customer Service", "Customer Care", "Customer Signature",
    "Tel", "Tel.", "Phone", "Fax", "Address", "Attn", "Contact", "Email", "E-mail", "Bank",
    "Bank Account", "Bank Account No.", "Invoice No.", "Invoice Number", "Tax ID", "Page",
    "Minimum Payment Due", "Minimum Payment", "Minimum Due", "Description",
)  # fmt: skip

# Traditional forms used on HK/TW statements, for label variants only.
_TRADITIONAL = str.maketrans("户称编号账单额余应发间结码币种货销后请总还单期收款",
                             "戶稱編號賬單額餘應發間結碼幣種貨銷後請總還單期收款")  # fmt: skip


@dataclass(frozen=True)
class _Label:
    rx: re.Pattern[str]
    field: str | None  # None: a decoy
    strength: float
    short: bool  # a 1-2 character Chinese label: needs a boundary before it
    first: str  # its first character, lower case


def _label_regex(label: str) -> str:
    if _CJK.search(label):
        return " ?".join(re.escape(ch) for ch in label)
    words = [re.escape(w).replace(r"\.", r"\.?") for w in label.split()]
    # OCR reads o as 0 and l as 1 inside words too: "0pening Balance", "C1osing"
    words = [w.translate(_LATIN_CONFUSIONS) for w in words]
    return r"(?<![A-Za-z])" + " *".join(words) + r"(?![A-Za-z])"


_LATIN_CONFUSIONS = str.maketrans({"o": "[o0]", "O": "[O0]", "l": "[l1]", "L": "[L1]"})


def _variants(label: str) -> set[str]:
    # 帐 is an old form of 账; 未 is how OCR often reads 末 (期末余额 -> 期未余额)
    out = {label, label.replace("账", "帐"), label.replace("末", "未")}
    return out | {v.translate(_TRADITIONAL) for v in out}


def _compile_labels() -> tuple[_Label, ...]:
    items: list[tuple[str, str | None, float]] = []
    for name, (strong, weak) in _LABELS.items():
        items += [(lab, name, STRONG) for lab in strong]
        items += [(lab, name, WEAK) for lab in weak]
    items += [(lab, None, 0.0) for lab in _DECOYS]
    out = []
    for label, name, strength in items:
        for variant in sorted(_variants(label)):
            short = bool(_CJK.search(variant)) and len(variant) <= 2
            rx = re.compile(_label_regex(variant), re.I)
            out.append(_Label(rx, name, strength, short, variant[0].lower()))
    return tuple(out)


_LABEL_TABLE = _compile_labels()
# OCR reads a label's colon as ; or , (and NFKC turns ：；， into :;,)
_SEPARATORS = re.compile(r"[\s:;,、=|/#.\-]*")
_LEAD = re.compile(r"^[\s:;,、。.=|/#\-\"'“”‘’`~_]+")  # OCR reads a gap as quotes or 。
_TRAIL = re.compile(r"[\s:;,=|/#\-]+$")


@dataclass(frozen=True)
class _Hit:
    field: str | None
    strength: float
    start: int
    end: int


def _first_char_index(labels: tuple[_Label, ...]) -> dict[str, tuple[_Label, ...]]:
    index: dict[str, list[_Label]] = {}
    for lab in labels:
        index.setdefault(lab.first, []).append(lab)
        if lab.first in _FIRST_CONFUSIONS:  # "0pening": tried at a 0 as well
            index.setdefault(_FIRST_CONFUSIONS[lab.first], []).append(lab)
    return {ch: tuple(labs) for ch, labs in index.items()}


_FIRST_CONFUSIONS = {"o": "0", "l": "1"}


_BY_FIRST_CHAR = _first_char_index(_LABEL_TABLE)  # try only labels that can start here


def _find_hits(text: str) -> list[_Hit]:
    """Label occurrences in a line; where labels overlap the longest wins."""
    found = []
    for pos, ch in enumerate(text):
        for lab in _BY_FIRST_CHAR.get(ch.lower(), ()):
            m = lab.rx.match(text, pos)
            if m is None or (lab.short and pos > 0 and _is_cjk(text[pos - 1])):
                continue  # 客户 inside 上海客户服务有限公司 is no label
            found.append(_Hit(lab.field, lab.strength, m.start(), m.end()))
    found.sort(key=lambda h: (h.start - h.end, h.start))
    kept: list[_Hit] = []
    for h in found:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    kept += _fuzzy_hits(text, kept)
    return sorted(kept, key=lambda h: h.start)


# Chinese labels of 4+ characters, for labels OCR misread by one character.
_FUZZY_LABELS: tuple[tuple[str, str | None, float], ...] = tuple(
    (variant, name, strength)
    for name, (strong, weak) in _LABELS.items()
    for label, strength in [(lab, STRONG) for lab in strong] + [(lab, WEAK) for lab in weak]
    for variant in _variants(label)
    if len(variant) >= 4 and all(_is_cjk(c) for c in variant)
) + tuple(
    (variant, None, 0.0)
    for label in _DECOYS
    for variant in _variants(label)
    if len(variant) >= 4 and all(_is_cjk(c) for c in variant)
)
_CELL_START = re.compile(rf"(?:^|{CELL})[^{_CJK_RANGE}A-Za-z0-9{CELL}]{{0,2}}(?=[{_CJK_RANGE}])")
_CJK_RUN = re.compile(f"[{_CJK_RANGE}]+")


def _fuzzy_hits(text: str, exact: list[_Hit]) -> list[_Hit]:
    """Labels with one character misread, added, or lost by OCR (本期收蒜, 对卫日期,
    本期发生上额), where a cell begins and no label was found. Only when every label
    that close names the same field, so 期X余额 (期初 or 期末?) is no label."""
    out = []
    for cell in _CELL_START.finditer(text):
        pos = cell.end()
        if any(h.start <= pos < h.end or h.start == pos for h in exact):
            continue
        run = _CJK_RUN.match(text, pos)
        if run is None or len(run.group()) < 3:
            continue
        word = run.group()
        best: dict[int, list[tuple[str | None, float, int]]] = {}
        for label, name, strength in _FUZZY_LABELS:
            for size in (len(label) - 1, len(label), len(label) + 1):
                if size > len(word) or size < 3:
                    continue
                dist = Levenshtein.distance(word[:size], label, score_cutoff=1)
                if dist <= 1:
                    best.setdefault(dist, []).append((name, strength, size))
        if not best:
            continue
        close = best[min(best)]
        longest = max(size for _, _, size in close)  # 本期收蒜 is 本期收款, not 本期(应)收
        close = [c for c in close if c[2] == longest]
        names = {name for name, _, _ in close}
        if len(names) != 1 or None in names:
            continue
        strength = max(st for _, st, _ in close) * FUZZY_LABEL
        end = pos + longest
        if not any(h.start < end and pos < h.end for h in exact):
            out.append(_Hit(names.pop(), strength, pos, end))
    return out


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    page: Page
    index: int  # order on the page
    text: str  # normalized; cells separated by CELL
    owners: list[int]  # word index for each character of text, -1 for separators
    words: list[Word]
    hits: list[_Hit] = field(default_factory=list)

    def cells(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for i, ch in enumerate(self.text + CELL):
            if ch == CELL:
                spans.append((start, i))
                start = i + 1
        return spans

    def cell_of(self, pos: int) -> int:
        return self.text.count(CELL, 0, pos)

    def box_conf(self, start: int, end: int) -> tuple[Box | None, float]:
        idx = {o for o in self.owners[start:end] if o >= 0}
        if not idx:
            return None, 1.0
        boxes = [self.words[i].box for i in idx]
        box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        return box, min(self.words[i].confidence for i in idx)


def _char_width(word: Word, text: str) -> float:
    return max(word.box[2] - word.box[0], 1e-6) / max(len(text), 1)


def _separator(prev: Word, prev_text: str, word: Word, text: str) -> str:
    gap = word.box[0] - prev.box[2]
    cw = (_char_width(prev, prev_text) + _char_width(word, text)) / 2
    if gap > CELL_GAP * cw:
        return CELL
    # OCR splits CJK runs into words: a tiny gap, or a lone character, is no real space
    lone = len(prev_text) == 1 or len(text) == 1
    if _is_cjk(prev_text[-1]) and _is_cjk(text[0]) and (gap < JOIN_GAP * cw or lone):
        return ""
    return " "


def _build_line(page: Page, index: int, words: list[Word]) -> _Line:
    words = sorted(words, key=lambda w: w.box[0])
    chars: list[str] = []
    owners: list[int] = []
    prev: tuple[Word, str] | None = None
    for i, w in enumerate(words):
        text = _norm_token(w.text)
        if not text:
            continue
        if prev is not None:
            sep = _separator(prev[0], prev[1], w, text)
            chars.append(sep)
            owners.extend([-1] * len(sep))
        chars.append(text)
        owners.extend([i] * len(text))
        prev = (w, text)
    line = _Line(page, index, "".join(chars), owners, words)
    line.hits = _find_hits(line.text)
    return line


def _page_lines(page: Page) -> list[_Line]:
    by_line: dict[int, list[Word]] = {}
    for w in page.words:
        by_line.setdefault(w.line, []).append(w)
    return [_build_line(page, i, by_line[k]) for i, k in enumerate(sorted(by_line))]


def page_from_lines(lines: Sequence[str], *, number: int = 1, source: str = "text") -> Page:
    """A Page from plain text lines; boxes are in characters (column, line).

    Two or more spaces (or a tab) between words make a cell break, as a wide gap does.
    """
    words = []
    for i, line in enumerate(lines):
        for m in re.finditer(r"\S+", line.expandtabs(4)):
            words.append(Word(m.group(), (m.start(), i, m.end(), i + 1), 1.0, i))
    width = max((len(s) for s in lines), default=0)
    return Page(number=number, width=width, height=len(lines), dpi=72, source=source, words=words)


# --------------------------------------------------------------------------- values


@dataclass
class _Candidate:
    name: str
    value: Any
    score: float
    line: _Line
    start: int  # span in line.text
    end: int
    extra: dict[str, tuple[Any, int, int]] = field(default_factory=dict)

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.line.page.number, self.line.index, self.start)


_CODE_LEAD = re.compile(rf"[^A-Za-z0-9{_CJK_RANGE}]{{0,4}}")
_CODE_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.\-#]*")
_CODE_IN_NAME = re.compile(
    r"^\[?((?=[A-Za-z0-9\-]{4})[A-Za-z]{0,4}\d{2,}[A-Za-z0-9\-]*)\]?\s+(.+)$"
)
_NAME_WITH_CODE = re.compile(r"^(.+?)\s*\(([A-Z]{0,4}\d{2,}[A-Z0-9\-]*)\)$")
_MAX_NAME = 80
_DOCUMENT_TITLE = re.compile(
    r"(?:客户)?(?:对账单|对帐单|對賬單|账单|帳單|结单|結單|月结单)|statement(?: of account)?", re.I
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
# thousands separators.
_SEPARATOR_MIX = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+[.,]\d{2}(?![\d.,])")
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


def _read_amount(name: str, text: str) -> list[_Value]:
    fixed, origin, repaired = _repair_amount(text)
    m = find_amount(fixed)
    if m is None:
        return []
    factor = REPAIRED if repaired else 1.0
    if re.search(r"\d", fixed[m.end :]):
        factor *= LEFTOVER_DIGITS  # "RMB 61, 455. 04" read as 61: more digits follow
    start, end = origin[m.start], origin[m.end - 1] + 1
    out: list[_Value] = [(name, m.value, start, end, factor)]
    if m.currency:
        out.append(("currency", m.currency, start, end, factor * CURRENCY_FROM_AMOUNT))
    return out


def _read_date(name: str, text: str) -> list[_Value]:
    fixed, repaired = _repair(text)
    m = find_date(fixed)
    return [(name, m.value, m.start, m.end, REPAIRED if repaired else 1.0)] if m else []


def _read_code(name: str, text: str) -> list[_Value]:
    # anything before the first letter or digit is the colon, a gap read as quotes, or a
    # misread first letter ("©0007"); customers.match_code copes with a lost letter
    lead = _CODE_LEAD.match(text)
    m = _CODE_TOKEN.match(text, lead.end() if lead else 0)
    if not m:
        return []
    token = m.group().rstrip(".-/#")
    looks_like_code = any(c.isdigit() for c in token) or (
        len(token) >= 3 and token.isupper() and any(c in "OI" for c in token)
    )
    if len(token) < 2 or not looks_like_code or find_date(token):
        return []
    return [(name, token, m.start(), m.start() + len(token), 1.0)]


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
    m = _CODE_IN_NAME.match(value) or _NAME_WITH_CODE.match(value)
    if m and m.re is _CODE_IN_NAME:  # "C0042 上海某某": the code printed before the name
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


def _starts_with_date(line: _Line) -> bool:
    first = find_date(line.text)
    return first is not None and first.start == 0


def _is_table_row(line: _Line) -> bool:
    """A transaction row: starts with a date, or holds more amounts than its labels explain."""
    amounts = [a for a in find_amounts(line.text) if "." in line.text[a.start : a.end]]
    if _starts_with_date(line) and (amounts or len(line.cells()) > 1):
        return True
    labels = [h for h in line.hits if h.field in AMOUNT_FIELDS]
    return len(amounts) - len(labels) >= 2


def _candidates(line: _Line, name: str, region: tuple[int, int], score: float) -> list[_Candidate]:
    start, end = region
    out = []
    for f, value, s, e, factor in _READERS[name](name, line.text[start:end]):
        _, conf = line.box_conf(start + s, start + e)
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


def _line_candidates(lines: list[_Line], i: int) -> list[_Candidate]:
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
            out += _below(lines, i, hit, strength) or _next_line(lines, i, hit, strength)
            continue
        out += _candidates(line, hit.field or "", region, strength * factor)
    return out


def _next_hit(line: _Line, hit: _Hit) -> _Hit | None:
    return next((h for h in line.hits if h.start >= hit.end), None)


def _region(line: _Line, hit: _Hit) -> tuple[int, int] | None:
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
    if nxt and nxt.start < end:
        if _is_blank(line.text[start : nxt.start]):
            return None  # the next cell is another label: a header row
        end = nxt.start
    return start, end


def _below(lines: list[_Line], i: int, hit: _Hit, strength: float) -> list[_Candidate]:
    """Summary tables: a row of amount labels with their amounts in the row underneath."""
    if hit.field not in AMOUNT_FIELDS or i + 1 >= len(lines):
        return []
    line, below = lines[i], lines[i + 1]
    if below.hits or find_date(below.text):
        return []
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
    return _candidates(below, hit.field, span, strength * BELOW)


def _cell_under(line: _Line, hit: _Hit, below: _Line) -> tuple[int, int] | None:
    box, _ = line.box_conf(hit.start, hit.end)
    if box is None:
        return None
    for start, end in below.cells():
        cell_box, _ = below.box_conf(start, end)
        if cell_box and cell_box[0] < box[2] and cell_box[2] > box[0]:
            return start, end
    return None


def _next_line(lines: list[_Line], i: int, hit: _Hit, strength: float) -> list[_Candidate]:
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
    re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月份?)\s*(?:的)?\s*(?:客户)?\s*(?:对账单|对帐单|账单|結單|月结单)"),
    re.compile(rf"statement\s+(?:of\s+account\s+)?for\s+(?:the\s+month\s+of\s+)?"
               rf"({_MONTH}\s*,?\s*\d{{4}})", re.I),
    re.compile(rf"(?<![A-Za-z])({_MONTH}\s*,?\s*\d{{4}})\s+statement", re.I),
)  # fmt: skip


def _title_candidates(line: _Line) -> list[_Candidate]:
    out = []
    for rx in _TITLE_PERIODS:
        for m in rx.finditer(line.text):
            out += _candidates(line, "period", m.span(1), TITLE)
    return out


# --------------------------------------------------------------------------- unlabelled amounts


def balance_holds(opening: Decimal, charges: Decimal, payments: Decimal, closing: Decimal) -> bool:
    """opening + charges − payments = closing; payments may be printed as a credit (-2,000)."""
    return opening + charges - payments == closing or (
        payments < 0 and opening + charges + payments == closing
    )


_CENTS = re.compile(r"\d[.,] ?\d{2}(?!\d)")


def _orphan(line: _Line) -> _Candidate | None:
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


def _unlabelled_amounts(
    pages: list[list[_Line]], best: dict[str, _Candidate]
) -> dict[str, _Candidate]:
    """Amount fields whose label OCR garbled, placed by arithmetic.

    The rows of a summary block that carry one amount and no label (among or next to the
    rows read with labels) are tried in the missing fields. An assignment is taken when it
    makes opening + charges − payments = closing (or amount due = closing) hold with every
    value it places, and no other assignment does as well: more values placed, the
    balance identity before amount due = closing alone, then the printed order of a
    summary (opening, charges, payments, closing, due) break ties.
    """
    known = {n: c for n, c in best.items() if n in AMOUNT_FIELDS}
    missing = [n for n in AMOUNT_FIELDS if n not in known]
    if not known or not missing:
        return {}
    orphans = [o for lines in pages for o in _summary_orphans(lines, known)]
    if not orphans:
        return {}
    values = {n: c.value for n, c in known.items()}
    ranked: list[tuple[tuple[int, int, int], dict[str, _Candidate]]] = []
    for k in range(min(len(missing), len(orphans)), 0, -1):
        for names in itertools.permutations(missing, k):
            for chosen in itertools.permutations(orphans, k):
                placed = dict(zip(names, chosen, strict=True))
                trial = values | {n: c.value for n, c in placed.items()}
                checks = _arithmetic_checks(trial, set(names))
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
    return {n: _Candidate(n, c.value, c.score, c.line, c.start, c.end) for n, c in placed.items()}


def _unlabelled_period(pages: list[list[_Line]]) -> dict[str, _Candidate]:
    """The period whose label OCR garbled ("WMA): 2026.08"): the one value cell on the
    pages, after some text on an unlabelled row, that is a month or a date range and
    nothing else. Statement, due and transaction dates carry a day, so they never qualify."""
    found = []
    for lines in pages:
        for line in lines:
            cells = line.cells()
            if line.hits or len(cells) < 2 or _is_table_row(line):
                continue
            if _is_blank(line.text[: cells[-1][0]]):
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


def _unlabelled_statement_date(
    pages: list[list[_Line]], best: dict[str, _Candidate]
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
            if len(cells) < 2 or _is_table_row(line) or not _orphan_cell(line, cells):
                continue
            start, end = cells[-1]
            dates = find_dates(_repair(line.text[start:end])[0])
            when = dates[0].value if len(dates) == 1 else None
            if when is None or not 0 <= (when - first_after).days <= 31:
                continue
            if due is not None and when == due.value:
                continue
            found += [
                c
                for c in _candidates(line, "statement_date", cells[-1], ORPHAN)
                if c.name == "statement_date"
            ]
    return {"statement_date": found[0]} if len(found) == 1 else {}


def _orphan_cell(line: _Line, cells: list[tuple[int, int]]) -> bool:
    """Whether the last cell belongs to no label: none starts in it, and the labels before
    it have their values in their own cells ("客户编号: C0013 | WMA: 2025.02.02")."""
    last = len(cells) - 1
    for hit in line.hits:
        cell = line.cell_of(hit.start)
        if cell == last:
            return False
        if cell == last - 1 and _is_blank(line.text[hit.end : cells[cell][1]]):
            return False  # a label alone in its cell: the last cell is its value
    return True


def _summary_orphans(lines: list[_Line], known: dict[str, _Candidate]) -> list[_Candidate]:
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
    return [found[i] for i in sorted(found)]


def _arithmetic_checks(values: dict[str, Decimal], placed: set[str]) -> int:
    """How many checks vouch for the placed values (balance identity 2, due = closing 1);
    0 when a check fails or a placed value takes part in none."""
    checked: set[str] = set()
    weight = 0
    balance = ("opening_balance", "charges", "payments", "closing_balance")
    if all(n in values for n in balance):
        if not balance_holds(*(values[n] for n in balance)):
            return 0
        checked.update(balance)
        weight += 2
    due, closing = values.get("amount_due"), values.get("closing_balance")
    if due is not None and closing is not None:
        if not (due == closing or (closing < 0 and due == 0)):
            return 0
        checked.update(("amount_due", "closing_balance"))
        weight += 1
    return weight if placed <= checked else 0


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
        source=c.line.page.source,
        page=c.line.page.number,
        box=box,
        raw=raw,
    )


def _best(cands: list[_Candidate]) -> dict[str, _Candidate]:
    best: dict[str, _Candidate] = {}
    for c in cands:  # in reading order: on a tie the first printed wins
        if c.name not in best or c.score > best[c.name].score:
            best[c.name] = c
    return best


def parse_fields(pages: Sequence[Page]) -> dict[str, FieldValue]:
    """Fields found on `pages`, keyed by the names in FIELD_NAMES.

    Each value carries its page, the union box of the words it was read from (page
    coordinates), the normalized printed text, the page source ("text"/"ocr") and an
    initial confidence. Currency defaults to CNY when nothing is printed.
    """
    cands: list[_Candidate] = []
    all_lines: list[list[_Line]] = []
    for page in pages:
        lines = _page_lines(page)
        all_lines.append(lines)
        for i, line in enumerate(lines):
            cands += _line_candidates(lines, i) + _title_candidates(line)
    cands.sort(key=lambda c: c.order)
    best = _best(cands)
    best.update(_unlabelled_amounts(all_lines, best))
    if "period" not in best:
        best.update(_unlabelled_period(all_lines))
    if "statement_date" not in best:
        best.update(_unlabelled_statement_date(all_lines, best))
    out: dict[str, FieldValue] = {}
    for name, c in best.items():
        out[name] = _field_value(c, name, c.value, c.start, c.end)
        for extra, (value, start, end) in c.extra.items():
            out[extra] = _field_value(c, extra, value, start, end)
    if "currency" not in out:
        source = pages[0].source if pages else "text"
        out["currency"] = FieldValue(
            "currency", DEFAULT_CURRENCY, DEFAULT_CURRENCY_CONFIDENCE, source
        )
    return {name: out[name] for name in FIELD_NAMES if name in out}


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
