"""What only the Elasticsearch backend has: mapping, versioned indices behind an alias, bulk
loading, exact cents, failures. The shared behaviour is in test_search_contract.py."""

from __future__ import annotations

import base64
import datetime as dt
import socket
import threading
import uuid
from decimal import Decimal

import pytest

from index.base import IndexUnavailable, SearchDoc, SearchQuery
from index.elastic import ElasticBackend, build_search_body, fold, search_terms
from tests.elastic_node import elasticsearch_url  # noqa: F401

D = Decimal


def doc(i: int, **kw) -> SearchDoc:
    base = {
        "id": i,
        "file": f"{i}.pdf",
        "status": "accepted",
        "customer_code": f"C{i % 7:03d}",
        "period": f"2026-{i % 12 + 1:02d}",
        "amount_due": D(i) + D("0.01"),
        "text": f"statement {i} 对账单",
        "created": dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i),
    }
    base.update(kw)
    return SearchDoc(**base)


@pytest.fixture
def es(elasticsearch_url):  # noqa: F811 - the imported fixture
    backend = ElasticBackend.from_url(elasticsearch_url, index_prefix=f"t-{uuid.uuid4().hex[:12]}")
    yield backend
    backend.client.indices.delete(index=f"{backend.index_prefix}-v*", ignore_unavailable=True)
    backend.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- without a node ---------------------------------------------------------------------------


def test_from_url_takes_credentials_out_of_the_url():
    def auth(b: ElasticBackend) -> bytes:
        return base64.b64decode(b.client._headers["authorization"].split()[1])

    b = ElasticBackend.from_url("https://elastic:p%40ss@search.example:9243", None, None, None)
    assert (b.url, auth(b)) == ("https://search.example:9243", b"elastic:p@ss")
    b.close()
    b = ElasticBackend.from_url("http://u:p@localhost:9200", "other", "secret", None)
    assert (b.url, auth(b)) == ("http://localhost:9200", b"other:secret")
    b.close()
    b = ElasticBackend.from_url("http://localhost:9200", None, None, None)
    assert "authorization" not in b.client._headers
    b.close()
    with pytest.raises(ValueError):
        ElasticBackend.from_url("sqlite:///x.db")


def test_from_url_takes_several_nodes_of_one_cluster():
    b = ElasticBackend.from_url("http://u:p%40ss@es1:9200, http://es2:9200,http://[::1]:9201")
    assert b.url == "http://es1:9200,http://es2:9200,http://[::1]:9201"
    hosts = sorted(f"{n.config.host}:{n.config.port}" for n in b.client.transport.node_pool.all())
    assert hosts == ["::1:9201", "es1:9200", "es2:9200"]
    assert base64.b64decode(b.client._headers["authorization"].split()[1]) == b"u:p@ss"
    b.close()
    for bad in ("http://es1:9200,ftp://es2", " , "):
        with pytest.raises(ValueError):
            ElasticBackend.from_url(bad)


def test_query_body_has_one_phrase_per_query_word():
    body = build_search_body(SearchQuery(text="上海贸易 Café", customer="C1", sort="-amount"))
    must = body["query"]["bool"]["must"]
    assert must == [
        {"match_phrase": {"text_cjk": {"query": "上海 海贸 贸易"}}},
        {"match_phrase": {"text_cjk": {"query": "cafe"}}},
    ]
    assert body["sort"][0] == {"amount_cents": {"order": "desc", "missing": "_last"}}
    assert body["track_total_hits"] is True
    # relevance, newest first among equals; without words all are equal: newest first
    assert build_search_body(SearchQuery(text="Café"))["sort"] == [
        {"_score": {"order": "desc"}}, {"id": {"order": "desc"}}
    ]
    assert build_search_body(SearchQuery(customer="C1"))["sort"] == [{"id": {"order": "desc"}}]
    # a word joined by dots: itself, or its parts in a row (OCR loses spaces after dots)
    [joined] = build_search_body(SearchQuery(text="D.I.Y"))["query"]["bool"]["must"]
    assert joined == {
        "bool": {
            "should": [
                {"match_phrase": {"text_cjk": {"query": "d.i.y"}}},
                {"match_phrase": {"text_cjk": {"query": "d i y"}}},
            ],
            "minimum_should_match": 1,
        }
    }


def test_search_terms_cover_the_same_fields_as_sqlite():
    d = doc(1, customer_name="上海华东贸易", statement_no="NW-10", text="Café ÉTÉ")
    assert search_terms(d).split() == [
        "cafe", "ete", "上海", "海华", "华东", "东贸", "贸易", "c001", "nw-10", "1.pdf", "1", "pdf",
    ]  # fmt: skip
    assert fold("日本語 ガス") == "日本語 ガス"  # only Latin letters lose their marks


@pytest.mark.parametrize("call", ["search", "upsert", "delete", "rebuild"])
def test_unreachable_node_raises_index_unavailable(call):
    b = ElasticBackend(f"http://127.0.0.1:{closed_port()}", request_timeout=2)
    args = {
        "search": (SearchQuery(text="x"),),
        "upsert": ([doc(1)],),
        "delete": ([1],),
        "rebuild": ([doc(1)],),
    }[call]
    with pytest.raises(IndexUnavailable, match="ConnectionError|Connection refused"):
        getattr(b, call)(*args)
    b.close()


# -- against a node ---------------------------------------------------------------------------


@pytest.mark.slow
def test_mapping_and_alias(es):
    es.ensure_index()
    [name] = es.alias_targets()
    assert name.startswith(f"{es.index_prefix}-v")
    props = es.client.indices.get_mapping(index=es.index_prefix)[name]["mappings"]["properties"]
    assert props["text_cjk"] == {"type": "text", "analyzer": "whitespace"}
    assert props["text"]["analyzer"] == "standard"
    for field in ("customer_code", "status", "source", "currency", "period"):
        assert props[field]["type"] == "keyword"
    for field in ("amount_cents", "amount_due_cents", "closing_cents"):
        assert props[field]["type"] == "long"
    assert props["period_month"] == {"type": "date", "format": "yyyy-MM"}
    assert props["customer_name"]["fields"]["keyword"]["type"] == "keyword"
    es.ensure_index()  # idempotent
    assert es.alias_targets() == [name]


@pytest.mark.slow
def test_search_before_any_index_is_empty(es):
    result = es.search(SearchQuery(text="anything"))
    assert (result.total, result.hits) == (0, [])
    assert result.facets == {
        "customer": {},
        "period": {},
        "status": {},
        "source": {},
        "tag": {},
        "confirmation": {},
        "dispute": {},
    }


@pytest.mark.slow
def test_chinese_two_character_word(es):
    es.upsert(
        [
            doc(1, text="客户名称：上海某某贸易有限公司\n期末余额 12,345.67"),
            doc(2, text="北京远航物流有限公司 运输费"),
        ]
    )
    assert [h.id for h in es.search(SearchQuery(text="贸易")).hits] == [1]
    assert [h.id for h in es.search(SearchQuery(text="有限公司")).hits] == [2, 1]
    assert es.search(SearchQuery(text="海上")).total == 0  # same characters, wrong order
    [hit] = es.search(SearchQuery(text="物流")).hits
    assert "<mark>物流</mark>" in hit.snippet


@pytest.mark.slow
def test_exact_amounts_in_cents(es):
    big = D("90071992547409.93")  # 2**53 + 1 cents: a float would lose the last cent
    es.upsert(
        [
            doc(1, amount_due=D("0.10"), closing_balance=D("9.99")),
            doc(2, amount_due=D("0.20")),
            doc(3, amount_due=None, closing_balance=D("0.30")),
            doc(4, amount_due=big),
            doc(5, amount_due=big + D("0.01")),
            doc(6, amount_due=None, closing_balance=None),
        ]
    )
    search = es.search

    assert [h.id for h in search(SearchQuery(amount=D("0.3"))).hits] == [3]
    assert [h.id for h in search(SearchQuery(amount=big)).hits] == [4]
    assert [h.id for h in search(SearchQuery(amount_min=big)).hits] == [5, 4]
    q = SearchQuery(amount_min=D("0.10"), amount_max=D("0.30"), sort="amount")
    assert [h.id for h in search(q).hits] == [1, 2, 3]
    hits = {h.id: h for h in search(SearchQuery(sort="-amount")).hits}
    assert hits[4].amount_due == big
    assert hits[3].amount_due == D("0.30")  # amount due, else the closing balance
    assert hits[6].amount_due is None
    assert [h.id for h in search(SearchQuery(sort="-amount")).hits] == [5, 4, 3, 2, 1, 6]
    stored = es.client.get(index=es.index_prefix, id="4")["_source"]
    assert stored["amount_cents"] == 9007199254740993
    assert stored["amount_due"] == "90071992547409.93"


@pytest.mark.slow
def test_bulk_upsert_of_thousands(es):
    n = 3500  # several bulk chunks
    es.upsert(doc(i) for i in range(1, n + 1))
    result = es.search(SearchQuery(text="对账单", limit=5))
    assert result.total == n
    assert sum(result.facets["customer"].values()) == n
    assert len(result.facets["period"]) == 12
    assert [h.id for h in result.hits] == [3500, 3499, 3498, 3497, 3496]
    assert es.search(SearchQuery(text="statement 1234")).total == 1
    es.delete(range(1, 501))
    assert es.search(SearchQuery()).total == n - 500


@pytest.mark.slow
def test_rejected_documents_raise_with_the_reason(es):
    es.ensure_index()
    [name] = es.alias_targets()
    es.client.indices.put_settings(index=name, settings={"index.blocks.write": True})
    try:
        with pytest.raises(IndexUnavailable, match="cluster_block_exception|blocked"):
            es.upsert([doc(1)])
    finally:
        es.client.indices.put_settings(index=name, settings={"index.blocks.write": False})


def test_shards_of_a_new_index_and_searches_over_them(es):
    """STMT_SEARCH_SHARDS: the index the backend creates, empty or rebuilt, has that many
    primary shards, and searches count over all of them."""
    sharded = ElasticBackend(es.url, index_prefix=es.index_prefix, shards=3)

    def shards() -> str:
        [name] = es.alias_targets()
        settings = es.client.indices.get_settings(index=name)[name]["settings"]
        return settings["index"]["number_of_shards"]

    sharded.ensure_index()
    assert shards() == "3"
    sharded.rebuild(doc(i) for i in range(1, 61))
    assert shards() == "3"
    result = sharded.search(SearchQuery(text="对账单", limit=5))
    assert result.total == 60 and sum(result.facets["customer"].values()) == 60
    sharded.close()


@pytest.mark.slow
def test_rebuild_swaps_alias_while_searches_keep_answering(es):
    es.rebuild(doc(i, text="old 旧版") for i in range(1, 301))
    [first] = es.alias_targets()
    totals: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def search_meanwhile() -> None:
        reader = ElasticBackend(es.url, index_prefix=es.index_prefix)
        try:
            while not stop.is_set():
                try:
                    totals.append(reader.search(SearchQuery()).total)
                except Exception as exc:  # collected: the test fails on any
                    errors.append(exc)
        finally:
            reader.close()

    thread = threading.Thread(target=search_meanwhile)
    thread.start()
    try:
        assert es.rebuild(doc(i, text="new 新版") for i in range(1, 2501)) == 2500
    finally:
        stop.set()
        thread.join()

    assert errors == []
    assert totals and set(totals) <= {300, 2500}  # never empty, never half-loaded
    assert 300 in totals
    [second] = es.alias_targets()
    assert second != first
    assert not es.client.indices.exists(index=first)  # old version removed
    assert es.search(SearchQuery(text="旧版")).total == 0
    assert es.search(SearchQuery(text="新版")).total == 2500


@pytest.mark.slow
def test_failed_rebuild_keeps_the_live_index(es):
    es.rebuild([doc(1), doc(2)])
    [live] = es.alias_targets()

    def docs():
        yield doc(3)
        raise RuntimeError("archive went away")

    with pytest.raises(RuntimeError):
        es.rebuild(docs())
    assert es.alias_targets() == [live]
    assert es.search(SearchQuery()).total == 2
    leftovers = es.client.indices.get(index=f"{es.index_prefix}-v*")
    assert list(leftovers) == [live]


# -- first use from many processes ------------------------------------------------------------


def _first_write(url: str, prefix: str, i: int) -> None:
    backend = ElasticBackend.from_url(url, index_prefix=prefix)
    backend.upsert([doc(i)])
    backend.close()


def test_many_processes_on_an_empty_cluster_make_one_index(es, elasticsearch_url):  # noqa: F811
    """Workers starting together on a fresh cluster: one index, one write alias, no lost write."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # separate clients, as separate worker processes
    procs = [
        ctx.Process(target=_first_write, args=(elasticsearch_url, es.index_prefix, i))
        for i in range(1, 7)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 6
    assert es.alias_targets() == [es.first_index]
    es.refresh()
    assert es.search(SearchQuery(limit=50)).total == 6


def test_an_alias_over_several_indices_is_reported_and_reindex_mends_it(es):
    for name in ("a", "b"):
        es.client.indices.create(index=f"{es.index_prefix}-v{name}", aliases={es.alias: {}})
    with pytest.raises(IndexUnavailable, match="stmt reindex"):
        es.upsert([doc(1)])
    assert es.rebuild([doc(1), doc(2)]) == 2
    (only,) = es.alias_targets()
    info = es.client.indices.get_alias(name=es.alias).body[only]["aliases"][es.alias]
    assert info.get("is_write_index") is True
    es.upsert([doc(3)])  # writes go through again
    assert es.search(SearchQuery(limit=50)).total == 3


def test_a_write_never_creates_a_concrete_index_under_the_alias_name(es):
    es.ensure_index()
    es.client.indices.delete(index=es.first_index)
    with pytest.raises(IndexUnavailable):
        es.upsert([doc(1)])  # the alias is gone: refused, not auto-created as an index
    assert not es.client.indices.exists(index=es.alias)
