"""Elasticsearch search backend (chosen when STMT_SEARCH_URL is http:// or https://).

Works on a bare Elasticsearch without plugins: Chinese is matched through the CJK bigrams that
index.text computes (field `text_cjk`, built-in `whitespace` analyzer), so the query semantics
are those of the SQLite backend (index/sqlite.py): the same terms from the same fields, every
word of one reading of query_readings() must match, amounts compared as the same integer cents,
facets over the filtered set, the same sort order with missing values last and newest id first
on ties.

Documents live in versioned indices `<prefix>-v<UTC timestamp>` behind the alias `<prefix>`;
rebuild() loads a fresh index and swaps the alias in one update_aliases call, so searches keep
answering from the old index until the new one is complete.

STMT_SEARCH_URL may name several nodes of one cluster, comma-separated; the client spreads
requests over them and, when one is down or times out, retries the request on another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from elasticsearch import (
    ApiError,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
    TransportError,
    helpers,
)
from elasticsearch.helpers import BulkIndexError

from archive.models import utc_text
from extract.types import PERIOD
from index.base import (
    LINE,
    PAGE,
    SUMMARY,
    IndexUnavailable,
    PlacedAmount,
    SearchDoc,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from index.sqlite import cents
from index.text import index_terms, query_readings, snippet

BULK_CHUNK = 2500
BULK_RETRIES = 5  # per chunk, on 429 (queue full): waits 1, 2, 4, 8, 16 s
# rebuild(): two bulk requests of ~7 MB in flight, so the cluster indexes one while this
# process builds and serializes the next (on a small machine both sides cost about the same)
LOAD_CHUNK = 1000
LOAD_THREADS = 2
# a request that fails on one node (connection lost, timeout) is sent again to another node;
# with three nodes, one down and one slow still leave one to answer
MAX_RETRIES = 3
FACET_SIZE = 10_000  # terms buckets per facet; far above any real count of customers/periods
FACETS = {
    "customer": "customer_code",
    "period": "period",
    "status": "status",
    "source": "source",
    "tag": "tags",
    "confirmation": "confirmation",
    "dispute": "dispute",
}
SNIPPET_WIDTH = 120
MAX_TERMS = 65_536  # values in one terms query (index.max_terms_count); more go in several

_SORTS = {"period": "period", "amount": "amount_cents", "created": "created"}
_MARKS = re.compile(r"</mark>(\s*)<mark>")
_TAGS = re.compile(r"</?mark>")
# the fields whose terms are searchable, in the order the SQLite backend joins them
TERM_FIELDS = ("text", "customer_name", "customer_code", "statement_no", "file")

# Amounts as exact strings: keyword, not searchable, only kept for display.
_DECIMAL_TEXT = {"type": "keyword", "index": False, "doc_values": False}
_TEXT_AND_KEYWORD = {
    "type": "text",
    "analyzer": "standard",
    "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}},
}

PLACE_CENTS = {SUMMARY: "summary_cents", LINE: "line_cents", PAGE: "page_cents"}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    # the bigram terms are for matching only; the index is rebuilt from the archive, never
    # from its own _source, so they need not be stored
    "_source": {"excludes": ["text_cjk", *PLACE_CENTS.values()]},
    "properties": {
        "id": {"type": "long"},
        "file": _TEXT_AND_KEYWORD,
        "status": {"type": "keyword"},
        "customer_code": {"type": "keyword"},
        "customer_name": _TEXT_AND_KEYWORD,
        "statement_no": _TEXT_AND_KEYWORD,
        # keyword for facets and string range filters (same ordering as SQLite's TEXT compare);
        # the date twin and year/month serve calendar aggregations (customer -> year -> month)
        "period": {"type": "keyword"},
        "period_month": {"type": "date", "format": "yyyy-MM"},
        "year": {"type": "integer"},
        "month": {"type": "byte"},
        "statement_date": {"type": "date", "format": "strict_date"},
        # exact amounts as integer cents; the decimal strings are for display only
        "amount_due": _DECIMAL_TEXT,
        "closing_balance": _DECIMAL_TEXT,
        "amount_due_cents": {"type": "long"},
        "closing_cents": {"type": "long"},
        "amount_cents": {"type": "long"},  # amount due, else closing balance (SearchDoc.amount)
        "amount": _DECIMAL_TEXT,  # the same as a decimal string: what hits show
        "currency": {"type": "keyword"},
        "source": {"type": "keyword"},
        "confirmation": {"type": "keyword"},  # the customer's answer: confirmed | disputed
        "dispute": {"type": "keyword"},  # the latest dispute's status
        "text": {"type": "text", "analyzer": "standard"},
        # index_terms() of TERM_FIELDS: words as they are plus CJK bigrams, already normalized
        "text_cjk": {"type": "text", "analyzer": "whitespace"},
        "created": {"type": "date"},
        "tags": {"type": "keyword"},
        # every amount printed on the statement and where (SearchDoc.placed_amounts): kept
        # whole for telling a hit which amounts matched, searched through the cents fields below
        "amounts": {"type": "object", "enabled": False},
        # the same amounts as plain integer arrays, one per place. Flat fields, not nested
        # documents: a statement with 20 lines was 42 hidden Lucene documents, which made bulk
        # loading and every range search several times slower. A query compares one amount
        # against one value or one range, so one field per place answers it exactly.
        **{field: {"type": "long"} for field in PLACE_CENTS.values()},
    },
}

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    # no replica on a single node (green health), one as soon as a second node joins
    "auto_expand_replicas": "0-1",
}
# while rebuild() loads a new index: no refreshes, no fsync per bulk request and no replica
# (a failed load is thrown away); LIVE_SETTINGS restores them before the index goes live,
# and the replica is then copied from the finished primary, file by file
LOADING_SETTINGS: dict[str, Any] = {
    **SETTINGS,
    "auto_expand_replicas": False,
    "number_of_replicas": 0,
    "refresh_interval": "-1",
    "translog.durability": "async",
}
LIVE_SETTINGS: dict[str, Any] = {
    "auto_expand_replicas": SETTINGS["auto_expand_replicas"],
    "refresh_interval": None,
    "translog.durability": "request",
}


def fold(terms: str) -> str:
    """Strip diacritics from Latin letters, as FTS5 unicode61 remove_diacritics does."""
    if terms.isascii():
        return terms
    decomposed = unicodedata.normalize("NFD", terms)
    # most text has no combining mark at all: test each distinct character once rather
    # than walk every character in Python (this walk was most of the cost of a bulk load)
    if not any(unicodedata.combining(ch) for ch in set(decomposed)):
        return unicodedata.normalize("NFC", decomposed)
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue  # a mark on a Latin letter (CJK and kana keep theirs)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def search_terms(doc: SearchDoc) -> str:
    """What the phrases of a query are matched against (as the FTS5 column in SQLite)."""
    values = (getattr(doc, name) for name in TERM_FIELDS)
    return fold(" ".join(index_terms(v) for v in values if v))


def _decimal_text(amount: Decimal | None) -> str | None:
    return None if amount is None else format(amount, "f")


def _source(doc: SearchDoc) -> dict[str, Any]:
    """The indexed document; fields without a value are left out (to Elasticsearch a null is
    a missing field), which makes the bulk requests and the stored _source smaller."""
    period = doc.period
    year = month = None
    if period and PERIOD.match(period):
        year, month = int(period[:4]), int(period[5:])  # a misread period still gets indexed
    placed = doc.placed_amounts()
    source = {
        "id": doc.id,
        "file": doc.file,
        "status": doc.status,
        "customer_code": doc.customer_code,
        "customer_name": doc.customer_name,
        "statement_no": doc.statement_no,
        "period": period,
        "period_month": period if year else None,
        "year": year,
        "month": month,
        "statement_date": doc.statement_date.isoformat() if doc.statement_date else None,
        "amount_due": _decimal_text(doc.amount_due),
        "closing_balance": _decimal_text(doc.closing_balance),
        "amount": _decimal_text(doc.amount),
        "amount_due_cents": cents(doc.amount_due),
        "closing_cents": cents(doc.closing_balance),
        "amount_cents": cents(doc.amount),
        "currency": doc.currency,
        "source": doc.source,
        "confirmation": doc.confirmation,
        "dispute": doc.dispute,
        "text": doc.text,
        "text_cjk": search_terms(doc),
        "created": utc_text(doc.created, "auto") if doc.created else None,
        "tags": sorted(doc.tags),
        "amounts": [
            {
                "place": a.where,
                "field": a.field,
                "line": a.line,
                "page": a.page,
                "amount": format(a.amount, "f"),
            }
            for a in placed
        ],
        **{
            field: [cents(a.amount) for a in placed if a.where == place]
            for place, field in PLACE_CENTS.items()
        },
    }
    return {k: v for k, v in source.items() if v is not None}


def _phrase_text(phrase: list[str]) -> str:
    """The query word a phrase came from: CJK bigrams ["上海", "海贸"] -> "上海贸"."""
    if len(phrase) > 1 and all(len(t) == 2 for t in phrase):
        return phrase[0] + "".join(t[1] for t in phrase[1:])
    return " ".join(phrase)


def _filters(q: SearchQuery) -> list[dict[str, Any]]:
    # like the SQLite backend, any value that is not None filters (even "")
    out: list[dict[str, Any]] = []
    if q.customer is not None:
        out.append({"term": {"customer_code": q.customer}})
    if q.status is not None:
        out.append({"term": {"status": q.status}})
    if q.source is not None:
        out.append({"term": {"source": q.source}})
    if q.tag is not None:
        out.append({"term": {"tags": q.tag}})
    if q.confirmation is not None:
        out.append({"term": {"confirmation": q.confirmation}})
    if q.dispute is not None:
        out.append({"term": {"dispute": q.dispute}})
    period: dict[str, str] = {}
    if q.period_from is not None:
        period["gte"] = q.period_from
    if q.period_to is not None:
        period["lte"] = q.period_to
    if period:
        out.append({"range": {"period": period}})
    if q.by_amount:
        out.append(_amount_filter(q))
    if q.hidden_customers:  # documents without a customer_code match no terms: they stay
        codes = sorted(q.hidden_customers)
        out.append(
            {
                "bool": {
                    "must_not": [
                        {"terms": {"customer_code": codes[i : i + MAX_TERMS]}}
                        for i in range(0, len(codes), MAX_TERMS)
                    ]
                }
            }
        )
    return out


def _cents_bounds(q: SearchQuery) -> tuple[int | None, int | None]:
    """The amount filters as one range of cents, either end open; (1, 0) matches nothing.

    One amount must pass every amount filter (as in SQLite), so an exact amount is a range of
    one value, and an exact amount outside the range leaves no amount that passes both. Query
    amounts become cents exactly as the stored ones do (index.sqlite.cents).
    """
    low, high = cents(q.amount_min), cents(q.amount_max)
    if q.amount is not None:
        exact = cents(q.amount)
        if (low is not None and exact < low) or (high is not None and exact > high):
            return 1, 0
        low = high = exact
    return low, high


def _amount_filter(q: SearchQuery) -> dict[str, Any]:
    """Some amount printed where the query looks passes the amount filters."""
    low, high = _cents_bounds(q)
    should: list[dict[str, Any]] = []
    for place in q.places:
        field = PLACE_CENTS[place]
        if low is not None and low == high:
            should.append({"term": {field: low}})
        else:
            bounds = {k: v for k, v in (("gte", low), ("lte", high)) if v is not None}
            should.append({"range": {field: bounds}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _matched(src: dict[str, Any], q: SearchQuery) -> list[PlacedAmount]:
    """Which of a hit's amounts passed the amount filters, read from its stored amounts."""
    if not q.by_amount:
        return []
    low, high = _cents_bounds(q)
    out = []
    for a in src.get("amounts") or []:
        found = PlacedAmount(
            a["place"], Decimal(a["amount"]), a.get("field"), a.get("line"), a.get("page")
        )
        value = cents(found.amount)
        if (
            found.where in q.places
            and (low is None or value >= low)
            and (high is None or value <= high)
        ):
            out.append(found)
    return sorted(out, key=PlacedAmount.listed)


def _sort(sort: str, scored: bool = True) -> list[dict[str, Any]]:
    """Sort clauses: missing values last, ties newest id first; unknown keys mean relevance.
    Without words every match scores the same: newest first is then the id alone, and no
    match is scored."""
    tiebreak = {"id": {"order": "desc"}}
    field = _SORTS.get((sort or "").lstrip("-"))
    if field is None:
        return [{"_score": {"order": "desc"}}, tiebreak] if scored else [tiebreak]
    order = "desc" if sort.startswith("-") else "asc"
    return [{field: {"order": order, "missing": "_last"}}, tiebreak]


def _any_phrase(phrases: list[list[str]]) -> dict[str, Any]:
    """A query word: one phrase, or any of its phrases (a joined word or its parts)."""
    clauses = [{"match_phrase": {"text_cjk": {"query": fold(" ".join(p))}}} for p in phrases]
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _any_reading(readings: list[list[list[list[str]]]]) -> list[dict[str, Any]]:
    """The clauses that must all match: every word of the query, in any one of its readings
    (words as typed, or two run together as OCR may have read them)."""
    if len(readings) == 1:
        return [_any_phrase(word) for word in readings[0]]
    should = [{"bool": {"must": _any_reading([words])}} for words in readings]
    return [{"bool": {"should": should, "minimum_should_match": 1}}]


def build_search_body(q: SearchQuery) -> dict[str, Any]:
    """The search request for a query: phrases AND-ed on text_cjk, filters, facets, highlight."""
    readings = query_readings(q.text or "")
    must = _any_reading(readings) if readings else []
    phrases = [p for words in readings for word in words for p in word]
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": _filters(q)}},
        "sort": _sort(q.sort, scored=bool(must)),
        "from": q.offset,
        "size": q.limit,
        "track_total_hits": True,
        # a hit's amounts only when it must say which matched; the cents fields never
        "_source": {
            "excludes": ["text_cjk", *PLACE_CENTS.values(), *([] if q.by_amount else ["amounts"])]
        },
        "aggs": {
            name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in FACETS.items()
        },
    }
    if phrases:
        body["highlight"] = {
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {
                "text": {
                    "type": "unified",
                    "fragment_size": SNIPPET_WIDTH,
                    "number_of_fragments": 1,
                    "highlight_query": {
                        "bool": {
                            "should": [{"match_phrase": {"text": _phrase_text(p)}} for p in phrases]
                        }
                    },
                }
            },
        }
    return body


def _snippet(fragment: str, text: str) -> str:
    """A highlighted fragment shaped like index.text.snippet(): one line, … where cut."""
    # the standard analyzer marks CJK per character: <mark>上</mark><mark>海</mark> -> one mark
    out = " ".join(_MARKS.sub(r"\1", fragment).split())
    plain = html.unescape(_TAGS.sub("", out))
    flat = " ".join(text.split())
    start = flat.find(plain)
    prefix = "…" if start != 0 else ""
    suffix = "…" if start < 0 or start + len(plain) < len(flat) else ""
    return prefix + out + suffix


def _hit(raw: dict[str, Any], q: SearchQuery) -> SearchHit:
    src = raw["_source"]
    text = src.get("text") or ""
    fragments = raw.get("highlight", {}).get("text")
    if fragments:
        shown = _snippet(fragments[0], text)
    else:  # matched in another field (customer, statement no.) or no text query
        shown = snippet(text, q.text or "", SNIPPET_WIDTH)
    amount = src.get("amount")
    return SearchHit(
        id=int(src["id"]),
        file=src["file"],
        customer_code=src.get("customer_code"),
        period=src.get("period"),
        amount_due=Decimal(amount) if amount is not None else None,  # as SQLite: SearchDoc.amount
        status=src["status"],
        snippet=shown,
        tags=sorted(src.get("tags") or []),
        matched=_matched(src, q),
    )


def _unavailable(action: str, exc: Exception) -> IndexUnavailable:
    if isinstance(exc, ApiError):
        reason = f"{exc.meta.status} {exc.message}: {exc.info}"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return IndexUnavailable(f"elasticsearch {action} failed: {reason}")


def _item_reason(item: dict[str, Any]) -> str:
    op, info = next(iter(item.items()))
    error = info.get("error")
    if isinstance(error, dict):
        error = f"{error.get('type')}: {error.get('reason')}"
    return f"{op} id={info.get('_id')} status={info.get('status')} {error}"


def _report(failed: list[str], what: str) -> None:
    """IndexUnavailable naming the first refused documents and why, if any were refused."""
    if failed:
        more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
        raise IndexUnavailable(
            f"elasticsearch rejected {len(failed)} document(s) on {what}: "
            + "; ".join(failed[:3])
            + more
        )


class ElasticBackend:
    """SearchBackend on Elasticsearch 8/9 (a bare node is enough: no plugins are used)."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        index_prefix: str = "statements",
        refresh_writes: bool = True,
        request_timeout: float = 30,
        shards: int = 1,
    ) -> None:
        kwargs: dict[str, Any] = {
            "request_timeout": request_timeout,
            "max_retries": MAX_RETRIES,
            "retry_on_timeout": True,
        }
        if user is not None:
            kwargs["basic_auth"] = (user, password or "")
        if ca_file:
            kwargs["ca_certs"] = ca_file
        self.url = url
        self.index_prefix = index_prefix  # the alias; indices are <index_prefix>-v<timestamp>
        # wait_for: a write is searchable when upsert() returns, like the SQLite backend
        self.refresh_writes = refresh_writes
        # primary shards of an index this backend creates: a search runs on every shard at
        # once, so shards spread one search's work over cores and nodes (an existing index
        # keeps its own until `stmt reindex` builds a new one)
        self.shards = shards
        # several nodes: "http://a:9200,http://b:9200" (as from_url makes it)
        self.client = Elasticsearch([u for u in url.split(",") if u], **kwargs)
        self._ensured: str | None = None  # the alias known to exist

    @property
    def alias(self) -> str:
        return self.index_prefix

    @classmethod
    def from_url(
        cls,
        url: str,
        user: str | None = None,
        password: str | None = None,
        ca_file: str | None = None,
        **kwargs: Any,
    ) -> ElasticBackend:
        """A backend for `http(s)://[user:password@]host:port`, or several such URLs of one
        cluster separated by commas; explicit user/password win over those in a URL."""
        clean: list[str] = []
        for one in (part.strip() for part in url.split(",")):
            if not one:
                continue
            parts = urlsplit(one)
            if parts.scheme not in ("http", "https"):
                raise ValueError(f"not an http(s) URL: {one!r}")
            if parts.username and user is None:
                user = unquote(parts.username)
                if password is None and parts.password:
                    password = unquote(parts.password)
            host = parts.hostname or ""
            if ":" in host:
                host = f"[{host}]"
            netloc = f"{host}:{parts.port}" if parts.port else host
            clean.append(urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")))
        if not clean:
            raise ValueError(f"no http(s) URL in {url!r}")
        return cls(",".join(clean), user=user, password=password, ca_file=ca_file, **kwargs)

    # -- index management -------------------------------------------------------------------

    def _new_index_name(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{stamp}"

    def _create_index(self, name: str, *, alias: bool, loading: bool = False) -> None:
        self.client.indices.create(
            index=name,
            settings={
                **(LOADING_SETTINGS if loading else SETTINGS),
                "number_of_shards": self.shards,
            },
            mappings=MAPPINGS,
            aliases={self.alias: {"is_write_index": True}} if alias else None,
            wait_for_active_shards="1",
        )

    def alias_targets(self) -> list[str]:
        """The concrete indices behind the alias (normally exactly one)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    @property
    def first_index(self) -> str:
        """The name every process gives the first index, so only one of them can create it."""
        return f"{self.alias}-v0"

    def ensure_index(self) -> None:
        """Create the first index and its alias if there is none yet; safe from many processes.

        Workers that start on an empty cluster all try to create the same index: one wins,
        the others get "already exists" and use it. An alias left over several indices with
        no write index (by an older version) is reported; `stmt reindex` mends it.
        """
        if self._ensured == self.alias:
            return
        try:
            if not self.client.indices.exists_alias(name=self.alias):
                try:
                    self._create_index(self.first_index, alias=True)
                except BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":
                        raise
            targets = self.client.indices.get_alias(name=self.alias).body
            # an index made before documents had tags learns the field (adding one is allowed)
            # (the same for the amount fields of each place; the amounts of documents indexed
            # before then are searched once `stmt reindex` has rebuilt the index)
            added = ["tags", *PLACE_CENTS.values()]
            self.client.indices.put_mapping(
                index=self.alias,
                properties={name: MAPPINGS["properties"][name] for name in added},
            )
        except (ApiError, TransportError) as exc:
            raise _unavailable("create index", exc) from exc
        if len(targets) > 1 and not any(
            info["aliases"][self.alias].get("is_write_index") for info in targets.values()
        ):
            raise IndexUnavailable(
                f"the alias {self.alias} points at {len(targets)} indices and none takes "
                "writes; run `stmt reindex` to rebuild one index behind it"
            )
        self._ensured = self.alias

    def refresh(self) -> None:
        """Make every write so far visible to search."""
        try:
            self.client.indices.refresh(index=self.alias)
        except (ApiError, TransportError) as exc:
            raise _unavailable("refresh", exc) from exc

    # -- writes ------------------------------------------------------------------------------

    def _bulk(
        self,
        index: str,
        actions: Iterator[dict[str, Any]],
        what: str,
        refresh: Any = None,
        require_alias: bool = False,
    ) -> int:
        """Send actions in chunks; count successes; IndexUnavailable with reasons on failure."""
        done = 0
        failed: list[str] = []
        options: dict[str, Any] = {}
        if refresh:
            options["refresh"] = refresh
        if require_alias:  # never let a write auto-create a concrete index under the alias name
            options["require_alias"] = True
        try:
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                index=index,
                chunk_size=BULK_CHUNK,
                max_retries=BULK_RETRIES,
                initial_backoff=1,
                max_backoff=30,
                raise_on_error=False,
                **options,
            ):
                info = next(iter(item.values()))
                if ok or (what == "delete" and info.get("status") == 404):
                    done += 1
                else:
                    failed.append(_item_reason(item))
        except BulkIndexError as exc:
            failed.extend(_item_reason(e) for e in exc.errors)
        except (ApiError, TransportError) as exc:
            raise _unavailable(what, exc) from exc
        _report(failed, what)
        return done

    def _load(self, index: str, docs: Iterable[SearchDoc]) -> int:
        """rebuild()'s bulk load: LOAD_THREADS requests in flight (helpers.parallel_bulk builds
        and serializes the next chunk while the cluster indexes the last ones); documents
        refused with 429 (queues full) go again through _bulk and its backoff."""
        sent: deque[dict[str, Any]] = deque()  # in order; results come back in the same order

        def actions() -> Iterator[dict[str, Any]]:
            for d in docs:
                action = {"_id": str(d.id), "_source": _source(d)}
                sent.append(action)
                yield action

        done = 0
        busy: list[dict[str, Any]] = []
        failed: list[str] = []
        try:
            for ok, item in helpers.parallel_bulk(
                self.client,
                actions(),
                index=index,
                thread_count=LOAD_THREADS,
                queue_size=LOAD_THREADS,
                chunk_size=LOAD_CHUNK,
                raise_on_error=False,
                raise_on_exception=False,  # a failed request reports each of its documents
            ):
                action = sent.popleft()
                if ok:
                    done += 1
                elif next(iter(item.values())).get("status") == 429:
                    busy.append(action)
                else:
                    failed.append(_item_reason(item))
        except (ApiError, TransportError) as exc:
            raise _unavailable("rebuild", exc) from exc
        _report(failed, "rebuild")
        return done + (self._bulk(index, iter(busy), "rebuild") if busy else 0)

    @property
    def _refresh_writes(self) -> str | None:
        return "wait_for" if self.refresh_writes else None

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        self.ensure_index()
        actions = ({"_id": str(d.id), "_source": _source(d)} for d in docs)
        self._bulk(self.alias, actions, "upsert", self._refresh_writes, require_alias=True)

    def delete(self, ids: Iterable[int]) -> None:
        self.ensure_index()
        actions = ({"_op_type": "delete", "_id": str(i)} for i in ids)
        self._bulk(self.alias, actions, "delete", self._refresh_writes, require_alias=True)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Load `docs` into a new index, then point the alias at it in one atomic step."""
        new = self._new_index_name()
        try:
            self._create_index(new, alias=False, loading=True)
        except (ApiError, TransportError) as exc:
            raise _unavailable("rebuild", exc) from exc
        try:
            count = self._load(new, docs)
            self.client.indices.put_settings(index=new, settings=LIVE_SETTINGS)
            self.client.indices.refresh(index=new)
            old = self.alias_targets()
            actions: list[dict[str, Any]] = [
                {"remove": {"index": name, "alias": self.alias}} for name in old
            ]
            if not old and self.client.indices.exists(index=self.alias):
                # a concrete index squats the alias name (auto-created by a stray write)
                actions.append({"remove_index": {"index": self.alias}})
            actions.append({"add": {"index": new, "alias": self.alias, "is_write_index": True}})
            self.client.indices.update_aliases(actions=actions)
        except BaseException as exc:
            if not self._is_live(new):
                self._drop(new)
            if isinstance(exc, ApiError | TransportError):
                raise _unavailable("rebuild", exc) from exc
            raise
        self._ensured = self.alias
        for name in old:
            self._drop(name)
        return count

    def _is_live(self, name: str) -> bool:
        try:
            return name in self.alias_targets()
        except (ApiError, TransportError):
            return False

    def _drop(self, name: str) -> None:
        # a leftover index costs disk, not correctness
        with contextlib.suppress(ApiError, TransportError):
            self.client.indices.delete(index=name, ignore_unavailable=True)

    # -- search ------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        body = build_search_body(query)
        try:
            resp = self.client.search(index=self.alias, body=body)
        except NotFoundError as exc:
            if exc.error == "index_not_found_exception":
                return SearchResult(total=0, hits=[], facets={name: {} for name in FACETS})
            raise _unavailable("search", exc) from exc
        except (ApiError, TransportError) as exc:
            raise _unavailable("search", exc) from exc
        aggs = resp.get("aggregations", {})
        facets = {
            name: {b["key"]: b["doc_count"] for b in aggs.get(name, {}).get("buckets", [])}
            for name in FACETS
        }
        hits = [_hit(h, query) for h in resp["hits"]["hits"]]
        return SearchResult(total=resp["hits"]["total"]["value"], hits=hits, facets=facets)

    def close(self) -> None:
        self.client.close()
