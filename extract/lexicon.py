"""The label lexicon (extract/lexicon.toml) and where its labels occur in a line of text.

The words are data, kept with where each comes from; this module only compiles them.
Chinese labels also match with one OCR space between characters, with 帐 for 账, 未 for
末, in traditional characters, and (4+ characters, at the start of a cell) with one
character misread, added or lost, when no other field's label is as close. English labels
match case-insensitively on word boundaries, "." optional, with 0 for o and 1 for l.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import Levenshtein

from extract.values import _CJK, _CJK_RANGE, CELL, _is_cjk

STRONG = 0.9  # a specific label: 客户编号, Statement Date, 期末余额
WEAK = 0.7  # a generic label: 客户, 日期, Date, Period, Ref
FUZZY_LABEL = 0.85  # factor: a label read with one character wrong, added or lost
_STRENGTHS = {"strong": STRONG, "weak": WEAK}
DECOY = "decoy"  # the field of labels of things that are not statement fields


@cache
def load() -> dict[str, Any]:
    """The lexicon file as data."""
    text = resources.files("extract").joinpath("lexicon.toml").read_text("utf-8")
    return tomllib.loads(text)


def terms() -> list[dict[str, Any]]:
    """Every field term: text, field ("decoy" for non-fields), strength, source, sign."""
    return list(load()["term"])


_VARIANTS = load()["variants"]
_TRADITIONAL = str.maketrans(_VARIANTS["simplified"], _VARIANTS["traditional"])
# the characters the two scripts write differently, in each script's form
_DIFFERING = [
    (a, b) for a, b in zip(_VARIANTS["simplified"], _VARIANTS["traditional"], strict=True) if a != b
]
_SIMPLIFIED_ONLY = frozenset(a for a, _ in _DIFFERING)
_TRADITIONAL_ONLY = frozenset(b for _, b in _DIFFERING)
_LATIN_CONFUSIONS = str.maketrans({"o": "[o0]", "O": "[O0]", "l": "[l1]", "L": "[L1]"})
_FIRST_CONFUSIONS = {"o": "0", "l": "1"}


@dataclass(frozen=True)
class _Label:
    rx: re.Pattern[str]
    field: str | None  # None: a decoy
    strength: float
    short: bool  # a 1-2 character Chinese label: needs a boundary before it
    first: str  # its first character, lower case
    sign: int


@dataclass(frozen=True)
class Hit:
    field: str | None  # None: a decoy
    strength: float
    start: int
    end: int
    sign: int = 1  # -1: the label says the amount is a credit (贷方余额)


def _forms() -> dict[str, str]:
    """Each Chinese character of the variants table -> a regex class of its forms."""
    groups: dict[str, set[str]] = {}
    for s, t in zip(_VARIANTS["simplified"], _VARIANTS["traditional"], strict=True):
        group = groups.get(s, set()) | groups.get(t, set()) | {s, t}
        for ch in group:
            groups[ch] = group
    return {ch: "[" + "".join(sorted(g)) + "]" for ch, g in groups.items()}


# OCR and typists mix the two scripts within one label (對帐單号): each character of a
# label matches in either form.
_FORMS = _forms()


def label_regex(label: str) -> str:
    if _CJK.search(label):
        return " ?".join(_FORMS.get(ch) or re.escape(ch) for ch in label)
    words = [re.escape(w).replace(r"\.", r"\.?") for w in label.split()]
    # OCR reads o as 0 and l as 1 inside words too: "0pening Balance", "C1osing"
    words = [w.translate(_LATIN_CONFUSIONS) for w in words]
    return r"(?<![A-Za-z])" + " *".join(words) + r"(?![A-Za-z])"


def traditional_script(texts: list[str]) -> bool:
    """Whether the texts are written in traditional characters (Hong Kong, Taiwan, Macau):
    more of the characters the two scripts write differently are in traditional form."""
    chars = [ch for text in texts for ch in text]
    trad = sum(ch in _TRADITIONAL_ONLY for ch in chars)
    return trad > sum(ch in _SIMPLIFIED_ONLY for ch in chars)


def variants(label: str) -> set[str]:
    # 帐 is an old form of 账; 未 is how OCR often reads 末 (期末余额 -> 期未余额)
    out = {label, label.replace("账", "帐"), label.replace("末", "未")}
    return out | {v.translate(_TRADITIONAL) for v in out}


def _items() -> list[tuple[str, str | None, float, int]]:
    out = []
    for term in terms():
        name = None if term["field"] == DECOY else term["field"]
        strength = _STRENGTHS[term["strength"]] if name else 0.0
        out.append((term["text"], name, strength, int(term.get("sign", 1))))
    return out


def _compile_labels() -> tuple[_Label, ...]:
    out = []
    for label, name, strength, sign in _items():
        for variant in sorted(variants(label)):
            short = bool(_CJK.search(variant)) and len(variant) <= 2
            rx = re.compile(label_regex(variant), re.I)
            out.append(_Label(rx, name, strength, short, variant[0].lower(), sign))
    return tuple(out)


def _first_char_index(labels: tuple[_Label, ...]) -> dict[str, tuple[_Label, ...]]:
    index: dict[str, list[_Label]] = {}
    for lab in labels:
        index.setdefault(lab.first, []).append(lab)
        if lab.first in _FIRST_CONFUSIONS:  # "0pening": tried at a 0 as well
            index.setdefault(_FIRST_CONFUSIONS[lab.first], []).append(lab)
    return {ch: tuple(labs) for ch, labs in index.items()}


_BY_FIRST_CHAR = _first_char_index(_compile_labels())  # try only labels that can start here


def find_hits(text: str) -> list[Hit]:
    """Label occurrences in a line; where labels overlap the longest wins.

    OCR often reads an m as "rn" ("Staternent Number", "Arnount Due"): labels are also
    sought in the line with every "rn" read as m, as labels read with a character wrong."""
    hits = _hits_as_read(text)
    if "rn" not in text:
        return hits
    mended = text.replace("rn", "m")
    where = [i for i, ch in enumerate(text) if not (ch == "n" and i and text[i - 1] == "r")]
    where.append(len(text))  # where each character of `mended` (and its end) stands in text
    more = [
        Hit(h.field, h.strength * FUZZY_LABEL, where[h.start], where[h.end], h.sign)
        for h in _hits_as_read(mended)
    ]
    return _longest_first(hits + more)


def _longest_first(found: list[Hit]) -> list[Hit]:
    """The hits that do not overlap a longer one (or, of two alike, the first), in order."""
    kept: list[Hit] = []
    for h in sorted(found, key=lambda h: (h.start - h.end, h.start)):
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def _hits_as_read(text: str) -> list[Hit]:
    found = []
    for pos, ch in enumerate(text):
        for lab in _BY_FIRST_CHAR.get(ch.lower(), ()):
            m = lab.rx.match(text, pos)
            if m is None or (lab.short and pos > 0 and _is_cjk(text[pos - 1])):
                continue  # 客户 inside 上海客户服务有限公司 is no label
            if ch in "年月日" and pos > 0 and text[pos - 1].isdigit():
                continue  # 月份 in "2026年10月份" is the date's own word
            found.append(Hit(lab.field, lab.strength, m.start(), m.end(), lab.sign))
    kept = _longest_first(found)
    fuzzy = _fuzzy_hits(text, kept)
    kept = [h for h in kept if not any(f.start <= h.start and h.end <= f.end for f in fuzzy)]
    return sorted(kept + fuzzy, key=lambda h: h.start)


# Chinese labels of 4+ characters, and English ones of 10+ ("Initial Balance"), for labels
# OCR misread by one character.
_FUZZY_LABELS: tuple[tuple[str, str | None, float, int], ...] = tuple(
    (variant, name, strength, sign)
    for label, name, strength, sign in _items()
    for variant in variants(label)
    if len(variant) >= 4 and all(_is_cjk(c) for c in variant)
)
_FUZZY_LATIN: tuple[tuple[str, str | None, float, int], ...] = tuple(
    (label.lower(), name, strength, sign)
    for label, name, strength, sign in _items()
    if label.isascii() and len(label) >= 10
)
_CELL_START = re.compile(rf"(?:^|{CELL})[^{_CJK_RANGE}A-Za-z0-9{CELL}]{{0,2}}(?=[{_CJK_RANGE}])")
_CJK_RUN = re.compile(f"[{_CJK_RANGE}]+")
_LATIN_START = re.compile(rf"(?:^|{CELL})[^A-Za-z0-9{CELL}]{{0,2}}(?=[A-Za-z])")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z .'/&#-]*")
_FUZZY_SCRIPTS = (
    (_CELL_START, _CJK_RUN, _FUZZY_LABELS, False),
    (_LATIN_START, _LATIN_RUN, _FUZZY_LATIN, True),
)


def _fuzzy_hits(text: str, exact: list[Hit]) -> list[Hit]:
    """Labels with one character misread, added, or lost by OCR (本期收蒜, 对卫日期,
    本期发生上额, Initlal Balance), where a cell begins and no label was found. Only when
    every label that close names the same field, so 期X余额 (期初 or 期末?) is no label."""
    out = []
    for starts, runs, labels, latin in _FUZZY_SCRIPTS:
        for cell in starts.finditer(text):
            pos = cell.end()
            if not latin and any(h.start <= pos < h.end or h.start == pos for h in exact):
                continue
            run = runs.match(text, pos)
            if run is None or len(run.group()) < 3:
                continue
            word = run.group().lower() if latin else run.group()
            found = _closest(word, labels, latin)
            if found is None:
                continue
            name, strength, size, sign = found
            end = pos + size
            inside = [h for h in exact if h.start < end and pos < h.end]
            # "Initlal Balance" holds the generic label Balance: the longer label wins, as
            # where exact labels overlap
            longer = latin and all(
                pos <= h.start and h.end <= end and h.end - h.start < size for h in inside
            )
            if not inside or longer:
                out.append(Hit(name, strength * FUZZY_LABEL, pos, end, sign))
    return out


def _closest(
    word: str, labels: tuple[tuple[str, str | None, float, int], ...], latin: bool
) -> tuple[str, float, int, int] | None:
    """(field, strength, length, sign) of the labels one edit from the start of `word`,
    when they all name one field; an English label ends where a word does."""
    best: dict[int, list[tuple[str | None, float, int, int]]] = {}
    for label, name, strength, sign in labels:
        for size in (len(label) - 1, len(label), len(label) + 1):
            if size > len(word) or size < 3:
                continue
            if latin and (size < len(word) and word[size].isalpha() or word[size - 1] == " "):
                continue
            dist = Levenshtein.distance(word[:size], label, score_cutoff=1)
            if dist <= 1 and not (latin and dist == 0):  # (an exact one is no misreading)
                best.setdefault(dist, []).append((name, strength, size, sign))
    if not best:
        return None
    close = best[min(best)]
    longest = max(c[2] for c in close)  # 本期收蒜 is 本期收款, not 本期(应)收
    close = [c for c in close if c[2] == longest]
    names = {c[0] for c in close}
    signs = {c[3] for c in close}
    if len(names) != 1 or None in names or len(signs) != 1:
        return None
    field = names.pop()
    assert field is not None
    return field, max(c[1] for c in close), longest, signs.pop()


def phrase_regex(words: list[str]) -> re.Pattern[str]:
    """One pattern matching any of `words` (and their Chinese variants), longest first."""
    alts = sorted({v for w in words for v in variants(w)}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{label_regex(a)})" for a in alts), re.I)


def column_terms() -> dict[str, list[str]]:
    """Header cells of ledger columns: date, voucher, description, debit, credit, ..."""
    return dict(load()["columns"])


def entry_terms() -> dict[str, list[str]]:
    """What a negative amount in one signed column is, by its row's words: payment or
    credit_note."""
    return dict(load()["entries"])


def row_terms() -> dict[str, list[str]]:
    """Ledger row kinds: opening, brought, carried, month_total, year_total, marks."""
    return dict(load()["rows"])


def grid_terms() -> dict[str, list[str]]:
    """A two-way summary table's words: column headers of when (before, during, after the
    period) and row names of what (charges, payments, balance)."""
    return dict(load()["grid"])
