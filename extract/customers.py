"""Match a printed customer code and name to the customer master.

Order of evidence: the code (exact after normalization, then with the OCR confusions
O/0 and I/l/1 when that still names one customer), then the exact name or an alias after
normalization, then a fuzzy name match. Unknown customers give None: they go to review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

# Scores in 0..1 (bench/accuracy.py measures them against the review threshold).
CODE_EXACT = 1.0
CODE_CONFUSED = 0.95  # matched only after reading O as 0 / I, l as 1
CODE_PREFIX_LOST = 0.85  # matched by its digits only: "0042" or "©0042" for C0042
MIN_PREFIX_DIGITS = 3  # fewer digits name too many codes to guess the letters
NAME_EXACT = 1.0
ALIAS_EXACT = 0.98
AMBIGUOUS = 0.6  # factor when two customers match (almost) equally well
FUZZY_CUTOFF = 85.0  # rapidfuzz similarity (0..100) below which a name is unknown
AMBIGUITY_MARGIN = 5.0  # a runner-up this close to the best makes a fuzzy match ambiguous
CODE_NAME_CONFLICT = 0.5  # the code names one customer, the name another
NAME_UNLIKE_CODE = 0.75  # factor: the name fits nobody and looks nothing like the code's customer
NAME_UNLIKE_CUTOFF = 60.0
UNKNOWN_CODE = 0.85  # factor: the name matched but the printed code is not in the master
CONFIRMED_BONUS = 0.05  # code and name agree

_PUNCT = re.compile(r"[\s()\[\]{}【】（）.,，。、·:：;；'\"‘’“”&＆\-_/\\|*]+")
# Legal-form suffixes, normalized: dropped for the "core" name that fuzzy matching weighs.
_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "集团", "公司",
    "companylimited", "colimited", "coltd", "corporation", "company", "limited", "ltd",
    "inc", "llc", "corp", "gmbh", "co", "plc",
)  # fmt: skip
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class Customer:
    code: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    customer: Customer
    score: float  # 0..1
    method: str  # "code" | "name" | "alias" | "fuzzy"
    detail: str = ""  # why the score is lowered, for review notes


def normalize_code(code: str) -> str:
    """NFKC, upper case, no spaces: " c0042 " and "Ｃ００４２" are "C0042"."""
    return "".join(unicodedata.normalize("NFKC", code).upper().split())


def _confusable(code: str) -> str:
    return normalize_code(code).translate(_CONFUSIONS)


def normalize_name(name: str) -> str:
    """The exact-match key: NFKC, case-folded, without spaces or punctuation."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name).casefold())


def _core(key: str) -> str:
    """A normalized name without its legal-form suffixes (有限公司, Co., Ltd.)."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key, stripped = key[: -len(suffix)], True
    return key


def similarity(a: str, b: str) -> float:
    """0..100: character-level ratio of the whole names and of their cores, averaged.

    Character level works for Chinese (no word breaks) and for OCR errors in Latin
    names; the core half keeps "某某科技有限公司" apart from "某某贸易有限公司".
    """
    ka, kb = normalize_name(a), normalize_name(b)
    if not ka or not kb:
        return 0.0
    full = fuzz.ratio(ka, kb)
    ca, cb = _core(ka), _core(kb)
    return (full + fuzz.ratio(ca, cb)) / 2 if ca and cb else full


def names_of(c: Customer) -> list[tuple[str, str]]:
    """The customer's name and aliases, each with how it names the customer."""
    return [(c.name, "name")] + [(a, "alias") for a in c.aliases]


def match_code(code: str, customers: Sequence[Customer]) -> Match | None:
    key = normalize_code(code)
    if not key:
        return None
    for c in customers:
        if normalize_code(c.code) == key:
            return Match(c, CODE_EXACT, "code")
    confused = _confusable(key)
    found = [c for c in customers if _confusable(c.code) == confused]
    if len(found) == 1:
        detail = f"code {code!r} read as {found[0].code} (O/0, I/1)"
        return Match(found[0], CODE_CONFUSED, "code", detail)
    return _lost_prefix(code, confused, customers)


def _lost_prefix(code: str, confused: str, customers: Sequence[Customer]) -> Match | None:
    """A code whose letters OCR lost or misread ("0007", "©0007" for C0007)."""
    digits = confused.lstrip("^©@(<《«[{")
    if not digits.isdigit() or len(digits) < MIN_PREFIX_DIGITS:
        return None
    found = [
        c
        for c in customers
        if (key := _confusable(c.code)).endswith(digits) and key[: -len(digits)].isalpha()
    ]
    if len(found) != 1:
        return None
    detail = f"code {code!r} read as {found[0].code} (its letters lost in OCR)"
    return Match(found[0], CODE_PREFIX_LOST, "code", detail)


def _exact_name(key: str, customers: Sequence[Customer]) -> Match | None:
    hits = [(c, how) for c in customers for n, how in names_of(c) if normalize_name(n) == key]
    unique = {c.code: (c, how) for c, how in hits}
    if not unique:
        return None
    c, how = hits[0]
    score = NAME_EXACT if how == "name" else ALIAS_EXACT
    if len(unique) > 1:
        others = ", ".join(sorted(unique))
        return Match(c, score * AMBIGUOUS, how, f"name matches several customers: {others}")
    return Match(c, score, how)


def _fuzzy_name(name: str, customers: Sequence[Customer]) -> Match | None:
    scored = sorted(
        ((max(similarity(name, n) for n, _ in names_of(c)), c) for c in customers),
        key=lambda sc: sc[0],
        reverse=True,
    )
    if not scored or scored[0][0] < FUZZY_CUTOFF:
        return None
    best, c = scored[0]
    score = (best / 100) ** 2  # 95 -> 0.90, 90 -> 0.81: fuzzy matches mostly go to review
    if len(scored) > 1 and scored[1][0] >= best - AMBIGUITY_MARGIN:
        other = scored[1][1]
        detail = f"name {name!r} is close to both {c.code} and {other.code}"
        return Match(c, score * AMBIGUOUS, "fuzzy", detail)
    return Match(c, score, "fuzzy", f"name {name!r} matched {c.name!r} approximately")


def match_name(name: str, customers: Sequence[Customer]) -> Match | None:
    key = normalize_name(name)
    if not key:
        return None
    return _exact_name(key, customers) or _fuzzy_name(name, customers)


def _with_name(by_code: Match, by_name: Match | None, name: str) -> Match:
    """A code match, confirmed or doubted by the printed name."""
    c = by_code.customer
    if by_name is not None and by_name.customer.code == c.code:
        return replace(by_code, score=min(1.0, max(by_code.score, by_name.score) + CONFIRMED_BONUS))
    if by_name is not None and by_name.score >= FUZZY_CUTOFF / 100:
        detail = f"code {c.code} is {c.name!r} but the name matches {by_name.customer.code}"
        return replace(by_code, score=CODE_NAME_CONFLICT, detail=detail)
    if max(similarity(name, n) for n, _ in names_of(c)) < NAME_UNLIKE_CUTOFF:
        detail = f"code {c.code} is {c.name!r}, printed name {name!r} does not match"
        return replace(by_code, score=by_code.score * NAME_UNLIKE_CODE, detail=detail)
    return by_code


def match_customer(
    code: str | None, name: str | None, customers: Sequence[Customer]
) -> Match | None:
    """The customer meant by a printed code and/or name, or None when unknown."""
    by_code = match_code(code, customers) if code else None
    by_name = match_name(name, customers) if name else None
    if by_code is not None:
        return _with_name(by_code, by_name, name) if name else by_code
    if by_name is not None and code:
        detail = f"code {code!r} is not in the customer master; matched by name"
        return replace(by_name, score=by_name.score * UNKNOWN_CODE, detail=detail)
    return by_name
