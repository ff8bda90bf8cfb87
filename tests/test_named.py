"""The customer found on the page without a label (extract/named.py)."""

from __future__ import annotations

from extract import confidence, fields, named
from extract.customers import Customer
from extract.layout import page_from_lines

MASTER = [
    Customer("C0019", "合肥科大讯联信息技术有限公司"),
    Customer("C0045", "Pacific Rim Foods Co., Ltd."),
    Customer("C0046", "Blue Harbour Logistics Pte. Ltd.", ("Blue Harbour",)),
]


def _customer(lines: list[str]) -> tuple[object, object, str]:
    """(code, name, status) after the master is applied, as the pipeline does it."""
    pages = [page_from_lines(lines, source="ocr")]
    found = named.customer_fields(fields.parse_fields(pages), pages, MASTER)
    scored = confidence.score(found, [], MASTER, threshold=0.9)
    code, name = scored.fields.get("customer_code"), scored.fields.get("customer_name")
    return (
        code and (code.value, code.confidence),
        name and (name.value, name.confidence),
        scored.status,
    )


def test_an_address_block_names_the_customer_over_a_payee_line():
    code, name, _ = _customer(
        [
            "STATEMENT",
            "Pacific Rim Foods Co., Ltd.      Date",
            "PO Box 8037                      2 Sep 2027",
            "PAYMENT ADVICE",
            "To: East China Precision Materials Co., Ltd.",
        ]
    )
    assert name == ("Pacific Rim Foods Co., Ltd.", 1.0)
    assert code == ("C0045", 1.0)


def test_a_garbled_label_the_code_and_the_name_after_it():
    code, name, _ = _customer(["应收账款明细账", "赛户：C0019合肥科大讯联信息技术有限公司"])
    assert code == ("C0019", 1.0)
    assert name == ("合肥科大讯联信息技术有限公司", 1.0)
    # the name misread by OCR is read fuzzily only right after the code
    code, name, _ = _customer(["EP: C0019 合用科大讯联信息技术有限公司"])
    assert code[0] == "C0019" and code[1] >= 0.9
    assert name[0] == "合肥科大讯联信息技术有限公司"
    code, name, _ = _customer(["EP: 合用科大讯联信息技术有限公司"])
    assert code is None and name is None


def test_a_code_alone_or_several_customers_named_give_nobody():
    assert _customer(["Ref C0045", "Invoice 2 Sep 2027"])[:2] == (None, None)
    page = page_from_lines(["Pacific Rim Foods Co., Ltd.", "Blue Harbour Logistics"])
    assert named._named([page], MASTER) is None  # the alias names a second customer
    # a code of another customer on the page makes the find doubtful too
    page = page_from_lines(["Pacific Rim Foods Co., Ltd.", "Ref C0019"])
    assert named._named([page], MASTER) is None
    page = page_from_lines(["Pacific Rim Foods Co., Ltd.", "Ref C0045"])
    assert named._named([page], MASTER)[0] == MASTER[1]


def test_a_labelled_customer_the_master_knows_is_kept():
    lines = ["Customer No.: C0046", "Pacific Rim Foods Co., Ltd."]
    pages = [page_from_lines(lines, source="ocr")]
    found = fields.parse_fields(pages)
    assert named.customer_fields(found, pages, MASTER) == found
    assert named.customer_fields(found, pages, []) == found
