"""Amount bins: the embedded index's answer to wide amount ranges.

An amount range over every printed amount ("between 10,000 and 15,000, anywhere") matches a
line or two of most statements. Read entry by entry from an index of amounts, that is about
one and a half entries per statement in the index: 800 ms at a million statements. So the
index also keeps, for each place (summary, line, page) and each narrow band of values (a bin),
the ids of the statements with an amount in it, as one packed array. A range then reads the
bins that lie wholly inside it as a few arrays, and only its two ragged ends amount by amount.

A bin holds the amounts that share their first four significant digits (amounts under 100.00
each have their own): 0.01%–0.1% of the value wide, whatever the currency or the size of the
business, so the ends of a range are a sliver of it. The bins are fixed by the value alone,
never by the data, so a document is filed without knowing the others.

`key()` here and `key_sql()` in SQL give the same bin; a test holds them together.
"""

from __future__ import annotations

DIGITS = 4  # significant digits shared by one bin's amounts
SPLIT = 10**DIGITS  # amounts (in cents) below this each have a bin of their own
UNBOUNDED = 10**17  # cents beyond any amount a statement prints: an open end of a range


def key(cents: int) -> int:
    """The bin of an amount in cents. Keys grow with the amount, so bins between two keys are
    the bins between their amounts."""
    size = abs(cents)
    if size < SPLIT:
        return cents
    digits = len(str(size))
    bin_ = digits * SPLIT + size // 10 ** (digits - DIGITS)
    return bin_ if cents > 0 else -bin_


def key_sql(column: str) -> str:
    """`key()` as an SQL expression over an integer column of cents."""
    size = f"abs({column})"
    bin_ = f"(length({size}) * {SPLIT} + CAST(substr({size}, 1, {DIGITS}) AS INTEGER))"
    return (
        f"(CASE WHEN {size} < {SPLIT} THEN {column} WHEN {column} > 0 THEN {bin_} ELSE -{bin_} END)"
    )


def bounds(bin_: int) -> tuple[int, int]:
    """The lowest and highest amount (cents) in a bin."""
    size = abs(bin_)
    if size < SPLIT:
        return bin_, bin_
    digits, top = divmod(size, SPLIT)
    width = 10 ** (digits - DIGITS)
    low, high = top * width, (top + 1) * width - 1
    return (low, high) if bin_ > 0 else (-high, -low)


def plan(low: int | None, high: int | None) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """How to read the amounts between `low` and `high` (cents, inclusive; None is open):
    the range of bins wholly inside (inclusive keys, or None), and the ranges of amounts at
    the ragged ends, to be read one by one."""
    low = -UNBOUNDED if low is None else low
    high = UNBOUNDED if high is None else high
    first, last = key(low), key(high)
    if first >= last:  # one bin, or an empty range: amount by amount
        return None, [(low, high)] if low <= high else []
    ends = []
    if bounds(first)[0] < low:
        ends.append((low, bounds(first)[1]))
        first += 1  # keys are integers in order: the next bin, whatever its key, is above
    if bounds(last)[1] > high:
        ends.append((bounds(last)[0], high))
        last -= 1
    return ((first, last) if first <= last else None), ends
