"""Tags: bulk tagging from search results, the tag facet and filter (page and API), tag
rules applied when a statement arrives, saved searches and the finance home."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

from archive import config, db, documents
from archive.management import DocumentTag, SavedSearch
from services import processing, tags
from tests.web_fixtures import (  # noqa: F401
    STATEMENT,
    add_customer,
    api,
    app,
    as_role,
    make_document,
    statement_pdf,
    tokens,
    users,
)


def doc(code: str, period: str, amount: str) -> int:
    return make_document(
        {"customer_code": (code, 1.0), "period": (period, 1.0), "amount_due": (amount, 1.0)},
        lines=[*STATEMENT[:2], f"客户编号：{code}", f"对账期间：{period}", f"应付金额：{amount}"],
    )


def test_bulk_tagging_from_search_and_the_tag_filter(as_role, api, tokens):
    a, b, c = (
        doc("C001", "2026-09", "100.00"),
        doc("C001", "2026-10", "200.00"),
        doc("C002", "2026-10", "300.00"),
    )
    client = as_role("finance")
    client.post("/language", data={"locale": "en"})
    resp = client.post(
        "/finance/tags/bulk",
        data={"customer": "C001", "tag_name": " 待付款 ", "color": "#cc3300", "action": "add"},
    )
    assert resp.status_code == 302 and "customer=C001" in resp.headers["Location"]
    html = client.get("/search?tag=待付款").get_data(as_text=True)
    assert f'data-id="{a}"' in html and f'data-id="{b}"' in html and f'data-id="{c}"' not in html
    assert "<strong>2</strong>" in html and 'class="tag tag-1"' in html
    css = client.get("/finance/tags.css").get_data(as_text=True)
    assert ".tag-1 { background: #cc3300; color: #fff; }" in css
    # the API: filter, facet, tags on hits
    body = api.get("/api/v1/search?tag=待付款", headers=tokens["finance"]).get_json()
    assert body["total"] == 2 and body["facets"]["tag"] == {"待付款": 2}
    assert all(h["tags"] == ["待付款"] for h in body["hits"])
    everything = api.get("/api/v1/search", headers=tokens["finance"]).get_json()
    assert everything["facets"]["tag"] == {"待付款": 2}
    # remove from one period only
    client.post("/finance/tags/bulk", data={"period": "2026-10", "tag_name": "待付款",
                                            "action": "remove"})  # fmt: skip
    body = api.get("/api/v1/search?tag=待付款", headers=tokens["finance"]).get_json()
    assert [h["id"] for h in body["hits"]] == [a]
    # reviewers may look but not tag; a bad colour is refused in words
    assert as_role("reviewer").post(
        "/finance/tags/bulk", data={"tag_name": "x", "action": "add"}
    ).status_code in (302, 403)
    html = client.post("/finance/tags/bulk", data={"tag_name": "y", "color": "red", "action":
                       "add"}, follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "a colour is written like #3366cc, not red" in html


def test_tag_markup_is_escaped(as_role):
    doc("C001", "2026-09", "100.00")
    client = as_role("finance")
    client.post("/finance/tags/bulk", data={"tag_name": "<b>x</b>", "action": "add"})
    html = client.get("/search").get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_rules_tag_statements_on_arrival(data_dir):
    add_customer("C001", "上海华东贸易有限公司")
    with db.session() as s:
        tags.add_rule(s, "大额", amount_min="50,000", by="test")
        tags.add_rule(s, "华东", customer="C001", words="应付金额 对账单", by="test")
        tags.add_rule(s, "别的客户", customer="C999", by="test")
        tags.add_rule(s, "小额", amount_max="100", by="test")
    with db.session() as s:
        new, _ = documents.register(s, config.load(), statement_pdf(), "s.pdf", source="cli")
        doc_id = new.id
    assert processing.process(doc_id) in ("accepted", "needs_review")
    with db.session() as s:
        got = sorted(t.name for t in tags.all_tags(s) if s.get(DocumentTag, (doc_id, t.id)))
    assert got == ["华东", "大额"]
    from index.base import SearchQuery
    from index.service import run_search

    assert [h.id for h in run_search(SearchQuery(tag="大额"), None).hits] == [doc_id]


def test_rule_errors_are_words():
    from decimal import Decimal

    rule = tags.TagRule(customer=None, amount_min="10", amount_max=None, words="Freight")
    assert tags.matches(rule, "C1", Decimal("10"), "freight charges")
    assert not tags.matches(rule, "C1", None, "freight charges")
    assert not tags.matches(rule, "C1", Decimal("11"), "nothing")


def test_add_rule_refuses_bad_input(as_role):
    client = as_role("finance")
    client.post("/language", data={"locale": "zh"})
    html = client.post(
        "/finance/tags/rules",
        data={"tag_name": "t", "amount_min": "500", "amount_max": "100"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "最小金额 500 大于最大金额 100" in html
    html = client.post("/finance/tags/rules", data={"tag_name": "t"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "规则至少需要客户、金额范围或词语之一" in html
    client.post("/finance/tags/rules", data={"tag_name": "t", "words": "运费"})
    assert "运费" in client.get("/finance/tags").get_data(as_text=True)


def test_saved_searches_and_the_finance_home(as_role):
    doc("C001", "2026-09", "100.00")
    doc("C002", "2026-10", "300.00")
    client = as_role("finance")
    client.post("/language", data={"locale": "en"})
    resp = client.post("/finance/searches", data={"search_name": "华东 all", "customer": "C001",
                                                  "page": "3"})  # fmt: skip
    assert resp.status_code == 302
    with db.session() as s:
        [row] = s.query(SavedSearch).all()
        assert row.args == {"customer": "C001"}
    html = client.get("/finance/").get_data(as_text=True)
    assert "华东 all" in html and "/search?customer=C001" in html
    assert '<td class="num">1</td>' in html
    assert "Missing statements" in html and "Review backlog" in html
    other = as_role("reviewer").get("/finance/").get_data(as_text=True)
    assert "华东 all" not in other  # one's own saved searches only
    assert as_role("reviewer").post(f"/finance/searches/{row.id}/delete").status_code == 404
    client.post(f"/finance/searches/{row.id}/delete")
    with db.session() as s:
        assert s.query(SavedSearch).count() == 0


def test_search_page_words_one_statement_and_an_upside_down_amount_range(as_role):
    doc("C001", "2026-09", "100.00")
    client = as_role("finance")
    client.post("/language", data={"locale": "en"})
    html = client.get("/search?customer=C001").get_data(as_text=True)
    assert "<strong>1</strong> statement found" in html
    resp = client.get("/search?amount_min=500&amount_max=100")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Amount from 500 is above amount to 100, so nothing can match: swap them." in html


def test_amounts_carry_the_statements_currency(as_role):
    from web.money import money

    assert money("-8067.55", "CNY") == "-¥8,067.55"
    assert money("1200", "USD") == "US$1,200.00"
    assert money("15", None) == "¥15.00"  # the house currency
    doc_id = make_document(
        {"customer_code": ("C009", 1.0), "period": ("2026-09", 1.0),
         "amount_due": ("-8067.55", 1.0), "currency": ("USD", 1.0)},
        lines=[*STATEMENT, "Currency USD"],
    )  # fmt: skip
    client = as_role("finance")
    html = client.get("/search?customer=C009").get_data(as_text=True)
    assert "-US$8,067.55" in html and "¥-8,067.55" not in html
    assert "-US$8,067.55" in client.get(f"/documents/{doc_id}").get_data(as_text=True)
