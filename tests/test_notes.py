"""Review notes are codes with parameters, shown in English and Chinese everywhere."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from extract import notes
from extract.notes import MESSAGES, note, render
from tests.web_fixtures import app, as_role, users  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
_USED = re.compile(r"""\bnote\(\s*["']([a-z_0-9]+)["']""")


def codes_in_source() -> set[str]:
    found = set()
    for path in [*ROOT.glob("extract/*.py"), *ROOT.glob("ingest/*.py"), *ROOT.glob("archive/*.py")]:
        found |= set(_USED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_note_code_has_english_and_chinese():
    used = codes_in_source()
    assert "no_customer" in used and "low_confidence" in used  # the scan finds the calls
    for code in used | set(MESSAGES):
        assert code in MESSAGES, f"note {code!r} is not in extract.notes.MESSAGES"
        for lang in notes.LANGUAGES:
            assert MESSAGES[code].get(lang), f"note {code!r} has no {lang} sentence"
        chinese = MESSAGES[code]["zh"]
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"note {code!r}: zh is not Chinese"


def test_every_sentence_renders_with_the_parameters_its_callers_give():
    for code, by_lang in MESSAGES.items():
        names = set(re.findall(r"{(\w+)}", by_lang["en"] + by_lang["zh"]))
        params = {n: "X" for n in names if not n.endswith("_zh")}
        if "field_zh" in names:
            params["field"] = "amount_due"
        if "item_zh" in names:
            params["item"] = "amount due"
        n = note(code, **params)
        for lang in notes.LANGUAGES:
            text = render(notes.to_json(n), lang)
            assert "{" not in text, (code, lang, text)


def test_unknown_code_is_refused():
    with pytest.raises(KeyError):
        note("no_such_note")


def test_a_note_is_its_english_sentence_and_stores_its_code():
    n = note("due_not_closing", due=Decimal("10.00"), closing=Decimal("12.00"))
    assert n == "amount due 10.00 ≠ closing balance 12.00"
    stored = notes.to_json(n)
    assert stored["code"] == "due_not_closing" and stored["params"]["due"] == "10.00"
    assert render(stored, "zh") == "应付金额 10.00 ≠ 期末余额 12.00"
    assert render("an older note, stored as text", "zh") == "an older note, stored as text"
    low = note("low_confidence", field="amount_due", value="1.00", confidence="0.49",
               threshold="0.90")  # fmt: skip
    assert render(notes.to_json(low), "zh").startswith("应付金额 1.00 的识别置信度为 0.49")


def test_notes_in_the_users_language_on_the_page_the_api_and_the_cli(data_dir, monkeypatch):
    from archive import config, db, documents
    from archive.models import Document
    from tests.web_fixtures import make_document

    doc_id = make_document(status="needs_review", notes=[note("no_customer")])
    with db.session() as s:
        doc = s.get(Document, doc_id)
        text = "no customer name or code found on the statement"
        assert doc.notes == [{"code": "no_customer", "params": {}, "text": text}]
        zh = documents.to_json(doc, detail=True, lang="zh")
        en = documents.to_json(doc, detail=True, lang="en")
    assert zh["notes"] == ["对账单上未找到客户名称或编号"] and zh["note_codes"] == ["no_customer"]
    assert en["notes"] == ["no customer name or code found on the statement"]
    monkeypatch.setenv("STMT_LANG", "zh_CN.UTF-8")
    assert config.settings().language == "zh"
    monkeypatch.setenv("STMT_LANG", "en")
    assert config.settings().language == "en"


def test_review_page_shows_notes_in_chinese_and_english(as_role):
    from tests.web_fixtures import make_document

    doc_id = make_document(status="needs_review", notes=[note("no_customer")])
    client = as_role("reviewer")
    assert "对账单上未找到客户名称或编号" in client.get(f"/review/{doc_id}").get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    html = client.get(f"/review/{doc_id}").get_data(as_text=True)
    assert "no customer name or code found on the statement" in html


def test_a_file_that_is_no_statement_fails_with_its_reason_in_the_users_language(data_dir):
    from archive import config, db, documents
    from archive.models import Document
    from services import processing

    with db.session() as s:
        doc, _ = documents.register(s, config.load(), b"hello, not a pdf", "x.pdf", source="cli")
        doc_id = doc.id
    assert processing.process(doc_id) == "failed"
    with db.session() as s:
        doc = s.get(Document, doc_id)
        assert doc.error.startswith("this is a text file, not a PDF or a scan")
        assert documents.to_json(doc, lang="zh")["error"].startswith("这是一个文本文件")
        assert documents.to_json(doc, lang="en")["error"] == doc.error
