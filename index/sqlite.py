"""The embedded search backend: SQLite FTS5 for words, ordinary indexed columns for filters.

Chinese is matched through CJK bigrams (index/text.py), so two-character words are found.
Filters and facets run on the `docs` table (B-tree indexes), never inside FTS.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import numpy as np

from archive.models import utc_text
from archive.store import private_file
from index import amount_bins
from index.base import (
    IndexUnavailable,
    PlacedAmount,
    SearchDoc,
    SearchHit,
    SearchQuery,
    SearchResult,
)
from index.columns import NULL_CENTS, Columns
from index.text import index_terms, query_readings, snippet

TABLES = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    status TEXT NOT NULL,
    customer_code TEXT,
    customer_name TEXT,
    period TEXT,
    statement_no TEXT,
    amount_cents INTEGER,
    amount_due TEXT,
    source TEXT,
    created TEXT,
    confirmation TEXT,
    dispute TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    terms, text UNINDEXED, tokenize = "unicode61 remove_diacritics 2 tokenchars '.,-'"
);
-- tags are many per document; added without a layout change (an older index has no tags yet)
CREATE TABLE IF NOT EXISTS doc_tags (doc_id INTEGER NOT NULL, tag TEXT NOT NULL,
                                     PRIMARY KEY (doc_id, tag));
CREATE TABLE IF NOT EXISTS meta (changes INTEGER NOT NULL);
INSERT INTO meta SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM meta);
-- every amount printed on a document and where: a summary field, a line item's column, or
-- elsewhere on a page
CREATE TABLE IF NOT EXISTS amounts (
    doc_id INTEGER NOT NULL,
    place TEXT NOT NULL,
    field TEXT,
    line INTEGER,
    page INTEGER,
    cents INTEGER NOT NULL,
    amount TEXT NOT NULL
);
"""
# the same amounts by place and bin (index/amount_bins.py): each bin's document ids, packed
# ascending as little-endian 64-bit integers
BINS_TABLE = """
CREATE TABLE IF NOT EXISTS amount_bins (
    place TEXT NOT NULL,
    bin INTEGER NOT NULL,
    docs BLOB NOT NULL,
    PRIMARY KEY (place, bin)
) WITHOUT ROWID;
"""
# Secondary indexes: a rebuild creates them after loading, when one sort builds each (inserting
# 40 million amounts into an index that is already there costs a random B-tree write each).
INDEXES = """
CREATE INDEX IF NOT EXISTS docs_customer ON docs(customer_code, period);
CREATE INDEX IF NOT EXISTS docs_period ON docs(period);
CREATE INDEX IF NOT EXISTS docs_status ON docs(status);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE INDEX IF NOT EXISTS docs_amount ON docs(amount_cents);
CREATE INDEX IF NOT EXISTS docs_confirmation ON docs(confirmation);
CREATE INDEX IF NOT EXISTS docs_dispute ON docs(dispute);
CREATE INDEX IF NOT EXISTS doc_tags_tag ON doc_tags(tag);
CREATE INDEX IF NOT EXISTS amounts_cents ON amounts(cents, place, doc_id);
CREATE INDEX IF NOT EXISTS amounts_doc ON amounts(doc_id);
"""
VERSION = 5  # the layout above; an index file of another layout is rebuilt by `stmt reindex`
BINNED_FROM = 4  # the layout before amount bins: opening it adds them in place
SCHEMA = f"{TABLES}{BINS_TABLE}{INDEXES}PRAGMA user_version = {VERSION};"

# Ranking every match by bm25 costs more than it is worth when a word is on most
# statements: above this many matches, the newest come first.
# bm25 reads each match's column sizes, about 10-30 µs a match: 1,000 cost at most ~30 ms.
RANK_LIMIT = 1000

SORTS = {
    "period": "d.period",
    "amount": "d.amount_cents",
    "created": "d.created",
}


BUILD_PRAGMAS = (
    "PRAGMA journal_mode=OFF",
    "PRAGMA synchronous=OFF",
    "PRAGMA locking_mode=EXCLUSIVE",
    "PRAGMA cache_size=-262144",  # 256 MiB: index builds sort in memory rather than on disk
)


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


class SqliteBackend:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        private_file(self.path)
        with self._connect() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables and version == BINNED_FROM:
                _add_bins(conn)
                version = VERSION
            self.outdated = bool(tables) and version != VERSION
            self._cols: Columns | None = None
            if not self.outdated:
                conn.executescript(SCHEMA)

    def _usable(self) -> None:
        if self.outdated:
            raise IndexUnavailable(
                f"the search index {self.path} has an older layout; run `stmt reindex`"
            )

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: cheap for SQLite, and it sees a rebuilt file at once.
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    # -- writing ---------------------------------------------------------------

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        self._usable()
        with self._connect() as conn:
            self._write(conn, docs)

    @staticmethod
    def _write(conn: sqlite3.Connection, docs: Iterable[SearchDoc]) -> int:
        conn.execute("UPDATE meta SET changes = changes + 1")  # in-memory copies reload
        n = 0
        moves = _BinMoves()
        for d in docs:
            doc, text, amounts, tags = _rows(d)
            conn.execute("DELETE FROM fts WHERE rowid = ?", (d.id,))
            old = _doc_bins(conn, d.id)
            conn.execute("DELETE FROM amounts WHERE doc_id = ?", (d.id,))
            conn.executemany("INSERT INTO amounts VALUES (?,?,?,?,?,?,?)", amounts)
            moves.move(d.id, old, {(a[1], amount_bins.key(a[5])) for a in amounts})
            conn.execute("INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", doc)
            conn.execute("INSERT INTO fts(rowid, terms, text) VALUES (?, ?, ?)", text)
            conn.execute("DELETE FROM doc_tags WHERE doc_id = ?", (d.id,))
            conn.executemany("INSERT OR IGNORE INTO doc_tags VALUES (?, ?)", tags)
            n += 1
        moves.apply(conn)
        return n

    @staticmethod
    def _bulk(conn: sqlite3.Connection, docs: Iterable[SearchDoc], batch: int = 2000) -> int:
        """Load an empty index: no deletes, many documents per statement, one commit per
        batch (the documents may be a generator too long to hold in memory)."""
        n = 0
        it = iter(docs)
        while chunk := [_rows(d) for d in itertools.islice(it, batch)]:
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [r[0] for r in chunk],
            )
            conn.executemany(
                "INSERT INTO fts(rowid, terms, text) VALUES (?, ?, ?)", [r[1] for r in chunk]
            )
            conn.executemany(
                "INSERT INTO amounts VALUES (?,?,?,?,?,?,?)", [a for r in chunk for a in r[2]]
            )
            conn.executemany(
                "INSERT OR IGNORE INTO doc_tags VALUES (?, ?)", [t for r in chunk for t in r[3]]
            )
            conn.commit()
            n += len(chunk)
        return n

    def delete(self, ids: Iterable[int]) -> None:
        self._usable()
        with self._connect() as conn:
            conn.execute("UPDATE meta SET changes = changes + 1")
            moves = _BinMoves()
            for i in ids:
                moves.move(i, _doc_bins(conn, i), set())
                conn.execute("DELETE FROM docs WHERE id = ?", (i,))
                conn.execute("DELETE FROM amounts WHERE doc_id = ?", (i,))
                conn.execute("DELETE FROM fts WHERE rowid = ?", (i,))
                conn.execute("DELETE FROM doc_tags WHERE doc_id = ?", (i,))
            moves.apply(conn)

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Build a new index file beside the old one, then swap it in atomically."""
        tmp = self.path.with_suffix(".rebuild")
        tmp.unlink(missing_ok=True)
        private_file(tmp)
        conn = sqlite3.connect(tmp)
        try:
            # A half-built file is thrown away anyway: no journal, no syncing until the end.
            for pragma in BUILD_PRAGMAS:
                conn.execute(pragma)
            conn.executescript(TABLES)
            n = self._bulk(conn, docs)
            conn.executescript(INDEXES)
            conn.executescript(BINS_TABLE)
            fill_bins(conn)
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            conn.execute(f"PRAGMA user_version = {VERSION}")
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, self.path)
        self.outdated = False
        for p in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            p.unlink(missing_ok=True)
        return n

    def close(self) -> None:
        pass

    # -- reading ---------------------------------------------------------------

    def search(self, q: SearchQuery) -> SearchResult:
        self._usable()
        match = _match_expression(q.text)
        with self._connect() as conn:
            # One customer's documents are few and indexed (docs_customer): SQL counts them
            # quickly. Anything broader is filtered and counted on the in-memory columns,
            # where a million documents cost a few array operations, not a million rows.
            if match or q.by_amount or q.customer is None:
                total, facets, ids = self._search_words(conn, q, match)
            else:
                total, facets, ids = self._search_columns(conn, q)
            hits = self._hits(conn, ids, q.text)
            if q.by_amount and hits:
                _add_matched(conn, q, hits)
        return SearchResult(total=total, hits=hits, facets=facets)

    @classmethod
    def _search_columns(cls, conn: sqlite3.Connection, q: SearchQuery):
        """No words: filters, counts and facets straight from the indexed docs table."""
        where, args = cls._filters(q)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        total = conn.execute(f"SELECT count(*) FROM docs d {clause}", args).fetchone()[0]  # noqa: S608
        page = f"SELECT d.id FROM docs d {clause} ORDER BY {_order(q)} LIMIT ? OFFSET ?"  # noqa: S608
        ids = [r[0] for r in conn.execute(page, [*args, q.limit, q.offset])]
        facets = {
            name: dict(conn.execute(_facet_sql(col, where), args).fetchall())
            for name, col in FACETS
        }
        facets["tag"] = dict(conn.execute(_tag_facet_sql(where), args).fetchall())
        return total, facets, ids

    def _search_words(self, conn: sqlite3.Connection, q: SearchQuery, match: str | None):
        """Words, amounts, or filters that are not one customer's: FTS5 (or the amounts
        table) gives the matching ids, the in-memory columns filter, count and order them.

        Positions stay in ascending id order throughout (FTS5 hands rowids over in that order),
        so newest-first needs no sort, and membership tests are lookups in a per-document
        mask rather than sorts of a million ids."""
        cols = self._columns(conn)
        matches = 0
        if match:
            rowids = _matching_rowids(conn, match)
            pos, matches = cols.positions(rowids), len(rowids)
        elif q.by_amount:  # the amounts that match, by value: usually far fewer than documents
            pos = np.flatnonzero(cols.members(_with_amount(conn, q)))
        else:
            pos = np.arange(len(cols.ids))
        pos = pos[_mask(cols, q, pos)]
        if q.tag is not None:
            tagged = [r[0] for r in conn.execute("SELECT doc_id FROM doc_tags WHERE tag = ?",
                                                 [q.tag])]  # fmt: skip
            pos = pos[cols.members(tagged)[pos]]
        if q.by_amount and match:
            pos = pos[cols.members(_with_amount(conn, q, cols.ids[pos]))[pos]]
        facets = {name: cols.counts(col, pos) for name, col in FACETS}
        facets["tag"] = _tag_counts(conn, cols.ids[pos])
        if match and _ranked(q) and matches <= RANK_LIMIT:
            rank = dict(conn.execute("SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ?", [match]))
            ranks = np.array([rank[i] for i in cols.ids[pos]])
            order = np.lexsort((-cols.ids[pos], ranks))
        elif _ranked(q):  # too many matches to rank, or no words: newest first
            if np.all(pos[1:] > pos[:-1]):  # ascending ids: newest first is the reverse
                order = np.arange(len(pos) - 1, -1, -1)
            else:
                order = np.argsort(-cols.ids[pos], kind="stable")
        else:
            order = _sorted(cols, q.sort, pos)
        page = pos[order[q.offset : q.offset + q.limit]]
        return len(pos), facets, [int(i) for i in cols.ids[page]]

    def _columns(self, conn: sqlite3.Connection) -> Columns:
        stamp = (os.stat(self.path).st_ino, conn.execute("SELECT changes FROM meta").fetchone()[0])
        cols = self._cols
        if cols is None or cols.stamp != stamp:
            cols = self._cols = Columns.load(conn, stamp)
        return cols

    @staticmethod
    def _hits(conn: sqlite3.Connection, ids: list[int], query: str) -> list[SearchHit]:
        marks = ",".join("?" * len(ids))
        tags: dict[int, list[str]] = {}
        sql = f"SELECT doc_id, tag FROM doc_tags WHERE doc_id IN ({marks}) ORDER BY tag"  # noqa: S608
        for doc_id, tag in conn.execute(sql, ids):
            tags.setdefault(doc_id, []).append(tag)
        rows = {
            r[0]: r
            for r in conn.execute(
                "SELECT d.id, d.file, d.customer_code, d.period, d.amount_due, d.status, f.text "  # noqa: S608
                f"FROM docs d JOIN fts f ON f.rowid = d.id WHERE d.id IN ({marks})",
                ids,
            )
        }
        return [
            SearchHit(
                id=r[0],
                file=r[1],
                customer_code=r[2],
                period=r[3],
                amount_due=Decimal(r[4]) if r[4] is not None else None,
                status=r[5],
                snippet=snippet(r[6] or "", query),
                tags=tags.get(r[0], []),
            )
            for r in (rows[i] for i in ids)
        ]

    @staticmethod
    def _filters(q: SearchQuery) -> tuple[list[str], list]:
        where: list[str] = []
        args: list = []
        for cond, value in (
            ("d.customer_code = ?", q.customer),
            ("d.period >= ?", q.period_from),
            ("d.period <= ?", q.period_to),
            ("d.status = ?", q.status),
            ("d.source = ?", q.source),
            ("d.confirmation = ?", q.confirmation),
            ("d.dispute = ?", q.dispute),
        ):
            if value is not None:
                where.append(cond)
                args.append(value)
        if q.tag is not None:
            where.append("d.id IN (SELECT doc_id FROM doc_tags WHERE tag = ?)")
            args.append(q.tag)
        if q.hidden_customers:  # one parameter, however many customers are hidden
            where.append(
                "(d.customer_code IS NULL"
                " OR d.customer_code NOT IN (SELECT value FROM json_each(?)))"
            )
            args.append(json.dumps(sorted(q.hidden_customers)))
        return where, args


def _rows(d: SearchDoc) -> tuple[tuple, tuple, list[tuple], list[tuple]]:
    """One document's rows: docs, fts, amounts and doc_tags."""
    doc = (
        d.id,
        d.file,
        d.status,
        d.customer_code,
        d.customer_name,
        d.period,
        d.statement_no,
        cents(d.amount),
        None if d.amount is None else format(d.amount, "f"),
        d.source,
        utc_text(d.created, "auto") if d.created else None,
        d.confirmation,
        d.dispute,
    )
    terms = " ".join(
        index_terms(x)
        for x in (d.text, d.customer_name, d.customer_code, d.statement_no, d.file)
        if x
    )
    amounts = [
        (d.id, a.where, a.field, a.line, a.page, cents(a.amount), format(a.amount, "f"))
        for a in d.placed_amounts()
    ]
    return doc, (d.id, terms, d.text), amounts, [(d.id, t) for t in d.tags]


FACETS = (
    ("customer", "customer_code"),
    ("period", "period"),
    ("status", "status"),
    ("source", "source"),
    ("confirmation", "confirmation"),
    ("dispute", "dispute"),
)


def _facet_sql(col: str, where: list[str]) -> str:
    conds = " AND ".join([*where, f"d.{col} IS NOT NULL"])
    return f"SELECT d.{col}, count(*) FROM docs d WHERE {conds} GROUP BY d.{col}"  # noqa: S608


def _tag_facet_sql(where: list[str]) -> str:
    conds = ("WHERE " + " AND ".join(where)) if where else ""
    return (
        f"SELECT t.tag, count(*) FROM docs d JOIN doc_tags t ON t.doc_id = d.id {conds} "  # noqa: S608
        "GROUP BY t.tag"
    )


def _matching_rowids(conn: sqlite3.Connection, match: str) -> np.ndarray:
    """The rowids FTS5 matches, ascending."""
    return _ids(conn, "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", [match])


def _ids(conn: sqlite3.Connection, sql: str, args: list) -> np.ndarray:
    """The ids a `SELECT group_concat(…)` query lists. A word on a third of a million
    statements has hundreds of thousands of matches: one text of them all, parsed by numpy,
    costs a third of what as many Python rows do (FTS5 itself walks them in a tenth)."""
    text = conn.execute(sql, args).fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.empty(0, np.int64)


def _tag_counts(conn: sqlite3.Connection, ids: np.ndarray) -> dict[str, int]:
    """Tags counted over the matched documents (tags are few; their documents fewer)."""
    counts: dict[str, int] = {}
    rows = conn.execute("SELECT doc_id, tag FROM doc_tags").fetchall()
    if not rows:
        return counts
    doc_ids = np.array([r[0] for r in rows], dtype=np.int64)
    inside = np.isin(doc_ids, ids)
    for (_doc, tag), keep in zip(rows, inside, strict=True):
        if keep:
            counts[tag] = counts.get(tag, 0) + 1
    return counts


def _mask(cols: Columns, q: SearchQuery, pos: np.ndarray) -> np.ndarray:
    """Which of the matches pass the query's filters (the same filters as _filters)."""
    keep = np.ones(len(pos), dtype=bool)
    for column, value in (
        ("customer_code", q.customer),
        ("status", q.status),
        ("source", q.source),
        ("confirmation", q.confirmation),
        ("dispute", q.dispute),
    ):
        if value is not None:
            keep &= cols.equal(column, value)[cols.codes[column][pos]]
    if q.period_from is not None or q.period_to is not None:
        keep &= cols.between("period", q.period_from, q.period_to)[cols.codes["period"][pos]]
    if q.hidden_customers:
        hidden = np.array([v in q.hidden_customers for v in cols.vocab["customer_code"]], bool)
        keep &= ~hidden[cols.codes["customer_code"][pos]]
    return keep  # amounts are filtered on the amounts table (_amount_condition)


def _cents_range(q: SearchQuery) -> tuple[int | None, int | None]:
    """The range (cents, None: open) one amount must lie in to pass every amount filter: an
    exact amount is a range of one value, and with a range besides, of one value or none."""
    low = max((cents(v) for v in (q.amount, q.amount_min) if v is not None), default=None)
    high = min((cents(v) for v in (q.amount, q.amount_max) if v is not None), default=None)
    return low, high


def _amount_condition(
    q: SearchQuery, low: int | None = None, high: int | None = None
) -> tuple[str, list]:
    """The amounts (table alias `a`) that the query's amount filters match, where the query
    looks (summary fields, line items, pages); or, given, those between `low` and `high`."""
    if low is None and high is None:
        low, high = _cents_range(q)
    places = ",".join("?" * len(q.places))
    return f"a.place IN ({places}) AND a.cents BETWEEN ? AND ?", [
        *q.places,
        -amount_bins.UNBOUNDED if low is None else low,
        amount_bins.UNBOUNDED if high is None else high,
    ]


DOC_FIRST = 500  # candidates up to which their own amounts are read (about 40 each)


def _with_amount(
    conn: sqlite3.Connection, q: SearchQuery, candidates: np.ndarray | None = None
) -> np.ndarray:
    """Which of the candidate documents (None: all) have an amount the query's amount filters
    match; ids may repeat.

    Few candidates (words and filters narrowed them): their own amounts are read. Otherwise
    the amounts that match are read by value (an exact amount is a handful of rows)."""
    cond, args = _amount_condition(q)
    if candidates is not None and len(candidates) <= DOC_FIRST:
        sql = (
            "SELECT group_concat(a.doc_id) FROM amounts a "  # noqa: S608
            f"WHERE a.doc_id IN (SELECT value FROM json_each(?)) AND {cond}"
        )
        return _ids(conn, sql, [json.dumps([int(i) for i in candidates]), *args])
    return _binned_ids(conn, q)


def _binned_ids(conn: sqlite3.Connection, q: SearchQuery) -> np.ndarray:
    """The documents with an amount the query's amount filters match, of all documents: the
    bins wholly inside the range as packed arrays, its ragged ends amount by amount (an exact
    amount is all ragged end: a handful of `amounts_cents` entries)."""
    inner, ends = amount_bins.plan(*_cents_range(q))
    places = f"({','.join('?' * len(q.places))})"
    parts = []
    if inner is not None:
        blobs = conn.execute(
            f"SELECT docs FROM amount_bins WHERE place IN {places} AND bin BETWEEN ? AND ?",  # noqa: S608
            [*q.places, *inner],
        )
        parts.append(np.frombuffer(b"".join(r[0] for r in blobs), dtype=BIN_IDS))
    for a, b in ends:
        # not DISTINCT: the amounts_cents index covers the query, and numpy drops repeats
        # faster than SQLite's sorter does
        cond, args = _amount_condition(q, a, b)
        parts.append(_ids(conn, f"SELECT group_concat(a.doc_id) FROM amounts a WHERE {cond}", args))  # noqa: S608
    return np.concatenate(parts) if parts else np.empty(0, np.int64)


BIN_IDS = np.dtype("<i8")  # how a bin packs its document ids


def _doc_bins(conn: sqlite3.Connection, doc_id: int) -> set[tuple[str, int]]:
    """The (place, bin) pairs a document's indexed amounts fall in."""
    sql = f"SELECT DISTINCT place, {amount_bins.key_sql('cents')} FROM amounts WHERE doc_id = ?"  # noqa: S608
    return set(conn.execute(sql, (doc_id,)).fetchall())


class _BinMoves:
    """Documents entering and leaving bins over one write, applied once per bin at the end
    (a batch of documents often shares bins)."""

    def __init__(self) -> None:
        self.changes: dict[tuple[str, int], tuple[list[int], list[int]]] = {}

    def move(self, doc_id: int, old: set, new: set) -> None:
        for pair in old - new:
            self.changes.setdefault(pair, ([], []))[1].append(doc_id)
        for pair in new - old:
            self.changes.setdefault(pair, ([], []))[0].append(doc_id)

    def apply(self, conn: sqlite3.Connection) -> None:
        for (place, bin_), (entering, leaving) in self.changes.items():
            row = conn.execute(
                "SELECT docs FROM amount_bins WHERE place = ? AND bin = ?", (place, bin_)
            ).fetchone()
            ids = np.frombuffer(row[0], dtype=BIN_IDS) if row else np.empty(0, BIN_IDS)
            ids = np.union1d(ids[~np.isin(ids, leaving)], np.array(entering, dtype=BIN_IDS))
            if len(ids):
                conn.execute(
                    "INSERT OR REPLACE INTO amount_bins VALUES (?, ?, ?)",
                    (place, bin_, ids.tobytes()),
                )
            else:
                conn.execute("DELETE FROM amount_bins WHERE place = ? AND bin = ?", (place, bin_))


def fill_bins(conn: sqlite3.Connection) -> None:
    """File every indexed amount in its bin: one grouping pass over the amounts table."""
    conn.execute("DELETE FROM amount_bins")
    rows = conn.execute(
        f"SELECT place, {amount_bins.key_sql('cents')} AS bin, group_concat(doc_id) "  # noqa: S608
        "FROM amounts GROUP BY place, bin"
    )
    while batch := rows.fetchmany(1000):
        conn.executemany(
            "INSERT INTO amount_bins VALUES (?, ?, ?)",
            [
                (
                    place,
                    bin_,
                    np.unique(np.fromstring(ids, dtype=np.int64, sep=","))
                    .astype(BIN_IDS)
                    .tobytes(),
                )
                for place, bin_, ids in batch
            ],
        )


def _add_bins(conn: sqlite3.Connection) -> None:
    """Give an index of the layout before amount bins its bins, in place: one pass, once (a
    second process opening the file at the same time waits, then finds it done)."""
    conn.execute("BEGIN IMMEDIATE")
    if conn.execute("PRAGMA user_version").fetchone()[0] == BINNED_FROM:
        conn.execute(BINS_TABLE)
        fill_bins(conn)
        conn.execute(f"PRAGMA user_version = {VERSION}")
    conn.commit()


def _add_matched(conn: sqlite3.Connection, q: SearchQuery, hits: list[SearchHit]) -> None:
    """Which amounts of each hit the amount filters matched."""
    cond, args = _amount_condition(q)
    by_id = {h.id: h for h in hits}
    marks = ",".join("?" * len(by_id))
    rows = conn.execute(
        "SELECT a.doc_id, a.place, a.field, a.line, a.page, a.amount FROM amounts a "  # noqa: S608
        f"WHERE a.doc_id IN ({marks}) AND {cond} ORDER BY a.doc_id, a.rowid",
        [*by_id, *args],
    )
    for doc_id, place, field, line, page, amount in rows:
        by_id[doc_id].matched.append(PlacedAmount(place, Decimal(amount), field, line, page))
    for hit in hits:
        hit.matched.sort(key=PlacedAmount.listed)


def _sorted(cols: Columns, sort: str, pos: np.ndarray) -> np.ndarray:
    """The order of `pos` by a column, missing values last, newest id first among equals."""
    key = sort.lstrip("-")
    if key == "amount":
        values = cols.cents[pos]
        missing = values == NULL_CENTS
    else:  # vocabularies are sorted, so codes sort as their values do; None is code 0
        values = cols.codes[key][pos].astype(np.int64)
        has_none = bool(cols.vocab[key]) and cols.vocab[key][0] is None
        missing = values == 0 if has_none else np.zeros(len(pos), dtype=bool)
    if sort.startswith("-"):
        values = -values
    return np.lexsort((-cols.ids[pos], values, missing))


def _match_expression(text: str) -> str | None:
    """FTS5 MATCH syntax: every word must occur (as one of its phrases), in any one reading
    of the query; terms are quoted, so nothing is an operator."""
    readings = query_readings(text or "")
    if not readings:
        return None

    def phrase(terms: list[str]) -> str:
        return '"' + " ".join(t.replace('"', "") for t in terms) + '"'

    def every_word(words: list[list[list[str]]]) -> str:
        return " AND ".join("(" + " OR ".join(phrase(p) for p in word) + ")" for word in words)

    if len(readings) == 1:
        return every_word(readings[0])
    return " OR ".join("(" + every_word(words) + ")" for words in readings)


def _ranked(q: SearchQuery) -> bool:
    return q.sort.lstrip("-") not in SORTS


def _order(q: SearchQuery) -> str:
    if not _ranked(q):
        direction = "DESC" if q.sort.startswith("-") else "ASC"
        return f"{SORTS[q.sort.lstrip('-')]} {direction} NULLS LAST, d.id DESC"
    return "d.id DESC"
