"""Filter and facet columns of the SQLite index, held in memory as arrays.

A word that is on a quarter of 100,000 statements has 25,000 matches. Looking each match up
in SQLite to filter it and count its facets costs several times the 50 ms a search may
take; FTS5 hands over the matching ids quickly, and numpy filters and counts them here.
The copy is reloaded when the index file changes (a write bumps `meta.changes`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

NULL_CENTS = np.iinfo(np.int64).min  # amounts that are not known
DENSE = 4  # ids up to this many times the documents: positions by lookup table
FACET_COLUMNS = (
    "customer_code",
    "period",
    "status",
    "source",
    "created",
    "confirmation",
    "dispute",
)


@dataclass
class Columns:
    stamp: tuple
    ids: np.ndarray  # document ids, ascending
    codes: dict[str, np.ndarray]  # column -> index into its vocabulary, per document
    vocab: dict[str, list]  # column -> its distinct values, sorted (None first)
    cents: np.ndarray
    # position of each id (-1: none), when ids are dense enough for it: the 400,000 ids of a
    # common word among a million documents take 4 ms rather than 15 by binary search, the
    # 1.5 million unsorted ids of a wide amount range 22 ms rather than 420
    slots: np.ndarray | None = None

    @classmethod
    def load(cls, conn: sqlite3.Connection, stamp: tuple) -> Columns:
        rows = conn.execute(
            f"SELECT id, amount_cents, {', '.join(FACET_COLUMNS)} FROM docs ORDER BY id"  # noqa: S608
        ).fetchall()
        cols = list(zip(*rows, strict=True)) if rows else [()] * (2 + len(FACET_COLUMNS))
        ids = np.array(cols[0], dtype=np.int64)
        cents = np.array([NULL_CENTS if c is None else c for c in cols[1]], dtype=np.int64)
        codes, vocab = {}, {}
        for name, values in zip(FACET_COLUMNS, cols[2:], strict=True):
            words = sorted(set(values), key=lambda v: (v is not None, v or ""))
            index = {w: i for i, w in enumerate(words)}
            codes[name] = np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))
            vocab[name] = words
        slots = None
        if len(ids) and ids[0] >= 0 and ids[-1] < DENSE * len(ids):
            slots = np.full(int(ids[-1]) + 1, -1, dtype=np.int64)
            slots[ids] = np.arange(len(ids))
        return cls(stamp, ids, codes, vocab, cents, slots)

    def positions(self, ids: list[int]) -> np.ndarray:
        """Where these document ids are in the arrays (ids not in the table are dropped)."""
        want = np.asarray(ids, dtype=np.int64)
        if self.slots is not None:  # one lookup per id, not a binary search
            inside = (want >= 0) & (want < len(self.slots))
            pos = self.slots[want[inside]]
            return pos[pos >= 0]
        pos = np.searchsorted(self.ids, want)
        found = pos < len(self.ids)
        found[found] = self.ids[pos[found]] == want[found]
        return pos[found]

    def members(self, ids) -> np.ndarray:
        """Per-document mask: the documents whose id is in `ids` (a lookup, not a sort)."""
        out = np.zeros(len(self.ids), dtype=bool)
        out[self.positions(ids)] = True
        return out

    def equal(self, column: str, value: str) -> np.ndarray:
        """Per-vocabulary-entry mask: entries equal to `value`."""
        return np.array([v == value for v in self.vocab[column]], dtype=bool)

    def between(self, column: str, low: str | None, high: str | None) -> np.ndarray:
        return np.array(
            [
                v is not None and (low is None or v >= low) and (high is None or v <= high)
                for v in self.vocab[column]
            ],
            dtype=bool,
        )

    def counts(self, column: str, pos: np.ndarray) -> dict[str, int]:
        tally = np.bincount(self.codes[column][pos], minlength=len(self.vocab[column]))
        return {
            v: int(n) for v, n in zip(self.vocab[column], tally, strict=True) if n and v is not None
        }
