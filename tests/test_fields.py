"""Field parsing: amounts, dates, periods, labels and the fields of whole statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extract import fields
from extract import values as value_forms
from extract.confidence import FIELD_FLOOR
from extract.fields import (
    STRONG,
    TABLE_ROW,
    WEAK,
    detect_currency,
    find_amounts,
    normalize,
    parse_amount,
    parse_date,
    parse_fields,
    parse_lines,
    parse_period,
    parse_text,
)
from extract.lexicon import find_hits
from extract.types import Page, Word

D = Decimal


# --------------------------------------------------------------------------- normalization


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２，３４５．６７", "12,345.67"),
        ("客户名称：上海", "客户名称:上海"),
        ("（１２３）", "(123)"),
        ("客 户 名 称", "客户名称"),
        ("上海 某某\n贸 易", "上海某某\n贸易"),  # line structure kept
        ("Customer  Name", "Customer  Name"),  # Latin spacing untouched
        ("金额\u3000１００", "金额 100"),  # ideographic space
        ("\u2212100", "-100"),  # minus sign
        ("￥80", "¥80"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥12,345.67", D("12345.67")),
        ("RMB 12,345.67", D("12345.67")),
        ("CNY12345.67", D("12345.67")),
        ("12,345.67元", D("12345.67")),
        ("12,345.67 元", D("12345.67")),
        ("人民币 1,234.5", D("1234.50")),
        ("-1,234.00", D("-1234.00")),
        ("−1,234.00", D("-1234.00")),  # U+2212
        ("(1,234.00)", D("-1234.00")),
        ("（1,234.00）", D("-1234.00")),  # full-width parentheses
        ("(¥1,234.00)", D("-1234.00")),
        ("¥-1,234.00", D("-1234.00")),
        ("-¥1,234.00", D("-1234.00")),
        ("1,234.00 CR", D("-1234.00")),
        ("1 234.56", D("1234.56")),
        ("1,682,451 .46", D("1682451.46")),  # OCR set the decimal point apart
        ("172,1 59.57", D("172159.57")),  # OCR split the last thousands group
        ("99,15 7.91", D("99157.91")),
        ("114,960,86", D("114960.86")),  # the decimal point read as a comma
        ("(1,481,735,78)", D("-1481735.78")),
        ("41.011,54", D("41011.54")),  # continental print
        ("-6.898,91", D("-6898.91")),
        ("1 234 567,89", D("1234567.89")),  # Nordic and French print: spaces, decimal comma
        ("-83,28", D("-83.28")),  # under a thousand the decimal comma stands alone
        ("12,34", D("12.34")),
        ("0,00", D("0.00")),
        ("￥ 80,509.61", D("80509.61")),
        ("１２，３４５．６７", D("12345.67")),
        ("￥８０，５０９．６１", D("80509.61")),
        ("USD 1,000.00", D("1000.00")),
        ("$1,000", D("1000.00")),
        ("HK$ 500.5", D("500.50")),
        ("€ 12.00", D("12.00")),
        ("0.00", D("0.00")),
        ("0", D("0.00")),
        ("1,234,567.89", D("1234567.89")),
        ("1.053.86", D("1053.86")),  # OCR read the thousands comma as a dot
        ("12.345.678.90", D("12345678.90")),
        ("  12.3  ", D("12.30")),
    ],
)
def test_parse_amount(text: str, expected: Decimal) -> None:
    value = parse_amount(text)
    assert isinstance(value, Decimal)
    assert value == expected
    assert value.as_tuple().exponent == -2  # quantized to cents


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-31",
        "2026/10/31",
        "2026.10.31",
        "31/10/2026",
        "2026年10月",
        "10月",
        "021-12345678",
        "13812345678",  # mobile phone number
        "C0042",
        "INV-001",
        "0042",
        "1.234.567",
        "192.168.1.10",
        "1.05.86",
        "12.345",  # three decimals: a quantity or unit price, not money
        "50%",
        "12:30",
        "abc",
        "",
        "12,345.67 and 1.00",
        "12,3 45",  # a space inside the first group: two figures as likely as one
        "1,2345.00",
    ],
)
def test_parse_amount_rejects(text: str) -> None:
    assert parse_amount(text) is None


def test_find_amounts_skips_dates_and_codes() -> None:
    text = normalize("2026-10-05  INV-1001  销售  5,000.00  15,000.00")
    assert [a.value for a in find_amounts(text)] == [D("5000.00"), D("15000.00")]


def test_amount_is_never_a_float() -> None:
    assert parse_amount("0.10") + parse_amount("0.20") == D("0.30")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("¥12.00", "CNY"),
        ("￥12.00", "CNY"),
        ("RMB 12", "CNY"),
        ("12元", "CNY"),
        ("人民币", "CNY"),
        ("USD 5", "USD"),
        ("$5", "USD"),
        ("US$5", "USD"),
        ("HK$5", "HKD"),
        ("港元", "HKD"),
        ("EUR 5", "EUR"),
        ("€5", "EUR"),
        ("NT$5", "TWD"),
        ("幣別：新臺幣", "TWD"),
        ("港幣", "HKD"),
        ("12.00", None),
        ("CURRENCY", None),  # no code inside a word
    ],
)
def test_detect_currency(text: str, code: str | None) -> None:
    assert detect_currency(text) == code


@pytest.mark.parametrize(
    ("text", "blanked"),
    [
        ("Invoices £", "Invoices  "),
        ("Amount (USD)", "Amount      "),
        ("金额(元)", "金额   "),
        ("金额（人民币）", "金额     "),
        ("Debit RMB", "Debit    "),
        ("US$ Amount", "    Amount"),
        ("单元格", "单元格"),  # 元 is a character of words: only bracketed
        ("Credit", "Credit"),  # no code inside a word
    ],
)
def test_blank_currencies_keeps_every_other_character_in_place(text: str, blanked: str) -> None:
    assert value_forms.blank_currencies(text) == blanked


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-31", date(2026, 10, 31)),
        ("2026/10/31", date(2026, 10, 31)),
        ("2026.10.31", date(2026, 10, 31)),
        ("2026-1-5", date(2026, 1, 5)),
        ("2026年10月31日", date(2026, 10, 31)),
        ("2026 年 10 月 31 日", date(2026, 10, 31)),
        ("２０２６年１０月３１日", date(2026, 10, 31)),
        ("2026年10月31号", date(2026, 10, 31)),
        ("31 Oct 2026", date(2026, 10, 31)),
        ("31-Oct-2026", date(2026, 10, 31)),
        ("Oct 31, 2026", date(2026, 10, 31)),
        ("October 31, 2026", date(2026, 10, 31)),
        ("October 31st, 2026", date(2026, 10, 31)),
        ("Sept 1, 2026", date(2026, 9, 1)),
        ("31/10/2026", date(2026, 10, 31)),  # day > 12: day first
        ("10/31/2026", date(2026, 10, 31)),  # second > 12: month first
        ("05/10/2026", date(2026, 10, 5)),  # ambiguous: day first by default
        ("31.10.2026", date(2026, 10, 31)),
        # Taiwan's 民國 years: 115 is 2026
        ("115/10/31", date(2026, 10, 31)),
        ("115.07.13", date(2026, 7, 13)),
        ("115年07月01日", date(2026, 7, 1)),
        ("民國115年7月1日", date(2026, 7, 1)),
        # Oracle's DD-MON-RR
        ("05-OCT-26", date(2026, 10, 5)),
        ("31-Jul-26", date(2026, 7, 31)),
        ("31-DEC-99", date(1999, 12, 31)),  # RR: 50-99 are the last century
        # two-digit years of desktop accounting packages, read as RR
        ("31/07/26", date(2026, 7, 31)),
        ("7/31/26", date(2026, 7, 31)),  # second > 12: month first
        ("05/10/26", date(2026, 10, 5)),  # ambiguous: day first by default
        ("31.07.26", date(2026, 7, 31)),
        ("1-2-99", date(1999, 2, 1)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_month_first_when_asked() -> None:
    assert parse_date("05/10/2026", dayfirst=False) == date(2026, 5, 10)
    assert parse_date("31/10/2026", dayfirst=False) == date(2026, 10, 31)  # still unambiguous
    assert parse_date("05/10/26", dayfirst=False) == date(2026, 5, 10)


def test_two_digit_years_only_where_nothing_number_like_surrounds_them() -> None:
    text = "Tel 021-55-12 Part 12-30-45-6 Host 10.1.26.4 Ver1.2.26 3 / 4 / 26 1/2/26.5"
    assert value_forms.find_dates(value_forms.normalize(text)) == []


def test_month_first_is_told_by_two_digit_year_dates_too() -> None:
    assert not value_forms.dayfirst_of(["Statement Date 7/31/26", "7/1/26 Balance Forward"])
    assert value_forms.dayfirst_of(["31/07/26", "1/7/26"])


def test_one_misread_date_does_not_turn_a_month_first_document_day_first() -> None:
    us = ["11/17/2027 Invoice", "11/30/2027 Payment", "12/06/2027"]
    assert not value_forms.dayfirst_of([*us, "41/02/2027 Invoice"])  # no day is 41
    assert not value_forms.dayfirst_of([*us, "21/02/2027 Invoice"])  # outvoted
    assert value_forms.dayfirst_of(["13/10/2027", "11/10/2027"])  # the default on a tie


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01",
        "2026-02-30",
        "2026-10",
        "12,345.67",
        "Oct 2026",
        "hello",
        "0042",
        "2301-1150713027",  # a document number with an ROC date inside
        "99/10/31",  # two-digit years are not read as 民國 years
        "192.168.1.10",
        "05-OCT-2026-1",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [
        ("2026年10月", "2026-10", None, None),
        ("2026年10月份", "2026-10", None, None),
        ("2026 年 10 月", "2026-10", None, None),
        ("２０２６年１０月", "2026-10", None, None),
        ("2026.10", "2026-10", None, None),
        ("2026-10", "2026-10", None, None),
        ("2026/10", "2026-10", None, None),
        ("2026-1", "2026-01", None, None),
        ("10/2026", "2026-10", None, None),
        ("Oct 2026", "2026-10", None, None),
        ("October 2026", "2026-10", None, None),
        ("OCT. 2026", "2026-10", None, None),
        ("2026-10-01 至 2026-10-31", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026/10/01 - 2026/10/31", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026.10.01~2026.10.31", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026-10-01—2026-10-31", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026年10月1日至2026年10月31日", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026年10月1日到2026年10月31日", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026年10月1日至31日", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2026年9月26日至10月25日", "2026-10", date(2026, 9, 26), date(2026, 10, 25)),
        ("01 Oct 2026 to 31 Oct 2026", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("Oct 1, 2026 - Oct 31, 2026", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        # a billing cycle across months belongs to the month it ends in
        ("2026-09-26 ~ 2026-10-25", "2026-10", date(2026, 9, 26), date(2026, 10, 25)),
        ("2025-12-01 至 2025-12-31", "2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("115年10月", "2026-10", None, None),
        ("115年10月01日 至 115年10月31日", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("01-OCT-26 TO 31-OCT-26", "2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ],
)
def test_parse_period(text: str, period: str, start: date | None, end: date | None) -> None:
    assert parse_period(text) == (period, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026年13月",
        "2026-10-31",
        "12,345.67",
        "Octopus 2026",
        "2026-10-31 至 2026-10-01",
    ],
)
def test_parse_period_rejects(text: str) -> None:
    assert parse_period(text) is None


# --------------------------------------------------------------------------- whole statements


def values(text: str) -> dict[str, object]:
    return {name: fv.value for name, fv in parse_text(text).items()}


CHINESE = """
上海某某供应链有限公司
2026年10月份客户对账单
客户名称：上海某某贸易有限公司      客户编号：C0042
对账期间：2026年10月1日至2026年10月31日    对账单号：ST-202610-0042
日期：2026-11-02      付款截止日期：2026-11-30
日期        单据号        摘要      借方金额      贷方金额      余额
2026-10-01  -             上期结余                              10,000.00
2026-10-05  INV-1001      销售      5,000.00                    15,000.00
2026-10-12  RC-0088       收款                    8,000.00      7,000.00
2026-10-20  INV-1002      销售      2,345.67                    9,345.67
合计                                7,345.67      8,000.00
期初余额：10,000.00   本期发生额：7,345.67   本期收款：8,000.00
期末余额：9,345.67
应付金额：¥9,345.67
开户银行：中国银行上海分行    银行账号：4563 5100 1234 5678
联系电话：021-12345678
"""


def test_chinese_statement() -> None:
    assert values(CHINESE) == {
        "customer_code": "C0042",
        "customer_name": "上海某某贸易有限公司",
        "period": "2026-10",
        "period_start": date(2026, 10, 1),
        "period_end": date(2026, 10, 31),
        "statement_no": "ST-202610-0042",
        "statement_date": date(2026, 11, 2),
        "due_date": date(2026, 11, 30),
        "opening_balance": D("10000.00"),
        "charges": D("7345.67"),
        "payments": D("8000.00"),
        "closing_balance": D("9345.67"),
        "amount_due": D("9345.67"),
        "currency": "CNY",
    }


ENGLISH = """
ACME SUPPLY CO., LTD.
STATEMENT OF ACCOUNT
Bill To:
Shanghai Example Trading Co., Ltd.
88 Example Road, Shanghai
Customer No.: C0042            Statement Date: 31 Oct 2026
Statement Period: 01 Oct 2026 to 31 Oct 2026
Statement No.: ST-202610-0042      Payment Due Date: Nov 30, 2026
Date         Reference     Description      Charges      Payments     Balance
03 Oct 2026  INV-1001      Goods            5,000.00                  15,000.00
15 Oct 2026  PMT-2001      Payment                       2,000.00     13,000.00
Previous Balance          USD 10,000.00
New Charges               5,000.00
Payments Received         (2,000.00)
Closing Balance           13,000.00
Amount Due                USD 13,000.00
Minimum Payment Due       USD 500.00
Bank Account No.: 1234567890
"""


def test_english_statement() -> None:
    assert values(ENGLISH) == {
        "customer_code": "C0042",
        "customer_name": "Shanghai Example Trading Co., Ltd.",
        "period": "2026-10",
        "period_start": date(2026, 10, 1),
        "period_end": date(2026, 10, 31),
        "statement_no": "ST-202610-0042",
        "statement_date": date(2026, 10, 31),
        "due_date": date(2026, 11, 30),
        "opening_balance": D("10000.00"),
        "charges": D("5000.00"),
        "payments": D("2000.00"),  # printed (2,000.00): money received, 2,000
        "closing_balance": D("13000.00"),
        "amount_due": D("13000.00"),
        "currency": "USD",
    }


BILINGUAL = """
客户对账单 / STATEMENT OF ACCOUNT
客户名称 / Customer Name: 上海某某贸易有限公司
客户编号 / Customer No.: C0042
对账期间 / Statement Period: 2026-10
对账单号 / Statement No.: ST-202610-0042
期初余额 Opening Balance     10,000.00
本期发生额 New Charges       5,000.00
本期收款 Payments Received   3,000.00
期末余额 Closing Balance     12,000.00
应付金额 Amount Due          RMB 12,000.00
"""


def test_bilingual_statement() -> None:
    got = parse_text(BILINGUAL)
    assert {k: v.value for k, v in got.items()} == {
        "customer_code": "C0042",
        "customer_name": "上海某某贸易有限公司",
        "period": "2026-10",
        "statement_no": "ST-202610-0042",
        "opening_balance": D("10000.00"),
        "charges": D("5000.00"),
        "payments": D("3000.00"),
        "closing_balance": D("12000.00"),
        "amount_due": D("12000.00"),
        "currency": "CNY",
    }
    assert got["customer_name"].confidence == STRONG


FULL_WIDTH = """
客户名称：上海某某贸易有限公司
客户编号：Ｃ００４２
对账月份：２０２６年１０月
期末余额：￥８０，５０９．６１
"""


def test_full_width_statement() -> None:
    assert values(FULL_WIDTH) == {
        "customer_code": "C0042",
        "customer_name": "上海某某贸易有限公司",
        "period": "2026-10",
        "closing_balance": D("80509.61"),
        "amount_due": D("80509.61"),  # the one final balance printed is also the amount due
        "currency": "CNY",
    }


OCR_NOISE = """
客 户 名 称 ： 上 海 某 某 贸 易 有 限 公 司
客 户 编 号 ： COO42
对 账 期 间 ： 2026 年 10 月
期 末 余 额 ： 12,O45.67
"""


def test_ocr_spaces_between_cjk_and_letter_o() -> None:
    got = parse_text(OCR_NOISE)
    assert got["customer_name"].value == "上海某某贸易有限公司"
    assert got["customer_code"].value == "COO42"  # customers.py resolves O/0
    assert got["period"].value == "2026-10"
    assert got["closing_balance"].value == D("12045.67")
    assert got["closing_balance"].confidence < got["period"].confidence  # repaired digit


SUMMARY_TABLE = """
客户名称：上海某某贸易有限公司
期初余额      本期发生额      本期收款      期末余额      应付金额
10,000.00     5,000.00        3,000.00      12,000.00     12,000.00
"""


def test_summary_table_values_below_labels() -> None:
    got = values(SUMMARY_TABLE)
    assert got["opening_balance"] == D("10000.00")
    assert got["charges"] == D("5000.00")
    assert got["payments"] == D("3000.00")
    assert got["closing_balance"] == D("12000.00")
    assert got["amount_due"] == D("12000.00")


LEDGER_ONLY = """
客户名称：上海某某贸易有限公司
日期          摘要          本期发生额     本期收款      余额
2026-10-05    销售          5,000.00                     15,000.00
2026-10-12    收款                  8,000.00             7,000.00
"""


def test_transaction_table_is_not_a_summary() -> None:
    got = values(LEDGER_ONLY)
    assert "statement_date" not in got  # 日期 is a column header here
    # the rows under the header are transactions, summed as such (本期发生额, a name the
    # lexicon does not hold, stands where the debit column does), not a summary's values
    assert (got["charges"], got["payments"]) == (Decimal("5000.00"), Decimal("8000.00"))
    assert got["closing_balance"] == Decimal("7000.00")


def test_transaction_rows_lose_to_the_summary() -> None:
    text = """
2026-10-01    上期结余                 9,999.00
2026-10-05    销售          5,000.00   14,999.00   2,000.00
期初余额：10,000.00
"""
    got = parse_text(text)
    assert got["opening_balance"].value == D("10000.00")


def test_transaction_row_value_only_when_nothing_better() -> None:
    got = parse_text("2026-10-01    上期结余    1,000.00    2,000.00    3,000.00")
    assert got["opening_balance"].value == D("1000.00")
    assert got["opening_balance"].confidence == pytest.approx(STRONG * TABLE_ROW)


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [
        # 日期 inside longer labels is not the statement date
        ("付款截止日期：2026-11-30", "due_date", date(2026, 11, 30)),
        ("对账日期：2026-10-31", "statement_date", date(2026, 10, 31)),
        ("到期日 2026-11-30", "due_date", date(2026, 11, 30)),
        ("最后付款日：2026年11月30日", "due_date", date(2026, 11, 30)),
        ("Due Date: 30/11/2026", "due_date", date(2026, 11, 30)),
        ("Payment Due: November 30, 2026", "due_date", date(2026, 11, 30)),
        ("Date: 2026-10-31", "statement_date", date(2026, 10, 31)),
        ("出单日期 2026.10.31", "statement_date", date(2026, 10, 31)),
        # amounts
        ("上期余额：5,000.00", "opening_balance", D("5000.00")),
        ("Balance Brought Forward  1,000.00", "opening_balance", D("1000.00")),
        ("本期应收：3,000.00", "charges", D("3000.00")),
        ("本期销售 3,000.00 元", "charges", D("3000.00")),
        ("Current Charges: $3,000.00", "charges", D("3000.00")),
        # payments printed as credits are the amounts paid
        ("本期回款：-2,000.00", "payments", D("2000.00")),
        ("Payments  (2,000.00)", "payments", D("2000.00")),
        ("期末应收：¥-1,234.00", "closing_balance", D("-1234.00")),
        ("Ending Balance: 1,234.00 CR", "closing_balance", D("-1234.00")),
        ("本期应付金额：80,509.61元", "amount_due", D("80509.61")),
        ("请付金额 人民币 1,234.5", "amount_due", D("1234.50")),
        ("Total Amount Due: USD 1,234.56", "amount_due", D("1234.56")),
        ("Please Pay  ￥ 80,509.61", "amount_due", D("80509.61")),
        ("Invoiced                1 807,62", "charges", D("1807.62")),  # a Nordic summary
        # a purchasing platform's bill for goods bought on credit terms (账期)
        ("上期未还金额：¥808,945.23", "opening_balance", D("808945.23")),
        ("本期账单金额：¥76,119.08", "charges", D("76119.08")),
        ("本期已还金额：¥554,571.80", "payments", D("554571.80")),
        ("本期应还金额：¥330,492.51", "amount_due", D("330492.51")),
        ("期末余额(截至2026-10-31)：12,345.67", "closing_balance", D("12345.67")),
        # customer
        ("客户：上海某某贸易有限公司", "customer_name", "上海某某贸易有限公司"),
        ("购货单位：上海某某贸易有限公司", "customer_name", "上海某某贸易有限公司"),
        ("Account Name: Acme Trading Ltd.", "customer_name", "Acme Trading Ltd."),
        ("Customer: Acme Trading Ltd.  Tel: 021-1234", "customer_name", "Acme Trading Ltd."),
        ("客户代码：SH-0042", "customer_code", "SH-0042"),
        ("客户号 C0042", "customer_code", "C0042"),
        ("Customer Code: C0042", "customer_code", "C0042"),
        ("Account No. C0042", "customer_code", "C0042"),
        ("客户：C0042 上海某某贸易有限公司", "customer_code", "C0042"),
        ("客户：C0042 上海某某贸易有限公司", "customer_name", "上海某某贸易有限公司"),
        # OCR with the Chinese model lost the space after the code
        ("客户：C0042上海某某贸易有限公司", "customer_code", "C0042"),
        ("客户：C0042上海某某贸易有限公司", "customer_name", "上海某某贸易有限公司"),
        ("客户：360安全科技有限公司", "customer_name", "360安全科技有限公司"),
        ("客户：上海某某贸易有限公司 (C0042)", "customer_code", "C0042"),
        ("客户：上海某某贸易有限公司 (C0042)", "customer_name", "上海某某贸易有限公司"),
        # OCR read the brackets round the code as others, or the first one as a letter
        ("往来单位:深圳市鹏达电子有限公司〔《C0003 )", "customer_name", "深圳市鹏达电子有限公司"),
        ("往来单位:深圳市鹏达电子有限公司〔《C0003 )", "customer_code", "C0003"),
        ("往来单位:宁波甬港五金制品有限公司 CC0013 )", "customer_name", "宁波甬港五金制品有限公司"),
        # period and number
        ("账期：2026/10", "period", "2026-10"),
        ("Billing Period: October 2026", "period", "2026-10"),
        ("对帐期间：2026年10月", "period", "2026-10"),  # 帐 for 账
        ("Statement for October 2026", "period", "2026-10"),  # title, no label
        ("上海某某有限公司2026年10月份对账单", "period", "2026-10"),
        ("编号：DZ2026100042", "statement_no", "DZ2026100042"),
        ("Statement Number: 2026-10-0042", "statement_no", "2026-10-0042"),
        ("Ref: ST-0042", "statement_no", "ST-0042"),
        # OCR read 0 as O and 1 as l inside numbers
        ("付款截止日：2026-1O-31", "due_date", date(2026, 10, 31)),
        ("对账期间：2026/l0", "period", "2026-10"),
        ("期末余额：1,O00.00", "closing_balance", D("1000.00")),
        # a decimal comma without thousands: continental print, or OCR's comma for a dot
        ("Opening balance: EUR 107,45", "opening_balance", D("107.45")),
        ("期末余额：1234,56", "closing_balance", D("1234.56")),
        # currency labels
        ("币种：美元", "currency", "USD"),
        ("单位：元", "currency", "CNY"),
        ("Currency: HKD", "currency", "HKD"),
        # traditional characters (Hong Kong)
        ("客戶名稱：香港某某有限公司", "customer_name", "香港某某有限公司"),
        ("應付金額：HK$ 1,000.00", "amount_due", D("1000.00")),
        # Taiwan: 帳 for 账, 對 for 对, 製 for 制, 民國 dates
        ("對帳單號：AR202607-07105", "statement_no", "AR202607-07105"),
        ("製表日期：115/08/02", "statement_date", date(2026, 8, 2)),
        ("對帳期間：115年07月01日 至 115年07月31日", "period", "2026-07"),
        ("幣別：新臺幣", "currency", "TWD"),
        ("STMT DATE    : 02-AUG-26", "statement_date", date(2026, 8, 2)),
    ],
)
def test_labels(line: str, name: str, expected: object) -> None:
    got = parse_text(line)
    assert name in got, got
    assert got[name].value == expected


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("上海客户服务有限公司", "customer_name"),  # 客户 inside a name is no label
        ("Bank Account No.: 6222 0000 1234", "customer_code"),
        ("发票编号：12345678", "statement_no"),
        ("Minimum Payment Due: $25.00", "due_date"),
        ("Minimum Payment Due: $25.00", "amount_due"),
        ("联系电话：13812345678", "amount_due"),
        ("日期  摘要  金额", "statement_date"),
        ("Date  Description  Amount", "statement_date"),
        ("客户名称：12,345.67", "customer_name"),  # a number is no name
        ("客户编号：上海某某", "customer_code"),  # no code there
        ("期末余额：见附表", "closing_balance"),
        ("客户经理：张三", "customer_name"),
        ("客户确认签字：", "customer_name"),
        ("往来单位确认〔益章) :", "customer_name"),  # the counterparty's sign-off line
        ("Customer Service: 400-123-4567", "customer_name"),
        ("期末余额：2026-10-31", "closing_balance"),
    ],
)
def test_no_false_matches(line: str, name: str) -> None:
    assert name not in parse_text(line)


def test_strong_label_beats_weak() -> None:
    got = parse_text("日期：2026-11-02\n对账日期：2026-10-31")
    assert got["statement_date"].value == date(2026, 10, 31)
    assert got["statement_date"].confidence == STRONG


def test_weak_label_confidence() -> None:
    assert parse_text("日期：2026-11-02")["statement_date"].confidence == WEAK


def test_several_fields_on_one_line_without_gaps() -> None:
    got = values("客户名称：上海某某贸易有限公司 对账期间：2026年10月 期末余额：1,000.00")
    assert got["customer_name"] == "上海某某贸易有限公司"
    assert got["period"] == "2026-10"
    assert got["closing_balance"] == D("1000.00")


def test_value_in_next_cell() -> None:
    got = values("客户名称      上海某某贸易有限公司      客户编号      C0042")
    assert got["customer_name"] == "上海某某贸易有限公司"
    assert got["customer_code"] == "C0042"


def test_default_currency_is_cny() -> None:
    got = parse_text("期末余额：1,000.00")
    assert got["currency"].value == "CNY"
    assert got["currency"].page is None  # nothing printed
    assert got["currency"].confidence < 1.0


def test_field_names_are_known() -> None:
    assert set(parse_text(CHINESE)) <= set(fields.FIELD_NAMES)
    assert list(parse_text(CHINESE)) == [n for n in fields.FIELD_NAMES if n in parse_text(CHINESE)]


def test_required_field() -> None:
    assert fields.required_field("customer", {}) == "customer_code"
    assert fields.required_field("period", {}) == "period"
    assert fields.required_field("amount", {"amount_due": 1}) == "amount_due"
    assert fields.required_field("amount", {"closing_balance": 1}) == "closing_balance"


# --------------------------------------------------------------------------- pages with boxes


def ocr_line(line: int, parts: list[tuple[str, float, float]], conf: float = 0.9) -> list[Word]:
    """Words of one OCR line: (text, left, confidence); 20 px per character, 20 px high."""
    top = 100 + 40 * line
    return [
        Word(text, (left, top, left + 20 * len(text), top + 20), c, line) for text, left, c in parts
    ]


def test_parse_fields_on_ocr_page_boxes_and_confidence() -> None:
    words = (
        # OCR split the label into characters with tiny gaps; value in a separate word
        ocr_line(0, [("客", 10, 0.95), ("户", 32, 0.95), ("名", 54, 0.95), ("称", 76, 0.95),
                     (":", 98, 0.9), ("上海某某", 130, 0.8), ("贸易有限公司", 212, 0.9)])
        + ocr_line(1, [("期末余额:", 10, 0.9), ("12,345.67", 400, 0.7)])
        + ocr_line(2, [("对账期间:", 10, 0.9), ("2026年10月", 120, 0.96)])
    )  # fmt: skip
    page = Page(number=2, width=1000, height=1400, dpi=300, source="ocr", words=words)
    got = parse_fields([page])
    name = got["customer_name"]
    assert name.value == "上海某某贸易有限公司"
    assert name.source == "ocr" and name.page == 2
    assert name.box == (130, 100, 332, 120)  # both words of the value, not the label
    assert name.confidence == pytest.approx(STRONG * 0.8)  # weakest word of the value
    closing = got["closing_balance"]
    assert closing.value == D("12345.67")  # read from the next cell (wide gap)
    assert closing.box == (400, 140, 580, 160)
    assert closing.confidence == pytest.approx(STRONG * 0.7)
    assert got["period"].box == (120, 180, 280, 200)
    assert got["period"].raw == "2026年10月"


def test_parse_fields_text_layer_and_several_pages() -> None:
    page1 = Page(
        1, 595, 842, 72, "text", ocr_line(0, [("客户编号:", 10, 1.0), ("C0042", 120, 1.0)])
    )
    page2 = Page(
        2, 595, 842, 72, "text", ocr_line(0, [("应付金额:", 10, 1.0), ("¥100.00", 120, 1.0)])
    )
    got = parse_fields([page1, page2])
    assert got["customer_code"].page == 1
    assert got["amount_due"].page == 2
    assert got["amount_due"].confidence == STRONG
    assert got["amount_due"].raw == "¥100.00"


def test_cjk_words_far_apart_stay_separate() -> None:
    # a wide gap is a cell break: the name must not swallow the next label's cell
    words = ocr_line(0, [("客户:", 10, 1.0), ("上海某某公司", 120, 1.0), ("日期:", 600, 1.0),
                         ("2026-10-31", 700, 1.0)])  # fmt: skip
    got = parse_fields([Page(1, 1000, 1000, 300, "ocr", words)])
    assert got["customer_name"].value == "上海某某公司"
    assert got["statement_date"].value == date(2026, 10, 31)


def test_empty_pages() -> None:
    """Nothing read: no field, not even a currency guessed for a page of no language."""
    assert parse_fields([]) == {}
    assert parse_fields([Page(1, 10, 10, 72, "ocr")]) == {}


def test_label_words_inside_a_transaction_row_lose() -> None:
    text = """
13 May 2025 RC2025050600 收款 Payment received 779.07 132,688.39
本期收款 / Payments: CNY 2,811.34
"""
    assert parse_text(text)["payments"].value == D("2811.34")


def test_clipped_period_range_gives_a_weak_month() -> None:
    got = parse_text("对账期间： ２０２６年１１月１日至２０２６年１１月３")
    assert got["period"].value == "2026-11"
    assert got["period"].confidence < STRONG
    assert "period_start" not in got


# --------------------------------------------------------------------------- OCR damage
# Lines as Tesseract (chi_sim+eng) read them on scanned corpus statements.


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("期初余额: 695. 39 元", "695.39"),  # spaces after the separators
        ("期初余额: RMB 61, 455. 04", "61455.04"),
        ("期初余额: RMB 61，455，. 04", "61455.04"),  # two separators in a row
        ("期初余额/ Opening Balance: Y239,544.85", "239544.85"),  # ¥ read as Y
        ("应付金额 /Amount Due: Y0.00", "0.00"),
        ("本期应收: RMB 4.534.10", "4534.10"),  # thousands and decimal point confused
        ("期末余额: RMB 4,546,39", "4546.39"),
        ("期初余额: 34,065.2370", "34065.23"),  # 元 read as 70
        ("本期应收 ;: 1,388, 758. 785", "1388758.78"),
    ],
)
def test_ocr_damage_in_amounts_is_mended(line: str, expected: str) -> None:
    got = parse_lines([line], source="ocr")
    name = next(n for n in fields.AMOUNT_FIELDS if n in got)
    assert got[name].value == D(expected)
    assert got[name].confidence == pytest.approx(fields.STRONG * fields.REPAIRED)


def test_mended_amount_keeps_its_printed_span() -> None:
    got = parse_lines(["期初余额:    RMB 61, 455. 04"], source="ocr")
    assert got["opening_balance"].raw == "RMB 61, 455. 04"


def test_amount_followed_by_more_digits_is_doubted() -> None:
    got = parse_lines(["期初余额: RMB 61 455 04"], source="ocr")
    assert got["opening_balance"].confidence <= fields.STRONG * fields.LEFTOVER_DIGITS


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("本期收蒜: CNY 157.53", "payments"),  # 款 read as 蒜
        ("期未余额: CNY 1,266.67", "closing_balance"),  # 末 read as 未
        ("本期发生上额: 14,212.93", "charges"),  # a character added
        ("本期发生额; ¥2,636.45", "charges"),  # the colon read as ;
        ("对卫日期: 2027-10-04", "statement_date"),
        ("对三期间: 2027.09", "period"),
        ("Initlal Balance    841,058.86", "opening_balance"),  # i read as l
        ("Statemenl Date: 2026-10-01", "statement_date"),
        ("Paymenls Received    5,000.00", "payments"),
        ("Staternent Number    ST-202603-6281", "statement_no"),  # m read as rn
        ("Arnount Due    $1,234.56", "amount_due"),
        ("Payrnents    5,000.00", "payments"),  # a label too short to be sought fuzzily
    ],
)
def test_labels_misread_by_one_character(line: str, name: str) -> None:
    assert name in parse_lines([line], source="ocr")


def test_rn_is_read_as_m_only_where_that_makes_a_label() -> None:
    got = parse_lines(["Return of goods    Journal 12    -540.00"], source="ocr")
    assert not any(n in fields.AMOUNT_FIELDS for n in got)
    hits = find_hits("Staternent Number  ST-1  Return")
    assert [(h.field, h.start, h.end) for h in hits] == [("statement_no", 0, 17)]


def test_an_english_label_misread_wins_over_the_generic_word_inside_it() -> None:
    # "Ciosing Balance" holds "Balance" (a generic closing-balance label); "Previous
    # Balanee" is the opening, not a closing balance
    got = parse_lines(["Previous Balanee    1,000.00", "Ciosing Balance    1,250.00"])
    assert (got["opening_balance"].value, got["closing_balance"].value) == (
        Decimal("1000.00"),
        Decimal("1250.00"),
    )


def test_label_one_character_from_two_fields_is_no_label() -> None:
    # 期X余额 is one character from both 期初余额 and 期末余额
    assert not any(n in fields.AMOUNT_FIELDS for n in parse_lines(["期X余额: 1,000.00"]))


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [
        ("对账单号:。 DZD2025011022", "statement_no", "DZD2025011022"),
        ("对账单号/ Statement No.: ”SOA-2510-0015", "statement_no", "SOA-2510-0015"),
        ("客户名称:。”广州恒丰纺织品有限公司", "customer_name", "广州恒丰纺织品有限公司"),
        ("客户编号: ©0007", "customer_code", "0007"),  # customers.match_code finds C0007
    ],
)
def test_gaps_read_as_quotes_are_not_values(line: str, name: str, expected: str) -> None:
    assert parse_lines([line], source="ocr")[name].value == expected


def test_a_number_in_the_cell_after_its_label_and_a_misread_word() -> None:
    """A bilingual label whose Chinese half OCR garbled into a word: the number stands in
    the next cell. A digit in the label's own cell, or a label in the next, keeps it out."""
    got = parse_lines(["Statement No. saat\tST-202601-7754"], source="ocr")
    assert got["statement_no"].value == "ST-202601-7754"
    assert "statement_no" not in parse_lines(["Statement No. 2 of\tST-202601-7754"], source="ocr")
    assert "statement_no" not in parse_lines(["Statement No. saat\tDate 日期"], source="ocr")


def test_title_is_not_a_customer_name() -> None:
    got = parse_lines(["客户对账单", "客户名称:\t”南京金陵化工有限公司"], source="ocr")
    assert got["customer_name"].value == "南京金陵化工有限公司"


GARBLED_SUMMARY = [  # zh-scan200 corpus scan: three of five labels read as Latin noise
    "账户汇总",
    "期初余额:            127,925.25",
    "本期应收                476.68",
    "BRR                  40,736.04",
    "BARE        a        87,665.89",
    "ce:         Oo       87,665.89",
    "往来明细",
]


def test_unlabelled_summary_amounts_are_placed_by_arithmetic() -> None:
    got = parse_lines(GARBLED_SUMMARY, source="ocr")
    assert got["payments"].value == D("40736.04")
    assert got["closing_balance"].value == D("87665.89")
    assert got["amount_due"].value == D("87665.89")
    assert got["payments"].confidence <= fields.ORPHAN


def test_unlabelled_amounts_that_do_not_add_up_stay_unplaced() -> None:
    lines = [s.replace("40,736.04", "40,736.05") for s in GARBLED_SUMMARY]
    got = parse_lines(lines, source="ocr")
    assert "payments" not in got
    assert "closing_balance" not in got or got["closing_balance"].value == D("87665.89")


def test_a_dollar_read_for_a_five_is_mended_by_the_arithmetic() -> None:
    lines = [  # a fax of a statement in CNY: the 5 of 579,932.53 and of 521.75 read as $
        "币别: CNY",
        "期初余额        152.38",
        "本期应收        579,893.14",
        "本期收款        $21.75",
        "期末余额        $79,932.53",
    ]
    got = parse_lines([s.replace("$21.75", "112.99") for s in lines], source="ocr")
    assert got["closing_balance"].value == D("579932.53")
    assert got["closing_balance"].confidence < 0.9  # a mended reading, until the check
    assert got["currency"].value == "CNY"
    got = parse_lines(
        [s.replace("$21.75", "521.75").replace("$79,932.53", "579,523.77") for s in lines],
        source="ocr",
    )
    assert got["payments"].value == D("521.75")
    # without an identity that needs it, a $ is left as printed
    got = parse_lines(lines[:1] + lines[4:], source="ocr")
    assert got["closing_balance"].value == D("79932.53")


def test_a_minus_lost_by_ocr_is_mended_by_the_arithmetic() -> None:
    lines = [  # a JPEG of a ledger ending in credit: the minus of -390.46 lost in the grain
        "期初余额        44,521.36",
        "本期借方        1,599,623.97",
        "本期贷方        1,644,535.79",
        "期末余额        390.46",
    ]
    got = parse_lines(lines, source="ocr")
    assert got["closing_balance"].value == D("-390.46")
    assert got["closing_balance"].confidence < 0.9  # a mended reading: a person looks
    # a balance that adds up as printed keeps its sign, and so does one no sign would mend
    assert parse_lines(lines[:3] + ["期末余额        -390.46"], source="ocr")[
        "closing_balance"
    ].value == D("-390.46")
    assert parse_lines(lines[:3] + ["期末余额        391.46"], source="ocr")[
        "closing_balance"
    ].value == D("391.46")


def test_a_dollar_sign_of_a_balancing_statement_stays_a_currency() -> None:
    lines = [
        "Opening balance     $100.00",
        "New charges         $50.00",
        "Payments received   $30.00",
        "Closing balance     $120.00",
    ]
    got = parse_lines(lines, source="ocr")
    assert got["closing_balance"].value == D("120.00")
    assert got["currency"].value == "USD"


def test_period_with_a_garbled_label_is_the_one_bare_month() -> None:
    lines = [  # zh-scan200 corpus scan: 对账期间, 对账单号 and 对账日期 read as Latin noise
        "客户编呈: C0020",
        "WMA):     2026.08",
        "NEMS;     AR202608-05336",
        "NEA:      2026年9月2日",  # a date with a day is not a period
    ]
    got = parse_lines(lines, source="ocr")
    assert got["period"].value == "2026-08"
    assert got["period"].confidence <= fields.ORPHAN


def test_a_day_with_its_month_named_is_no_period() -> None:
    # "March 2027" inside "01 March 2027" is the day the statement is made up to
    assert value_forms.find_period("As at 01 March 2027") is None
    assert value_forms.find_period("01-Mar-2027") is None
    assert (
        value_forms.find_period("Statement for March 2027, as at 1 April 2027").period == "2027-03"
    )
    got = parse_lines(
        ["Period\t01 Feb 2027 to 28 Feb 2027", "Bill to\tBlue Harbour\tAs at\t01 March 2027"]
    )
    assert got["period"].value == "2027-02"
    assert got["statement_date"].value == date(2027, 3, 1)


# opening, charges, payments, closing and amount due of one summary printed several ways
A_SUMMARY = [D(v) for v in ("808945.23", "76119.08", "554571.80", "330492.51", "330492.51")]


def test_the_parts_after_of_which_and_the_tax_total_are_no_statement_figures() -> None:
    lines = [  # a 销售对账单's summary: the balance split into invoiced and not, the tax
        "期初余额：808,945.23\t本期发货：76,119.08\t本期回款：554,571.80",
        "期末余额：330,492.51\t其中：已开票 48,654.11　未开票 281,838.40",
        "本期税额合计：8,757.06（税率13%）",  # 本期税额 is one character from 本期余额
    ]
    got = parse_lines(lines)
    assert [got[n].value for n in fields.AMOUNT_FIELDS] == A_SUMMARY
    assert min(got[n].confidence for n in fields.AMOUNT_FIELDS) >= 0.9


def test_a_two_way_summary_table_of_running_totals() -> None:
    lines = [  # a 工程款对账单: what each row is, when each column stands
        "合同金额：2,000,000.00元",
        "项目          上期累计          本期          本期末累计",
        "结算金额   1,352,945.23     76,119.08     1,429,064.31",
        "已付款       544,000.00    554,571.80     1,098,571.80",
        "欠款         808,945.23                     330,492.51",
    ]
    got = parse_lines(lines)
    assert [got[n].value for n in fields.AMOUNT_FIELDS] == A_SUMMARY
    # a header naming one time twice is told apart by its own labels, not by rows' names
    twice = ["客户      期初余额      本期借方      本期贷方      期末余额",
             "应收账款  1,000.00      500.00        300.00        1,200.00"]  # fmt: skip
    got = parse_lines(twice)
    assert got["charges"].value == D("500.00") and got["payments"].value == D("300.00")


def test_two_bare_months_without_labels_give_no_period() -> None:
    assert "period" not in parse_lines(["WMA):     2026.08", "NEA:      2026.09"], source="ocr")


def test_three_unlabelled_summary_rows_with_mangled_separators() -> None:
    lines = [  # zh-scan200 corpus scan: 期初余额, 本期收款, 期末余额 read as Latin noise
        "MV eM:              RMB 353.29",
        "本期应收:           RMB 4.534.10",
        "MEM:                RMB 341.00",
        "MARE:               RMB 4,546,39",
        "应付金额            RMB 4,546,39",
    ]
    got = parse_lines(lines, source="ocr")
    assert [got[n].value for n in fields.AMOUNT_FIELDS] == [
        D("353.29"),
        D("4534.10"),
        D("341.00"),
        D("4546.39"),
        D("4546.39"),
    ]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("期初余额 /0pening Balance:     RMB 1,947,534.68", "opening_balance"),  # O read as 0
        ("C1osing Balance:     RMB 1,947,534.68", "closing_balance"),  # l read as 1
    ],
)
def test_english_labels_with_o_and_l_read_as_digits(line: str, name: str) -> None:
    got = parse_lines([line], source="ocr")
    assert got[name].value == D("1947534.68")
    # (a closing balance printed alone is also the amount due)
    others = {name, "amount_due"} if name == "closing_balance" else {name}
    assert not any(n in got for n in fields.AMOUNT_FIELDS if n not in others)


def test_statement_date_with_a_garbled_label_is_the_one_date_after_the_period():
    # OCR of a noisy 200 dpi scan: the labels 对账期间 and 对账日期 came out as noise
    lines = [
        "客户名称: 郑州中原粮油贸易有限公司",
        "WMA):       2026.08",
        "NEA:        2026年9月2日",
        "付款截止日; 2026年9月12日",
    ]
    got = parse_lines(lines)
    assert got["statement_date"].value == date(2026, 9, 2)
    assert got["statement_date"].confidence < 0.9  # unlabelled: never certain
    assert got["due_date"].value == date(2026, 9, 12)


def test_no_statement_date_is_guessed_from_dates_far_from_the_period():
    lines = ["对账期间: 2026年8月", "XQ:        2026年12月2日", "ZZ:        2026年9月3日"]
    assert parse_lines(lines)["statement_date"].value == date(2026, 9, 3)
    lines = ["对账期间: 2026年8月", "XQ:        2026年12月2日"]
    assert "statement_date" not in parse_lines(lines)


def test_statement_date_in_a_second_column_beside_a_labelled_value():
    lines = [
        "客户编号: C0013        WMA: 2025.02. 02",
        "对账期间: 2025.01      付款截止日: 2025. 02. 12",
    ]
    got = parse_lines(lines)
    assert got["statement_date"].value == date(2025, 2, 2)
    assert got["customer_code"].value == "C0013"
    assert got["due_date"].value == date(2025, 2, 12)


# --------------------------------------------------------------------------- unseen layouts


def _vals(lines: list[str]) -> dict[str, object]:
    return {k: v.value for k, v in parse_lines(lines).items()}


def test_boxed_summary_with_header_row_over_value_row() -> None:
    got = _vals(
        [
            "客户编号：C0042      单据编号：DZ-202610-0042      对账期间：2026年10月",
            "上期结余        本期销售        本期回款        期末应收余额",
            "37,355.38       2,171.68        36,225.32       3,301.74",
        ]
    )
    assert got["statement_no"] == "DZ-202610-0042"
    assert (got["opening_balance"], got["charges"], got["payments"]) == (
        D("37355.38"),
        D("2171.68"),
        D("36225.32"),
    )
    assert got["closing_balance"] == got["amount_due"] == D("3301.74")


def test_a_header_over_several_rows_of_figures_gives_the_total_rows() -> None:
    # a group customer's branches, one row each, and the group's 合计 row last
    head = "分公司          期初余额        本期发生额      本期回款        期末余额"
    branches = [
        "华南分公司      9,265.38        475.17          8,616.73        1,123.82",
        "华东分公司      41,843.42       1,332.45        10,083.29       33,092.58",
    ]
    total = "合计            51,108.80       1,807.62        18,700.02       34,216.40"
    got = _vals([head, *branches, total])
    assert [got[n] for n in fields.AMOUNT_FIELDS] == [
        D(v) for v in ("51108.80", "1807.62", "18700.02", "34216.40", "34216.40")
    ]
    # without a total row no row of them is the statement's: each adds up as well
    got = _vals([head, *branches])
    assert not set(got) & set(fields.AMOUNT_FIELDS)
    # a note under one row of figures, with a figure in its words, is no second row
    got = _vals([head, branches[0], "Orders over 5,000.00 ship free of freight."])
    assert got["opening_balance"] == D("9265.38")


def test_balance_due_alone_is_also_the_closing_balance() -> None:
    got = _vals(
        [
            "Previous balance    New charges    Payments received    Balance due",
            "37,355.38           2,171.68       36,225.32            3,301.74",
        ]
    )
    assert got["closing_balance"] == got["amount_due"] == D("3301.74")
    assert got["opening_balance"] == D("37355.38")


def test_confirmation_letter_amounts_in_prose() -> None:
    got = _vals(
        [
            "询证函",
            "函证编号：HZ-2026-0042",
            "上海某某贸易有限公司：",
            "截至2026年10月31日，贵公司应收账款余额为人民币3,301.74元，其中本月发生额"
            "2,171.68 元，本月收款 36,225.32 元，上月结转 37,355.38 元。",
        ]
    )
    assert got["customer_name"] == "上海某某贸易有限公司"
    assert got["statement_no"] == "HZ-2026-0042"
    assert got["period"] == "2026-10"
    assert got["closing_balance"] == got["amount_due"] == D("3301.74")
    assert (got["opening_balance"], got["charges"], got["payments"]) == (
        D("37355.38"),
        D("2171.68"),
        D("36225.32"),
    )


@pytest.mark.parametrize(
    ("line", "name", "expected"),
    [
        ("贷方余额：1,234.56", "closing_balance", D("-1234.56")),
        ("期末余额：贷 1,234.56", "closing_balance", D("-1234.56")),
        ("期末余额：1,234.56 贷", "closing_balance", D("-1234.56")),
        ("Closing Balance: Cr 1,234.56", "closing_balance", D("-1234.56")),
        ("期末余额：借 1,234.56", "closing_balance", D("1234.56")),
        ("Bal b/f: 500.00", "opening_balance", D("500.00")),
        ("上月结转：500.00", "opening_balance", D("500.00")),
        ("結欠金額：HK$1,234.56", "closing_balance", D("1234.56")),
        ("期末應收餘額：1,234.56", "closing_balance", D("1234.56")),
    ],
)
def test_lexicon_terms_and_credit_marks(line: str, name: str, expected: Decimal) -> None:
    assert _vals([line])[name] == expected


def test_a_credit_balance_printed_alone_is_closing_and_due_negative() -> None:
    got = _vals(["贷方余额：1,234.56"])
    assert got["closing_balance"] == got["amount_due"] == D("-1234.56")


def test_years_counts_and_averages_are_not_amounts() -> None:
    got = parse_lines(
        [
            "Your balance at close of business 11th Mar 2022      £1,234.56",
            "Payments in      4 entries",
            "Payments out     10 entries",
            "Average balance      5,432.10",
        ]
    )
    assert got["closing_balance"].value == D("1234.56")
    assert got["currency"].value == "GBP"
    assert "payments" not in got and "charges" not in got
    assert find_amounts("close of business 11th Mar 2022") == []
    assert find_amounts("16 entries, page 1 of 2, 3笔") == []


def test_a_word_is_not_a_customer_code() -> None:
    assert "customer_code" not in parse_lines(["Account No.: YOUR ACCOUNT"])
    assert parse_lines(["Customer No.: COO42"])["customer_code"].value == "COO42"


def test_bare_integer_amount_is_weak() -> None:
    assert parse_lines(["期末余额：2022"])["closing_balance"].confidence < 0.5


def test_arithmetic_chooses_among_printed_candidates() -> None:
    # two closing-balance figures: the one that adds up wins over the first printed
    got = parse_lines(
        [
            "期初余额：1,000.00",
            "本期发生额：500.00",
            "本期收款：200.00",
            "期末余额（含税）：9,999.00      期末余额：1,300.00",
        ]
    )
    assert got["closing_balance"].value == D("1300.00")


def test_lexicon_terms_carry_their_source() -> None:
    from extract import lexicon

    terms = lexicon.terms()
    assert all(t["source"] for t in terms)
    by_text = {t["text"]: t for t in terms}
    for text in (
        "B/F",
        "C/F",
        "Bal b/f",
        "承前页",
        "过次页",
        "上期结余",
        "上月结转",
        "期末应收余额",
    ):
        assert text in by_text, text
    assert by_text["贷方余额"].get("sign") == -1
    assert {"debit", "credit", "balance"} <= set(lexicon.column_terms())
    assert set(lexicon.entry_terms()) == {"payment", "credit_note"}


def test_label_wrapped_across_prose_lines() -> None:
    got = _vals(
        [
            "截至2026年7月31日，贵公司应收账款余额为人民币857,291.38元，其中本月发生额857,218.66元，本月",
            "收款264.04元，上月结转336.76元。",
        ]
    )
    assert got["payments"] == D("264.04") and got["opening_balance"] == D("336.76")


def test_a_letter_dated_on_a_line_of_its_own() -> None:
    got = _vals(
        ["对账期间：2026年7月", "应收账款余额：1,000.00", "岭南电气设备有限公司", "2026年8月3日"]
    )
    assert got["statement_date"] == date(2026, 8, 3)


def test_month_first_documents() -> None:
    # 11/21/2025 can only be month first: so is the statement date 12/03/2025
    got = _vals(["Statement Date: 12/03/2025", "11/21/2025    Payment    -1,229.38"])
    assert got["statement_date"] == date(2025, 12, 3)
    assert _vals(["Statement Date: 12/03/2025"])["statement_date"] == date(2025, 3, 12)


def test_nil_due_and_cut_off_date_period() -> None:
    got = _vals(["截止日期；2026年11月30日", "Amount now due    CNY NIL"])
    assert got["amount_due"] == D("0.00") and got["period"] == "2026-11"


def test_summary_cell_with_a_garbled_label_is_placed_by_arithmetic() -> None:
    got = _vals(
        [
            "LAR: 1,064,924.50    本月开票: 2,359.16    本月回款: 581,827.95    AAARRB: 485,455.71",
        ]
    )
    assert got["opening_balance"] == D("1064924.50")
    assert got["closing_balance"] == D("485455.71")


def test_refund_printed_negative_stays_negative() -> None:
    # 100 + 50 − (−20) = 170: money paid back raised the balance
    got = _vals(["期初余额：100.00", "本期发生额：50.00", "本期收款：-20.00", "期末余额：170.00"])
    assert got["payments"] == D("-20.00")


def test_period_from_the_one_month_end_date_when_its_label_is_garbled() -> None:
    got = _vals(["Mit AM: 2026年2月28日    币种：人民币", "编制日期：2026-03-03"])
    assert got["period"] == "2026-02"
    # two month ends: no guess
    assert "period" not in _vals(["Mit AM: 2026年2月28日", "XY: 2026-03-31"])


def test_a_title_is_not_a_customer_name() -> None:
    assert "customer_name" not in _vals(["客户：往来对账单"])


def test_a_bank_account_is_not_the_customer_code() -> None:
    got = _vals(
        ["开户行 Bank: 招商银行广州科学城支行账号 A/C: 1209 0877 3210 502", "客户编号：C0009"]
    )
    assert got["customer_code"] == "C0009"


def test_header_codes_take_the_labels_a_note_defines() -> None:
    text = (
        "客户编号：C0042\n"
        "[K1]\t[K2]\t[K3]\t[K4]\n"
        "11,111.51\t50,914.57\t4,162.55\t57,863.53\n"
        "注 Notes: [K1] 上期余额 balance b/f;[K2] 本期借方 debits;[K3] 本期贷方 credits;"
        "[K4] 本期余额 balance c/f = [K1] + [K2] - [K3]。\n"
    )
    f = parse_text(text)
    assert f["opening_balance"].value == Decimal("11111.51")
    assert f["charges"].value == Decimal("50914.57")
    assert f["payments"].value == Decimal("4162.55")
    assert f["closing_balance"].value == Decimal("57863.53")
    # without the note the codes say nothing
    assert "charges" not in parse_text(text.split("注")[0])


def test_figures_under_headers_set_flush_left_pair_by_column() -> None:
    # header cells start their columns, figures are right-aligned: no box overlaps; the
    # third header is unreadable, and arithmetic places the figures it leaves
    words = [
        Word("Opening", (205, 0, 300, 10), 0.9, 0),
        Word("Debits", (561, 0, 640, 10), 0.9, 0),
        Word("Balance", (1275, 0, 1370, 10), 0.9, 0),
        Word("603,935.77", (353, 20, 514, 30), 0.95, 1),
        Word("0.00", (808, 20, 869, 30), 0.95, 1),
        Word("196,870.35", (1069, 20, 1224, 30), 0.95, 1),
        Word("407,065.42", (1422, 20, 1578, 30), 0.95, 1),
    ]
    page = Page(1, 1700, 100, 200, "ocr", words=words)
    f = parse_fields([page])
    assert f["opening_balance"].value == Decimal("603935.77")
    assert f["charges"].value == Decimal("0.00")


def test_addressee_under_a_header_row_and_the_month_of_the_rows() -> None:
    # a small-business statement: the name under "To:" in a header row, no period printed
    text = (
        "Statement\n"
        "To:\t\tAmount Due\t\tAmount Enc.\n"
        "Northwind Trading Ltd.\t\t$802.52\n"
        "Date          Transaction           Amount       Balance\n"
        "11/01/2025    Balance forward                    3,875.37\n"
        "11/21/2025    PMT #RC2511328.      -1,229.38     2,645.99\n"
        "11/23/2025    PMT #RC2511560.      -1,843.47       802.52\n"
    )
    f = parse_text(text)
    assert f["customer_name"].value == "Northwind Trading Ltd."
    assert f["period"].value == "2025-11" and f["period"].confidence < 0.9
    # rows of two months say nothing about the period
    assert "period" not in parse_text(text.replace("11/23/2025", "12/02/2025"))


def test_unlabelled_addressee_after_the_letterhead() -> None:
    text = (
        "Lingnan Electrical Equipment Ltd.\n"
        "Atlas Industrial Components Inc.    Date    01.03.2027\n"
        "Balance as at 28.02.2027    874,012.71\n"
    )
    f = parse_text(text)
    assert f["customer_name"].value == "Atlas Industrial Components Inc."
    assert f["customer_name"].confidence < 0.9
    # the letterhead alone names the sender, not the customer
    assert "customer_name" not in parse_text(text.replace("Atlas Industrial Components Inc.", ""))


def test_currency_from_the_sign_the_amounts_carry() -> None:
    text = "Statement\nNorthwind Trading Ltd.    $802.52\nBalance    802.52\n"
    f = parse_text(text)
    assert f["currency"].value == "USD" and f["currency"].confidence < 0.9
    assert parse_text(text.replace("$", "HK$"))["currency"].value == "HKD"
    assert parse_text(text.replace("$802.52", "$-802.52"))["currency"].value == "USD"
    # two signs: no guess (an English statement that names no one currency has none)
    assert "currency" not in parse_text(text + "Memo    €10.00\n")


def test_one_sign_on_a_scan_may_be_a_misread_digit() -> None:
    """OCR reads a 4 or an S as "$" now and then: on a scan, one sign before one amount
    among unsigned ones is left for a person (below the field floor), while signs on
    several amounts, or one sign in a text layer, still tell the currency."""
    rows = [
        "2026-05-05  X52026050530  货款  365.50  $3,550.19",
        "2026-05-09  XS2026050904  货款  328.42  44,205.43",
    ]
    one = parse_lines(rows, source="ocr")["currency"]
    assert one.value == "USD" and one.confidence < FIELD_FLOOR
    assert parse_lines(rows, source="text")["currency"].confidence >= FIELD_FLOOR
    two = parse_lines([*rows, "2026-05-21  X52026052108  货款  $463.72  $45,875.07"], source="ocr")
    assert two["currency"].confidence >= FIELD_FLOOR


def test_balance_carried_forward_before_the_month_is_the_opening() -> None:
    """Continental senders print the balance carried into the statement as "carried
    forward", above the month's totals; British ones the balance carried out, below them."""
    got = parse_lines(
        [
            "Statement of account",
            "01.10.2026\tBalance carried forward\t1.100,00",  # the table's first row
            "05.10.2026\tINV-2026-00042\tInvoice\t1.050,00\t2.150,00",
            "Balance carried forward\t1.100,00",
            "Total invoices\t1.050,00",
            "Total payments\t-3.200,00",
            "Balance in your favour\t1.050,00",
        ]
    )
    values = {k: v.value for k, v in got.items()}
    assert values["opening_balance"] == D("1100.00")
    assert (values["charges"], values["payments"]) == (D("1050.00"), D("3200.00"))
    assert values["closing_balance"] == values["amount_due"] == D("-1050.00")
    british = parse_lines(
        [
            "Statement of account",
            "Balance brought forward\t1,000.00",
            "Invoices and debits\t500.00",
            "Payments and credits\t200.00",
            "Balance carried forward\t1,300.00",
        ]
    )
    assert british["opening_balance"].value == D("1000.00")
    assert british["closing_balance"].value == D("1300.00")


def test_balance_carried_forward_twice_before_the_month_is_no_closing() -> None:
    """Printed in the table's first row and again above the totals, "carried forward" is
    still the opening; the amount payable is the one final balance."""
    got = parse_lines(
        [
            "Statement of account",
            "01.10.2026\tBalance carried forward\t651.221,20",
            "Balance carried forward\tEUR 651.221,20",
            "Total invoices and credit notes\tEUR 538.950,80",
            "Total payments\tEUR -499.489,06",
            "Amount payable\tEUR 690.682,94",
        ]
    )
    values = {k: v.value for k, v in got.items()}
    assert values["opening_balance"] == D("651221.20")
    assert values["closing_balance"] == values["amount_due"] == D("690682.94")


def test_a_cut_off_date_is_the_period_end_not_a_due_date() -> None:
    got = _vals(["截止日期：2025年4月30日    币种：人民币"])
    assert got["period"] == "2025-04" and "due_date" not in got
    assert _vals(["付款截止日期：2025-05-31"])["due_date"] == date(2025, 5, 31)


def test_a_weakly_read_yuan_is_no_less_sure_than_the_default() -> None:
    from dataclasses import replace

    from extract.layout import page_from_lines

    page = page_from_lines(["币种：  元"], source="ocr")
    page.words = [replace(w, confidence=0.27) if w.text == "元" else w for w in page.words]
    got, _ = fields.parse_statement([page])
    assert got["currency"].value == "CNY" and got["currency"].confidence == 0.8


def test_a_colon_set_apart_and_misread_does_not_hide_the_value() -> None:
    # Fixed-pitch prints pad labels to one width; OCR reads the lone colon as + or ;
    got = _vals(
        [
            "CUSTOMER NO     +     C0044          STATEMENT NO   :   AR202709-01515",
            "PERIOD          +:    01-SEP-27 TO 30-SEP-27     CURRENCY    ;    USD",
        ]
    )
    assert got["customer_code"] == "C0044"
    assert got["statement_no"] == "AR202709-01515"
    assert got["period"] == "2027-09"
    assert got["currency"] == "USD"


def test_labels_mixing_simplified_and_traditional_characters() -> None:
    got = _vals(["客户编號:C0005     對帐單号:SOA-2603-0005"])
    assert got["statement_no"] == "SOA-2603-0005"


def test_roc_dated_statement_defaults_to_new_taiwan_dollars() -> None:
    lines = [
        "客戶編號：C0005     製表日期：115/04/07",
        "對帳期間：115年03月01日 至 115年03月31日",
        "上期結欠：1,000.00     本期結欠：1,000.00",
    ]
    fields = parse_lines(lines)
    assert fields["currency"].value == "TWD"
    assert fields["currency"].confidence < 0.9  # assumed, not printed
    # one 民國-looking date alone says nothing
    assert parse_lines(["日期：115/04/07", "期末余额：1.00"])["currency"].value == "CNY"


def test_two_labels_agreeing_on_a_value_corroborate_it() -> None:
    one = parse_lines(["BALANCE DUE USD     $4,363.06"])
    both = parse_lines(
        [
            "BALANCE DUE USD     $4,363.06",
            "",
            "Current      1-30 days past due      Older      Amount Due",
            "1,646.21     394.15                  1,175.10   4,363.06",
        ]
    )
    assert one["amount_due"].confidence < both["amount_due"].confidence <= 0.9
    assert both["amount_due"].value == D("4363.06")


def test_an_open_item_list_gives_no_charges_or_payments() -> None:
    # Invoices still open from several months: their sums are not this period's activity.
    got = _vals(
        [
            "Outstanding invoices as at 31 July 2026",
            "Date          Activity            Due Date       Invoice Amount   Payments   Balance",
            "19 Apr 2026   Invoice #INV-3386   19 May 2026    1,471.09         295.99     1,175.10",
            "7 May 2026    Invoice #INV-7248   6 Jun 2026     1,147.60                    2,322.70",
            "19 Jul 2026   Invoice #INV-9400   18 Aug 2026    1,646.21                    3,968.91",
            "BALANCE DUE USD     $3,968.91",
        ]
    )
    assert "charges" not in got and "payments" not in got
    assert got["closing_balance"] == D("3968.91")


@pytest.mark.parametrize(
    "text", ["as at 31 July 2026", "31-60 days past due", "the 1st March 2026 invoice"]
)
def test_days_of_dates_and_ranges_of_days_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_a_label_with_garbled_words_beside_it_heads_the_value_below() -> None:
    # OCR garbled the last label of the row ("ie"): the one before it must not take those
    # letters for its value and lose the figure printed under it.
    got = parse_lines(
        [
            "Opening Balance     New Charges     Total Payments     ie",
            "0.00                2,548.92        120.00",
        ]
    )
    assert got["payments"].value == D("120.00")
    assert got["payments"].source == "text"  # read under its label, not put in by arithmetic


def test_rows_from_before_the_period_give_no_charges_or_payments() -> None:
    # Two open invoices three weeks apart, the first from the month before the period.
    got = _vals(
        [
            "Outstanding invoices as at 31 July 2025",
            "Date          Activity         Due Date      Invoice Amount  Payments    Balance",
            "15 Jun 2025   Invoice #INV-97  15 Jul 2025   445,886.48      50,347.90   395,538.58",
            "7 Jul 2025    Invoice #INV-79  6 Aug 2025    589,278.84      148,144.62  836,672.80",
            "BALANCE DUE USD     $836,672.80",
        ]
    )
    assert got["period"] == "2025-07"
    assert "charges" not in got and "payments" not in got
    # the same rows, both in June, are a June statement's transactions
    june = _vals(
        [
            "Statement for June 2025",
            "Date          Activity         Due Date      Invoice Amount  Payments    Balance",
            "15 Jun 2025   Invoice #INV-97  15 Jul 2025   445,886.48      50,347.90   395,538.58",
            "27 Jun 2025   Invoice #INV-79  27 Jul 2025   589,278.84      148,144.62  836,672.80",
        ]
    )
    assert june["charges"] == D("1035165.32")


def test_a_total_its_row_adds_up_to_is_vouched_for() -> None:
    head = "Current      1-30 days past due      Older      Amount Due"
    adds_up = parse_lines([head, "1,646.21     394.15                  1,175.10   3,215.46"])
    assert adds_up["amount_due"].value == D("3215.46")
    assert adds_up["amount_due"].confidence >= 0.9
    off = parse_lines([head, "1,646.21     394.15                  1,175.10   3,215.64"])
    assert off["amount_due"].confidence < 0.9


def test_a_label_at_the_end_of_a_prose_line_takes_the_amount_starting_the_next() -> None:
    got = parse_lines(
        [
            "截至2027年8月31日，贵公司应收账款余额为人民币83,264.52元，其中本月发生额80,961.36元，本月收款",
            "13,589.88元，上月结转15,893.04元。",
        ]
    )
    assert got["payments"].value == D("13589.88")
    assert got["payments"].source == "text"  # read after its label, not put in by arithmetic


@pytest.mark.parametrize(
    ("printed", "doubtful"),
    [
        ("0ZD2026095540", True),  # D read as 0 before letters
        ("DZD202508662S", True),  # 5 read as S after digits
        ("2026O95540", True),  # 0 read as O between digits
        ("DZD2026095540", False),
        ("S12345", False),  # a one-letter prefix is a code's usual shape
        ("ST-202609-3873", False),
        ("PO-0012", False),
        ("2024A001", False),  # A is no digit's look-alike
    ],
)
def test_a_statement_number_with_a_lone_look_alike_glyph_stays_below_the_floor(
    printed: str, doubtful: bool
) -> None:
    got = parse_lines([f"Statement No.: {printed}"])["statement_no"]
    assert got.value == printed
    assert (got.confidence < FIELD_FLOOR) is doubtful


@pytest.mark.parametrize(
    ("lines", "currency", "trusted"),
    [
        # named in traditional characters, colloquially, or by a less common sign
        (["對帳單", "幣別: 人民幣", "結欠 1,234.56"], "CNY", True),
        (["对账单", "币种：美金", "期末余额 1,234.56"], "USD", True),
        (["對帳單", "結欠 歐元 1,234.56"], "EUR", False),
        (["STATEMENT", "Balance due S$1,234.56"], "SGD", False),
        # a bare "$" is the dollar the statement names elsewhere, or its place's
        (["STATEMENT", "All amounts in HKD", "Balance due $1,234.56"], "HKD", False),
        (["月結單", "香港九龍觀塘道388號", "結欠 $1,234.56"], "HKD", False),
        (["月結單", "台北市信義路五段7號", "結欠 $1,234.56"], "TWD", False),
        (["STATEMENT", "Balance due $1,234.56"], "USD", False),
        # nothing printed: a mainland statement is in yuan
        (["对账单", "客户：上海某某", "期末余额 1,234.56"], "CNY", False),
    ],
)
def test_currency_by_what_is_printed_and_where(lines, currency, trusted) -> None:
    got = parse_lines(lines)["currency"]
    assert got.value == currency
    assert (got.confidence >= 0.9) is trusted
    assert got.confidence >= 0.5  # above the field floor: no review for it


def test_a_currency_nobody_printed_is_not_guessed() -> None:
    """An English statement that names no currency has none, and a bare "$" in traditional
    characters with no place to tell HKD from TWD stays below the field floor (a person
    says which) rather than being taken for US dollars."""
    english = ["STATEMENT OF ACCOUNT", "Customer: ACME Trading Ltd", "Balance due 1,234.56"]
    assert "currency" not in parse_lines(english)
    bare = parse_lines(["月結單", "結欠 $1,234.56"])["currency"]
    assert bare.confidence < 0.5


@pytest.mark.parametrize(
    ("sentence", "balance"),
    [
        ("as at 31 October 2026 an amount of USD 12,345.67 was due from you to us.", "12345.67"),
        ("our records show a balance of 1,234.56 owing by you.", "1234.56"),
        ("as at 31 October 2026 an amount of GBP 980.00 was due to you from us.", "-980.00"),
        ("your account shows a balance of 75.20 in your favour.", "-75.20"),
    ],
)
def test_a_letters_balance_in_english_prose(sentence, balance) -> None:
    """An audit confirmation states the balance in a sentence; who owes whom signs it, and
    the one balance is closing and due alike."""
    got = parse_lines(["Confirmation of balance", f"According to our records, {sentence}"])
    assert got["closing_balance"].value == got["amount_due"].value == D(balance)
    assert got["closing_balance"].confidence >= 0.9
    # an amount in prose that says nothing of who owes it is no balance
    assert "closing_balance" not in parse_lines(["We received a payment of 1,234.56 today."])


def test_a_letter_is_dated_beside_its_reference() -> None:
    got = parse_lines(
        [
            "5 November 2026        Our ref: CF-2026-0042",
            "Confirmation of balance as at 31 October 2026",
        ]
    )
    assert got["statement_date"].value == date(2026, 11, 5)
    assert got["statement_no"].value == "CF-2026-0042"
    assert "statement_no" not in parse_lines(["5 November 2026        Your ref: PO-0042"])


def test_a_month_range_alone_is_the_period_and_the_rows_agree() -> None:
    """A line that is only a range from a month's first day to its last is the period,
    surer when every dated row of the table falls in that month."""
    top = ["Statement of Accounts", "01/10/2026 To 31/10/2026"]
    rows = [
        "Date\tTransactions\tAmount\tPayments\tBalance",
        "01/10/2026\tOpening Balance\t100.00\t\t100.00",
        "05/10/2026\tInvoice\t50.00\t\t150.00",
        "20/10/2026\tPayment Received\t\t30.00\t120.00",
    ]
    alone = parse_lines(top)["period"]
    assert alone.value == "2026-10" and alone.confidence < 0.9
    agreed = parse_lines(top + rows)["period"]
    assert agreed.value == "2026-10" and agreed.confidence >= 0.9
    assert "period" not in parse_lines(["Statement", "05/10/2026 To 20/10/2026"])


def test_a_form_number_after_no_but_not_a_phone_or_tax_number():
    got = parse_lines(["往来单位对账单", "对账日期：2027-09-02   No. DZD2027084971"])
    assert got["statement_no"].value == "DZD2027084971"
    for other in ("Tel No. 021-6958 1234", "GST Reg No. M2-0012345-6", "Cheque No. 004512"):
        assert "statement_no" not in parse_lines(["STATEMENT OF ACCOUNT", other]), other


def test_a_trailing_minus_is_a_credit():
    assert parse_amount("2,039.08-") == D("-2039.08")
    assert [a.value for a in find_amounts("Balance 2,039.08- CNY")] == [D("-2039.08")]
    assert find_amounts("2026-10") == [] and find_amounts("12.50-13.00") == []


@pytest.mark.parametrize("line", ["Journals: Date from : 10/01/2026", "From Date: 10/01/2026"])
def test_a_report_date_filter_is_not_the_statement_date(line: str) -> None:
    # an ERP report's filter bound: the period's first day, not the statement's date
    assert "statement_date" not in parse_lines([line], source="ocr")


def _figures(lines: list[str]) -> dict[str, str]:
    found = fields.parse_lines(lines)
    names = ("opening_balance", "charges", "payments", "closing_balance")
    return {n: str(found[n].value) for n in names if n in found}


def test_a_balance_worked_out_in_print_says_which_figure_is_which() -> None:
    # the label names the result, not the amount after it
    worked = ["本月结欠 = 808,945.23 + 76,119.08 - 554,571.80 = 330,492.51"]
    assert _figures(worked) == {
        "opening_balance": "808945.23",
        "charges": "76119.08",
        "payments": "554571.80",
        "closing_balance": "330492.51",
    }
    # payments taken off before the charges are added, the operators in cells of their own
    boxes = [
        "Previous Balance    Payments & Credits    New Charges    New Balance",
        "$1,200.00    -    $700.00    +    $350.25    =    $850.25",
    ]
    assert _figures(boxes) == {
        "opening_balance": "1200.00",
        "charges": "350.25",
        "payments": "700.00",
        "closing_balance": "850.25",
    }
    # a credit carried in and out
    assert _figures(["本月结欠 = -1,000.00 + 500.00 - 0.00 = -500.00"])["closing_balance"] == (
        "-500.00"
    )
    # a sum that does not hold is no evidence: the label pairs as it always does
    assert _figures(["本月结欠 = 808,945.23 + 76,119.08 - 554,571.80 = 330,492.50"]) == {
        "closing_balance": "808945.23"
    }


def test_an_erp_statement_is_dated_by_its_document_date_not_its_period_bounds() -> None:
    found = fields.parse_lines(
        [
            "Statement No.\tAR202610-0042",
            "Start Date\t10/01/2026",
            "End Date\t10/31/2026",
            "Document Date\t11/03/2026",
        ]
    )
    assert found["statement_date"].value == date(2026, 11, 3)


def test_an_account_reference_is_the_customer_s_code() -> None:
    found = fields.parse_lines(["Account reference: C0043     Statement ST-202606-9358"])
    assert found["customer_code"].value == "C0043"
    assert "statement_no" not in found or found["statement_no"].value != "C0043"


def test_the_word_statement_before_a_document_number_names_it() -> None:
    def number(text: str) -> str | None:
        found = fields.parse_lines([text])
        return found["statement_no"].value if "statement_no" in found else None

    assert number("Account reference: C0043     Statement ST-202606-9358") == "ST-202606-9358"
    assert number("STATEMENT AR202606-03142") == "AR202606-03142"
    # a title, a month or a page count after the word is no number
    for text in ("Statement of account for October 2026", "STATEMENT 2026-10", "Statement 2 of 3"):
        assert number(text) is None, text


BANK_STYLE_SUMMARY = [
    "Account summary",
    "Balance on 1 June 2026          £808,945.23",
    "Invoices (6)                    £81,490.89",
    "Payments and credits (4)        £559,943.61",
    "Balance on 30 June 2026         £330,492.51",
]


@pytest.mark.parametrize("period", [["Statement period: 2026-06"], []])
def test_a_balance_dated_at_the_period_start_is_the_opening_balance(period: list[str]) -> None:
    """Both balances of a statement set out like a bank's are "Balance on <day>": the one
    on the period's first day (or, with no period read, the earlier) is the opening one;
    the item counts in brackets are not the figures beside them."""
    found = fields.parse_lines(period + BANK_STYLE_SUMMARY)
    got = {k: found[k].value for k in ("opening_balance", "charges", "payments")}
    assert got == {
        "opening_balance": D("808945.23"),
        "charges": D("81490.89"),
        "payments": D("559943.61"),
    }
    assert found["closing_balance"].value == D("330492.51")


def test_a_count_or_year_before_a_figure_is_not_the_figure() -> None:
    found = fields.parse_lines(["Invoices (8)        692,173.23"])
    assert found["charges"].value == D("692173.23")
    # a bare integer alone is still read, as a figure that may be a count
    alone = fields.parse_lines(["Invoices        8"])
    assert alone["charges"].value == D("8.00") and alone["charges"].confidence < 0.5


def test_the_month_word_of_a_date_is_no_label() -> None:
    """月份 names a period, but in "2026年10月份" it is the date's own word."""
    found = fields.parse_lines(["对账月份：2026年10月份        NO.：ST-202610-0001"])
    assert found["period"].value == "2026-10"


def test_a_customer_s_code_is_never_the_statement_number() -> None:
    """A till slip's 编号 (any number) under its 客户 line is the customer's code: with the
    master's codes known, the statement's number is the other one (单号)."""
    lines = [
        "客户对账单",
        "客户:成都天府食品有限公司",
        "编号:C0008",
        "单号:AR202606-03142",
        "打印:2026-07-08 18:17",
    ]
    page = fields.page_from_lines(lines)
    assert fields.parse_statement([page])[0]["statement_no"].value == "C0008"  # no master
    found, _ = fields.parse_statement([page], ["C0008", "C0011"])
    assert found["statement_no"].value == "AR202606-03142"
    assert found["customer_code"].value == "C0008"
    assert found["statement_date"].value == date(2026, 7, 8)


def test_a_statement_date_whose_label_ocr_garbled_between_two_cells() -> None:
    """制表日期 read as "fill HA": the lone date after the period's end is the statement's,
    in whichever unlabelled cell of its line it stands."""
    found = fields.parse_lines(
        ["对账月份：2026年1月份", "fill        HA: 2026-02-07        单位：元"]
    )
    assert found["statement_date"].value == date(2026, 2, 7)


def test_opening_and_charges_are_never_both_placed_by_arithmetic() -> None:
    # they add up the same either way round: the order a summary prints them in decides
    # nothing (a 送货对账单 prints the month's deliveries above the balance brought in)
    lines = [  # two labels OCR did not read
        "XXXXXX:           1,068,078.82",
        "TARR:             ¥26,571.22",
        "本月回款:         ¥10,529.72",
        "本月末欠款:       ¥1,084,120.32",
    ]
    got = parse_lines(lines, source="ocr")
    assert "opening_balance" not in got and "charges" not in got
    assert got["closing_balance"].value == D("1084120.32")


def test_figures_over_their_captions() -> None:
    lines = [  # a billing statement laid out as a dashboard's tiles
        "Account C0043",
        "   $808,945.23        -$554,571.80        $76,119.08         $330,492.51",
        "  Previous Balance   Payments Received    New Charges         Amount Due",
        "Please pay by 07 August 2026.",
    ]
    got = parse_lines(lines)
    assert got["opening_balance"].value == D("808945.23")
    assert got["payments"].value in (D("554571.80"), D("-554571.80"))
    assert got["charges"].value == D("76119.08")
    assert got["amount_due"].value == D("330492.51")
    # a caption row under figures that have their own labels, or with words that are no
    # label, takes nothing from above
    mixed = [lines[1], "  Previous Balance   see overleaf         New Charges         Amount Due"]
    assert "opening_balance" not in parse_lines(mixed)
    # nor does a row with a date and words over the captions: a table's last row
    row = "07/27/2026          Freight           $129.56            $88.00"
    assert "amount_due" not in parse_lines([row, lines[2]])
    assert "amount_due" not in parse_lines([row.replace("07/27/2026", "          "), lines[2]])


def test_a_payment_reminder_in_prose() -> None:
    lines = [  # 催款函: the figures in one paragraph, one of them wrapped across two lines
        "函号:DZD2027084971",
        "截至2027年8月31日,贵司此前结欠我司货款¥51,108.80,8月份新增货款¥1,807.62,已收到贵司付款¥18,",
        "700.02,尚欠货款合计¥34,216.40(大写:人民币叁万肆仟贰佰壹拾陆元肆角)。",
    ]
    got = parse_lines(lines)
    broken = [lines[1][:-3] + "1", "8," + lines[2]]  # "¥1" | "8,700.02"
    assert parse_lines(broken)["payments"].value == D("18700.02")
    assert got["statement_no"].value == "DZD2027084971"
    assert got["opening_balance"].value == D("51108.80")
    assert got["charges"].value == D("1807.62")
    assert got["payments"].value == D("18700.02")
    assert got["closing_balance"].value == D("34216.40")


def test_label_value_pairs_side_by_side_with_yuan() -> None:
    """A small trader's sheet: figures without thousands separators, each followed by 元,
    three pairs on one line and the balance owed as "截至…止共欠"."""
    lines = [
        "上月结欠:2638.46元        本月发货:706.17元        本月收款:2478.10元",
        "截至10月31日止共欠:866.53元",
    ]
    got = parse_lines(lines)
    assert got["opening_balance"].value == D("2638.46")
    assert got["charges"].value == D("706.17")
    assert got["payments"].value == D("2478.10")
    assert got["closing_balance"].value == D("866.53")
    # 共欠 inside a longer word is no label
    assert "closing_balance" not in parse_lines(["总共欠缺资料:3份 866.53"])


def test_period_from_a_title_naming_what_the_statement_covers() -> None:
    got = parse_lines(["岭南电气设备有限公司", "2026年6月送货对账单"])
    assert got["period"].value == "2026-06"
    assert parse_lines(["Statement ST-1  ·  Issued 08 July 2026"])["statement_date"].value == (
        date(2026, 7, 8)
    )
