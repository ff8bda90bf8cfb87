"""The embedded search backend: SQLite FTS5 for words, ordinary indexed columns for filters.

Chinese is matched through CJK bigrams (index/text.py), so two-character words are found.
Filters and facets run on the `docs` table (B-tree indexes), never inside FTS.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from index.base import IndexUnavailable, SearchDoc, SearchHit, SearchQuery, SearchResult
from index.text import index_terms, query_phrases, snippet

SCHEMA = """
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
    created TEXT
);
CREATE INDEX IF NOT EXISTS docs_customer ON docs(customer_code, period);
CREATE INDEX IF NOT EXISTS docs_period ON docs(period);
CREATE INDEX IF NOT EXISTS docs_status ON docs(status);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE INDEX IF NOT EXISTS docs_amount ON docs(amount_cents);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    terms, text UNINDEXED, tokenize = "unicode61 remove_diacritics 2 tokenchars '.,-'"
);
PRAGMA user_version = 2;
"""
VERSION = 2  # the layout above; an index file of another layout is rebuilt by `stmt reindex`

# Ranking every match by bm25 costs more than it is worth when a word is on most
# statements: above this many matches, the newest come first.
RANK_LIMIT = 5000

# The columns filters, facets and sorting need: what a set of matches is narrowed to.
SLIM = "d.id, d.customer_code, d.period, d.status, d.source, d.amount_cents, d.created"

SORTS = {
    "period": "d.period",
    "amount": "d.amount_cents",
    "created": "d.created",
}


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


class SqliteBackend:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            self.outdated = bool(tables) and version != VERSION
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
        n = 0
        for d in docs:
            conn.execute("DELETE FROM fts WHERE rowid = ?", (d.id,))
            conn.execute(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
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
                    d.created.isoformat() if d.created else None,
                ),
            )
            terms = " ".join(
                index_terms(x)
                for x in (d.text, d.customer_name, d.customer_code, d.statement_no, d.file)
                if x
            )
            conn.execute(
                "INSERT INTO fts(rowid, terms, text) VALUES (?, ?, ?)", (d.id, terms, d.text)
            )
            n += 1
        return n

    def delete(self, ids: Iterable[int]) -> None:
        self._usable()
        with self._connect() as conn:
            for i in ids:
                conn.execute("DELETE FROM docs WHERE id = ?", (i,))
                conn.execute("DELETE FROM fts WHERE rowid = ?", (i,))

    def rebuild(self, docs: Iterable[SearchDoc]) -> int:
        """Build a new index file beside the old one, then swap it in atomically."""
        tmp = self.path.with_suffix(".rebuild")
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a half-built file is thrown away anyway
            conn.executescript(SCHEMA)
            with conn:
                n = self._write(conn, docs)
                conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
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
        where, args = self._filters(q)
        match = _match_expression(q.text)
        ranked = False
        with self._connect() as conn:
            if match:
                # The words are matched once, into a temporary table that the count, the page
                # of hits and every facet then read: FTS is not evaluated six times.
                matches = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [match])
                ranked = _ranked(q) and matches.fetchone()[0] <= RANK_LIMIT
                conn.execute(
                    f"CREATE TEMP TABLE m AS SELECT {SLIM}, "  # noqa: S608
                    f"{'bm25(fts)' if ranked else '0'} AS rank "
                    "FROM fts JOIN docs d ON d.id = fts.rowid "
                    f"WHERE {' AND '.join(['fts MATCH ?', *where])}",
                    [match, *args],
                )
                source, where, args = "m AS d", [], []
            else:
                source = "docs AS d"
            clause = ("WHERE " + " AND ".join(where)) if where else ""
            total = conn.execute(f"SELECT count(*) FROM {source} {clause}", args).fetchone()[0]  # noqa: S608
            page = (
                f"SELECT d.id FROM {source} {clause} "  # noqa: S608
                f"ORDER BY {_order(q, ranked)} LIMIT ? OFFSET ?"
            )
            ids = [r[0] for r in conn.execute(page, [*args, q.limit, q.offset])]
            facets = {
                name: dict(conn.execute(_facet_sql(col, source, where), args).fetchall())
                for name, col in FACETS
            }
            hits = self._hits(conn, ids, q.text)
        return SearchResult(total=total, hits=hits, facets=facets)

    @staticmethod
    def _hits(conn: sqlite3.Connection, ids: list[int], query: str) -> list[SearchHit]:
        marks = ",".join("?" * len(ids))
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
            ("d.amount_cents = ?", cents(q.amount)),
            ("d.amount_cents >= ?", cents(q.amount_min)),
            ("d.amount_cents <= ?", cents(q.amount_max)),
        ):
            if value is not None:
                where.append(cond)
                args.append(value)
        return where, args


FACETS = (
    ("customer", "customer_code"),
    ("period", "period"),
    ("status", "status"),
    ("source", "source"),
)


def _facet_sql(col: str, source: str, where: list[str]) -> str:
    conds = " AND ".join([*where, f"d.{col} IS NOT NULL"])
    return f"SELECT d.{col}, count(*) FROM {source} WHERE {conds} GROUP BY d.{col}"  # noqa: S608


def _match_expression(text: str) -> str | None:
    """FTS5 MATCH syntax: every phrase must occur; terms are quoted, so nothing is an operator."""
    phrases = query_phrases(text or "")
    if not phrases:
        return None
    return " AND ".join('"' + " ".join(t.replace('"', "") for t in p) + '"' for p in phrases)


def _ranked(q: SearchQuery) -> bool:
    return q.sort.lstrip("-") not in SORTS


def _order(q: SearchQuery, ranked: bool) -> str:
    if not _ranked(q):
        direction = "DESC" if q.sort.startswith("-") else "ASC"
        return f"{SORTS[q.sort.lstrip('-')]} {direction} NULLS LAST, d.id DESC"
    return "d.rank, d.id DESC" if ranked else "d.id DESC"
