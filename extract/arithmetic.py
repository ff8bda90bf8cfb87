"""A statement's arithmetic as evidence for which printed amount is which.

opening + charges − payments = closing, and amount due = closing where both are printed
(a credit balance leaves nothing to pay). Pure functions on Decimal values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

AMOUNT_FIELDS = ("opening_balance", "charges", "payments", "closing_balance", "amount_due")
BALANCE = ("opening_balance", "charges", "payments", "closing_balance")
# No customer statement is for ten trillion or more; a larger figure is a misread, a test or
# an attack, and it would not fit the index's 64-bit cents. Such values go to review.
MAX_AMOUNT = Decimal(10) ** 13


def amount_in_range(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < MAX_AMOUNT

T = TypeVar("T")


def balance_holds(opening: Decimal, charges: Decimal, payments: Decimal, closing: Decimal) -> bool:
    """opening + charges − payments = closing; payments may be printed as a credit (-2,000)."""
    return opening + charges - payments == closing or (
        payments < 0 and opening + charges + payments == closing
    )


def due_matches(due: Decimal, closing: Decimal) -> bool:
    """The amount due is the closing balance, or nothing when the balance is a credit."""
    return due == closing or (closing < 0 and due == 0)


def checks(values: Mapping[str, Decimal], placed: set[str] | None = None) -> int:
    """How many checks vouch for the values (balance identity 2, due = closing 1); 0 when
    a check fails, or when one of `placed` takes part in none."""
    checked: set[str] = set()
    weight = 0
    if all(n in values for n in BALANCE):
        if not balance_holds(*(values[n] for n in BALANCE)):
            return 0
        checked.update(BALANCE)
        weight += 2
    due, closing = values.get("amount_due"), values.get("closing_balance")
    if due is not None and closing is not None:
        if not due_matches(due, closing):
            return 0
        checked.update(("amount_due", "closing_balance"))
        weight += 1
    return weight if (placed or set()) <= checked else 0


def consistent_choice(
    options: Mapping[str, Sequence[T]],
    value: Callable[[T], Decimal],
    score: Callable[[T], float],
    same: Callable[[T, T], bool],
) -> dict[str, T] | None:
    """Among each field's options (best first), the one pick per field under which the
    statement adds up, preferring more checks, then the highest total score. None when no
    pick adds up or two equally good picks give different values. `same` says when two
    options are one printed figure, which only closing balance and amount due may share."""
    names = [n for n in AMOUNT_FIELDS if options.get(n)]
    ranked: list[tuple[tuple[int, float], dict[str, T]]] = []
    for picks in itertools.product(*(options[n] for n in names)):
        chosen = dict(zip(names, picks, strict=True))
        if _shared(chosen, same):
            continue
        n_checks = checks({n: value(p) for n, p in chosen.items()})
        if n_checks:
            ranked.append(((n_checks, sum(score(p) for p in picks)), chosen))
    if not ranked:
        return None
    ranked.sort(key=lambda r: r[0], reverse=True)
    top_rank, top = ranked[0]
    for rank, other in ranked[1:]:
        if rank != top_rank:
            break
        if any(value(other[n]) != value(top[n]) for n in top):
            return None
    return top


def _shared(chosen: Mapping[str, T], same: Callable[[T, T], bool]) -> bool:
    pairs = itertools.combinations(chosen.items(), 2)
    allowed = {"closing_balance", "amount_due"}
    return any(same(a, b) and {na, nb} != allowed for (na, a), (nb, b) in pairs)
