"""Matching printed customers to the customer master."""

from __future__ import annotations

import pytest

from extract.customers import (
    ALIAS_EXACT,
    AMBIGUOUS,
    CODE_CONFUSED,
    CODE_NAME_CONFLICT,
    CODE_PREFIX_LOST,
    Customer,
    match_customer,
    normalize_code,
    normalize_name,
    similarity,
)

MASTER = [
    Customer("C0042", "上海某某贸易有限公司", ("某某贸易", "SH Moumou Trading")),
    Customer("C0043", "上海某某科技有限公司"),
    Customer("C0100", "Acme Trading Co., Ltd.", ("ACME",)),
    Customer("C0101", "Globex Corporation"),
    Customer("SH-1I0", "北京示例物流有限公司"),
    Customer("BJ-0O1", "北京甲乙丙有限公司"),
    Customer("BJ-001", "北京丙丁戊有限公司"),
]


def by_code(code: str) -> Customer:
    return next(c for c in MASTER if c.code == code)


@pytest.mark.parametrize(
    ("raw", "key"),
    [(" c0042 ", "C0042"), ("Ｃ００４２", "C0042"), ("C 0042", "C0042")],
)
def test_normalize_code(raw: str, key: str) -> None:
    assert normalize_code(raw) == key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("上海某某贸易有限公司", "上海 某某 贸易 有限公司"),
        ("上海某某贸易有限公司", "上海某某贸易有限公司。"),
        ("上海某某贸易有限公司", "上海某某贸易有限公司（）"),
        ("Acme Trading Co., Ltd.", "ACME TRADING CO LTD"),
        ("Acme Trading Co., Ltd.", "acme trading co. ltd"),
        ("Ａｃｍｅ", "acme"),
    ],
)
def test_normalize_name(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    ("code", "expected", "score"),
    [
        ("C0042", "C0042", 1.0),
        ("c0042", "C0042", 1.0),
        ("Ｃ００４２", "C0042", 1.0),
        ("COO42", "C0042", CODE_CONFUSED),  # OCR read 0 as O
        ("CO042", "C0042", CODE_CONFUSED),
        ("C0l00", "C0100", CODE_CONFUSED),  # l for 1
        ("SH-110", "SH-1I0", CODE_CONFUSED),  # the master holds the letter
    ],
)
def test_match_by_code(code: str, expected: str, score: float) -> None:
    m = match_customer(code, None, MASTER)
    assert m is not None
    assert (m.customer.code, m.method, m.score) == (expected, "code", score)


def test_confused_code_must_be_unique() -> None:
    # BJ-0O1 and BJ-001 read the same once O is 0: the exact one wins, the other is ambiguous
    assert match_customer("BJ-001", None, MASTER).customer.code == "BJ-001"  # type: ignore[union-attr]
    assert match_customer("BJ-0O1", None, MASTER).customer.code == "BJ-0O1"  # type: ignore[union-attr]
    assert match_customer("BJ-OO1", None, MASTER) is None


@pytest.mark.parametrize(
    ("name", "expected", "method", "score"),
    [
        ("上海某某贸易有限公司", "C0042", "name", 1.0),
        ("上海 某某 贸易有限公司", "C0042", "name", 1.0),
        ("上海某某贸易有限公司。", "C0042", "name", 1.0),
        ("某某贸易", "C0042", "alias", ALIAS_EXACT),
        ("SH MOUMOU TRADING", "C0042", "alias", ALIAS_EXACT),
        ("ACME TRADING CO LTD", "C0100", "name", 1.0),
        ("acme", "C0100", "alias", ALIAS_EXACT),
        ("GLOBEX CORPORATION.", "C0101", "name", 1.0),
    ],
)
def test_match_by_exact_name_or_alias(name: str, expected: str, method: str, score: float) -> None:
    m = match_customer(None, name, MASTER)
    assert m is not None
    assert (m.customer.code, m.method, m.score) == (expected, method, score)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("上海某某贸易有限责任公司", "C0042"),  # another legal form
        ("上海某某贸易(集团)有限公司", "C0042"),
        ("上海某菜贸易有限公司", "C0042"),  # one character misread
        ("Acme Tradng Co., Ltd.", "C0100"),  # OCR dropped a letter
        ("Acme Trading Company Limited", "C0100"),
        ("Globex Corp.", "C0101"),
        ("北京示例物流公司", "SH-1I0"),
    ],
)
def test_fuzzy_match(name: str, expected: str) -> None:
    m = match_customer(None, name, MASTER)
    assert m is not None
    assert m.customer.code == expected
    assert m.method == "fuzzy"
    assert 0 < m.score < 1.0


@pytest.mark.parametrize(
    "name",
    [
        "广州完全不同有限公司",
        "Initech LLC",
        "上海某某餐饮有限公司",  # shares prefix and legal form only
        "有限公司",
        "",
    ],
)
def test_unknown_names_give_none(name: str) -> None:
    assert match_customer(None, name, MASTER) is None


def test_nothing_printed_or_empty_master() -> None:
    assert match_customer(None, None, MASTER) is None
    assert match_customer("C0042", "上海某某贸易有限公司", []) is None


def test_different_company_same_suffix_is_not_similar() -> None:
    assert similarity("上海某某科技有限公司", "上海某某贸易有限公司") < 80
    assert similarity("上海某某贸易有限公司", "上海某某贸易有限公司") == 100


def test_ambiguous_fuzzy_match_scores_lower() -> None:
    master = [Customer("A1", "北京甲乙贸易有限公司"), Customer("A2", "北京甲丙贸易有限公司")]
    m = match_customer(None, "北京甲丁贸易有限公司", master)
    clear = match_customer(None, "北京甲丁贸易有限公司", master[:1])
    assert m is not None and clear is not None
    assert m.score < clear.score
    assert "close to both" in m.detail


def test_same_exact_name_twice_is_ambiguous() -> None:
    master = [Customer("A1", "北京甲乙有限公司"), Customer("A2", "北京甲乙有限公司")]
    m = match_customer(None, "北京甲乙有限公司", master)
    assert m is not None and m.score == pytest.approx(AMBIGUOUS)


def test_code_and_name_agree() -> None:
    m = match_customer("COO42", "上海某某贸易有限公司", MASTER)
    assert m is not None
    assert (m.customer.code, m.score) == ("C0042", 1.0)


def test_code_and_name_disagree() -> None:
    m = match_customer("C0042", "上海某某科技有限公司", MASTER)
    assert m is not None
    assert m.customer.code == "C0042"  # the code still decides
    assert m.score == CODE_NAME_CONFLICT
    assert "C0043" in m.detail


def test_code_with_unrelated_unknown_name_scores_lower() -> None:
    m = match_customer("C0042", "Initech LLC", MASTER)
    assert m is not None and m.customer.code == "C0042"
    assert m.score < 1.0


def test_unknown_code_known_name() -> None:
    m = match_customer("X9999", "上海某某贸易有限公司", MASTER)
    assert m is not None and m.customer.code == "C0042"
    assert m.score < 1.0
    assert "X9999" in m.detail


def test_unknown_code_unknown_name() -> None:
    assert match_customer("X9999", "Initech LLC", MASTER) is None


@pytest.mark.parametrize("code", ["0042", "©0042", "《0042"])  # seen in Tesseract output
def test_code_whose_letter_ocr_lost(code: str) -> None:
    m = match_customer(code, None, MASTER)
    assert m is not None
    assert (m.customer.code, m.score) == ("C0042", CODE_PREFIX_LOST)


@pytest.mark.parametrize("code", ["01", "001", "0044"])  # too short, or BJ-001/nobody
def test_code_digits_alone_must_name_one_customer(code: str) -> None:
    assert match_customer(code, None, MASTER) is None
