"""One contract, every search backend: same documents, same queries, same answers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from index.base import PlacedAmount, SearchDoc, SearchQuery

D = Decimal

DOCS = [
    SearchDoc(1, "a.pdf", "accepted", "C001", "上海华东贸易有限公司", "2026-09", "ST-1",
              dt.date(2026, 9, 30), D("12345.67"), D("12345.67"), "CNY", "cli",
              "对账单 上海华东贸易有限公司 期末余额 12,345.67 钢材 货款"),
    SearchDoc(2, "b.pdf", "accepted", "C001", "上海华东贸易有限公司", "2026-10", "ST-2",
              dt.date(2026, 10, 31), D("80509.61"), D("80509.61"), "CNY", "cli",
              "对账单 上海华东贸易有限公司 应付金额 80,509.61 电缆 货款"),
    SearchDoc(3, "c.png", "needs_review", "C002", "北京远航物流有限公司", "2026-10", "ST-3",
              None, D("-120.00"), D("-120.00"), "CNY", "upload",
              "北京远航物流有限公司 运输费 贷方余额 -120.00"),
    SearchDoc(4, "d.pdf", "accepted", "C003", "Northwind Trading Ltd.", "2026-08", "NW-8",
              dt.date(2026, 8, 31), D("999.00"), D("999.00"), "CNY", "mail",
              "Statement of account Northwind Trading Ltd. freight charges amount due 999.00 "
              "MR，D.I.Y，SDN BHD UNIHAKKAINTERNATIONAL"),
    SearchDoc(5, "e.pdf", "accepted", "C003", "Northwind Trading Ltd.", "2026-10", "NW-10",
              dt.date(2026, 10, 31), D("100000.00"), D("100000.00"), "CNY", "mail",
              "Statement of account Northwind Trading Ltd. steel cable 钢材 amount due 100,000.00 "
              "unit AB12"),
    SearchDoc(6, "f.tiff", "failed", None, None, None, None, None, None, None, None, "cli", ""),
    SearchDoc(7, "g.pdf", "needs_review", "C002", "北京远航物流有限公司", "2026-11", "ST-7",
              None, None, D("5000.50"), "CNY", "cli",
              "北京远航物流有限公司 期末余额 5,000.50 仓储费"),
]

TAGS = {1: ("urgent",), 2: ("q4", "urgent"), 5: ("q4",)}


# Amounts beyond the two summary fields: other summary fields and line items, with their place.
DOCS[0].amounts = [
    PlacedAmount("summary", D("10000.00"), "opening_balance", page=1),
    PlacedAmount("line", D("3452.49"), "debit", 4, 1),
    PlacedAmount("line", D("13452.49"), "balance", 4, 1),
]
DOCS[1].confirmation = "confirmed"
DOCS[2].confirmation, DOCS[2].dispute = "disputed", "investigating"
DOCS[6].confirmation, DOCS[6].dispute = "disputed", "open"
DOCS[4].amounts = [
    PlacedAmount("line", D("999.00"), "credit", 2, 1),
    PlacedAmount("line", D("99001.00"), "balance", 2, 2),
    PlacedAmount("page", D("12.80"), page=2),
]
# an amount printed on the page outside the summary and the lines (a receipt's total)
DOCS[3].amounts = [PlacedAmount("page", D("45.50"), page=1)]


@pytest.fixture(params=["sqlite", pytest.param("elastic", marks=pytest.mark.slow)])
def index(request, tmp_path):
    if request.param == "sqlite":
        from index.sqlite import SqliteBackend

        backend = SqliteBackend(tmp_path / "search.sqlite3")
    else:
        from index.elastic import ElasticBackend

        url = request.getfixturevalue("elasticsearch_url")
        backend = ElasticBackend.from_url(url, None, None, None)
        backend.index_prefix = f"contract-{tmp_path.name[-20:].lower()}"
    backend.rebuild([dataclasses.replace(d, tags=TAGS.get(d.id, ())) for d in DOCS])
    yield backend
    backend.close()


def ids(result) -> list[int]:
    return sorted(h.id for h in result.hits)


CASES = [
    ("chinese word", SearchQuery(text="货款"), [1, 2]),
    ("chinese two chars inside a name", SearchQuery(text="华东"), [1, 2]),
    ("chinese longer phrase", SearchQuery(text="远航物流"), [3, 7]),
    ("chinese not adjacent is no match", SearchQuery(text="华物"), []),
    ("english word", SearchQuery(text="freight"), [4]),
    ("english case-insensitive", SearchQuery(text="NORTHWIND"), [4, 5]),
    ("two words AND", SearchQuery(text="steel 钢材"), [5]),
    ("mixed script word", SearchQuery(text="钢材"), [1, 5]),
    ("exact amount", SearchQuery(amount=D("80509.61")), [2]),
    ("exact amount not a prefix", SearchQuery(amount=D("80509.6")), []),
    ("negative amount", SearchQuery(amount=D("-120")), [3]),
    ("closing balance when no amount due", SearchQuery(amount=D("5000.50")), [7]),
    ("amount range", SearchQuery(amount_min=D("999"), amount_max=D("80509.61")),
     [1, 2, 4, 5, 7]),
    ("amount range in summaries", SearchQuery(amount_min=D("999"), amount_max=D("80509.61"),
                                              amount_in="summary"), [1, 2, 4, 7]),
    ("amount range in lines", SearchQuery(amount_min=D("3000"), amount_max=D("14000"),
                                          amount_in="lines"), [1]),
    ("a line's amount", SearchQuery(amount=D("3452.49")), [1]),
    ("a line's amount is no summary", SearchQuery(amount=D("3452.49"), amount_in="summary"), []),
    ("an amount in both places", SearchQuery(amount=D("999")), [4, 5]),
    ("an amount in lines only", SearchQuery(amount=D("999"), amount_in="lines"), [5]),
    ("another summary field", SearchQuery(amount=D("10000"), amount_in="summary"), [1]),
    ("a page amount", SearchQuery(amount=D("45.5")), [4]),
    ("a page amount is no summary", SearchQuery(amount=D("45.50"), amount_in="summary"), []),
    ("a page amount is no line", SearchQuery(amount=D("45.50"), amount_in="lines"), []),
    ("page amounts only", SearchQuery(amount_min=D("10"), amount_max=D("1000"),
                                      amount_in="page"), [4, 5]),
    ("no summary or line on the page", SearchQuery(amount=D("999"), amount_in="page"), []),
    ("page amount with words", SearchQuery(text="steel", amount=D("12.80")), [5]),
    ("one amount passes both bounds", SearchQuery(amount_min=D("99000"), amount_max=D("99500")),
     [5]),
    ("amount with words", SearchQuery(text="钢材", amount=D("999")), [5]),
    ("amount min only", SearchQuery(amount_min=D("50000")), [2, 5]),
    ("amount max only", SearchQuery(amount_max=D("0")), [3]),
    ("negative amount range", SearchQuery(amount_min=D("-200"), amount_max=D("-100")), [3]),
    ("a wide range ending on amounts", SearchQuery(amount_min=D("3452.49"),
                                                   amount_max=D("5000.50")), [1, 7]),
    ("a wide range ending a cent past them", SearchQuery(amount_min=D("3452.50"),
                                                         amount_max=D("5000.49")), []),
    ("exact amount within the range", SearchQuery(amount=D("80509.61"), amount_min=D("80000")),
     [2]),
    ("exact amount outside the range", SearchQuery(amount=D("80509.61"), amount_max=D("80000")),
     []),
    ("customer", SearchQuery(customer="C002"), [3, 7]),
    ("period range", SearchQuery(period_from="2026-09", period_to="2026-10"), [1, 2, 3, 5]),
    ("one period", SearchQuery(period_from="2026-10", period_to="2026-10"), [2, 3, 5]),
    ("status", SearchQuery(status="needs_review"), [3, 7]),
    ("failed documents are listed", SearchQuery(status="failed"), [6]),
    ("source", SearchQuery(source="mail"), [4, 5]),
    ("combination", SearchQuery(text="对账单", customer="C001", amount_min=D("20000")), [2]),
    ("statement number", SearchQuery(text="NW-10"), [5]),
    ("a part of a joined word", SearchQuery(text="sdn"), [4]),
    ("a hyphenated reference is kept whole", SearchQuery(text="nw"), []),
    ("words OCR ran together", SearchQuery(text="mr d.i.y"), [4]),
    ("a joined word as printed", SearchQuery(text="MR,D.I.Y,SDN"), [4]),
    ("a joined word's parts in another order", SearchQuery(text="y.i.d"), []),
    ("two words OCR ran together", SearchQuery(text="unihakka international"), [4]),
    ("words ran together beside another word",
     SearchQuery(text="freight Unihakka International"), [4]),
    ("words ran together, typed in another order",
     SearchQuery(text="international unihakka"), []),
    ("a word still needs every other word", SearchQuery(text="unihakka international steel"),
     []),
    ("a number is not run into a word", SearchQuery(text="ab 12"), []),
    ("a number is kept whole", SearchQuery(text="345"), []),
    ("a number as printed", SearchQuery(text="12,345.67"), [1]),
    ("customer code as text", SearchQuery(text="C003", period_from="2026-10"), [5]),
    ("nothing", SearchQuery(text="不存在的词"), []),
    ("confirmed by the customer", SearchQuery(confirmation="confirmed"), [2]),
    ("disputed", SearchQuery(confirmation="disputed"), [3, 7]),
    ("dispute status", SearchQuery(dispute="open", text="远航"), [7]),
    ("everything", SearchQuery(), [1, 2, 3, 4, 5, 6, 7]),
]


@pytest.mark.parametrize("query,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_queries(index, query, expected):
    result = index.search(query)
    assert ids(result) == expected
    assert result.total == len(expected)


def test_hits_say_which_amounts_matched(index):
    [hit] = index.search(SearchQuery(amount=D("3452.49"))).hits
    assert [m.to_json() for m in hit.matched] == [
        {"where": "line", "line": 4, "amount": "3452.49"}
    ]
    assert hit.matched[0].page == 1
    hits = index.search(SearchQuery(amount=D("999"), sort="id")).hits
    matched = {h.id: [m.to_json() for m in h.matched] for h in hits}
    assert matched == {
        4: [{"where": "summary", "field": "amount_due", "amount": "999.00"},
            {"where": "summary", "field": "closing_balance", "amount": "999.00"}],
        5: [{"where": "line", "line": 2, "amount": "999.00"}],
    }
    words = index.search(SearchQuery(text="钢材", amount_min=D("10000"), amount_in="lines"))
    assert sorted((h.id, [m.amount for m in h.matched]) for h in words.hits) == [
        (1, [D("13452.49")]), (5, [D("99001.00")])
    ]
    assert index.search(SearchQuery(text="钢材")).hits[0].matched == []


def test_page_amounts_say_their_page_and_come_last(index):
    [hit] = index.search(SearchQuery(amount=D("45.50"))).hits
    assert [m.to_json() for m in hit.matched] == [{"where": "page", "page": 1, "amount": "45.50"}]
    hits = index.search(SearchQuery(amount_min=D("12"), amount_max=D("1000"), sort="id")).hits
    matched = {h.id: [m.to_json() for m in h.matched] for h in hits}
    assert matched == {
        4: [{"where": "summary", "field": "amount_due", "amount": "999.00"},
            {"where": "summary", "field": "closing_balance", "amount": "999.00"},
            {"where": "page", "page": 1, "amount": "45.50"}],
        5: [{"where": "line", "line": 2, "amount": "999.00"},
            {"where": "page", "page": 2, "amount": "12.80"}],
    }


def test_facets_count_the_filtered_set(index):
    result = index.search(SearchQuery(period_from="2026-10", period_to="2026-11"))
    assert result.facets["customer"] == {"C001": 1, "C002": 2, "C003": 1}
    assert result.facets["period"] == {"2026-10": 3, "2026-11": 1}
    assert result.facets["status"] == {"accepted": 2, "needs_review": 2}
    assert result.facets["source"] == {"cli": 2, "upload": 1, "mail": 1}


def test_confirmation_and_dispute_facets(index):
    result = index.search(SearchQuery(period_from="2026-10", period_to="2026-11"))
    assert result.facets["confirmation"] == {"confirmed": 1, "disputed": 2}
    assert result.facets["dispute"] == {"investigating": 1, "open": 1}
    words = index.search(SearchQuery(text="有限公司", confirmation="disputed"))
    assert words.facets["dispute"] == {"investigating": 1, "open": 1}


def test_facets_with_text(index):
    result = index.search(SearchQuery(text="有限公司"))
    assert result.facets["customer"] == {"C001": 2, "C002": 2}
    assert result.facets["status"] == {"accepted": 2, "needs_review": 2}


def test_hits_carry_fields_and_marked_snippet(index):
    [hit] = index.search(SearchQuery(text="电缆")).hits
    assert (hit.id, hit.file, hit.customer_code, hit.period) == (2, "b.pdf", "C001", "2026-10")
    assert hit.amount_due == D("80509.61")
    assert hit.status == "accepted"
    assert "<mark>电缆</mark>" in hit.snippet


def test_sort_and_pages(index):
    q = SearchQuery(sort="-amount", limit=2)
    assert [h.id for h in index.search(q).hits] == [5, 2]
    q = SearchQuery(sort="-amount", limit=2, offset=2)
    result = index.search(q)
    assert [h.id for h in result.hits] == [1, 7]
    assert result.total == 7


def test_sorting_matches_of_words(index):
    by_amount = index.search(SearchQuery(text="有限公司", sort="-amount"))
    assert [h.id for h in by_amount.hits] == [2, 1, 7, 3]
    by_period = index.search(SearchQuery(text="有限公司", sort="period"))
    assert [h.id for h in by_period.hits] == [1, 3, 2, 7]  # equal periods: newest first
    page = index.search(SearchQuery(text="有限公司", sort="-amount", limit=2, offset=1))
    assert [h.id for h in page.hits] == [1, 7] and page.total == 4


def test_upsert_replaces_and_delete_removes(index):
    changed = SearchDoc(4, "d.pdf", "accepted", "C001", "上海华东贸易有限公司", "2026-08", "NW-8",
                        None, D("1.00"), None, "CNY", "mail", "corrected 更正")
    index.upsert([changed])
    if hasattr(index, "refresh"):
        index.refresh()
    assert ids(index.search(SearchQuery(text="freight"))) == []
    assert ids(index.search(SearchQuery(text="更正", customer="C001"))) == [4]
    assert ids(index.search(SearchQuery(amount_min=D("900"), amount_max=D("1000")))) == [5]
    assert ids(index.search(SearchQuery(amount_min=D("0.50"), amount_max=D("20")))) == [4, 5]
    index.delete([4])
    if hasattr(index, "refresh"):
        index.refresh()
    assert ids(index.search(SearchQuery(text="更正"))) == []
    assert ids(index.search(SearchQuery(amount_min=D("0.50"), amount_max=D("20")))) == [5]
    assert index.search(SearchQuery()).total == 6


def test_query_syntax_is_not_interpreted(index):
    for text in ['"', "AND OR NOT", "a*", "(", "-", "NEAR(x y)", "{}[]:^"]:
        index.search(SearchQuery(text=text))  # no error


# -- per-customer access: hidden customers are left out of hits, totals and facets ----------

HIDE_C002 = frozenset({"C002"})


def test_hidden_customer_is_left_out_without_words(index):
    result = index.search(SearchQuery(hidden_customers=HIDE_C002))
    assert ids(result) == [1, 2, 4, 5, 6]  # 6 has no customer: never restricted
    assert result.total == 5
    assert result.facets["customer"] == {"C001": 2, "C003": 2}
    assert result.facets["status"] == {"accepted": 4, "failed": 1}
    assert result.facets["period"] == {"2026-08": 1, "2026-09": 1, "2026-10": 2}
    assert result.facets["source"] == {"cli": 3, "mail": 2}


def test_hidden_customer_is_left_out_of_word_matches(index):
    result = index.search(SearchQuery(text="有限公司", hidden_customers=HIDE_C002))
    assert ids(result) == [1, 2] and result.total == 2
    assert result.facets["customer"] == {"C001": 2}
    assert result.facets["status"] == {"accepted": 2}
    for q in (SearchQuery(text="远航物流"), SearchQuery(amount=D("5000.50"))):
        q.hidden_customers = HIDE_C002
        assert index.search(q).total == 0


def test_asking_for_a_hidden_customer_finds_nothing(index):
    for text in ("", "运输费"):
        q = SearchQuery(text=text, customer="C002", hidden_customers=HIDE_C002)
        result = index.search(q)
        assert (result.total, result.hits, result.facets["customer"]) == (0, [], {})


def test_hidden_customers_and_sorted_pages(index):
    hidden = frozenset({"C001", "C003"})
    q = SearchQuery(sort="-amount", limit=2, hidden_customers=hidden)
    assert [h.id for h in index.search(q).hits] == [7, 3]
    q = SearchQuery(sort="-amount", limit=2, offset=2, hidden_customers=hidden)
    result = index.search(q)
    assert [h.id for h in result.hits] == [6] and result.total == 3
    q = SearchQuery(text="钢材", sort="-amount", hidden_customers=frozenset({"C001"}))
    assert [h.id for h in index.search(q).hits] == [5]
    everyone = frozenset({"C001", "C002", "C003", "C999"})
    assert ids(index.search(SearchQuery(hidden_customers=everyone))) == [6]


def test_tags_filter_with_and_without_words(index):
    assert ids(index.search(SearchQuery(tag="urgent"))) == [1, 2]
    assert ids(index.search(SearchQuery(text="钢材", tag="q4"))) == [5]
    assert ids(index.search(SearchQuery(text="钢材", tag="urgent"))) == [1]
    assert index.search(SearchQuery(tag="no such tag")).total == 0
    hidden = SearchQuery(tag="q4", hidden_customers=frozenset({"C003"}))
    assert ids(index.search(hidden)) == [2]


def test_tag_facet_counts_the_filtered_set(index):
    result = index.search(SearchQuery(period_from="2026-10", period_to="2026-11"))
    assert result.facets["tag"] == {"q4": 2, "urgent": 1}
    result = index.search(SearchQuery(text="有限公司"))
    assert result.facets["tag"] == {"q4": 1, "urgent": 2}
    assert index.search(SearchQuery(tag="urgent", text="电缆")).facets["tag"] == {
        "q4": 1, "urgent": 1
    }


def test_hits_carry_tags_and_upsert_replaces_them(index):
    [hit] = index.search(SearchQuery(text="电缆")).hits
    assert hit.tags == ["q4", "urgent"]
    index.upsert([dataclasses.replace(DOCS[1], tags=("paid",))])
    assert ids(index.search(SearchQuery(tag="urgent"))) == [1]
    assert index.search(SearchQuery(text="电缆")).hits[0].tags == ["paid"]
    assert index.search(SearchQuery()).facets["tag"] == {"paid": 1, "q4": 1, "urgent": 1}
