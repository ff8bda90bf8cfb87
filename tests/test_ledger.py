"""Ledger statements (ERP exports): rows placed by column, figures from their rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from extract import confidence, ledger
from extract.customers import Customer
from extract.fields import page_from_lines, parse_statement
from extract.types import Page, Status, Word

WIDTHS = (12, 10, 14, 14, 14, 6, 14)


def row(*cells: str) -> str:
    """One table row, text columns left-aligned and amounts right-aligned, as printed."""
    out = ""
    for i, (cell, width) in enumerate(zip(cells, WIDTHS, strict=True)):
        out += cell.ljust(width) if i in (0, 1, 5) else cell.rjust(width)
    return out


def aligned(widths: tuple[int, ...], amounts_from: int, *cells: str) -> str:
    """A row of cells in columns `widths` wide, those from `amounts_from` on right-aligned."""
    return "".join(
        c.rjust(w) if i >= amounts_from else c.ljust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


HEADER = row("日期", "凭证号", "摘要", "借方", "贷方", "  方向", "余额")
TOP = [
    "应收账款明细账",
    "客户编号：C0042    客户名称：上海某某贸易有限公司    会计期间：2026年10月",
]
LEDGER = TOP + [
    HEADER,
    row("2026-10-01", "", "期初余额", "", "", "  借", "37,355.38"),
    row("2026-10-08", "记-0012", "销售商品", "1,171.68", "", "  借", "38,527.06"),
    row("2026-10-15", "收-0007", "收到货款", "", "36,225.32", "  借", "2,301.74"),
    row("2026-10-28", "记-0031", "销售商品", "1,000.00", "", "  借", "3,301.74"),
    row("2026-10-31", "", "本月合计", "2,171.68", "36,225.32", "  借", "3,301.74"),
    row("2026-10-31", "", "本年累计", "98,765.43", "95,463.69", "  借", "3,301.74"),
]


def pages(*texts: list[str]) -> list[Page]:
    return [page_from_lines(t, number=n) for n, t in enumerate(texts, start=1)]


def test_ledger_figures_come_from_their_rows_never_from_year_to_date() -> None:
    fields, items = parse_statement(pages(LEDGER))
    got = {k: v.value for k, v in fields.items()}
    assert got["opening_balance"] == D("37355.38")
    assert (got["charges"], got["payments"]) == (D("2171.68"), D("36225.32"))
    assert got["closing_balance"] == got["amount_due"] == D("3301.74")
    assert fields["charges"].raw == "2,171.68" and fields["charges"].box is not None


def test_every_ledger_row_is_kept() -> None:
    _, items = parse_statement(pages(LEDGER))
    kinds = [i.kind for i in items]
    assert kinds == ["opening"] + ["transaction"] * 3 + ["month_total", "year_total"]
    sale = items[1]
    assert sale.date == date(2026, 10, 8) and sale.reference == "记-0012"
    assert sale.description == "销售商品" and sale.debit == D("1171.68") and sale.credit is None
    assert sale.balance == D("38527.06") and sale.page == 1 and sale.box is not None


def test_credit_direction_gives_a_negative_balance() -> None:
    lines = TOP + [
        HEADER,
        row("2026-10-01", "", "期初余额", "", "", "  贷", "500.00"),
        row("2026-10-09", "记-0001", "销售商品", "200.00", "", "  贷", "300.00"),
        row("2026-10-31", "", "本月合计", "200.00", "", "  贷", "300.00"),
    ]
    fields, items = parse_statement(pages(lines))
    # −500 + 200 = −300: a credit balance, the one final balance printed (closing and due)
    assert fields["opening_balance"].value == D("-500.00")
    assert fields["closing_balance"].value == fields["amount_due"].value == D("-300.00")


def test_multi_page_ledger_with_carry_rows() -> None:
    first = TOP + [
        HEADER,
        row("2026-10-01", "", "期初余额", "", "", "  借", "1,000.00"),
        row("2026-10-05", "记-0001", "销售商品", "500.00", "", "  借", "1,500.00"),
        row("", "", "过次页", "500.00", "", "  借", "1,500.00"),
    ]
    second = [
        HEADER,
        row("", "", "承前页", "500.00", "", "  借", "1,500.00"),
        row("2026-10-20", "收-0002", "收到货款", "", "1,200.00", "  借", "300.00"),
        row("2026-10-31", "", "本月合计", "500.00", "1,200.00", "  借", "300.00"),
        row("2026-10-31", "", "本年累计", "9,500.00", "9,200.00", "  借", "300.00"),
    ]
    fields, items = parse_statement(pages(first, second))
    got = {k: v.value for k, v in fields.items()}
    assert got["opening_balance"] == D("1000.00") and got["closing_balance"] == D("300.00")
    assert (got["charges"], got["payments"]) == (D("500.00"), D("1200.00"))
    assert fields["closing_balance"].page == 2
    assert [i.kind for i in items].count("transaction") == 2
    assert {i.kind for i in items} >= {"carried", "brought"}


def test_rows_that_do_not_add_up_lower_confidence() -> None:
    broken = [line.replace("1,000.00  ", "1,900.00  ") for line in LEDGER]  # a misread debit
    ok_fields, _ = parse_statement(pages(LEDGER))
    bad_fields, _ = parse_statement(pages(broken))
    assert bad_fields["charges"].confidence < ok_fields["charges"].confidence


def test_english_line_items() -> None:
    header = row("Date", "Ref", "Description", "Debit", "Credit", "  D/C", "Balance")
    lines = [
        "Customer Account Statement",
        header,
        row("01/10/2026", "", "Balance B/F", "", "", "", "1,000.00"),
        row("03/10/2026", "INV-1", "Invoice", "250.00", "", "", "1,250.00"),
        row("31/10/2026", "", "Total for the month", "250.00", "", "", "1,250.00"),
    ]
    found = ledger.read_ledger(pages(lines))
    assert [i.kind for i in found.items] == ["opening", "transaction", "month_total"]
    figs = ledger.figures(found, 0.9)
    assert figs["closing_balance"].value == D("1250.00") and figs["charges"].value == D("250.00")


def test_a_page_without_a_ledger_header_has_no_rows() -> None:
    assert ledger.read_ledger(pages(["期末余额：1,000.00", "2026-10-01  销售  100.00"])).rows == []


def test_garbled_credit_header_is_placed_between_its_neighbours() -> None:
    header = row("日期", "凭证号", "摘要", "借方", "RA)", "  方向", "余额")
    lines = TOP + [header] + LEDGER[3:]
    fields, _ = parse_statement(pages(lines))
    assert fields["payments"].value == D("36225.32")


def test_ledger_without_running_balances() -> None:
    # SAP correspondence: debit and credit columns, the balance carried forward first
    def sap(*cells: str) -> str:
        return aligned((12, 12, 26, 14, 14), 3, *cells)

    lines = [
        sap("Doc. no.", "Pstng date", "Text", "Debit", "Credit"),
        sap("", "01.02.2027", "Balance carried forward", "605,149.45", ""),
        sap("1800029286", "08.02.2027", "Freight invoice", "84,278.90", ""),
        sap("1400021056", "15.02.2027", "Incoming payment", "", "253,083.62"),
        sap("", "", "Total of items", "84,278.90", "253,083.62"),
    ]
    found = ledger.read_ledger(pages(lines))
    figs = ledger.figures(found, 0.9)
    assert figs["opening_balance"].value == D("605149.45")
    assert (figs["charges"].value, figs["payments"].value) == (D("84278.90"), D("253083.62"))


def test_deliveries_with_tax_and_receipts_columns_under_a_garbled_summary() -> None:
    # a 销售对账单: 含税金额 / 税额 / 回款金额 columns; OCR garbled the 本期回款 label
    def cells(*texts: str) -> str:
        return aligned((8, 14, 20, 14, 12, 14), 3, *texts)

    lines = [
        "对账期间：2027年07月01日至2027年07月31日",
        cells("日期", "发货单号", "摘要", "含税金额", "税额", "回款金额"),
        cells("07-10", "", "电汇", "", "", "205,308.58"),
        cells("07-14", "INV27078790", "销售发票货款", "436.15", "50.18", ""),
        cells("07-30", "", "银行承兑汇票", "", "", "383,164.94"),
        "期初余额: 600,967.25    本期发货: 436.15    AMM: 588,473.52",
        "期末余额: 12,929.88",
    ]
    fields, items = parse_statement(pages(lines))
    # the summary under the table is no row of it
    assert [i.credit for i in items] == [D("205308.58"), None, D("383164.94")]
    assert items[1].debit == D("436.15")
    # the column's name over the first receipt is no label of the period's payments
    assert fields["payments"].value == D("588473.52")
    # the receipts add up to the figure printed under the garbled label: the printed one,
    # which the balance identity can then vouch for
    assert fields["payments"].raw == "588,473.52" and fields["payments"].box is not None
    scored = confidence.score(fields, [], [], threshold=0.9)
    assert scored.fields["payments"].confidence >= confidence.CROSSCHECK_PASS


def test_one_signed_column_without_balances_dated_by_day_and_month_name() -> None:
    # a hotel's city ledger: folios and remittances in one Amount column, no running balance
    def cells(*texts: str) -> str:
        return aligned((9, 11, 28, 14), 3, *texts)

    lines = [
        "Statement Date  02-Sep-2027      Period  01-Aug-2027 - 31-Aug-2027",
        cells("Date", "Folio No.", "Guest / Particulars", "Amount"),
        cells("", "", "Balance Forward", "51,108.80"),
        cells("02-Aug", "F857416", "Allowance - Mr. J. Tan", "(83.28)"),
        cells("04-Aug", "F979095", "Ms. M. Garcia", "166.06"),
        cells("11-Aug", "RC2708061", "Remittance received", "(18,700.02)"),
        cells("31-Aug", "F599815", "Mr. P. Kumar", "221.38"),
        cells("", "", "Total Amount Due", "32,712.94"),
    ]
    fields, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["opening"] + ["transaction"] * 4
    assert items[3].date == date(2027, 8, 11) and items[3].credit == D("18700.02")
    assert items[1].debit == D("-83.28")  # an allowance lowers what was charged
    got = {n: fields[n].value for n in ("opening_balance", "charges", "payments")}
    assert got == {
        "opening_balance": D("51108.80"),
        "charges": D("304.16"),
        "payments": D("18700.02"),
    }
    # the identity holds, but it vouches for charges − payments only: sums of rows without
    # running balances, printed nowhere, are for a reviewer to see
    scored = confidence.score(fields, [], [], threshold=0.9)
    assert scored.fields["charges"].confidence < 0.9 and scored.status == Status.NEEDS_REVIEW


def test_one_amount_column_without_a_balance_brought_in_is_a_list_of_items() -> None:
    def cells(*texts: str) -> str:
        return aligned((9, 11, 28, 14), 3, *texts)

    lines = [  # a till slip's goods and a page of charges sum to nothing of the account
        cells("Date", "Ref", "Description", "Amount"),
        cells("02-Aug-2027", "XS0001", "Cable", "1,484.92"),
        cells("04-Aug-2027", "XS0002", "Switch panel", "166.06"),
    ]
    assert ledger.read_ledger(pages(lines)).rows == []
    balance_forward = cells("", "", "Balance Forward", "51,108.80")
    assert len(ledger.read_ledger(pages(lines[:1] + [balance_forward] + lines[1:])).rows) == 3


def test_table_ends_at_a_line_without_amounts() -> None:
    lines = LEDGER[:-2] + ["汇总", "AWARE    ¥11,770.66"]
    _, items = parse_statement(pages(lines))
    assert all("AWARE" not in i.description for i in items)


def test_a_cell_wrapped_onto_a_line_of_its_own_does_not_end_the_table() -> None:
    # a clerk's name (or a long description) OCR set on a line of its own between rows
    lines = LEDGER[:4] + ["                                            刘洋"] + LEDGER[4:]
    fields, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["opening"] + ["transaction"] * 3 + [
        "month_total",
        "year_total",
    ]
    assert fields["closing_balance"].value == D("3301.74")


def qb(*cells: str) -> str:
    """A row of Date | Transaction | Amount | Balance, amounts right-aligned."""
    return "".join(
        c.rjust(w) if i >= 2 else c.ljust(w)
        for i, (c, w) in enumerate(zip(cells, (12, 30, 14, 14), strict=True))
    )


def test_one_signed_amount_column_month_first() -> None:
    lines = [
        qb("Date", "Transaction", "Amount", "Balance"),
        qb("12/01/2025", "Balance forward", "", "2,584.19"),
        qb("12/13/2025", "INV #INV25121239", "202,694.70", "205,278.89"),
        qb("12/24/2025", "PMT #RC2512849", "-1,279.13", "203,999.76"),
    ]
    found = ledger.read_ledger(pages(lines))
    assert [i.kind for i in found.items] == ["opening", "transaction", "transaction"]
    assert found.items[2].credit == D("1279.13") and found.items[2].date == date(2025, 12, 24)
    assert found.items[0].date == date(2025, 12, 1)  # month first, as 12/13 says
    figs = ledger.figures(found, 0.9)
    assert figs["payments"].value == D("1279.13")
    assert figs["closing_balance"].value == D("203999.76")
    # the row names a payment (PMT): the sums are split as printed
    assert figs["charges"].checked and figs["payments"].checked

    # a credit memo is less charged, not paid
    lines.append(qb("12/28/2025", "CREDMEM #CM2512007", "-999.76", "203,000.00"))
    figs = ledger.figures(ledger.read_ledger(pages(lines)), 0.9)
    assert (figs["charges"].value, figs["payments"].value) == (D("201694.94"), D("1279.13"))
    assert figs["charges"].checked

    # a negative amount whose words say neither may be a credit note as well as a payment:
    # the sums are not checked
    lines.append(qb("12/30/2025", "ADJ #A-77", "-3,000.00", "200,000.00"))
    figs = ledger.figures(ledger.read_ledger(pages(lines)), 0.9)
    assert not figs["charges"].checked and not figs["payments"].checked


def test_rows_are_closed_by_a_text_layer_or_a_total_row_repeating_the_last_balance() -> None:
    lines = [
        qb("Date", "Description", "Amount", "Balance"),
        qb("7/13/26", "Beginning Balance", "", "3,736.47"),
        qb("7/14/26", "Invoice", "107.15", "3,843.62"),
        qb("7/18/26", "Payment", "-15.12", "3,828.50"),
    ]

    def figs(rows: list[str], source: str) -> dict[str, ledger.Figure]:
        return ledger.figures(ledger.read_ledger([page_from_lines(rows, source=source)]), 0.9)

    # a text layer loses no row; OCR may have lost one at the end, with its balance
    assert figs(lines, "text")["charges"].closed
    assert figs(lines, "ocr")["charges"].checked and not figs(lines, "ocr")["charges"].closed
    # a total row under the rows that prints only the ending balance: the sums are still
    # the rows' (it gives none), and it shows that no row stood between
    total = [*lines, qb("", "Total", "", "3,828.50")]
    found = figs(total, "ocr")
    assert (found["charges"].value, found["payments"].value) == (D("107.15"), D("15.12"))
    assert found["charges"].closed and found["payments"].closed
    assert found["closing_balance"].value == D("3828.50")
    # one that repeats another balance: a row was lost between (or the total misread)
    other = [*lines, qb("", "Total", "", "3,948.92")]
    assert not figs(other, "ocr")["charges"].closed


def test_a_ledger_without_an_opening_row_is_checked_by_the_summarys_opening() -> None:
    # a report-style 对账单: the rows start with the month's first voucher, and the summary
    # under them prints the opening (期初余额) and, once more, the closing balance
    lines = [
        row("日期", "凭证号", "摘要", "借方", "贷方", "", "余额"),
        row("2025-02-05", "记-0196", "运费", "302,251.20", "", "", "316,500.57"),
        row("2025-02-08", "记-0130", "销售出库", "309,151.75", "", "", "625,652.32"),
        row("2025-02-23", "收-0187", "收到货款", "", "10,526.89", "", "615,125.43"),
    ]
    found = ledger.read_ledger([page_from_lines(lines, source="ocr")])
    alone = ledger.figures(found, 0.9)
    # nothing says that no row was lost before the first or after the last one read
    assert not alone["charges"].checked
    opened = ledger.figures(found, 0.9, printed_opening=D("14249.37"))
    assert opened["charges"].checked and not opened["charges"].closed
    # an opening that the first row does not follow from: a row before it was lost
    assert not ledger.figures(found, 0.9, printed_opening=D("14000.00"))["charges"].checked
    # the last running balance printed again off the table: no row lost at the end
    both = ledger.figures(found, 0.9, D("14249.37"), {D("14249.37"), D("615125.43")})
    assert both["charges"].closed and both["payments"].closed
    assert (both["charges"].value, both["payments"].value) == (D("611402.95"), D("10526.89"))
    other = ledger.figures(found, 0.9, D("14249.37"), {D("625652.32")})
    assert not other["charges"].closed


def test_summary_pairs_whose_labels_ocr_garbled_are_no_row() -> None:
    # 期初余额：… 本期借方：… 本期贷方：… on one line under the table, each label garbled
    lines = [
        row("日期", "单据号", "摘要", "借方", "贷方", "  方向", "余额"),
        row("09.01", "", "期初余额", "", "", "  贷", "112.03"),
        row("09.09", "RC2709733", "银行承兑汇票", "", "99.63", "  贷", "211.66"),
        row("09.24", "INV27098228", "技术服务费", "67.22", "", "  贷", "144.44"),
        "WARM: 112.03     BMA: 67.22       BMRA: 99.63",
    ]
    found = ledger.read_ledger([page_from_lines(lines, source="ocr")])
    assert [r.item.kind for r in found.rows] == ["opening", "transaction", "transaction"]
    figs = ledger.figures(found, 0.9)
    assert (figs["charges"].value, figs["payments"].value) == (D("67.22"), D("99.63"))


def test_the_summary_under_a_table_is_no_total_row() -> None:
    # labelled figures below the rows, each in the balance column's place (continental print)
    lines = [
        qb("Date", "Text", "Amount EUR", "Balance EUR"),
        qb("01.03.2026", "Balance carried forward", "", "651.221,20"),
        qb("13.03.2026", "Service invoice", "58.112,76", "709.333,96"),
        qb("17.03.2026", "SEPA credit transfer", "-337.303,25", "372.030,71"),
        qb("", "Total invoices and credit notes", "", "58.112,76"),
        qb("", "Total payments", "", "-337.303,25"),
    ]
    found = ledger.figures(ledger.read_ledger([page_from_lines(lines)]), 0.9)
    assert found["opening_balance"].value == D("651221.20")
    assert found["closing_balance"].value == D("372030.71")


def test_rows_listed_newest_first_are_read_in_a_ledgers_order() -> None:
    # a supplier portal's account page: newest first, the balance forward at the bottom
    lines = [
        qb("Date", "Description", "Amount", "Balance"),
        qb("7/29/26", "Invoice", "120.42", "3,948.92"),
        qb("7/18/26", "Payment", "-15.12", "3,828.50"),
        qb("7/14/26", "Invoice", "107.15", "3,843.62"),
        qb("7/1/26", "Balance Forward", "", "3,736.47"),
    ]
    found = ledger.figures(ledger.read_ledger([page_from_lines(lines)]), 0.9)
    assert found["opening_balance"].value == D("3736.47")
    assert found["closing_balance"].value == D("3948.92")
    assert (found["charges"].value, found["payments"].value) == (D("227.57"), D("15.12"))
    assert found["charges"].checked  # each running balance follows from the one below it


def paid_between_balances(read: str) -> list[str]:
    """A payment printed -15.12 between balances 3,843.62 and 3,828.50, as OCR `read` it."""
    return [
        qb("Date", "Description", "Amount", "Balance"),
        qb("7/1/26", "Balance Forward", "", "3,736.47"),
        qb("7/1/26", "Invoice", "107.15", "3,843.62"),
        qb("7/8/26", "Payment - Thank You", read, "3,828.50"),
        qb("7/15/26", "Invoice", "120.42", "3,948.92"),
    ]


def test_a_minus_sign_ocr_lost_is_told_by_the_running_balances() -> None:
    lines = paid_between_balances("15.12")
    found = ledger.read_ledger(pages(lines))
    assert found.items[2].credit == D("15.12") and found.items[2].debit is None
    figs = ledger.figures(found, 0.9)
    assert (figs["charges"].value, figs["payments"].value) == (D("227.57"), D("15.12"))
    assert figs["charges"].checked and figs["payments"].checked

    # an amount the balances do not contradict keeps the sign it was read with, and one
    # they contradict by another figure is not mended (which of the two is misread?)
    lines[3] = qb("7/8/26", "Payment - Thank You", "15.21", "3,828.50")
    figs = ledger.figures(ledger.read_ledger(pages(lines)), 0.9)
    assert figs["payments"].value == D("0.00") and not figs["charges"].checked


def test_a_decimal_point_ocr_lost_is_told_by_the_running_balances() -> None:
    """"-1512" between balances 3,843.62 and 3,828.50 is -15.12 with its point and comma
    lost; a figure printed with its cents is never divided."""
    figs = ledger.figures(ledger.read_ledger(pages(paid_between_balances("-1512"))), 0.9)
    assert (figs["charges"].value, figs["payments"].value) == (D("227.57"), D("15.12"))
    figs = ledger.figures(ledger.read_ledger(pages(paid_between_balances("-1512.00"))), 0.9)
    assert figs["payments"].value != D("15.12")

def test_summary_labels_over_a_table_are_not_column_names() -> None:
    # 本期发生额 holds 发生额 (an amount column's name) but is a summary label
    line = row("日期", "", "摘要", "本期发生额", "本期回款", "", "余额")
    assert (
        ledger.read_ledger(
            pages([line, row("2026-10-05", "", "销售", "5,000.00", "", "", "15,000.00")])
        ).rows
        == []
    )


def test_ledger_export_end_to_end_keeps_every_line() -> None:
    import random

    from extract.customers import Customer
    from extract.pipeline import extract_document
    from tests.corpus import CUSTOMERS
    from tests.layouts import make_layout_truth, render_layout

    truth = make_layout_truth("ledger_yonyou", random.Random(7))
    data = render_layout("ledger_yonyou", truth, qr=False)
    master = [Customer(code=c, name=n, aliases=tuple(a)) for c, n, a in CUSTOMERS]
    ex = extract_document(data, customers=master, threshold=0.9, workers=1)
    got = [i for i in ex.items if i.kind == "transaction"]
    assert [(i.debit, i.credit, i.balance) for i in got] == [
        (x.debit, x.credit, x.balance) for x in truth.lines
    ]
    assert all(i.date == x.date for i, x in zip(got, truth.lines, strict=True))
    assert ex.fields["charges"].value == truth.charges
    assert ex.fields["payments"].value == truth.payments
    assert ex.fields["closing_balance"].value == truth.closing_balance


def test_a_sum_of_no_rows_is_in_cents() -> None:
    """A month with payments only: the charges summed from its rows are 0.00, as printed
    amounts are, not a bare 0."""
    header = row("Date", "Ref", "Description", "Debit", "Credit", "  D/C", "Balance")
    lines = [
        "Customer Account Statement",
        header,
        row("01/10/2026", "", "Balance B/F", "", "", "", "1,000.00"),
        row("03/10/2026", "RC-1", "Payment", "", "250.00", "", "750.00"),
    ]
    figs = ledger.figures(ledger.read_ledger(pages(lines)), 0.9)
    assert str(figs["charges"].value) == "0.00" and str(figs["payments"].value) == "250.00"
    # debit and credit columns of their own, the running balance followed from the opening
    assert figs["charges"].checked and figs["payments"].checked
    lines[-1] = row("03/10/2026", "RC-1", "Payment", "", "250.00", "", "700.00")
    figs = ledger.figures(ledger.read_ledger(pages(lines)), 0.9)
    assert not figs["payments"].checked  # a balance that does not follow: a row misread


def test_a_bare_total_row_is_the_month_total() -> None:
    """An Excel 对账单 closes its table with a plain 合计 row: its figures are the month's,
    not one more transaction to add to them."""
    lines = TOP + [
        HEADER,
        row("2026-10-01", "", "上期结余", "", "", "  借", "37,355.38"),
        row("2026-10-08", "XS01", "销售商品", "2,171.68", "", "  借", "39,527.06"),
        row("2026-10-15", "SK02", "收到货款", "", "36,225.32", "  借", "3,301.74"),
        row("", "", "合计", "2,171.68", "36,225.32", "", "3,301.74"),
    ]
    fields, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["opening", "transaction", "transaction", "month_total"]
    assert (fields["charges"].value, fields["payments"].value) == (D("2171.68"), D("36225.32"))
    assert fields["closing_balance"].value == D("3301.74")


GARBLED = row("郊区哥数", "“", "摘要", "a4", "RA]", "  方", "Ed")  # the header as OCR read it


def test_a_ledger_whose_header_was_not_read_is_read_by_its_columns() -> None:
    fields, items = parse_statement(pages(TOP + [GARBLED] + LEDGER[3:]))
    got = {k: v.value for k, v in fields.items()}
    assert got["opening_balance"] == D("37355.38")
    assert (got["charges"], got["payments"]) == (D("2171.68"), D("36225.32"))
    assert got["closing_balance"] == D("3301.74")
    assert fields["charges"].confidence >= 0.9  # every running balance follows
    assert [i.kind for i in items][:2] == ["opening", "transaction"]


def test_columns_guessed_wrong_are_not_vouched_for() -> None:
    # credit printed before debit: read as debit and credit, the running balances do not
    # follow, so the guessed columns are dropped
    swapped = [
        row(*cells[:3], cells[4], cells[3], *cells[5:])
        for cells in (
            ("2026-10-01", "", "期初余额", "", "", "  借", "37,355.38"),
            ("2026-10-08", "记-0012", "销售商品", "1,171.68", "", "  借", "38,527.06"),
            ("2026-10-15", "收-0007", "收到货款", "", "36,225.32", "  借", "2,301.74"),
            ("2026-10-28", "记-0031", "销售商品", "1,000.00", "", "  借", "3,301.74"),
            ("2026-10-31", "", "本月合计", "2,171.68", "36,225.32", "  借", "3,301.74"),
        )
    ]
    assert ledger.read_ledger(pages(TOP + [GARBLED] + swapped)).rows == []
    fields, _ = parse_statement(pages(TOP + [GARBLED] + swapped))
    customer = Customer("C0042", "上海某某贸易有限公司")
    scored = confidence.score(fields, [], [customer], threshold=0.9)
    assert scored.status != Status.ACCEPTED


def test_amounts_without_ledger_rows_make_no_columns() -> None:
    lines = TOP + [row("2026-10-08", "记-0012", "销售商品", "1,171.68", "", "", "38,527.06")] * 4
    assert ledger.read_ledger(pages(lines)).rows == []


def test_an_amount_ocr_joined_to_the_words_before_it_keeps_its_column() -> None:
    # a table's rule read as "|" bridges the gap between the description and the debit
    line = LEDGER[4]
    at, start = line.index("1,171.68"), line.index("销售商品")
    joined = line[:start] + "销售商品 | ".rjust(at - start) + line[at:]
    found = ledger.read_ledger(pages(TOP + [HEADER, LEDGER[3], joined] + LEDGER[5:]))
    sale = found.items[1]
    assert (sale.description, sale.debit, sale.balance) == ("销售商品", D("1171.68"), D("38527.06"))


def test_rows_spread_over_months_are_not_summed_into_the_period() -> None:
    """Open invoices from April to July: their sums are what is unpaid, not what was charged
    and paid in one period; the same rows within one month are."""
    header = row("Date", "Ref", "Description", "Debit", "Credit", "  D/C", "Balance")

    def figs(dates: list[str]) -> dict:
        lines = [
            "Statement",
            header,
            row(dates[0], "INV-1", "Invoice", "1,471.09", "295.99", "", "1,175.10"),
            row(dates[1], "INV-2", "Invoice", "1,147.60", "", "", "2,322.70"),
        ]
        return ledger.figures(ledger.read_ledger(pages(lines)), 0.9)

    assert "charges" not in figs(["19/04/2026", "19/07/2026"])
    assert figs(["02/07/2026", "19/07/2026"])["charges"].value == D("2618.69")


def _english(*rows: tuple[str, ...]) -> list[str]:
    header = row("Date", "Ref", "Description", "Debit", "Credit", "", "Balance")
    opening = row("01/10/2026", "", "Balance B/F", "", "", "", "1,000.00")
    return ["Customer Account Statement", header, opening, *(row(*r) for r in rows)]


def test_signs_ocr_dropped_in_debit_and_credit_columns_are_told_by_the_balances() -> None:
    lines = _english(
        ("03/10/2026", "CN-1", "Credit note", "114.97", "", "", "885.03"),  # printed -114.97
        ("09/10/2026", "RC-1", "Payment", "", "1,200.00", "", "314.97"),  # printed -314.97
        ("12/10/2026", "INV-1", "Invoice", "100.00", "", "", "-214.97"),
    )
    items = ledger.read_ledger(pages(lines)).items
    assert items[1].debit == D("-114.97")
    assert [i.balance for i in items[2:]] == [D("-314.97"), D("-214.97")]
    # a figure the balances contradict by something else is left as read
    lines[-1] = row("12/10/2026", "INV-1", "Invoice", "100.00", "", "", "-200.00")
    assert ledger.read_ledger(pages(lines)).items[3].debit == D("100.00")
    # an amount that the balances would place in the other column: words must say it is a
    # credit note, and a balance is not turned when that reading explains it
    swapped = _english(
        ("03/10/2026", "RC-1", "Transfer", "114.97", "", "", "885.03"),
        ("09/10/2026", "RC-2", "Transfer", "", "442.51", "", "1,327.54"),
    )
    items = ledger.read_ledger(pages(swapped)).items
    assert (items[1].debit, items[2].balance) == (D("114.97"), D("1327.54"))


def test_a_lone_digit_on_a_row_of_cents_is_a_speck_not_an_amount() -> None:
    lines = _english(
        ("03/10/2026", "INV-1", "Invoice    7", "250.00", "", "", "1,250.00"),
        ("09/10/2026", "RC-1", "Payment", "7", "100.00", "", "1,150.00"),
    )
    items = ledger.read_ledger(pages(lines)).items
    assert (items[1].debit, items[2].debit, items[2].credit) == (D("250.00"), None, D("100.00"))


def test_a_misread_total_row_gives_way_to_the_row_sums_that_add_up() -> None:
    """Total of items 2,945.48 printed 2,545.48: the rows and the balance say which."""
    lines = [
        "Statement of account",
        row("Date", "Doc. no.", "Text", "Debit", "Credit", "", ""),
        row("01.06.2026", "", "Balance b/f", "", "4,242.46", "", ""),
        row("04.06.2026", "1800089727", "Freight invoice", "393.92", "", "", ""),
        row("04.06.2026", "1400064336", "Incoming payment", "", "342.10", "", ""),
        row("06.06.2026", "1800063601", "Billing doc.", "2,151.56", "", "", ""),
        row("", "", "Total of items", "2,945.48", "342.10", "", ""),
        "Balance as at 30.06.2026        2,039.08- CNY",
    ]
    fields_, _ = parse_statement(pages(lines))
    values = {k: v.value for k, v in fields_.items()}
    assert values["opening_balance"] == D("-4242.46")
    assert (values["charges"], values["payments"]) == (D("2545.48"), D("342.10"))
    assert values["closing_balance"] == D("-2039.08")
    assert fields_["charges"].confidence < 0.5  # not printed: a reviewer confirms it


PARTNER_LINES = [
    row("2026-10-01", "", "Initial Balance", "", "", "  借", "37,355.38"),
    row("2026-10-08", "XS01", "销售商品", "2,171.68", "", "  借", "39,527.06"),
    row("2026-10-15", "SK02", "收到货款", "", "36,225.32", "  借", "3,301.74"),
    row("2026-10-28", "XS02", "销售商品", "1,000.00", "", "  借", "4,301.74"),
]


def partner_ledger(debit_total: str) -> list[str]:
    """A partner ledger: the account's totals on its heading row, above its lines, without
    a label or a date."""
    heading = row("", "", "C0042 上海某某", debit_total, "36,225.32", "", "4,301.74")
    return TOP + [HEADER, heading, *PARTNER_LINES]


def test_a_total_row_above_the_lines_is_not_counted_twice() -> None:
    """The heading row's figures are the month's, not one more transaction."""
    fields, items = parse_statement(pages(partner_ledger("3,171.68")))
    assert [i.kind for i in items] == ["month_total", "opening"] + ["transaction"] * 3
    assert fields["opening_balance"].value == D("37355.38")
    assert (fields["charges"].value, fields["payments"].value) == (D("3171.68"), D("36225.32"))
    assert fields["closing_balance"].value == D("4301.74")


def test_a_misread_total_row_above_the_lines_is_told_by_its_balance() -> None:
    _, items = parse_statement(pages(partner_ledger("3,171.86")))
    assert [i.kind for i in items] == ["month_total", "opening"] + ["transaction"] * 3


def test_a_row_below_the_lines_repeating_the_balance_is_no_total() -> None:
    """An aging row under the table ends in the balance too; it totals no debits."""
    lines = TOP + [HEADER, *PARTNER_LINES, row("", "", "", "0.00", "", "", "4,301.74")]
    fields, items = parse_statement(pages(lines))
    assert "month_total" not in [i.kind for i in items]
    assert fields["charges"].value == D("3171.68")


def test_an_opening_row_whose_label_ocr_garbled_is_told_by_its_own_balance() -> None:
    """Undated, before the lines, its balance its own debit: the balance brought forward."""
    lines = partner_ledger("3,171.68")
    lines[lines.index(PARTNER_LINES[0])] = row(
        "", "", "Initlal Balance", "37,355.38", "0.00", "", "37,355.38"
    )
    fields, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["month_total", "opening"] + ["transaction"] * 3
    assert fields["opening_balance"].value == D("37355.38")


def test_an_undated_row_that_is_not_the_sum_stays_a_transaction() -> None:
    lines = TOP + [
        HEADER,
        row("2026-10-01", "", "期初余额", "", "", "  借", "37,355.38"),
        row("2026-10-08", "XS01", "销售商品", "2,171.68", "", "  借", "39,527.06"),
        row("", "XS02", "运费", "100.00", "", "  借", "39,627.06"),
        row("2026-10-15", "SK02", "收到货款", "", "36,225.32", "  借", "3,401.74"),
    ]
    _, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["opening"] + ["transaction"] * 3


def summary(label: str, value: str) -> str:
    """A summary line under the table: its label in the middle, its figure under the
    balance column."""
    return " " * 30 + label + value.rjust(sum(WIDTHS) - 30 - len(label))


def test_the_summary_under_a_table_ends_it() -> None:
    """Labelled figures under the table ("Received This Period USD 257.11", 本期发票) are
    the statement's summary: read as rows, their amounts would stand in the balance column
    and the last of them would pass for the closing balance."""
    lines = TOP + [
        HEADER,
        row("2026-10-01", "", "B/F 上期结转", "", "", "", "37,355.38"),
        row("2026-10-08", "XS01", "销售商品", "2,171.68", "", "", "39,527.06"),
        row("2026-10-15", "SK02", "收到货款", "", "36,225.32", "", "3,301.74"),
        summary("Previous Balance 上期余额", "USD 37,355.38"),
        summary("Invoiced This Period 本期发票", "USD 2,171.68"),
        summary("Received This Period 本期收款", "USD 36,225.32"),
        summary("Amount Due 应付金额", "USD 3,301.74"),
    ]
    fields, items = parse_statement(pages(lines))
    assert [i.kind for i in items] == ["opening", "transaction", "transaction"]
    assert fields["charges"].value == D("2171.68")
    assert fields["payments"].value == D("36225.32")
    assert fields["closing_balance"].value == fields["amount_due"].value == D("3301.74")


def test_a_ledger_rows_zero_cells_are_not_the_amount_due() -> None:
    """A ledger in credit printing 0.00 in the empty column: that zero is a cell of a row,
    not a figure of the summary whose label was lost (a credit balance's "nil due")."""
    lines = TOP + [
        HEADER,
        row("", "", "C0042 上海某某", "1,405.13", "865.40", "", "-91,287.65"),
        row("2026-10-01", "", "Initial Balance", "0.00", "91,827.38", "", "-91,827.38"),
        row("2026-10-08", "XS01", "销售商品", "1,405.13", "0.00", "", "-90,422.25"),
        row("2026-10-15", "SK02", "收到货款", "0.00", "865.40", "", "-91,287.65"),
    ]
    fields, _ = parse_statement(pages(lines))
    assert fields["opening_balance"].value == D("-91827.38")
    assert fields["closing_balance"].value == fields["amount_due"].value == D("-91287.65")


def test_a_currency_beside_a_column_name_does_not_hide_the_column() -> None:
    """"Invoices £ | Payments £ | Balance £": the sign is no column of its own (a 方向
    column stands between the credit and the balance columns of Chinese ledgers)."""
    lines = [
        "Statement",
        "Account number: C0042     Period: 2026-06",
        "Date      Details                    Invoices £     Payments £      Balance £",
        "01 Jun    BALANCE BROUGHT FORWARD                                   1,000.00",
        "02 Jun    INVOICE INV-1               500.00                        1,500.00",
        "09 Jun    RECEIPT RC-1                               800.00           700.00",
        "30 Jun    BALANCE CARRIED FORWARD                                     700.00",
    ]
    fields, items = parse_statement(pages(lines))
    moves = [(i.kind, i.debit, i.credit, i.balance) for i in items]
    assert moves[1:3] == [
        ("transaction", D("500.00"), None, D("1500.00")),
        ("transaction", None, D("800.00"), D("700.00")),
    ]
    assert (fields["charges"].value, fields["payments"].value) == (D("500.00"), D("800.00"))


def test_a_dense_header_and_rows_dated_by_month_and_day() -> None:
    """Seven-point type: 贷方 and 方向 read as one word, 余额 run into 经手人 (a column the
    lexicon does not name); the rows dated 03-01 take their year from the period above."""

    def words(n: int, *cells: tuple[str, float]) -> list[Word]:
        """Words of line `n`; a negative x is where a right-aligned word ends."""
        out = []
        for text, x in cells:
            width = sum(7.0 if ord(ch) >= 0x2E80 else 3.9 for ch in text)
            left = -x - width if x < 0 else x
            out.append(Word(text, (left, 100 + 11 * n, left + width, 107 + 11 * n), 1.0, n))
        return out

    page = Page(1, 595, 842, 72, "text", [
        *words(0, ("往来单位:C0002", 43), ("北京中科联创科技有限公司", 120)),
        *words(1, ("期间:2025年3月", 480)),
        *words(2, ("日期", 43), ("凭证字号", 87), ("摘要", 123), ("借方", 369),
               ("贷方方向", 425), ("余额经手人", 495)),
        *words(3, ("03-01", 43), ("期初余额", 123), ("借", 446), ("210,007.27", -509)),
        *words(4, ("03-01", 43), ("收-0015", 87), ("银行承兑汇票", 123), ("25,550.84", -439),
               ("借", 446), ("184,456.43", -509), ("刘洋", 511)),
    ])  # fmt: skip
    found = ledger.read_ledger([page])
    sale = found.items[1]
    assert sale.date == date(2025, 3, 1)
    assert (sale.debit, sale.credit, sale.balance) == (None, D("25550.84"), D("184456.43"))
