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

from index.base import SearchDoc, SearchHit, SearchQuery, SearchResult
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
    created TEXT,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS docs_customer ON docs(customer_code, period);
CREATE INDEX IF NOT EXISTS docs_period ON docs(period);
CREATE INDEX IF NOT EXISTS docs_status ON docs(status);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE INDEX IF NOT EXISTS docs_amount ON docs(amount_cents);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    terms, tokenize = "unicode61 remove_diacritics 2 tokenchars '.,-'"
);
"""

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
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: cheap for SQLite, and it sees a rebuilt file at once.
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    # -- writing ---------------------------------------------------------------

    def upsert(self, docs: Iterable[SearchDoc]) -> None:
        with self._connect() as conn:
            self._write(conn, docs)

    @staticmethod
    def _write(conn: sqlite3.Connection, docs: Iterable[SearchDoc]) -> int:
        n = 0
        for d in docs:
            conn.execute("DELETE FROM fts WHERE rowid = ?", (d.id,))
            conn.execute(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    d.text,
                ),
            )
            terms = " ".join(
                index_terms(x)
                for x in (d.text, d.customer_name, d.customer_code, d.statement_no, d.file)
                if x
            )
            conn.execute("INSERT INTO fts(rowid, terms) VALUES (?, ?)", (d.id, terms))
            n += 1
        return n

    def delete(self, ids: Iterable[int]) -> None:
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
        for p in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            p.unlink(missing_ok=True)
        return n

    def close(self) -> None:
        pass

    # -- reading ---------------------------------------------------------------

    def search(self, q: SearchQuery) -> SearchResult:
        where, args = self._filters(q)
        join = ""
        match = _match_expression(q.text)
        if match:
            join = "JOIN fts ON fts.rowid = d.id"
            where.append("fts MATCH ?")
            args.append(match)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        with self._connect() as conn:
            total = conn.execute(f"SELECT count(*) FROM docs d {join} {clause}", args).fetchone()[0]  # noqa: S608
            rows = conn.execute(
                f"SELECT d.id, d.file, d.customer_code, d.period, d.amount_due, d.status, d.text "  # noqa: S608
                f"FROM docs d {join} {clause} ORDER BY {_order(q, bool(match))} LIMIT ? OFFSET ?",
                [*args, q.limit, q.offset],
            ).fetchall()
            facets = {
                name: dict(conn.execute(_facet_sql(col, join, where), args).fetchall())
                for name, col in FACETS
            }
        hits = [
            SearchHit(
                id=r[0],
                file=r[1],
                customer_code=r[2],
                period=r[3],
                amount_due=Decimal(r[4]) if r[4] is not None else None,
                status=r[5],
                snippet=snippet(r[6] or "", q.text),
            )
            for r in rows
        ]
        return SearchResult(total=total, hits=hits, facets=facets)

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


def _facet_sql(col: str, join: str, where: list[str]) -> str:
    conds = " AND ".join([*where, f"d.{col} IS NOT NULL"])
    return f"SELECT d.{col}, count(*) FROM docs d {join} WHERE {conds} GROUP BY d.{col}"  # noqa: S608


def _match_expression(text: str) -> str | None:
    """FTS5 MATCH syntax: every phrase must occur; terms are quoted, so nothing is an operator."""
    phrases = query_phrases(text or "")
    if not phrases:
        return None
    return " AND ".join('"' + " ".join(t.replace('"', "") for t in p) + '"' for p in phrases)


def _order(q: SearchQuery, ranked: bool) -> str:
    key = q.sort.lstrip("-")
    if key in SORTS:
        direction = "DESC" if q.sort.startswith("-") else "ASC"
        return f"{SORTS[key]} {direction} NULLS LAST, d.id DESC"
    return "bm25(fts), d.id DESC" if ranked else "d.id DESC"
