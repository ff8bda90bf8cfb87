"""Learning from reviewers: one correction on a layout nobody wrote a rule for teaches the
next statements of that layout (real pipeline, real Tesseract, the API's values-only PATCH).
"""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from archive import config, db, documents
from archive.models import Customer, Document, LearnedRule
from extract import learned
from extract.pdf import text_pages
from services import learning, processing
from tests import coded_layout as CL
from tests import corpus as C
from tests.web_fixtures import api, app, as_role, tokens, users  # noqa: F401  (fixtures)

REQUIRED = ("customer_code", "period", "amount_due")
# the first statement is corrected; then five more of the layout arrive, scans among them
CONDITIONS = ("scan300", "digital", "scan300", "digital", "scan200-noisy", "scan300")


def _ingest(data: bytes, name: str) -> int:
    settings = config.load()
    with db.session() as s:
        doc, _ = documents.register(s, settings, data, name, source="upload")
        doc_id = doc.id
    processing.process(doc_id)
    return doc_id


def _fields(doc_id: int) -> tuple[str, dict[str, tuple[str, str, float]]]:
    with db.session() as s:
        doc = s.get(Document, doc_id)
        return doc.status, {f.name: (f.value, f.source, f.confidence) for f in doc.fields}


def _truth_values(truth) -> dict[str, str]:
    exp = truth.expected()
    return {k: exp[k] for k in (*REQUIRED, "opening_balance", "charges", "payments")}


def _patch(api, tokens, doc_id: int, values: dict[str, str]) -> dict:
    resp = api.patch(f"/api/v1/documents/{doc_id}/fields", json=values, headers=tokens["reviewer"])
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


@pytest.mark.slow
def test_one_correction_teaches_the_next_statements_of_the_layout(
    api, tokens, as_role, monkeypatch, capsys
):
    reviewer = as_role("reviewer")
    monkeypatch.setenv("STMT_OCR_FALLBACK", "none")  # Tesseract only: the test is about rules
    monkeypatch.setenv("STMT_PAGE_WORKERS", "1")
    with db.session() as s:
        for code, name, aliases in C.CUSTOMERS:
            s.add(Customer(code=code, name=name, aliases=aliases))
    rng = random.Random(20261202)
    truths = [CL.make_truth(rng) for _ in CONDITIONS]

    # Nobody wrote a rule for this layout: its amount due is not read at all.
    first = _ingest(*CL.scan(truths[0], CONDITIONS[0]))
    status, found = _fields(first)
    assert status == "needs_review" and "amount_due" not in found

    # The reviewer corrects it through the API, with values only.
    out = _patch(api, tokens, first, _truth_values(truths[0]))
    assert out["status"] == "accepted"
    with db.session() as s:
        rule = s.scalar(select(LearnedRule).where(LearnedRule.field == "amount_due"))
        assert rule is not None and rule.anchor == "k3" and rule.document_id == first

    right = straight = wrong_accepted = 0
    rows = []
    for truth, condition in zip(truths[1:], CONDITIONS[1:], strict=True):
        doc_id = _ingest(*CL.scan(truth, condition))
        status, found = _fields(doc_id)
        expected = truth.expected()
        ok = {name: found.get(name, (None,))[0] == expected[name] for name in REQUIRED}
        right += all(ok.values())
        straight += status == "accepted"
        if status == "accepted" and not all(ok.values()):
            wrong_accepted += 1
        threshold = config.load().review_threshold
        for name, (value, source, conf) in found.items():  # nothing learned is trusted wrongly
            if source == learned.SOURCE and conf >= threshold and expected.get(name) is not None:
                assert value == expected[name], (condition, name, value, expected[name])
        rows.append((condition, status, found.get("amount_due"), truth.amount_due, ok))
        if status != "accepted" and found.get("amount_due", (None, None))[1] == "learned":
            html = reviewer.get(f"/review/{doc_id}").get_data(as_text=True)
            assert 'id="learned-amount_due"' in html and f"#{first}" in html  # where from
        if status != "accepted":  # a reviewer sees it and saves what is right
            _patch(api, tokens, doc_id, _truth_values(truth))
    with capsys.disabled():
        print(
            f"\nlearning: {right}/5 right, {straight}/5 straight through, "
            f"{wrong_accepted} wrong accepted"
        )
        for row in rows:
            print("  ", *row)
    assert wrong_accepted == 0
    assert right >= 4
    assert straight >= 3
    with db.session() as s:
        rule = s.scalar(select(LearnedRule).where(LearnedRule.field == "amount_due"))
        assert rule.hits >= 2 and rule.misses == 0


def test_learning_from_a_value_finds_its_words_and_the_code_that_marks_it():
    rng = random.Random(5)
    a, b = CL.make_truth(rng), CL.make_truth(rng)
    pages_a = [p for p in text_pages(CL.render(a)) if p]
    pages_b = [p for p in text_pages(CL.render(b)) if p]
    rule = learned.learn(pages_a, "amount_due", a.amount_due)
    assert rule is not None and rule.anchor == "k3"
    assert learned.learn(pages_a, "amount_due", Decimal("123456789.01")) is None
    # a value printed in two places teaches nothing unless the reviewer pointed at one
    base = CL.make_truth(random.Random(9))
    zero = Decimal("0.00")
    twice = replace(
        base,
        opening_balance=zero,
        payments=zero,
        closing_balance=base.charges,
        amount_due=base.charges,
    )
    twice_pages = [p for p in text_pages(CL.render(twice)) if p]
    spots = [
        w
        for w in twice_pages[0].words
        if learned.read_value("amount_due", w.text) == twice.amount_due
    ]
    assert len(spots) == 2
    assert learned.learn(twice_pages, "amount_due", twice.amount_due) is None
    pointed = learned.learn(twice_pages, "amount_due", twice.amount_due, box=spots[-1].box)
    assert pointed is not None and pointed.anchor == "k3"
    layout = learned.Layout(learned.fingerprint(pages_a), (rule,))
    got = learned.apply(pages_b, [layout])["amount_due"]
    assert got.value == b.amount_due and got.source == "learned"
    assert got.confidence == learned.rule_confidence(1, 0)
    # another sender's layout is not this one
    other = C.make_truth(rng)
    pages_c = [p for p in text_pages(C.render_pdf(other, "zh", qr=False)) if p]
    assert learned.apply(pages_c, [layout]) == {}


def test_confidence_grows_with_confirmations_and_drops_with_corrections():
    assert learned.rule_confidence(1, 0) < 0.9 <= learned.rule_confidence(2, 0)
    assert learned.rule_confidence(3, 0) > learned.rule_confidence(2, 0)
    assert learned.rule_confidence(3, 1) < learned.rule_confidence(3, 0)


def test_a_parser_value_read_surely_is_not_replaced_by_a_weaker_rule():
    from extract.types import FieldValue

    parsed = {"amount_due": FieldValue("amount_due", Decimal("10.00"), 0.95, "text")}
    taught = {"amount_due": FieldValue("amount_due", Decimal("12.00"), 0.82, "learned")}
    assert learned.merge(parsed, taught)["amount_due"].value == Decimal("10.00")
    qr = {"amount_due": FieldValue("amount_due", Decimal("10.00"), 0.8, "qr")}
    assert learned.merge(qr, taught)["amount_due"].source == "qr"
    assert learned.merge({}, taught)["amount_due"].source == "learned"


def test_admin_lists_and_forgets_what_was_learned(as_role):
    truth = CL.make_truth(random.Random(5))
    pages = [p for p in text_pages(CL.render(truth)) if p]
    with db.session() as s:
        row = learning.new_layout(s, pages, "C0001")
        rule = learned.learn(pages, "amount_due", truth.amount_due)
        row.rules.append(
            LearnedRule(
                field="amount_due",
                anchor=rule.anchor,
                page=1,
                spec=rule.to_json(),
                user="reviewer",
                example="1.00",
            )
        )
    html = as_role("admin").get("/admin/learned").get_data(as_text=True)
    assert "amount_due" in html and "k3" in html
    assert as_role("reviewer").get("/admin/learned").status_code == 403
    with db.session() as s:
        layout_id = learning.listing(s)[0].id
    resp = as_role("admin").post(f"/admin/learned/{layout_id}/forget")
    assert resp.status_code == 302
    with db.session() as s:
        assert learning.listing(s) == []
