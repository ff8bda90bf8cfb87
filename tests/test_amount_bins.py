"""Amount bins of the embedded index: the same bin in Python and SQL, ranges read exactly,
and bins kept true through every write."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from decimal import Decimal

import pytest

from index import amount_bins
from index.base import PlacedAmount, SearchDoc, SearchQuery
from index.sqlite import SqliteBackend

EDGES = [0, 1, 99, 9_999, 10_000, 10_009, 10_010, 99_999, 100_000, 123_456_789, 10**15]
rng = random.Random(5)
AMOUNTS = sorted(
    {sign * v for v in EDGES for sign in (1, -1)}
    | {rng.randrange(-(10**12), 10**12) for _ in range(3000)}
    | {rng.randrange(-30_000, 30_000) for _ in range(3000)}
)


def test_python_and_sql_agree():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (cents INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(c,) for c in AMOUNTS])
    sql = f"SELECT cents, {amount_bins.key_sql('cents')} FROM t"  # noqa: S608
    assert {c: b for c, b in conn.execute(sql)} == {c: amount_bins.key(c) for c in AMOUNTS}


def test_bins_grow_with_amounts_and_hold_their_bounds():
    keys = [amount_bins.key(c) for c in AMOUNTS]
    assert keys == sorted(keys)
    for c, k in zip(AMOUNTS, keys, strict=True):
        low, high = amount_bins.bounds(k)
        assert low <= c <= high
        assert amount_bins.key(low) == amount_bins.key(high) == k
    # four significant digits: 123,456.78 shares its bin with 123,400.00 to 123,499.99
    assert amount_bins.bounds(amount_bins.key(12_345_678)) == (12_340_000, 12_349_999)
    assert amount_bins.bounds(amount_bins.key(-12_345_678)) == (-12_349_999, -12_340_000)


@pytest.mark.parametrize("seed", range(40))
def test_a_plan_reads_exactly_the_range(seed):
    r = random.Random(seed)
    low, high = sorted(r.choice(AMOUNTS) + r.choice([-1, 0, 1]) for _ in range(2))
    if seed % 5 == 0:
        low = None
    elif seed % 7 == 0:
        high = None
    inner, ends = amount_bins.plan(low, high)
    read = set()
    for c in AMOUNTS:
        in_bins = inner is not None and inner[0] <= amount_bins.key(c) <= inner[1]
        in_ends = any(a <= c <= b for a, b in ends)
        assert not (in_bins and in_ends), c  # each amount read once
        if in_bins or in_ends:
            read.add(c)
    wanted = {c for c in AMOUNTS if (low is None or c >= low) and (high is None or c <= high)}
    assert read == wanted


def test_an_exact_amount_is_read_amount_by_amount():
    assert amount_bins.plan(12_345_678, 12_345_678) == (None, [(12_345_678, 12_345_678)])
    assert amount_bins.plan(5, 4) == (None, [])


def _doc(i: int, cents: list[int]) -> SearchDoc:
    return SearchDoc(
        i, f"{i}.pdf", "accepted", "C001", "华东贸易", "2026-10", None, None,
        Decimal(cents[0]).scaleb(-2) if cents else None, None, "CNY", "cli", "对账单",
        amounts=[PlacedAmount("line", Decimal(c).scaleb(-2), "debit", n, 1)
                 for n, c in enumerate(cents[1:], 1)],
    )  # fmt: skip


def _bins(path) -> set:
    conn = sqlite3.connect(path)
    try:
        return {(p, b, bytes(d)) for p, b, d in conn.execute("SELECT * FROM amount_bins")}
    finally:
        conn.close()


def test_bins_stay_true_through_writes(tmp_path):
    """Bins kept up write by write equal the bins a rebuild files from scratch, and a wide
    range finds what a scan of the documents finds."""
    r = random.Random(9)
    values = [r.randrange(-500_000, 5_000_000) for _ in range(60)]
    index = SqliteBackend(tmp_path / "kept.sqlite3")
    docs: dict[int, SearchDoc] = {}
    for step in range(120):
        i = r.randrange(1, 30)
        if step % 9 == 8 and docs:
            gone = r.choice(sorted(docs))
            index.delete([gone])
            del docs[gone]
        else:
            docs[i] = _doc(i, r.sample(values, r.randrange(0, 6)))
            index.upsert([docs[i]])
    fresh = SqliteBackend(tmp_path / "fresh.sqlite3")
    fresh.rebuild(docs.values())
    assert _bins(tmp_path / "kept.sqlite3") == _bins(tmp_path / "fresh.sqlite3")
    for _ in range(30):
        low, high = sorted(r.sample(values, 2))
        q = SearchQuery(amount_min=Decimal(low).scaleb(-2), amount_max=Decimal(high).scaleb(-2))
        scanned = sorted(
            d.id for d in docs.values()
            if any(low <= c * 100 <= high for c in (a.amount for a in d.placed_amounts()))
        )  # fmt: skip
        assert sorted(h.id for h in index.search(dataclasses.replace(q, limit=100)).hits) == scanned


def test_an_index_from_before_bins_gains_them_on_opening(tmp_path):
    path = tmp_path / "search.sqlite3"
    index = SqliteBackend(path)
    index.rebuild([_doc(1, [123_456, 7_000_000]), _doc(2, [50_000])])
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE amount_bins")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    reopened = SqliteBackend(path)
    assert not reopened.outdated
    hits = reopened.search(SearchQuery(amount_min=Decimal("1000"), amount_max=Decimal("80000")))
    assert [h.id for h in hits.hits] == [1]
    assert len(_bins(path)) == 3
