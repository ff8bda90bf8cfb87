"""Statement test corpus: account statements (对账单) rendered from known ground truth.

Tests and benchmarks import this module; nothing here is part of the product.

- `make_truth` draws a consistent statement (opening + charges - payments = closing).
- `render_pdf` prints it as a digital A4 PDF with a text layer (reportlab, embedded CJK font).
- `render_scan` rasterizes that PDF (pypdfium2) and degrades it like a scanner or a phone
  would: skew, whole-page rotation, blur, noise, JPEG artefacts; PNG, JPEG, TIFF or an
  image-only PDF.
- `build_corpus` writes a fixed, seeded set of samples with a manifest, cached under
  tests/.cache/corpus-<hash>/ so tests do not regenerate them.

Print formats vary per statement (see `Style`) so parsers meet every format a statement prints:
2026年10月, 2026.10, Oct 2026, 2026-10-01 至 2026-10-31, ¥12,345.67, 12,345.67元,
CNY 12,345.67, negatives as -1,234.00 or (1,234.00), full-width digits and colons.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `extract` imports when run as a script from anywhere
    sys.path.insert(0, str(ROOT))

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
LAYOUTS = ("zh", "en", "bilingual")
VARIANTS = ("digital", "scan300", "scan200-noisy", "tiff", "rotated")
# Harder capture conditions (tests/degrade.py): phone photos, 150 dpi faxes, JPEG quality 30
# (the "hard" sizes), and faxes received at standard resolution, 204 x 98 dpi (the "fax" sizes).
HARD = ("photo", "fax150", "jpeg30")
FAX = ("fax-standard",)
CONDITIONS = HARD + FAX
CENT = Decimal("0.01")

# --------------------------------------------------------------------------- customers

CUSTOMERS: list[tuple[str, str, list[str]]] = [
    ("C0001", "上海华信贸易有限公司", ["华信贸易", "上海华信"]),
    ("C0002", "北京中科联创科技有限公司", ["中科联创"]),
    ("C0003", "深圳市鹏达电子有限公司", ["鹏达电子", "深圳鹏达"]),
    ("C0004", "广州恒丰纺织品有限公司", ["恒丰纺织"]),
    ("C0005", "杭州西湖茶业股份有限公司", ["西湖茶业"]),
    ("C0006", "苏州工业园区明德精密机械有限公司", ["明德精密", "明德机械"]),
    ("C0007", "南京金陵化工有限公司", ["金陵化工"]),
    ("C0008", "成都天府食品有限公司", ["天府食品"]),
    ("C0009", "武汉长江物流有限公司", ["长江物流"]),
    ("C0010", "天津滨海新材料有限公司", ["滨海新材料", "滨海新材"]),
    ("C0011", "重庆山城汽车配件有限公司", ["山城汽配"]),
    ("C0012", "青岛海韵水产有限公司", ["海韵水产"]),
    ("C0013", "宁波甬港五金制品有限公司", ["甬港五金"]),
    ("C0014", "厦门鹭岛包装材料有限公司", ["鹭岛包装"]),
    ("C0015", "西安秦川医疗器械有限公司", ["秦川医疗"]),
    ("C0016", "上海浦江建筑工程有限公司", ["浦江建筑", "浦江建工"]),
    ("C0017", "无锡太湖环保设备有限公司", ["太湖环保"]),
    ("C0018", "东莞市新城塑胶制品有限公司", ["新城塑胶"]),
    ("C0019", "合肥科大讯联信息技术有限公司", ["讯联信息"]),
    ("C0020", "郑州中原粮油贸易有限公司", ["中原粮油"]),
    ("C0021", "长沙湘江印务有限公司", ["湘江印务"]),
    ("C0022", "佛山市顺德美居家具有限公司", ["美居家具", "顺德美居"]),
    ("C0023", "大连北方船舶配套有限公司", ["北方船舶"]),
    ("C0024", "昆明彩云花卉进出口有限公司", ["彩云花卉"]),
    ("C0025", "上海某某贸易有限公司", ["某某贸易"]),
    ("C0042", "Northwind Trading Ltd.", ["Northwind", "NW Trading"]),
    ("C0043", "Blue Harbour Logistics Pte. Ltd.", ["Blue Harbour", "BHL"]),
    ("C0044", "Contoso Electronics (Asia) Limited", ["Contoso", "Contoso Asia"]),
    ("C0045", "Pacific Rim Foods Co., Ltd.", ["Pacific Rim Foods", "PRF"]),
    ("C0046", "Greenfield Medical Supplies GmbH", ["Greenfield Medical"]),
    ("C0107", "Atlas Industrial Components Inc.", ["Atlas Industrial", "AIC"]),
]

# The statement issuer (our side), printed as the letterhead.
_ISSUERS = [
    {
        "zh": "华东精工材料股份有限公司",
        "en": "East China Precision Materials Co., Ltd.",
        "addr_zh": "上海市嘉定区安亭镇墨玉路888号",
        "addr_en": "888 Moyu Road, Anting, Jiading District, Shanghai 201805",
        "tel": "021-6958 1234",
        "tax": "91310114MA1GT3K52X",
        "bank_zh": "中国工商银行上海嘉定支行",
        "bank_en": "ICBC Shanghai Jiading Branch",
        "account": "1001 2345 0920 0123 456",
    },
    {
        "zh": "江南实业集团有限公司",
        "en": "Jiangnan Industrial Group Co., Ltd.",
        "addr_zh": "江苏省苏州市吴中区东吴北路56号",
        "addr_en": "56 Dongwu North Road, Wuzhong District, Suzhou 215128",
        "tel": "0512-6552 8800",
        "tax": "91320506714198765Q",
        "bank_zh": "中国银行苏州吴中支行",
        "bank_en": "Bank of China Suzhou Wuzhong Sub-branch",
        "account": "4879 5820 1162",
    },
    {
        "zh": "岭南电气设备有限公司",
        "en": "Lingnan Electrical Equipment Ltd.",
        "addr_zh": "广东省广州市黄埔区科学大道182号",
        "addr_en": "182 Kexue Avenue, Huangpu District, Guangzhou 510663",
        "tel": "020-3206 7788",
        "tax": "91440101MA5CL0Y21D",
        "bank_zh": "招商银行广州科学城支行",
        "bank_en": "China Merchants Bank Guangzhou Science City Sub-branch",
        "account": "1209 0877 3210 502",
    },
]


def customers_csv(path: str | os.PathLike) -> Path:
    """Write the customer master as CSV (code,name,aliases; aliases joined by ';')."""
    import csv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "name", "aliases"])
        for code, name, aliases in CUSTOMERS:
            writer.writerow([code, name, ";".join(aliases)])
    return path


# --------------------------------------------------------------------------- truth


def _money(value: Decimal) -> str:
    """A plain decimal string as the CLI JSON prints it: "80509.61", "-120.00"."""
    return format(value.quantize(CENT), "f")


@dataclass(frozen=True)
class Line:
    """One printed transaction line of a statement, as ground truth (None: cell left blank)."""

    date: datetime.date
    ref: str
    desc: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal
    page: int = 1

    def to_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "ref": self.ref,
            "desc": self.desc,
            "debit": None if self.debit is None else _money(self.debit),
            "credit": None if self.credit is None else _money(self.credit),
            "balance": _money(self.balance),
            "page": self.page,
        }

    @classmethod
    def from_json(cls, data: dict) -> Line:
        def dec(v):
            return None if v is None else Decimal(v)

        return cls(
            date=datetime.date.fromisoformat(data["date"]),
            ref=data["ref"],
            desc=data["desc"],
            debit=dec(data["debit"]),
            credit=dec(data["credit"]),
            balance=Decimal(data["balance"]),
            page=data["page"],
        )


@dataclass(frozen=True)
class Truth:
    customer_code: str
    customer_name: str
    period: str  # YYYY-MM
    statement_no: str
    statement_date: datetime.date
    due_date: datetime.date
    opening_balance: Decimal
    charges: Decimal
    payments: Decimal
    closing_balance: Decimal
    amount_due: Decimal
    currency: str = "CNY"
    # Exact period dates, set when the statement prints the period as a date range.
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    # Transaction lines as printed, where the layout's generator records them.
    lines: tuple[Line, ...] = ()
    # Fields the layout does not print (a ledger export has no statement number): the right
    # answer for them is no value at all.
    unprinted: tuple[str, ...] = ()

    def expected(self) -> dict[str, str | None]:
        """Field name -> the string the CLI JSON prints for it (None: not on the page)."""
        out = {
            "customer_code": self.customer_code,
            "customer_name": self.customer_name,
            "period": self.period,
            "statement_no": self.statement_no,
            "statement_date": self.statement_date.isoformat(),
            "opening_balance": _money(self.opening_balance),
            "charges": _money(self.charges),
            "payments": _money(self.payments),
            "closing_balance": _money(self.closing_balance),
            "amount_due": _money(self.amount_due),
            "currency": self.currency,
        }
        return {k: None if k in self.unprinted else v for k, v in out.items()}

    def to_json(self) -> dict:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "lines":
                v = [line.to_json() for line in v]
            elif f.name == "unprinted":
                v = list(v)
            elif isinstance(v, datetime.date):
                v = v.isoformat()
            elif isinstance(v, Decimal):
                v = _money(v)
            out[f.name] = v
        return out

    @classmethod
    def from_json(cls, data: dict) -> Truth:
        kw = dict(data)
        for name in ("statement_date", "due_date", "period_start", "period_end"):
            if kw.get(name):
                kw[name] = datetime.date.fromisoformat(kw[name])
        for name in ("opening_balance", "charges", "payments", "closing_balance", "amount_due"):
            kw[name] = Decimal(kw[name])
        kw["lines"] = tuple(Line.from_json(x) for x in kw.get("lines", ()))
        kw["unprinted"] = tuple(kw.get("unprinted", ()))
        return cls(**kw)

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def month(self) -> int:
        return int(self.period[5:7])


def _amount(rng: random.Random, lo: float, hi: float) -> Decimal:
    """A positive amount, log-uniform between 10**lo and 10**hi, in cents."""
    return Decimal(int(10 ** rng.uniform(lo, hi) * 100)) * CENT


def make_truth(
    rng: random.Random,
    *,
    customer: tuple[str, str, list[str]] | str | None = None,
    period: str | None = None,
    negative: bool | None = None,
    exact_dates: bool | None = None,
    currency: str | None = None,
) -> Truth:
    """A random but consistent statement: opening + charges - payments = closing.

    `negative` forces (or forbids) a credit balance; `exact_dates` forces (or forbids)
    the period being printed as a date range. Amounts reach millions.
    """
    if customer is None:
        customer = rng.choice(CUSTOMERS)
    elif isinstance(customer, str):
        customer = next(c for c in CUSTOMERS if c[0] == customer)
    code, name, _aliases = customer
    if period is None:
        period = f"{rng.choice([2025, 2026, 2026, 2027])}-{rng.randint(1, 12):02d}"
    year, month = int(period[:4]), int(period[5:7])
    start = datetime.date(year, month, 1)
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    if exact_dates is None:
        exact_dates = rng.random() < 0.3
    if negative is None:
        negative = rng.random() < 0.12
    if currency is None:
        english = name.isascii()
        currency = rng.choice(["USD", "HKD"]) if english and rng.random() < 0.25 else "CNY"

    charges = Decimal(0) if rng.random() < 0.05 else _amount(rng, 2.5, 6.6)
    if negative:
        if rng.random() < 0.5:  # credit carried in, small charges
            opening = -_amount(rng, 2, 5)
            charges = min(charges, -opening * Decimal("0.6")).quantize(CENT)
            payments = Decimal(0) if rng.random() < 0.5 else _amount(rng, 1.5, 3)
        else:  # overpaid this period
            opening = _amount(rng, 2, 5.5)
            payments = (opening + charges + _amount(rng, 1.5, 4)).quantize(CENT)
    else:
        opening = Decimal(0) if rng.random() < 0.08 else _amount(rng, 2, 6.3)
        if rng.random() < 0.1:
            payments = Decimal(0)
        else:  # usually pays off most of what was owed
            payments = (opening * Decimal(rng.uniform(0.3, 1.0))).quantize(CENT)
    closing = opening + charges - payments
    if not negative and closing < 0:
        payments += closing  # keep the balance at zero or above
        closing = opening + charges - payments
    amount_due = closing
    if closing < 0 and rng.random() < 0.4:
        amount_due = Decimal("0.00")  # nothing to pay on a credit balance

    seq = rng.randint(1, 9999)
    number = rng.choice(
        [
            f"ST-{year}{month:02d}-{seq:04d}",
            f"DZD{year}{month:02d}{seq:04d}",
            f"SOA-{year % 100:02d}{month:02d}-{code[1:]}",
            f"AR{year}{month:02d}-{seq:05d}",
        ]
    )
    statement_date = end + datetime.timedelta(days=rng.randint(1, 8))
    due_date = statement_date + datetime.timedelta(days=rng.choice([10, 15, 20, 30, 45]))
    return Truth(
        customer_code=code,
        customer_name=name,
        period=period,
        statement_no=number,
        statement_date=statement_date,
        due_date=due_date,
        opening_balance=opening.quantize(CENT),
        charges=charges.quantize(CENT),
        payments=payments.quantize(CENT),
        closing_balance=closing.quantize(CENT),
        amount_due=amount_due.quantize(CENT),
        currency=currency,
        period_start=start if exact_dates else None,
        period_end=end if exact_dates else None,
    )


# --------------------------------------------------------------------------- print formats

_MONTHS = list(calendar.month_name)
_MONTHS_ABBR = list(calendar.month_abbr)
_FULLWIDTH = str.maketrans("0123456789,.-()/:", "０１２３４５６７８９，．－（）／：")


@dataclass(frozen=True)
class Style:
    """How one statement prints its values; drawn from the truth so renders are stable."""

    period_fmt: str  # cn_month | iso_month | dot_month | en_abbr | en_long | bi_month | range_*
    date_fmt: str  # iso | cn | slash | dot | en_dmy | en_mdy
    money_fmt: str  # symbol | yuan | rmb | code | plain
    neg_fmt: str  # minus | paren
    fullwidth_colon: bool
    fullwidth_digits: bool  # in the header and summary values
    charges_label: int  # which synonym for charges (本期发生额 / 本期应收 ...)
    kv_columns: int  # 1 or 2 key/value pairs per header line
    summary_pos: str  # top (above the transactions) or bottom
    summary_boxed: bool
    qr_corner: str  # tr | br
    aging: bool  # print an ageing table (more numbers that are not summary fields)
    fonts: str  # wqy | wqy-liberation | droid-serif


def pick_style(truth: Truth, layout: str, rng: random.Random | None = None) -> Style:
    """The print style for `truth` in `layout`; deterministic unless an rng is given."""
    if rng is None:
        rng = random.Random(
            zlib.crc32(f"{truth.statement_no}|{truth.customer_code}|{layout}".encode())
        )
    ranged = truth.period_start is not None
    if layout == "zh":
        periods = ["range_cn", "range_iso_zh"] if ranged else ["cn_month", "iso_month", "dot_month"]
        dates = ["iso", "cn", "cn", "slash", "dot"]
    elif layout == "en":
        periods = ["range_iso_en", "range_en"] if ranged else ["en_abbr", "en_long", "iso_month"]
        dates = ["iso", "en_dmy", "en_mdy"]
    else:
        periods = ["range_iso_zh", "range_bi"] if ranged else ["dot_month", "bi_month", "cn_month"]
        dates = ["iso", "dot", "cn", "en_dmy"]
    money = (
        ["symbol", "yuan", "rmb", "plain", "code"] if layout == "zh" else ["code", "rmb", "symbol"]
    )
    if layout == "en":
        money = ["code", "code", "rmb", "symbol"]
    fullwidth = layout == "zh" and rng.random() < 0.5
    return Style(
        period_fmt=rng.choice(periods),
        date_fmt=rng.choice(dates),
        money_fmt=rng.choice(money),
        neg_fmt=rng.choice(["minus", "paren"]),
        fullwidth_colon=fullwidth,
        fullwidth_digits=fullwidth and rng.random() < 0.35,
        charges_label=rng.randint(0, 1),
        kv_columns=rng.choice([1, 2]),
        summary_pos=rng.choice(["top", "top", "bottom"]),
        summary_boxed=rng.random() < 0.6,
        qr_corner=rng.choice(["tr", "tr", "br"]),
        aging=rng.random() < 0.4,
        fonts=rng.choice(["wqy", "wqy", "wqy-liberation", "droid-serif"]),
    )


def fmt_date(d: datetime.date, fmt: str) -> str:
    if fmt == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if fmt == "slash":
        return d.strftime("%Y/%m/%d")
    if fmt == "dot":
        return d.strftime("%Y.%m.%d")
    if fmt == "en_dmy":
        return f"{d.day:02d} {_MONTHS_ABBR[d.month]} {d.year}"
    if fmt == "en_mdy":
        return f"{_MONTHS[d.month]} {d.day}, {d.year}"
    return d.isoformat()


def fmt_period(truth: Truth, fmt: str) -> str:
    y, m = truth.year, truth.month
    s, e = truth.period_start, truth.period_end
    if fmt == "cn_month":
        return f"{y}年{m}月"
    if fmt == "dot_month":
        return f"{y}.{m:02d}"
    if fmt == "en_abbr":
        return f"{_MONTHS_ABBR[m]} {y}"
    if fmt == "en_long":
        return f"{_MONTHS[m]} {y}"
    if fmt == "bi_month":
        return f"{y}年{m}月 / {_MONTHS_ABBR[m]} {y}"
    if s is not None and e is not None:
        if fmt == "range_cn":
            return f"{fmt_date(s, 'cn')}至{fmt_date(e, 'cn')}"
        if fmt == "range_iso_zh":
            return f"{s.isoformat()} 至 {e.isoformat()}"
        if fmt == "range_iso_en":
            return f"{s.isoformat()} to {e.isoformat()}"
        if fmt == "range_en":
            return f"{fmt_date(s, 'en_dmy')} - {fmt_date(e, 'en_dmy')}"
        if fmt == "range_bi":
            return f"{fmt_date(s, 'slash')} 至 {fmt_date(e, 'slash')}"
    return f"{y}-{m:02d}"


def fmt_amount(value: Decimal, currency: str, money_fmt: str, neg_fmt: str) -> str:
    """An amount as printed: ¥12,345.67, 12,345.67元, CNY 12,345.67, (1,234.00), ..."""
    digits = f"{abs(value):,.2f}"
    neg = value < 0
    if neg and neg_fmt == "paren":
        digits = f"({digits})"
        neg = False
    sign = "-" if neg else ""
    if currency == "CNY":
        if money_fmt == "symbol":
            return f"{sign}¥{digits}"
        if money_fmt == "yuan":
            return f"{sign}{digits}元"
        if money_fmt == "rmb":
            return f"RMB {sign}{digits}"
        if money_fmt == "code":
            return f"CNY {sign}{digits}"
        return f"{sign}{digits}"
    if money_fmt == "yuan":
        word = {"USD": "美元", "HKD": "港元"}.get(currency, currency)
        return f"{sign}{digits}{word}"
    if money_fmt == "symbol" and currency == "USD":
        return f"{sign}US${digits}"
    return f"{currency} {sign}{digits}"


def _table_amount(value: Decimal, neg_fmt: str) -> str:
    if value < 0:
        return f"({abs(value):,.2f})" if neg_fmt == "paren" else f"-{abs(value):,.2f}"
    return f"{value:,.2f}"


# --------------------------------------------------------------------------- labels

_LABELS = {
    "zh": {
        "title": "客户对账单",
        "customer_name": "客户名称",
        "customer_code": "客户编号",
        "period": "对账期间",
        "statement_no": "对账单号",
        "statement_date": "对账日期",
        "due_date": "付款截止日",
        "opening_balance": "期初余额",
        "charges": ["本期发生额", "本期应收"],
        "payments": "本期收款",
        "closing_balance": "期末余额",
        "amount_due": "应付金额",
        "summary": "账户汇总",
        "transactions": "往来明细",
        "cols": ["日期", "单据号", "摘要", "借方(应收)", "贷方(收款)", "余额"],
        "bf": "上期结转",
        "total": "本期合计",
        "subtotal": "本页小计",
        "cont": "（续下页）",
        "cont_head": "往来明细（续）",
        "aging": "账龄分析",
        "aging_cols": ["30天以内", "31-60天", "61-90天", "90天以上"],
        "page": "第 {p} 页 共 {n} 页",
        "unit": "金额单位：{cur}",
    },
    "en": {
        "title": "STATEMENT OF ACCOUNT",
        "customer_name": "Customer",
        "customer_code": "Customer No.",
        "period": "Statement period",
        "statement_no": "Statement No.",
        "statement_date": "Statement date",
        "due_date": "Due date",
        "opening_balance": "Opening balance",
        "charges": ["New charges", "New charges"],
        "payments": "Payments received",
        "closing_balance": "Closing balance",
        "amount_due": "Amount due",
        "summary": "Account summary",
        "transactions": "Transactions",
        "cols": ["Date", "Reference", "Description", "Charges", "Payments", "Balance"],
        "bf": "Balance brought forward",
        "total": "Totals for the period",
        "subtotal": "Page subtotal",
        "cont": "(continued on next page)",
        "cont_head": "Transactions (continued)",
        "aging": "Ageing",
        "aging_cols": ["Current", "31-60 days", "61-90 days", "Over 90 days"],
        "page": "Page {p} of {n}",
        "unit": "All amounts in {cur}",
    },
    "bilingual": {
        "title": "对账单 Statement of Account",
        "customer_name": "客户名称 / Customer Name",
        "customer_code": "客户编号 / Customer No.",
        "period": "对账期间 / Period",
        "statement_no": "对账单号 / Statement No.",
        "statement_date": "日期 / Date",
        "due_date": "付款截止日 / Due Date",
        "opening_balance": "期初余额 / Opening Balance",
        "charges": ["本期发生额 / Charges", "本期应收 / New Charges"],
        "payments": "本期收款 / Payments",
        "closing_balance": "期末余额 / Closing Balance",
        "amount_due": "应付金额 / Amount Due",
        "summary": "账户汇总 Summary",
        "transactions": "往来明细 Transactions",
        "cols": [
            "日期 Date",
            "单据号 Ref.",
            "摘要 Description",
            "借方 Debit",
            "贷方 Credit",
            "余额 Balance",
        ],
        "bf": "上期结转 Brought forward",
        "total": "合计 Total",
        "subtotal": "小计 Subtotal",
        "cont": "（续下页 / continued）",
        "cont_head": "往来明细（续）Transactions (cont.)",
        "aging": "账龄 Ageing",
        "aging_cols": ["0-30天 days", "31-60天 days", "61-90天 days", ">90天 days"],
        "page": "第{p}页/共{n}页 Page {p} of {n}",
        "unit": "币种 Currency: {cur}",
    },
}

_CURRENCY_WORD = {"zh": {"CNY": "人民币元", "USD": "美元", "HKD": "港元"}}


# --------------------------------------------------------------------------- transactions


@dataclass(frozen=True)
class _Tx:
    date: datetime.date
    ref: str
    desc: str
    debit: Decimal | None
    credit: Decimal | None
    balance: Decimal


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """`total` as `parts` positive amounts of similar size that add up exactly."""
    cents = int(total * 100)
    if cents <= 0:
        return []
    parts = max(1, min(parts, cents // 100 or 1))
    weights = [rng.uniform(0.15, 1.0) for _ in range(parts)]
    scale = cents / sum(weights)
    out = [max(1, int(w * scale)) for w in weights[:-1]]
    out.append(cents - sum(out))
    return [Decimal(c) * CENT for c in out]


def _transactions(truth: Truth, layout: str, rows: int, seed: int) -> list[_Tx]:
    rng = random.Random(seed)
    n_pay = 0 if truth.payments == 0 else rng.randint(1, max(1, min(3, rows // 3)))
    # Rows of at least ~50.00 each, so small totals do not become a column of pennies.
    n_chg = min(max(0, rows - n_pay), int(truth.charges // 50)) if truth.charges > 0 else 0
    n_chg = max(n_chg, 1) if truth.charges > 0 else 0
    charges = _split(rng, truth.charges, n_chg)
    payments = _split(rng, truth.payments, n_pay)
    # Occasionally a credit note: one charge row negative, another larger by as much.
    if len(charges) >= 3 and rng.random() < 0.4:
        credit = (charges[0] * Decimal(rng.uniform(0.1, 0.5))).quantize(CENT)
        charges[1] += credit
        charges.insert(2, -credit)
    y, m = truth.year, truth.month
    last = calendar.monthrange(y, m)[1]
    items: list[tuple[datetime.date, str, Decimal]] = []
    items += [(datetime.date(y, m, rng.randint(1, last)), "c", a) for a in charges]
    items += [(datetime.date(y, m, rng.randint(1, last)), "p", a) for a in payments]
    items.sort(key=lambda t: t[0])
    out: list[_Tx] = []
    balance = truth.opening_balance
    for date, kind, amount in items:
        num = rng.randint(100, 9999)
        if kind == "c" and amount < 0:
            ref = f"CN-{y % 100}{m:02d}{num:04d}"
            desc = {
                "zh": "退货冲减 红字发票",
                "en": "Credit note - returned goods",
                "bilingual": "退货冲减 Credit note",
            }[layout]
        elif kind == "c":
            ref = rng.choice([f"INV-{y % 100}{m:02d}-{num:04d}", f"DN{y}{m:02d}{num:04d}"])
            desc = rng.choice(
                {
                    "zh": [
                        "销售出库 货款",
                        "销售发票 货款",
                        "技术服务费",
                        "运费及包装费",
                        "备件销售",
                    ],
                    "en": ["Goods delivered", "Sales invoice", "Service fee", "Freight charges"],
                    "bilingual": ["销售发票 Invoice", "服务费 Service fee", "运费 Freight"],
                }[layout]
            )
        else:
            ref = rng.choice([f"RC{y}{m:02d}{num:04d}", f"PAY-{num:04d}"])
            desc = rng.choice(
                {
                    "zh": ["收款 - 银行转账", "收到货款（电汇）", "银行承兑汇票收款"],
                    "en": ["Payment received - thank you", "Bank transfer received", "Cheque"],
                    "bilingual": ["收款 Payment received", "电汇 Bank transfer"],
                }[layout]
            )
        if kind == "c":
            balance += amount
            out.append(_Tx(date, ref, desc, amount, None, balance))
        else:
            balance -= amount
            out.append(_Tx(date, ref, desc, None, amount, balance))
    assert balance == truth.closing_balance, (balance, truth)
    return out


# --------------------------------------------------------------------------- fonts

_FONT_FILES = {
    "wqy": [("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)],
    "droid": [("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0)],
    "lib-sans": [("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 0)],
    "lib-serif": [("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 0)],
}


@cache
def _font(key: str) -> str | None:
    """Register font `key` with reportlab once; its name, or None when not installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in _FONT_FILES[key]:
        if Path(path).exists():
            name = f"corpus-{key}"
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
            return name
    return None


def _fonts(style: Style) -> tuple[str, str]:
    """(CJK font, Latin font) for a style, falling back to WenQuanYi for anything missing."""
    cjk = _font("wqy") or _font("droid")
    if cjk is None:
        raise RuntimeError("no CJK TrueType font: apt-get install fonts-wqy-microhei")
    if style.fonts == "droid-serif":
        return _font("droid") or cjk, _font("lib-serif") or cjk
    if style.fonts == "wqy-liberation":
        return cjk, _font("lib-sans") or cjk
    return cjk, cjk


# --------------------------------------------------------------------------- PDF


class _Pen:
    """Draws text on a reportlab canvas, switching fonts between CJK and Latin runs."""

    def __init__(self, canvas, style: Style):
        self.c = canvas
        self.style = style
        self.cjk, self.latin = _fonts(style)

    def runs(self, s: str) -> list[tuple[str, str]]:
        """(font, text) runs: CJK and full-width characters in the CJK font, the rest Latin."""
        out: list[tuple[str, str]] = []
        for ch in s:
            font = self.cjk if ord(ch) >= 0x2E80 else self.latin
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def width(self, s: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(text, font, size) for font, text in self.runs(s))

    def text(self, x: float, y: float, s: str, size: float = 10.5, *, bold=False, align="left"):
        w = self.width(s, size)
        if align == "right":
            x -= w
        elif align == "center":
            x -= w / 2
        t = self.c.beginText(x, y)
        if bold:  # no bold CJK face: fill and stroke the glyphs
            self.c.setLineWidth(size / 30)
            t.setTextRenderMode(2)
        for font, text in self.runs(s):
            t.setFont(font, size)
            t.textOut(text)
        self.c.drawText(t)
        return w

    def fit(self, s: str, size: float, width: float) -> str:
        while s and self.width(s, size) > width:
            s = s[:-1]
        return s


def _colon(style: Style, layout: str) -> str:
    if layout == "en":
        return ":"
    return "：" if style.fullwidth_colon else ":"


def _value(style: Style, s: str) -> str:
    return s.translate(_FULLWIDTH) if style.fullwidth_digits else s


PAGE_W, PAGE_H = 595.27, 841.89  # A4 in points
MARGIN = 42.0
QR_SIZE = 71.0  # ~2.5 cm


def render_pdf(
    truth: Truth,
    layout: str,
    *,
    qr: bool,
    pages: int = 1,
    style: Style | None = None,
) -> bytes:
    """A digital statement PDF (text layer, embedded CJK font), byte-for-byte reproducible.

    With pages=2 the transaction list continues on page 2.
    """
    from reportlab.pdfgen import canvas as rl_canvas

    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}")
    style = style or pick_style(truth, layout)
    seed = zlib.crc32(f"{truth.statement_no}|{layout}|{pages}".encode())
    issuer = _ISSUERS[seed % len(_ISSUERS)]
    rows = random.Random(seed).randint(4, 9) if pages == 1 else random.Random(seed).randint(22, 30)
    txs = _transactions(truth, layout, rows, seed)
    L = _LABELS[layout]

    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(f"{L['title']} {truth.statement_no}")
    c.setAuthor(issuer["en"])
    pen = _Pen(c, style)
    qr_img = _qr_reader(truth) if qr else None

    per_page = [txs] if pages == 1 else [txs[:10], txs[10:]]
    per_page += [[] for _ in range(pages - len(per_page))]
    for p in range(pages):
        y = _letterhead(pen, layout, issuer, qr_right=qr and p == 0 and style.qr_corner == "tr")
        if p == 0:
            y = _title_and_header(pen, truth, layout, style, y)
        else:
            y -= 22
            pen.text(
                MARGIN, y, f"{L['statement_no']}{_colon(style, layout)} {truth.statement_no}", 10
            )
            y -= 22
        last = p == pages - 1
        summary_here = (style.summary_pos == "top" and p == 0) or (
            style.summary_pos == "bottom" and last
        )
        if summary_here and style.summary_pos == "top":
            y = _summary(pen, truth, layout, style, y)
        heading = L["transactions"] if p == 0 else L["cont_head"]
        y = _tx_table(pen, truth, layout, style, y, per_page[p], heading, first=p == 0, last=last)
        if summary_here and style.summary_pos == "bottom":
            y = _summary(pen, truth, layout, style, y)
        if last and style.aging:
            y = _aging(pen, truth, layout, style, y, seed)
        if y < MARGIN + 44:  # would run into the footer
            raise RuntimeError(f"page {p + 1} of {truth.statement_no} overflows ({y:.0f} pt)")
        _footer(
            pen,
            layout,
            issuer,
            p + 1,
            pages,
            qr_left_limit=qr and p == 0 and style.qr_corner == "br",
        )
        if qr_img is not None:
            if style.qr_corner == "tr":
                qx, qy = PAGE_W - MARGIN - QR_SIZE, PAGE_H - MARGIN + 6 - QR_SIZE
            else:
                qx, qy = PAGE_W - MARGIN - QR_SIZE, MARGIN - 10
            if p == 0:
                c.drawImage(qr_img, qx, qy, QR_SIZE, QR_SIZE)
        c.showPage()
    c.save()
    return buf.getvalue()


# The secret key of the installation that "issued" the corpus's statements: their QR codes
# are signed with it, and the tests and benches run with STMT_SECRET_KEY set to it.
SECRET_KEY = "test-installation-secret"


def qr_payload(truth: Truth) -> str:
    """Our QR payload for `truth` (extract.qrpayload.build), signed with SECRET_KEY."""
    from extract.qrpayload import StatementCode, build

    return build(
        StatementCode(
            customer=truth.customer_code,
            period=truth.period,
            amount=truth.amount_due,
            currency=truth.currency,
            number=truth.statement_no,
        ),
        key=SECRET_KEY.encode(),
    )


def _qr_reader(truth: Truth):
    from reportlab.lib.utils import ImageReader

    from extract.qrpayload import qr_image

    # One pixel per module: the PDF scales it up and rasterizers keep the edges sharp.
    img = qr_image(qr_payload(truth), box_size=1, border=4).convert("L")
    n = img.size[0]
    img = img.resize((n * 8, n * 8), resample=0)  # nearest: no grey edges when rasterized
    return ImageReader(img)


def _letterhead(pen: _Pen, layout: str, issuer: dict, *, qr_right: bool) -> float:
    c = pen.c
    top = PAGE_H - MARGIN
    # A simple logo: a filled square with the issuer's initial.
    c.setFillGray(0.25)
    c.rect(MARGIN, top - 34, 34, 34, stroke=0, fill=1)
    c.setFillGray(1)
    pen.text(
        MARGIN + 17,
        top - 25,
        issuer["zh"][0] if layout != "en" else issuer["en"][0],
        20,
        align="center",
    )
    c.setFillGray(0)
    x = MARGIN + 44
    if layout == "en":
        pen.text(x, top - 14, issuer["en"], 14, bold=True)
        pen.text(x, top - 30, issuer["addr_en"], 9.5)
    else:
        pen.text(x, top - 14, issuer["zh"], 15, bold=True)
        pen.text(x, top - 30, issuer["en"] if layout == "bilingual" else issuer["addr_zh"], 9.5)
    tel = "Tel" if layout == "en" else "电话 Tel"
    tax = "Tax ID" if layout == "en" else "统一社会信用代码"
    pen.text(x, top - 44, f"{tel}: {issuer['tel']}    {tax}: {issuer['tax']}", 9.5)
    right = PAGE_W - MARGIN - (QR_SIZE + 10 if qr_right else 0)
    c.setLineWidth(1.2)
    c.line(MARGIN, top - 54, right if qr_right else PAGE_W - MARGIN, top - 54)
    return top - 54


def _title_and_header(pen: _Pen, truth: Truth, layout: str, style: Style, y: float) -> float:
    L = _LABELS[layout]
    colon = _colon(style, layout)
    y -= 34
    pen.text(PAGE_W / 2, y, L["title"], 18, bold=True, align="center")
    y -= 30
    pairs = [
        ("customer_name", truth.customer_name),
        ("statement_no", truth.statement_no),
        ("customer_code", truth.customer_code),
        ("statement_date", _value(style, fmt_date(truth.statement_date, style.date_fmt))),
        ("period", _value(style, fmt_period(truth, style.period_fmt))),
        ("due_date", _value(style, fmt_date(truth.due_date, style.date_fmt))),
    ]
    size = 11
    if style.kv_columns == 2 and layout != "bilingual":
        col2 = PAGE_W / 2 + 40
        for i in range(0, len(pairs), 2):
            for (key, value), x in zip(pairs[i : i + 2], (MARGIN, col2), strict=False):
                label = f"{L[key]}{colon}"
                w = pen.text(x, y, label, size)
                limit = (col2 - 12 if x == MARGIN else PAGE_W - MARGIN) - (x + w + 6)
                pen.text(x + w + 6, y, pen.fit(value, size, limit), size)
            y -= 19
    else:
        order = [
            "customer_name",
            "customer_code",
            "period",
            "statement_no",
            "statement_date",
            "due_date",
        ]
        values = dict(pairs)
        label_w = max(pen.width(f"{L[k]}{colon}", size) for k in order) + 10
        for key in order:
            pen.text(MARGIN, y, f"{L[key]}{colon}", size)
            pen.text(MARGIN + label_w, y, values[key], size)
            y -= 18
    return y - 6


def _summary(pen: _Pen, truth: Truth, layout: str, style: Style, y: float) -> float:
    L = _LABELS[layout]
    colon = _colon(style, layout)
    charges_label = L["charges"][style.charges_label]
    rows = [
        (L["opening_balance"], truth.opening_balance),
        (charges_label, truth.charges),
        (L["payments"], truth.payments),
        (L["closing_balance"], truth.closing_balance),
        (L["amount_due"], truth.amount_due),
    ]
    size, step = 11, 19
    y -= 8
    pen.text(MARGIN, y, L["summary"], 12, bold=True)
    cur = _CURRENCY_WORD.get(layout, {}).get(truth.currency, truth.currency)
    if style.money_fmt == "plain":
        pen.text(PAGE_W - MARGIN, y, L["unit"].format(cur=cur), 9.5, align="right")
    y -= 8
    box_left, box_right = MARGIN, MARGIN + 340
    if style.summary_boxed:
        pen.c.setLineWidth(0.6)
        pen.c.rect(box_left, y - step * len(rows) - 6, box_right - box_left, step * len(rows) + 6)
    y -= step - 2
    for i, (label, amount) in enumerate(rows):
        text = _value(style, fmt_amount(amount, truth.currency, style.money_fmt, style.neg_fmt))
        last = i == len(rows) - 1
        pen.text(box_left + 8, y, f"{label}{colon}", size, bold=last)
        pen.text(box_right - 8, y, text, size, bold=last, align="right")
        if style.summary_boxed and not last:
            pen.c.setLineWidth(0.3)
            pen.c.line(box_left, y - 6, box_right, y - 6)
        y -= step
    return y - 10


_COLS_X = [MARGIN, MARGIN + 64, MARGIN + 150, 408.0, 480.0, PAGE_W - MARGIN]  # last 3: right edges


def _tx_table(
    pen: _Pen,
    truth: Truth,
    layout: str,
    style: Style,
    y: float,
    txs: list[_Tx],
    heading: str,
    *,
    first: bool,
    last: bool,
) -> float:
    L = _LABELS[layout]
    size, step = 10, 15.5
    c = pen.c
    y -= 10
    pen.text(MARGIN, y, heading, 12, bold=True)
    y -= 8
    c.setFillGray(0.88)
    c.rect(MARGIN, y - 16, PAGE_W - 2 * MARGIN, 16, stroke=0, fill=1)
    c.setFillGray(0)
    y -= 12
    for i, name in enumerate(L["cols"]):
        x = _COLS_X[i] + 3 if i < 3 else _COLS_X[i] - 3
        pen.text(
            x, y, name, 9.5 if layout == "bilingual" else 10, align="left" if i < 3 else "right"
        )
    y -= step + 2
    date_fmt = "iso" if style.date_fmt in ("cn", "en_mdy") else style.date_fmt

    def amt(value: Decimal | None) -> str:
        return "" if value is None else _table_amount(value, style.neg_fmt)

    def row(cells: list[str], *, bold=False):
        nonlocal y
        widths = [_COLS_X[1] - _COLS_X[0] - 6, _COLS_X[2] - _COLS_X[1] - 6, 150]
        for i, cell in enumerate(cells):
            if not cell:
                continue
            if i < 3:
                pen.text(_COLS_X[i] + 3, y, pen.fit(cell, size, widths[i]), size, bold=bold)
            else:
                pen.text(_COLS_X[i] - 3, y, cell, size, bold=bold, align="right")
        c.setLineWidth(0.25)
        c.setStrokeGray(0.6)
        c.line(MARGIN, y - 5, PAGE_W - MARGIN, y - 5)
        c.setStrokeGray(0)
        y -= step

    if first:
        start = truth.period_start or datetime.date(truth.year, truth.month, 1)
        row([fmt_date(start, date_fmt), "", L["bf"], "", "", amt(truth.opening_balance)])
    for tx in txs:
        row(
            [
                fmt_date(tx.date, date_fmt),
                tx.ref,
                tx.desc,
                amt(tx.debit),
                amt(tx.credit),
                amt(tx.balance),
            ]
        )
    if last:
        row(
            [
                "",
                "",
                L["total"],
                amt(truth.charges),
                amt(truth.payments),
                amt(truth.closing_balance),
            ],
            bold=True,
        )
    else:
        debit = sum((t.debit or Decimal(0) for t in txs), Decimal(0))
        credit = sum((t.credit or Decimal(0) for t in txs), Decimal(0))
        row(["", "", L["subtotal"], amt(debit), amt(credit), ""])
        pen.text(PAGE_W - MARGIN, y - 2, L["cont"], 10, align="right")
        y -= step
    return y - 4


def _aging(pen: _Pen, truth: Truth, layout: str, style: Style, y: float, seed: int) -> float:
    L = _LABELS[layout]
    total = max(truth.closing_balance, Decimal(0))
    parts = _split(random.Random(seed + 1), total, 4) if total > 4 else []
    parts += [Decimal("0.00")] * (4 - len(parts))
    y -= 6
    pen.text(MARGIN, y, L["aging"], 11, bold=True)
    y -= 16
    width = (PAGE_W - 2 * MARGIN) / 4
    for i, (name, value) in enumerate(zip(L["aging_cols"], parts, strict=True)):
        x = MARGIN + i * width
        pen.text(x + 4, y, name, 10)
        pen.text(x + width - 8, y - 14, f"{value:,.2f}", 10, align="right")
    return y - 30


def _footer(pen: _Pen, layout: str, issuer: dict, page: int, pages: int, *, qr_left_limit: bool):
    L = _LABELS[layout]
    if layout == "en":
        lines = [
            f"Please remit to {issuer['bank_en']}, account {issuer['account']}.",
            "Please report any discrepancy within 7 days of receipt.",
        ]
    elif layout == "zh":
        lines = [
            f"开户行：{issuer['bank_zh']}  账号：{issuer['account']}",
            "如对本对账单有异议，请于收到后7日内与我司财务部联系，逾期视为确认。",
        ]
    else:
        lines = [
            f"开户行 Bank: {issuer['bank_zh']}  账号 A/C: {issuer['account']}",
            "如有异议请于7日内联系我司财务部。Please report discrepancies within 7 days.",
        ]
    limit = PAGE_W - 2 * MARGIN - (QR_SIZE + 12 if qr_left_limit else 0)
    y = MARGIN + 26
    pen.c.setLineWidth(0.5)
    pen.c.line(MARGIN, y + 14, MARGIN + limit, y + 14)
    for line in lines:
        pen.text(MARGIN, y, pen.fit(line, 9.5, limit), 9.5)
        y -= 13
    pen.text(
        MARGIN + limit if qr_left_limit else PAGE_W / 2,
        MARGIN - 8,
        L["page"].format(p=page, n=pages),
        9.5,
        align="right" if qr_left_limit else "center",
    )


# --------------------------------------------------------------------------- scans


def rasterize(pdf: bytes, dpi: int, *, grayscale: bool = True) -> list:
    """PIL images of every page of `pdf` at `dpi`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in doc:
            bitmap = page.render(scale=dpi / 72, grayscale=grayscale)
            images.append(bitmap.to_pil().convert("L" if grayscale else "RGB"))
            page.close()
        return images
    finally:
        doc.close()


def _degrade(
    img,
    *,
    rng,
    skew: float,
    quarter: int,
    blur: float,
    noise: float,
    jpeg_quality: int | None,
    color: bool,
):
    """Scanner/phone artefacts on one page image. Positive angles turn counter-clockwise."""
    import numpy as np
    from PIL import Image, ImageFilter

    img = img.convert("RGB" if color else "L")
    fill = (255, 255, 255) if color else 255
    if skew:
        img = img.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        a = np.asarray(img, dtype=np.float32)
        h, w = a.shape[:2]
        gen = np.random.default_rng(rng.randrange(2**32))
        # Paper tone and uneven lighting, then sensor noise and a few specks of dust.
        xs = (np.arange(w, dtype=np.float32) / w - rng.random()) ** 2
        ys = (np.arange(h, dtype=np.float32) / h - rng.random()) ** 2
        light = 1.0 - 0.06 * (ys[:, None] + xs[None, :])
        paper = rng.uniform(0.9, 0.97)
        if a.ndim == 3:
            light = light[..., None]
            paper = np.array([paper, paper * 0.985, paper * 0.94], dtype=np.float32)
        a *= light * paper
        a += gen.standard_normal(a.shape, dtype=np.float32) * np.float32(noise)
        a[gen.random((h, w), dtype=np.float32) < 0.00015] = 40
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if jpeg_quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality)
        img = Image.open(io.BytesIO(buf.getvalue()))
        img.load()
    if quarter:
        img = img.rotate(90 * quarter, expand=True)
    return img


def split_rotation(rotation_deg: float) -> tuple[int, float]:
    """(quarter turns 0-3, residual skew in degrees) for an angle, e.g. 93 -> (1, 3.0)."""
    quarter = round(rotation_deg / 90)
    return quarter % 4, rotation_deg - 90 * quarter


def render_scan(
    truth: Truth,
    layout: str,
    *,
    qr: bool,
    dpi: int = 300,
    rotation_deg: float = 0.0,
    blur: float = 0.0,
    noise: float = 0.0,
    jpeg_quality: int | None = None,
    fmt: str = "png",
    pages: int = 1,
    color: bool = False,
    bilevel: bool = False,
    style: Style | None = None,
    seed: int | None = None,
    pdf: bytes | None = None,
) -> bytes:
    """The statement as a scan: rasterized at `dpi` and degraded.

    rotation_deg: counter-clockwise; multiples of 90 turn the whole page, the rest is skew
    (e.g. 2.5 = slight skew, 270 = page on its side, 181 = upside down and skewed).
    blur: Gaussian radius in pixels; noise: sensor noise sigma in grey levels (0-255), also
    adds paper tone and uneven lighting. fmt: png | jpeg | tiff (multi-page) | pdf
    (image-only, no text layer). bilevel: black and white like a fax or office scanner
    (TIFF Group 4). color: RGB with a yellowish paper tone instead of greyscale.
    pdf: the digital statement to scan (another layout's render) instead of render_pdf's.
    """
    fmt = {"jpg": "jpeg", "tif": "tiff"}.get(fmt.lower(), fmt.lower())
    if fmt not in ("png", "jpeg", "tiff", "pdf"):
        raise ValueError(f"unknown format {fmt!r}")
    if pages > 1 and fmt in ("png", "jpeg"):
        raise ValueError(f"{fmt} holds one page; use tiff or pdf for {pages} pages")
    if pdf is None:
        pdf = render_pdf(truth, layout, qr=qr, pages=pages, style=style)
    if seed is None:
        seed = zlib.crc32(f"{truth.statement_no}|{layout}|{dpi}|{rotation_deg}|{noise}".encode())
    rng = random.Random(seed)
    quarter, skew = split_rotation(rotation_deg)
    images = [
        _degrade(
            img,
            rng=rng,
            skew=skew,
            quarter=quarter,
            blur=blur,
            noise=noise,
            jpeg_quality=jpeg_quality,
            color=color,
        )
        for img in rasterize(pdf, dpi, grayscale=not color)
    ]
    if bilevel:
        images = [
            img.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1") for img in images
        ]
    buf = io.BytesIO()
    first, rest = images[0], images[1:]
    if fmt == "png":
        first.save(buf, "PNG", dpi=(dpi, dpi), optimize=False)
    elif fmt == "jpeg":
        first.save(buf, "JPEG", dpi=(dpi, dpi), quality=jpeg_quality or 85)
    elif fmt == "tiff":
        if bilevel:
            compression, kw = "group4", {}
        elif jpeg_quality:
            compression, kw = "tiff_jpeg", {"quality": jpeg_quality}
        else:
            compression, kw = "tiff_lzw", {}
        first.save(
            buf,
            "TIFF",
            dpi=(dpi, dpi),
            compression=compression,
            save_all=True,
            append_images=rest,
            **kw,
        )
    else:
        first.save(
            buf,
            "PDF",
            resolution=float(dpi),
            save_all=True,
            append_images=rest,
            quality=jpeg_quality or 90,
        )
    return buf.getvalue()


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Sample:
    path: Path
    truth: Truth
    layout: str
    variant: str
    has_qr: bool
    pages: int
    fmt: str = "pdf"
    dpi: int | None = None  # None for digital PDFs
    rotation: int = 0  # whole-page turn, degrees counter-clockwise (0/90/180/270)
    skew: float = 0.0  # residual skew, degrees counter-clockwise
    style: dict = field(default_factory=dict, compare=False, hash=False)  # asdict(Style)
    scan: dict = field(default_factory=dict, compare=False, hash=False)  # render_scan options

    @property
    def name(self) -> str:
        return self.path.name

    def to_json(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["path"] = self.path.name
        d["truth"] = self.truth.to_json()
        return d

    @classmethod
    def from_json(cls, data: dict, base: Path) -> Sample:
        d = dict(data)
        d["path"] = base / d["path"]
        d["truth"] = Truth.from_json(d["truth"])
        return cls(**d)


@dataclass(frozen=True)
class _Spec:
    layout: str
    variant: str
    qr: bool
    fmt: str
    pages: int = 1
    dpi: int | None = None
    rotation_deg: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    jpeg_quality: int | None = None
    color: bool = False
    bilevel: bool = False


def _scan_spec(rng: random.Random, layout: str, variant: str, qr: bool) -> _Spec:
    if variant == "digital":
        return _Spec(layout, variant, qr, "pdf", pages=2 if rng.random() < 0.15 else 1)
    if variant == "scan300":
        return _Spec(
            layout,
            variant,
            qr,
            rng.choice(["pdf", "png"]),
            dpi=300,
            rotation_deg=round(rng.uniform(-1, 1), 2),
            blur=0.3,
        )
    if variant == "scan200-noisy":
        return _Spec(
            layout,
            variant,
            qr,
            "jpeg",
            dpi=200,
            rotation_deg=round(rng.choice([-1, 1]) * rng.uniform(2, 6), 2),
            blur=round(rng.uniform(0.6, 1.1), 2),
            noise=round(rng.uniform(8, 16), 1),
            jpeg_quality=rng.randint(35, 60),
            color=rng.random() < 0.5,
        )
    if variant == "tiff":
        bilevel = rng.random() < 0.5  # office scanners often write Group 4 black and white
        return _Spec(
            layout,
            variant,
            qr,
            "tiff",
            pages=rng.choice([1, 2]),
            dpi=rng.choice([200, 300]),
            rotation_deg=round(rng.uniform(-1.5, 1.5), 2),
            blur=0.4,
            noise=4.0,
            jpeg_quality=None if bilevel else 80,
            bilevel=bilevel,
        )
    if variant == "rotated":
        turn = rng.choice([90, 180, 270])
        return _Spec(
            layout,
            variant,
            qr,
            rng.choice(["png", "pdf"]),
            dpi=rng.choice([200, 300]),
            rotation_deg=turn + round(rng.uniform(-1, 1), 2),
            blur=0.5,
            noise=3.0,
        )
    if variant in CONDITIONS:
        from tests import degrade

        fmt = {"photo": "jpeg", "fax150": "tiff", "jpeg30": "jpeg", "fax-standard": "tiff"}[variant]
        return _Spec(layout, variant, qr, fmt, dpi=degrade.RENDER_DPI[variant])
    raise ValueError(f"unknown variant {variant!r}")


def _plan(size: str) -> tuple[int, list[tuple[_Spec, dict]]]:
    """The specs (and make_truth options) of a corpus size, from a fixed seed."""
    if size == "small":
        seed = 20261031
        rng = random.Random(seed)
        # Hand-picked so every layout/variant/QR combination and the tricky cases (credit
        # balance, exact period dates, English names, 2 pages, Group 4 TIFF) appear in 16
        # files: (layout, variant, qr, spec overrides, make_truth options).
        rows: list[tuple[str, str, bool, dict, dict]] = [
            ("zh", "digital", True, {}, {"exact_dates": True}),
            ("zh", "digital", False, {}, {"negative": True}),
            ("en", "digital", True, {}, {"customer": "C0042"}),
            ("en", "digital", False, {}, {"exact_dates": True}),
            ("bilingual", "digital", True, {}, {"negative": True, "exact_dates": False}),
            ("bilingual", "digital", False, {"pages": 2}, {}),
            ("zh", "scan300", True, {"fmt": "pdf"}, {"negative": False}),
            ("en", "scan300", False, {"fmt": "png"}, {"exact_dates": False}),
            ("bilingual", "scan300", False, {"fmt": "pdf"}, {"exact_dates": True}),
            ("zh", "scan200-noisy", True, {"color": True}, {"negative": False}),
            ("en", "scan200-noisy", True, {"color": False}, {"customer": "C0044"}),
            ("bilingual", "scan200-noisy", False, {}, {"negative": True}),
            ("zh", "tiff", False, {"pages": 2, "bilevel": False, "jpeg_quality": 80}, {}),
            ("en", "tiff", True, {"pages": 1, "bilevel": True, "jpeg_quality": None}, {}),
            ("zh", "rotated", True, {"fmt": "png", "turn": 90}, {}),
            ("bilingual", "rotated", False, {"fmt": "pdf", "turn": 270}, {}),
        ]
        plan = []
        for layout, variant, qr, overrides, opts in rows:
            spec = _scan_spec(rng, layout, variant, qr)
            overrides = dict(overrides)
            if "turn" in overrides:
                skew = split_rotation(spec.rotation_deg)[1]
                overrides["rotation_deg"] = overrides.pop("turn") + skew
            plan.append((replace(spec, **overrides), opts))
        return seed, plan
    if size == "bench":
        seed = 424242
        rng = random.Random(seed)
        counts = {"digital": 30, "scan300": 24, "scan200-noisy": 24, "tiff": 12, "rotated": 12}
        plan = []
        for variant, n in counts.items():
            for i in range(n):
                layout = LAYOUTS[i % 3]
                qr = (i // 3) % 2 == 0
                plan.append((_scan_spec(rng, layout, variant, qr), {}))
        return seed, plan
    if size in ("hard", "fax"):  # every layout in each condition, with and without our QR
        seed = 20261202 if size == "hard" else 20261204
        rng = random.Random(seed)
        plan = [
            (_scan_spec(rng, layout, variant, qr), {})
            for variant in (HARD if size == "hard" else FAX)
            for qr in (True, False)
            for layout in LAYOUTS
        ]
        return seed, plan
    from tests import layouts  # the layouts written from other senders' conventions

    if size in layouts.SIZES:
        return layouts.plan(size)
    raise ValueError(f"size must be 'small', 'bench', 'hard', 'fax' or one of {layouts.SIZES}")


def _ext(fmt: str) -> str:
    return {"jpeg": "jpg", "tiff": "tif"}.get(fmt, fmt)


def _generate_one(job: tuple[int, _Spec, dict, int], out: str) -> dict:
    index, spec, opts, seed = job
    rng = random.Random(seed * 1000 + index)
    name = (
        f"{spec.layout}-{spec.variant}-{'qr' if spec.qr else 'noqr'}-{index:03d}.{_ext(spec.fmt)}"
    )
    pdf = style = None
    if spec.layout in LAYOUTS:
        truth = make_truth(rng, **opts)
        style = pick_style(truth, spec.layout)
    else:  # one of tests/layouts.py
        from tests import layouts

        truth = layouts.make_layout_truth(spec.layout, rng)
        pdf = layouts.render_layout(spec.layout, truth, qr=spec.qr)
    if spec.variant == "digital":
        data = pdf or render_pdf(truth, spec.layout, qr=spec.qr, pages=spec.pages, style=style)
    elif spec.variant in CONDITIONS:
        from tests import degrade

        pdf = pdf or render_pdf(truth, spec.layout, qr=spec.qr, style=style)
        captured = [
            degrade.capture(spec.variant, page, seed + index + 7919 * n)[0]
            for n, page in enumerate(rasterize(pdf, spec.dpi or 200))
        ]
        data = captured[0] if len(captured) == 1 else _bundle(captured, spec)
    else:
        data = render_scan(
            truth,
            spec.layout,
            qr=spec.qr,
            dpi=spec.dpi or 300,
            rotation_deg=spec.rotation_deg,
            blur=spec.blur,
            noise=spec.noise,
            jpeg_quality=spec.jpeg_quality,
            fmt=spec.fmt,
            pages=spec.pages,
            color=spec.color,
            bilevel=spec.bilevel,
            style=style,
            seed=seed + index,
            pdf=pdf,
        )
    (Path(out) / name).write_bytes(data)
    quarter, skew = split_rotation(spec.rotation_deg)
    sample = Sample(
        path=Path(name),
        truth=truth,
        layout=spec.layout,
        variant=spec.variant,
        has_qr=spec.qr,
        pages=spec.pages,
        fmt=spec.fmt,
        dpi=spec.dpi,
        rotation=quarter * 90,
        skew=round(skew, 2),
        style=asdict(style) if style else {},
        scan={}
        if spec.variant == "digital"
        else {
            k: v for k, v in asdict(spec).items() if k not in ("layout", "variant", "qr", "pages")
        },
    )
    return sample.to_json()


def _bundle(captured: list[bytes], spec: _Spec) -> bytes:
    """Several captured pages as one file: a multi-page TIFF (faxes) or a PDF of the images
    (photos and JPEG scans, as a phone's scanning app or a scanner's PDF mode writes them)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(b)) for b in captured]
    buf = io.BytesIO()
    if spec.fmt == "tiff":
        images[0].save(
            buf,
            "TIFF",
            save_all=True,
            append_images=images[1:],
            dpi=(150, 150),
            compression="group4",
        )
    else:
        images[0].save(
            buf, "PDF", save_all=True, append_images=images[1:], resolution=float(spec.dpi or 200)
        )
    return buf.getvalue()


def corpus_hash(size: str) -> str:
    """Changes whenever this generator's source or the size changes."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update((Path(__file__).parent / "layouts.py").read_bytes())
    h.update((Path(__file__).parent / "degrade.py").read_bytes())
    h.update(size.encode())
    return h.hexdigest()[:12]


_MEMO: dict[tuple[str, str], list[Sample]] = {}


def _load(directory: Path, digest: str) -> list[Sample] | None:
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("hash") != digest:
        return None
    samples = [Sample.from_json(s, directory) for s in manifest["samples"]]
    if not all(s.path.exists() for s in samples):
        return None
    return samples


def _write(directory: Path, size: str, digest: str, workers: int) -> None:
    seed, plan = _plan(size)
    jobs = [(i, spec, opts, seed) for i, (spec, opts) in enumerate(plan, start=1)]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            records = list(pool.map(_generate_one, jobs, [str(directory)] * len(jobs)))
    else:
        records = [_generate_one(job, str(directory)) for job in jobs]
    manifest = {"hash": digest, "size": size, "seed": seed, "samples": records}
    # The manifest is written last: a directory with one is complete.
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def build_corpus(
    out_dir: Path | None = None, *, size: str = "small", workers: int | None = None
) -> list[Sample]:
    """The corpus of `size` ("small": 16 files for tests, "bench": 102 files,
    "hard": 18 photos, faxes and JPEG-30 scans, "fax": 6 faxes at standard resolution), cached.

    The sizes of tests/layouts.py ("tuning", "heldout", "tuning-full", "heldout-full") hold
    the layouts written from other senders' conventions in the same scan conditions.

    Without out_dir it lives in tests/.cache/corpus-<hash>/, the hash covering this file's
    source and the size; an existing complete directory is reused. Generation happens in a
    temporary directory renamed into place, so concurrent builders do not see half a corpus.
    """
    digest = corpus_hash(size)
    target = Path(out_dir) if out_dir is not None else CACHE_DIR / f"corpus-{digest}"
    key = (str(target.resolve()), digest)
    if key in _MEMO:
        return _MEMO[key]
    samples = _load(target, digest)
    if samples is None:
        if workers is None:
            workers = min(os.cpu_count() or 1, 8) if size != "small" else 1
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        tmp.chmod(0o755)
        try:
            _write(tmp, size, digest, workers)
            if target.exists() and _load(target, digest) is None:
                shutil.rmtree(target)  # stale or incomplete: replace it
            try:
                os.rename(tmp, target)
            except OSError:  # someone else finished first; theirs is as good as ours
                if _load(target, digest) is None:
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        samples = _load(target, digest)
        assert samples is not None
    _MEMO[key] = samples
    return samples


def iter_truths(samples: Iterable[Sample]) -> dict[str, Truth]:
    """File name -> truth, handy for benchmarks."""
    return {s.path.name: s.truth for s in samples}


if __name__ == "__main__":  # python tests/corpus.py [small|bench] [out_dir]
    import time

    start = time.perf_counter()
    size_arg = sys.argv[1] if len(sys.argv) > 1 else "small"
    out_arg = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    built = build_corpus(out_arg, size=size_arg)
    print(f"{len(built)} samples in {built[0].path.parent} ({time.perf_counter() - start:.1f} s)")
