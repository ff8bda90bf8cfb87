"""Final confidence: QR codes, the customer master, cross-checks and the status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from extract import qrpayload
from extract.confidence import (
    CROSSCHECK_FAIL,
    CROSSCHECK_PASS,
    PERIOD_AGREES,
    UNKNOWN_CUSTOMER,
    score,
)
from extract.customers import Customer
from extract.fields import parse_text
from extract.types import Code, FieldValue, Source, Status

D = Decimal
THRESHOLD = 0.85
MASTER = [
    Customer("C0042", "上海某某贸易有限公司", ("某某贸易",)),
    Customer("C0043", "上海某某科技有限公司"),
]

STATEMENT = """
客户名称：上海某某贸易有限公司      客户编号：C0042
对账期间：2026年10月
期初余额：10,000.00
本期发生额：5,000.00
本期收款：3,000.00
期末余额：12,000.00
应付金额：12,000.00
"""


def qr(payload: str, page: int = 1) -> Code:
    return Code("QRCODE", payload, page, (10.0, 10.0, 110.0, 110.0))


def our_qr(
    customer: str = "C0042",
    period: str = "2026-10",
    amount: str | None = "12000.00",
    number: str | None = "ST-202610-0042",
    kind: str | None = None,
) -> Code:
    sc = qrpayload.StatementCode(
        customer, period, D(amount) if amount else None, "CNY", number, kind
    )
    return qr(qrpayload.build(sc))


def fv(name: str, value: object, confidence: float = 0.9, source: str = "ocr") -> FieldValue:
    return FieldValue(name, value, confidence, source, page=1, box=(0, 0, 10, 10), raw=str(value))


KEY = b"installation secret"


def signed(code: Code) -> Code:
    """`code` signed with the installation's key (KEY), as the codes we issue are."""
    return qr(qrpayload.build(qrpayload.parse(code.data), key=KEY), code.page)


def run(text: str, codes: list[Code] | None = None, customers: list[Customer] = MASTER):
    return score(
        parse_text(text, source="ocr"), codes or [], customers, threshold=THRESHOLD, qr_key=KEY
    )


# --------------------------------------------------------------------------- status


def test_clean_statement_is_accepted() -> None:
    out, status, notes = run(STATEMENT)
    assert status == Status.ACCEPTED, notes
    assert notes == []
    assert out["customer_code"].confidence == 1.0
    assert out["closing_balance"].confidence == CROSSCHECK_PASS


def test_input_fields_are_not_modified() -> None:
    fields = parse_text(STATEMENT)
    before = {k: v.confidence for k, v in fields.items()}
    score(fields, [], MASTER, threshold=THRESHOLD)
    assert {k: v.confidence for k, v in fields.items()} == before


@pytest.mark.parametrize(
    ("old", "new", "note"),
    [
        ("对账期间：2026年10月", "", "no statement period found"),
        ("客户名称：上海某某贸易有限公司      客户编号：C0042", "", "no customer name or code"),
        # a weak label and no cross-check: the amount stays below the threshold
        ("应付金额：12,000.00\n", "应付：12,000.00\n", "amount_due 12000.00 read with confidence"),
    ],
)
def test_missing_or_weak_required_field_needs_review(old: str, new: str, note: str) -> None:
    text = STATEMENT.replace(old, new)
    if note.startswith("amount_due"):
        text = "\n".join(line for line in text.splitlines() if "余额" not in line)
    _, status, notes = run(text)
    assert status == Status.NEEDS_REVIEW
    assert any(note in n for n in notes), notes


def test_amount_falls_back_to_closing_balance() -> None:
    text = STATEMENT.replace("应付金额：12,000.00", "")
    out, status, notes = run(text)
    # one printed final balance is both the closing balance and the amount due
    assert out["amount_due"].value == out["closing_balance"].value == D("12000.00")
    assert out["amount_due"].box == out["closing_balance"].box
    assert status == Status.ACCEPTED, notes


def test_threshold_decides() -> None:
    fields = parse_text("客户编号：C0042\n对账月份：2026-10\n期末余额：1.00", source="ocr")
    assert score(fields, [], MASTER, threshold=0.85).status == Status.ACCEPTED
    assert score(fields, [], MASTER, threshold=0.95).status == Status.NEEDS_REVIEW


# --------------------------------------------------------------------------- customer master


def test_unknown_customer_goes_to_review() -> None:
    out, status, notes = run(STATEMENT.replace("C0042", "X9999").replace("某某贸易", "完全不同"))
    assert status == Status.NEEDS_REVIEW
    assert out["customer_code"].confidence <= UNKNOWN_CUSTOMER
    assert any("not in the customer master" in n and "上海完全不同有限公司" in n for n in notes)


def test_customer_code_from_name_alias() -> None:
    text = STATEMENT.replace("客户编号：C0042", "").replace("上海某某贸易有限公司", "某某贸易")
    out, status, _ = run(text)
    assert out["customer_code"].value == "C0042"
    assert out["customer_name"].value == "上海某某贸易有限公司"  # the master's name
    assert out["customer_name"].raw == "某某贸易"  # what was printed
    assert status == Status.ACCEPTED


def test_ocr_code_is_corrected_by_the_master() -> None:
    out, status, _ = run(STATEMENT.replace("C0042", "COO42"))
    assert out["customer_code"].value == "C0042"
    assert out["customer_code"].raw == "COO42"
    assert status == Status.ACCEPTED


def test_name_from_master_when_only_code_printed() -> None:
    out, _, _ = run(STATEMENT.replace("客户名称：上海某某贸易有限公司", ""))
    assert out["customer_name"].value == "上海某某贸易有限公司"
    assert out["customer_name"].confidence == 1.0


def test_code_and_name_disagree_needs_review() -> None:
    out, status, notes = run(STATEMENT.replace("上海某某贸易有限公司", "上海某某科技有限公司"))
    assert status == Status.NEEDS_REVIEW
    assert out["customer_code"].value == "C0042"
    assert any("C0043" in n for n in notes), notes


def test_fuzzy_customer_name_lowers_confidence() -> None:
    text = STATEMENT.replace("客户编号：C0042", "").replace("某某贸易", "某菜贸易")
    out, status, notes = run(text)
    assert out["customer_code"].value == "C0042"
    assert out["customer_code"].confidence < THRESHOLD
    assert status == Status.NEEDS_REVIEW
    assert any("approximately" in n for n in notes), notes


# --------------------------------------------------------------------------- cross-checks


def test_balance_identity_raises_all_four() -> None:
    fields = {
        "opening_balance": fv("opening_balance", D("100.00"), 0.5),
        "charges": fv("charges", D("50.00"), 0.6),
        "payments": fv("payments", D("30.00"), 0.7),
        "closing_balance": fv("closing_balance", D("120.00"), 0.4),
    }
    out, _, notes = score(fields, [], MASTER, threshold=THRESHOLD)
    assert {out[k].confidence for k in fields} == {CROSSCHECK_PASS}
    assert not any("≠" in n for n in notes)


def test_balance_identity_with_payments_printed_negative() -> None:
    fields = {
        "opening_balance": fv("opening_balance", D("100.00"), 0.5),
        "charges": fv("charges", D("50.00"), 0.5),
        "payments": fv("payments", D("-30.00"), 0.5),
        "closing_balance": fv("closing_balance", D("120.00"), 0.5),
    }
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["payments"].confidence == CROSSCHECK_PASS


def test_balance_identity_failing_lowers_and_explains() -> None:
    out, status, notes = run(STATEMENT.replace("期末余额：12,000.00", "期末余额：12,900.00"))
    assert status == Status.NEEDS_REVIEW
    assert out["opening_balance"].confidence == pytest.approx(0.9 * CROSSCHECK_FAIL)
    assert any("opening + charges − payments ≠ closing" in n and "12900.00" in n for n in notes)


def test_amount_due_differs_from_closing() -> None:
    out, status, notes = run(STATEMENT.replace("应付金额：12,000.00", "应付金额：12,500.00"))
    assert status == Status.NEEDS_REVIEW
    assert out["amount_due"].confidence < THRESHOLD
    assert out["closing_balance"].confidence == CROSSCHECK_PASS  # the identity vouches for it
    assert any("amount due 12500.00 ≠ closing balance 12000.00" in n for n in notes)


def test_amount_due_equal_to_closing_raises_both() -> None:
    fields = {
        "closing_balance": fv("closing_balance", D("12.00"), 0.5),
        "amount_due": fv("amount_due", D("12.00"), 0.5),
    }
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["closing_balance"].confidence == out["amount_due"].confidence == CROSSCHECK_PASS


def test_amount_due_equal_to_closing_does_not_outvote_a_failing_identity() -> None:
    fields = {
        "opening_balance": fv("opening_balance", D("100.00"), 0.8),
        "charges": fv("charges", D("50.00"), 0.8),
        "payments": fv("payments", D("30.00"), 0.8),
        "closing_balance": fv("closing_balance", D("61.00"), 0.8),  # "61, 455. 04" read as 61
        "amount_due": fv("amount_due", D("61.00"), 0.8),
    }
    out, status, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["closing_balance"].confidence < THRESHOLD
    assert out["amount_due"].confidence < THRESHOLD
    assert status == Status.NEEDS_REVIEW


def test_incomplete_balance_is_left_alone() -> None:
    fields = {
        "opening_balance": fv("opening_balance", D("100.00"), 0.5),
        "closing_balance": fv("closing_balance", D("999.00"), 0.5),
    }
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["closing_balance"].confidence == 0.5


# --------------------------------------------------------------------------- QR codes


def test_qr_alone_gives_exact_fields() -> None:
    key = b"installation secret"
    sc = qrpayload.parse(our_qr().data)
    signed = qr(qrpayload.build(sc, key=key))
    out, status, notes = score({}, [signed], MASTER, threshold=THRESHOLD, qr_key=key)
    assert status == Status.ACCEPTED, notes
    assert out["customer_code"].value == "C0042"
    assert out["customer_name"].value == "上海某某贸易有限公司"  # from the master
    assert out["period"].value == "2026-10"
    assert out["amount_due"].value == D("12000.00")
    assert out["statement_no"].value == "ST-202610-0042"
    assert out["currency"].value == "CNY"
    for name in ("customer_code", "customer_name", "period", "amount_due", "statement_no"):
        assert out[name].source == "qr"
        assert out[name].confidence == 1.0
        assert out[name].box == (10.0, 10.0, 110.0, 110.0)


def test_qr_agreeing_raises_printed_values() -> None:
    fields = parse_text(STATEMENT, source="ocr")
    fields["period"] = fv("period", "2026-10", 0.3)
    out, status, notes = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert status == Status.ACCEPTED, notes
    assert out["period"].confidence == 1.0
    assert out["period"].source == "ocr"  # the printed place stays, for the reviewer
    assert out["amount_due"].source == "ocr" and out["amount_due"].confidence == 1.0
    assert notes == []


def test_qr_agrees_despite_ocr_confusion_in_code() -> None:
    fields = {"customer_code": fv("customer_code", "COO42", 0.4)}
    out, _, _ = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert out["customer_code"].value == "C0042"
    assert out["customer_code"].confidence == 1.0
    assert out["customer_code"].source == "ocr"


def test_qr_disagreeing_wins() -> None:
    fields = parse_text(STATEMENT.replace("应付金额：12,000.00", "应付金额：12,600.00"))
    out, _, notes = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert out["amount_due"].value == D("12000.00")
    assert out["amount_due"].source == "qr"
    assert any("printed amount_due 12600.00 differs from the QR code" in n for n in notes)


def test_qr_period_disagreeing_drops_printed_dates() -> None:
    fields = parse_text("对账期间：2026-09-01 至 2026-09-30")
    out, _, notes = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert out["period"].value == "2026-10"
    assert "period_start" not in out and "period_end" not in out
    assert any("period" in n for n in notes)


def test_qr_customer_overrides_printed_name() -> None:
    fields = parse_text("客户名称：上海某某科技有限公司")
    out, _, notes = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert out["customer_name"].value == "上海某某贸易有限公司"
    assert out["customer_name"].source == "qr"
    assert any("上海某某科技有限公司" in n for n in notes)


def test_qr_customer_not_in_master_needs_review() -> None:
    out, status, notes = score({}, [our_qr(customer="X9999")], MASTER, threshold=THRESHOLD)
    assert status == Status.NEEDS_REVIEW
    assert any("X9999" in n and "not in the customer master" in n for n in notes)


def test_bad_checksum_is_ignored() -> None:
    good = our_qr().data
    tampered = good.replace("a=12000.00", "a=99000.00")
    fields = parse_text(STATEMENT, source="ocr")
    out, status, notes = score(fields, [qr(tampered, page=2)], MASTER, threshold=THRESHOLD)
    assert out["amount_due"].value == D("12000.00")
    assert out["amount_due"].source == "ocr"
    assert status == Status.ACCEPTED
    assert any("page 2" in n and "checksum" in n for n in notes)


def test_foreign_codes_are_ignored() -> None:
    codes = [qr("https://example.com/x"), Code("CODE128", "ST-202610-0042", 1, (0, 0, 1, 1))]
    out, status, notes = score(parse_text(STATEMENT), codes, MASTER, threshold=THRESHOLD)
    assert status == Status.ACCEPTED and notes == []
    assert all(f.source != "qr" for f in out.values())


def test_cover_sheet_gives_customer_and_period() -> None:
    fields = parse_text("期末余额：12,000.00")
    key = b"installation secret"
    sc = qrpayload.parse(our_qr(amount=None, number=None, kind="cover").data)
    cover = qr(qrpayload.build(sc, key=key))
    out, status, notes = score(fields, [cover], MASTER, threshold=THRESHOLD, qr_key=key)
    assert out["customer_code"].source == "qr" and out["period"].source == "qr"
    assert out["amount_due"].value == D("12000.00") and out["amount_due"].source == "text"
    assert status == Status.ACCEPTED, notes  # the printed closing balance, strong label
    strict = score(fields, [cover], MASTER, threshold=0.95, qr_key=key)
    assert strict.status == Status.NEEDS_REVIEW
    # the one printed final balance is the amount due, the required amount
    assert any("amount_due" in n for n in strict.notes)


def test_two_disagreeing_qr_codes_need_review() -> None:
    codes = [our_qr(), our_qr(customer="C0043")]
    out, status, notes = score(parse_text(STATEMENT), codes, MASTER, threshold=THRESHOLD)
    assert status == Status.NEEDS_REVIEW
    assert any("QR codes disagree" in n for n in notes)
    assert all(f.source != "qr" for f in out.values())


def test_manual_values_are_kept() -> None:
    fields = {"amount_due": fv("amount_due", D("5.00"), 1.0, source="reviewer")}
    out, _, _ = score(fields, [our_qr()], MASTER, threshold=THRESHOLD)
    assert out["amount_due"].value == D("5.00")
    assert out["amount_due"].source == "reviewer"


def test_credit_balance_with_nothing_due_is_consistent() -> None:
    fields = {
        "closing_balance": fv("closing_balance", D("-1646.54"), 0.5),
        "amount_due": fv("amount_due", D("0.00"), 0.5),
    }
    out, _, notes = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["amount_due"].confidence == CROSSCHECK_PASS
    assert not any("≠" in n for n in notes)


# --------------------------------------------------------------------------- period


@pytest.mark.parametrize(
    ("period", "dated", "raised"),
    [
        ("2026-10", date(2026, 11, 3), True),  # dated a few days after the period
        ("2026-10", date(2026, 10, 31), True),  # on its last day
        ("2026-09", date(2026, 11, 3), False),  # a month or more after: a misread month?
        ("2026-11", date(2026, 11, 3), False),  # before the end of the period
    ],
)
def test_statement_date_vouches_for_the_period(period: str, dated: date, raised: bool) -> None:
    fields = {"period": fv("period", period, 0.8), "statement_date": fv("statement_date", dated)}
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert (out["period"].confidence == PERIOD_AGREES) is raised


def test_badly_read_date_does_not_vouch_for_the_period() -> None:
    fields = {
        "period": fv("period", "2026-10", 0.8),
        "statement_date": fv("statement_date", date(2026, 11, 3), 0.2),
    }
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["period"].confidence == 0.8


# --------------------------------------------------------------------------- arithmetic as evidence


def test_qr_amount_disagreeing_with_the_printed_amount_needs_review() -> None:
    # a forged (or foreign) QR code saying 999999.99 on a statement printing 12,000.00
    out, status, notes = run(STATEMENT, [our_qr(amount="999999.99")])
    assert status == Status.NEEDS_REVIEW
    assert any("differs from the QR code" in n for n in notes)


def test_qr_amount_disagreeing_with_a_closing_balance_printed_alone_needs_review() -> None:
    text = STATEMENT.replace("应付金额：12,000.00", "")
    _, status, _ = run(text, [our_qr(amount="999999.99")])
    assert status == Status.NEEDS_REVIEW


def test_qr_amount_the_printed_figures_add_up_to_outvotes_a_misread_total() -> None:
    # 10,000 + 5,000 − 3,000 = 12,000: the printed amount due (18,000) was misread
    text = STATEMENT.replace("应付金额：12,000.00", "应付金额：18,000.00")
    out, status, _ = run(text, [signed(our_qr())])
    assert out["amount_due"].value == D("12000.00") and status == Status.ACCEPTED


def test_misread_payments_beside_a_qr_vouched_amount_due_is_not_accepted() -> None:
    # no closing balance printed: the amount due is the final balance the identity checks
    text = (
        "客户编号：C0042\n对账期间：2026年10月\n期初余额：60,000.00\n本期发生额：5,000.00\n"
        "本期收款：35,540.82\n应付金额：9,459.18\n"
    )
    out, status, notes = run(text, [our_qr(amount="9459.18")])
    assert out["amount_due"].confidence == 1.0  # the QR code vouches for the amount due
    assert out["payments"].value == D("35540.82")
    assert out["payments"].confidence < THRESHOLD  # but not for the misread payments
    assert any("≠ closing" in n for n in notes)
    # so the statement waits for a reviewer rather than filing the misread payments unseen
    assert status == Status.NEEDS_REVIEW


def test_weak_amount_the_qr_does_not_carry_keeps_a_vouched_statement_in_review() -> None:
    # every required field vouched by a signed code, and the identity is not checkable (no
    # opening balance), yet the weakly read payments figure must not be accepted blindly
    fields = parse_text(STATEMENT, source="ocr")
    fields.pop("opening_balance")
    fields["payments"] = replace(fields["payments"], confidence=0.5)
    out, status, notes = score(fields, [signed(our_qr())], MASTER, threshold=THRESHOLD, qr_key=KEY)
    assert out["amount_due"].confidence == 1.0 and out["customer_code"].confidence == 1.0
    assert status == Status.NEEDS_REVIEW
    assert any(n.startswith("payments 3000.00 read with confidence 0.50") for n in notes)
    fields["payments"] = replace(fields["payments"], confidence=0.95)
    assert score(fields, [signed(our_qr())], MASTER, threshold=THRESHOLD, qr_key=KEY)[1] == (
        Status.ACCEPTED
    )


def test_broken_identity_keeps_the_statement_from_acceptance_without_qr() -> None:
    text = STATEMENT.replace("本期收款：3,000.00", "本期收款：8,000.00")
    out, status, _ = run(text)
    assert status == Status.NEEDS_REVIEW
    assert out["amount_due"].confidence < THRESHOLD


def test_one_final_balance_does_not_vouch_for_itself() -> None:
    fields = parse_text("客户编号：C0042\n对账期间：2026年10月\n结欠：12,000.00", source="ocr")
    assert fields["amount_due"].same_as == "closing_balance"
    out, status, _ = score(fields, [], MASTER, threshold=0.95)
    assert out["amount_due"].confidence < 0.95 and status == Status.NEEDS_REVIEW


def test_exact_identity_lifts_unknown_labels_to_acceptance() -> None:
    # weak labels only (Balance Forward, Charges, Credits, Balance): the arithmetic vouches
    text = (
        "Customer No.: C0042\nStatement Period: October 2026\nBalance Forward: 1,000.00\n"
        "Charges: 500.00\nCredits: 200.00\nBalance: 1,300.00\n"
    )
    out, status, notes = run(text)
    assert out["closing_balance"].confidence == CROSSCHECK_PASS
    assert status == Status.ACCEPTED, notes


def test_identity_vouches_for_figures_summed_from_rows_only_with_a_final_balance_apart() -> None:
    fields = {
        "opening_balance": fv("opening_balance", D("100.00"), 0.9),
        "charges": replace(fv("charges", D("50.00"), 0.6), raw="", box=None),
        "payments": replace(fv("payments", D("30.00"), 0.6), raw="", box=None),
        "closing_balance": fv("closing_balance", D("120.00"), 0.9),
    }
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["charges"].confidence == 0.6 and out["payments"].confidence == 0.6
    # nor the printed figures beside them: a table whose last rows OCR lost has sums that
    # agree with its last running balance, however wrong both are
    assert out["closing_balance"].confidence == 0.9
    assert out["opening_balance"].confidence == 0.9
    # the same figures with an amount due printed apart from the rows, equal to the closing
    # balance: no row was lost at the end, and the identity vouches for the sums
    fields["amount_due"] = replace(fv("amount_due", D("120.00"), 0.9), raw="¥120.00")
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["charges"].confidence == 0.6, "sums the rows do not split as printed: never vouched"
    for name in ("charges", "payments"):
        fields[name] = replace(fields[name], source=Source.ROWS)
    out, _, _ = score(fields, [], MASTER, threshold=THRESHOLD)
    assert out["charges"].confidence == out["payments"].confidence == CROSSCHECK_PASS
    # an amount due that is the closing balance's own figure, or another amount, does not
    for due in (
        replace(fv("amount_due", D("120.00"), 0.9), same_as="closing_balance"),
        fv("amount_due", D("150.00"), 0.9),
    ):
        out, _, _ = score({**fields, "amount_due": due}, [], MASTER, threshold=THRESHOLD)
        assert out["charges"].confidence == 0.6, due
    # unless the rows are closed: no row can be missing at their end
    closed = {n: replace(fields[n], closed=True) for n in ("charges", "payments")}
    out, _, _ = score({**fields, **closed}, [], MASTER, threshold=THRESHOLD)
    assert out["charges"].confidence == out["payments"].confidence == CROSSCHECK_PASS
    # or our QR code vouches for the final balance they end in
    one = replace(fv("amount_due", D("120.00"), 0.9), same_as="closing_balance")
    code = signed(our_qr(amount="120.00"))
    out, _, _ = score({**fields, "amount_due": one}, [code], MASTER, threshold=THRESHOLD)
    assert out["charges"].confidence == out["payments"].confidence == CROSSCHECK_PASS


def test_a_weakly_read_statement_number_keeps_the_statement_in_review() -> None:
    fields = parse_text(STATEMENT + "对账单编号：ST-202610-0042\n", source="ocr")
    assert run(STATEMENT + "对账单编号：ST-202610-0042\n").status == Status.ACCEPTED
    fields["statement_no"] = replace(fields["statement_no"], value="5T-202610-0042", confidence=0.4)
    out, status, notes = score(fields, [], MASTER, threshold=THRESHOLD)
    assert status == Status.NEEDS_REVIEW
    assert any(n.startswith("statement_no 5T-202610-0042 read with confidence 0.40") for n in notes)


def test_without_a_closing_balance_the_amount_due_closes_the_identity() -> None:
    # four amounts found where a reviewer showed they stand (no labels the parser knows):
    # opening + charges − payments = amount due vouches for all four
    fields = parse_text(STATEMENT, source="ocr")
    for name in ("closing_balance", "amount_due"):
        fields.pop(name)
    learned = {
        name: FieldValue(name, D(value), 0.7, "learned", 1, (0.0, 0.0, 1.0, 1.0), value)
        for name, value in (
            ("opening_balance", "10000.00"),
            ("charges", "5000.00"),
            ("payments", "3000.00"),
            ("amount_due", "12000.00"),
        )
    }
    out, status, _ = score({**fields, **learned}, [], MASTER, threshold=THRESHOLD)
    assert status == Status.ACCEPTED
    assert all(out[name].confidence >= THRESHOLD for name in learned)
    learned["amount_due"] = replace(learned["amount_due"], value=D("12500.00"))
    out, status, notes = score({**fields, **learned}, [], MASTER, threshold=THRESHOLD)
    assert status == Status.NEEDS_REVIEW and any("≠ closing" in n for n in notes)


def test_a_period_range_on_its_months_edges_is_as_sure_as_the_vouched_period() -> None:
    fields = {
        "customer_code": fv("customer_code", "C0042"),
        "period": fv("period", "2026-10", 0.0),  # OCR doubted the words of the range
        "period_start": fv("period_start", date(2026, 10, 1), 0.0),
        "period_end": fv("period_end", date(2026, 10, 31), 0.0),
    }
    out, _, _ = score(fields, [signed(our_qr())], MASTER, threshold=THRESHOLD, qr_key=KEY)
    assert out["period"].confidence == 1.0
    assert out["period_start"].confidence == out["period_end"].confidence == 1.0
    # a day that is not the month's edge may be misread: it stays as read
    fields["period_end"] = fv("period_end", date(2026, 10, 30), 0.0)
    out, _, _ = score(fields, [signed(our_qr())], MASTER, threshold=THRESHOLD, qr_key=KEY)
    assert out["period_end"].confidence == 0.0


def test_a_closing_balance_that_differs_from_the_qr_amount_due_is_not_trusted() -> None:
    # the identity holds among the printed figures, but they end in another balance than
    # the one our QR code vouches for: rows were lost, or the figures belong elsewhere
    text = STATEMENT.replace("应付金额：12,000.00", "")
    out, status, _ = run(text, [signed(our_qr(amount="15000.00"))])
    assert out["amount_due"].value == D("15000.00") and out["amount_due"].confidence == 1.0
    assert out["closing_balance"].value == D("12000.00")
    assert out["closing_balance"].confidence < THRESHOLD
    assert status == Status.NEEDS_REVIEW
