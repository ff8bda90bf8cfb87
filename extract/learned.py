"""Rules learned from reviewers: where a field stood on one layout, applied to the next
statement of that layout. Pure functions (the archive stores the rules, the caller passes
them in).

A statement's layout is recognised by its fingerprint: the printed words that are not
figures (Latin words, and pairs of neighbouring Chinese characters, so that the text layer
of a PDF and an OCR reading of a scan give much the same set). Two statements of one
sender share their labels, headings and legends; customer names and transaction texts
differ, so layouts are compared by overlap (`similarity`) rather than equality.

A rule remembers, for one field: the word that marks it (its label, or a sender's own code
such as "[K3]"), where that word stood on the page, the words around it, and where the
value stood relative to it. To apply it, the marking word is found again (the one whose
position and neighbours fit best when it is printed twice, as codes in a legend are) and
the value of the field's kind is read where the rule says it stands.

A rule's confidence grows each time a reviewer confirms what it read and drops each time
a reviewer corrects it (`rule_confidence`); arithmetic and the customer master still check
its values afterwards, as they check the parser's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from extract.arithmetic import AMOUNT_FIELDS
from extract.types import Box, FieldValue, Page, Source, Word
from extract.values import _is_cjk, parse_amount, parse_date, parse_period

SOURCE = Source.LEARNED
# one sender's statements overlap 0.5-0.85 (a noisy 200 dpi scan 0.4), other layouts < 0.25
MIN_SIMILARITY = 0.33
# A rule whose marking word was not read (OCR lost "[K3]") still finds its value where it
# stood on the page, at this share of its confidence: a reviewer sees it.
POSITION_ONLY = 0.85
MAX_SPAN = 4  # words one value may be printed in ("¥ 12,345.67", "2026 年 10 月")
# How far a value may stand from where the rule expects it, in fractions of the page.
X_SLACK = 0.04
Y_SLACK = 0.012
CONTEXT_WORDS = 6  # neighbours of the marking word remembered to tell two of them apart
ABOVE_LINES = 4  # a label above its value stands at most this many line heights higher

DATE_FIELDS = ("statement_date", "due_date", "period_start", "period_end")
TEXT_FIELDS = ("customer_code", "customer_name", "statement_no", "currency")
LEARNABLE = (*AMOUNT_FIELDS, *DATE_FIELDS, "period", *TEXT_FIELDS)


@dataclass(frozen=True)
class Rule:
    """Where one field stands on one layout (positions are fractions of the page)."""

    field: str
    anchor: str  # the marking word, as `key` gives it
    page: int
    anchor_at: tuple[float, float]  # left, top of the marking word
    offset: tuple[float, float, float, float]  # value box minus the anchor's left/top
    context: tuple[str, ...] = ()
    hits: int = 1  # times a reviewer stated or confirmed the value it reads
    misses: int = 0  # times a reviewer corrected it
    id: int | None = None  # the archive's id, for provenance

    def to_json(self) -> dict[str, Any]:
        return {
            "anchor_at": list(self.anchor_at),
            "offset": list(self.offset),
            "context": list(self.context),
        }

    @classmethod
    def from_json(cls, field: str, anchor: str, page: int, spec: Mapping[str, Any], **kw) -> Rule:
        return cls(
            field=field,
            anchor=anchor,
            page=page,
            anchor_at=tuple(spec["anchor_at"]),
            offset=tuple(spec["offset"]),
            context=tuple(spec.get("context", ())),
            **kw,
        )


@dataclass(frozen=True)
class Layout:
    """A layout's fingerprint and the rules learned on it."""

    fingerprint: frozenset[str]
    rules: tuple[Rule, ...]
    id: int | None = None


# --------------------------------------------------------------------------- fingerprint

_LATIN = re.compile(r"[a-z][a-z0-9]*")


def key(text: str) -> str:
    """A word as rules compare it: NFKC, lower case, letters, digits and CJK only
    ("[K3]" and OCR's "(K3]" are both "k3")."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def fingerprint(pages: Sequence[Page]) -> frozenset[str]:
    """The label-like text of the first page: Latin words and CJK character pairs."""
    if not pages:
        return frozenset()
    out: set[str] = set()
    for line in _lines(pages[0].words):
        text = key("".join(w.text for w in line))
        joined = " ".join(key(w.text) for w in line)
        for token in _LATIN.findall(joined):
            if sum(ch.isdigit() for ch in token) <= 2 and len(token) >= 2:
                out.add(token)
        cjk = [ch if _is_cjk(ch) else " " for ch in text]
        for a, b in zip(cjk, cjk[1:], strict=False):
            if a != " " and b != " ":
                out.add(a + b)
    return frozenset(out)


def similarity(a: Iterable[str], b: Iterable[str]) -> float:
    """Jaccard overlap of two fingerprints, 0..1."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def matching(layouts: Sequence[Layout], pages: Sequence[Page]) -> list[tuple[float, Layout]]:
    """The stored layouts this statement is one of, most similar first."""
    fp = fingerprint(pages)
    scored = [(similarity(fp, lay.fingerprint), lay) for lay in layouts]
    return sorted(((s, lay) for s, lay in scored if s >= MIN_SIMILARITY), key=lambda t: -t[0])


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Span:
    page: Page
    words: tuple[Word, ...]
    box: Box

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def confidence(self) -> float:
        return min(w.confidence for w in self.words)


def with_lines(words: Sequence[Word]) -> list[Word]:
    """The words with line numbers from their geometry (stored words carry none)."""
    return [replace(w, line=i) for i, line in enumerate(_lines(words)) for w in line]


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by their vertical middle (stored words carry no line numbers)."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        mid, h = (w.box[1] + w.box[3]) / 2, w.box[3] - w.box[1]
        if out:
            last = out[-1][-1]
            lmid, lh = (last.box[1] + last.box[3]) / 2, last.box[3] - last.box[1]
            if abs(mid - lmid) <= 0.5 * max(h, lh, 1.0):
                out[-1].append(w)
                continue
        out.append([w])
    return [sorted(line, key=lambda w: w.box[0]) for line in out]


def _union(words: Sequence[Word]) -> Box:
    return (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )


def _spans(page: Page) -> list[_Span]:
    out = []
    for line in _lines(page.words):
        for i in range(len(line)):
            for j in range(i + 1, min(i + MAX_SPAN, len(line)) + 1):
                words = tuple(line[i:j])
                out.append(_Span(page, words, _union(words)))
    return out


def _rel(page: Page, x: float, y: float) -> tuple[float, float]:
    return x / max(page.width, 1.0), y / max(page.height, 1.0)


# --------------------------------------------------------------------------- values


def read_value(name: str, text: str) -> Any:
    """The field's value when `text` is one value of its kind and nothing else, else None."""
    text = text.strip()
    if not text:
        return None
    if name in AMOUNT_FIELDS:
        return parse_amount(text)
    if name in DATE_FIELDS:
        return parse_date(text)
    if name == "period":
        found = parse_period(text)
        return found[0] if found else None
    if name in ("customer_code", "statement_no", "currency"):
        return text if " " not in text and len(text) <= 64 else None
    return text if len(text) <= 255 else None


def same_value(name: str, a: Any, b: Any) -> bool:
    """Two values of one field that are the same (amounts as numbers, text without spaces)."""
    if a is None or b is None:
        return False
    if name in AMOUNT_FIELDS:
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except ArithmeticError:
            return False
    if isinstance(a, date) or isinstance(b, date):
        return str(a) == str(b)
    return key(str(a)) == key(str(b))


def _is_label(word: Word) -> bool:
    """A word that can mark a value: it has letters and is no figure or date."""
    k = key(word.text)
    if not k or not any(ch.isalpha() for ch in k):
        return False
    return parse_amount(word.text) is None and parse_date(word.text) is None


# --------------------------------------------------------------------------- learning


def learn(
    pages: Sequence[Page], name: str, value: Any, *, box: Box | None = None, page: int | None = None
) -> Rule | None:
    """A rule for field `name` from the words where `value` is printed, or None when the
    value is not on the pages, nothing marks it, or it is printed in several places and
    `box` (and `page`), where the reviewer pointed at it, does not say which one."""
    if name not in LEARNABLE or value in (None, ""):
        return None
    found = []
    for p in pages:
        if page is not None and p.number != page:
            continue
        for span in _spans(p):
            if same_value(name, read_value(name, span.text), value):
                found.append(span)
    # the shortest spans that read the value: "12,345.67", not "¥ 12,345.67 元"
    found = [s for s in found if not any(o is not s and _inside(o, s) for o in found)]
    if box is not None:
        found.sort(key=lambda s: _distance(s.box, box))
    elif len({(s.page.number, s.box) for s in found}) > 1:
        return None  # printed in two places (charges equal to the amount due): which one?
    best = None
    for span in found:
        anchor = _anchor_of(span)
        if anchor is not None:
            best = (span, anchor)
            break
    if best is None:
        return None
    span, anchor = best
    p = span.page
    ax, ay = anchor.box[0], anchor.box[1]
    offset = (
        (span.box[0] - ax) / max(p.width, 1.0),
        (span.box[1] - ay) / max(p.height, 1.0),
        (span.box[2] - ax) / max(p.width, 1.0),
        (span.box[3] - ay) / max(p.height, 1.0),
    )
    return Rule(
        field=name,
        anchor=key(anchor.text),
        page=p.number,
        anchor_at=_rel(p, ax, ay),
        offset=tuple(round(v, 5) for v in offset),
        context=_context(p, anchor),
    )


def _inside(inner: _Span, outer: _Span) -> bool:
    return inner.page is outer.page and set(inner.words) < set(outer.words)


def _distance(a: Box, b: Box) -> float:
    ca = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2)
    cb = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    return abs(ca[0] - cb[0]) + abs(ca[1] - cb[1])


def _anchor_of(span: _Span) -> Word | None:
    """The word that marks a value: the nearest label before it on its line, else the
    nearest label above it that does not start right of the value (labels precede values
    in reading order; a label up and to the right belongs to the next box)."""
    left, top, right, bottom = span.box
    height = max(bottom - top, 1.0)
    mid = (top + bottom) / 2
    best, best_d = None, None
    for w in span.page.words:
        if w in span.words or not _is_label(w):
            continue
        wmid = (w.box[1] + w.box[3]) / 2
        if abs(wmid - mid) <= 0.5 * height and w.box[2] <= left + 1:
            d = left - w.box[2]  # same line, to the left
        elif w.box[3] <= top + 0.3 * height and top - w.box[3] <= ABOVE_LINES * height:
            if w.box[0] > right:
                continue
            d = (top - w.box[3]) * 2 + max(0.0, left - w.box[2]) + max(0.0, w.box[0] - left)
        else:
            continue
        if best_d is None or d < best_d:
            best, best_d = w, d
    return best


def _context(page: Page, anchor: Word) -> tuple[str, ...]:
    """The keys of the label words nearest the anchor, nearest first."""
    near = sorted(
        (w for w in page.words if w is not anchor and _is_label(w)),
        key=lambda w: _distance(w.box, anchor.box),
    )
    out: list[str] = []
    for w in near:
        k = key(w.text)
        if k and k not in out:
            out.append(k)
        if len(out) >= CONTEXT_WORDS:
            break
    return tuple(out)


# --------------------------------------------------------------------------- applying


def rule_confidence(hits: int, misses: int) -> float:
    """A rule's trust: 0.82 once stated, 0.91 once confirmed, near 0.97 after more
    confirmations; each correction takes 0.15 off. Below the usual review threshold (0.9)
    until a reviewer has seen it hold once, unless arithmetic vouches for its value."""
    grown = 0.98 - 0.16 * 0.45 ** max(0, hits - 1)
    return round(max(0.05, min(0.98, grown - 0.15 * misses)), 4)


def apply(pages: Sequence[Page], layouts: Sequence[Layout]) -> dict[str, FieldValue]:
    """Fields read by the rules of the stored layouts this statement is one of; for each
    field the rule of the most similar layout that finds a value wins."""
    out: dict[str, FieldValue] = {}
    for _, layout in matching(layouts, pages):
        for rule in layout.rules:
            if rule.field in out:
                continue
            fv = apply_rule(pages, rule)
            if fv is not None:
                out[rule.field] = fv
    return out


def apply_rule(pages: Sequence[Page], rule: Rule) -> FieldValue | None:
    page = next((p for p in pages if p.number == rule.page), None)
    if page is None:
        return None
    spans = None
    best = None
    for anchor in _anchors(page, rule.anchor):
        if spans is None:
            spans = [s for s in _spans(page) if read_value(rule.field, s.text) is not None]
        found = _value_at(page, anchor, rule, spans)
        if found is None:
            continue
        span, off = found
        ax, ay = _rel(page, anchor.box[0], anchor.box[1])
        moved = abs(ax - rule.anchor_at[0]) + abs(ay - rule.anchor_at[1])
        shared = len(set(rule.context) & set(_context(page, anchor)))
        score = off + moved - 0.02 * shared
        if best is None or score < best[0]:
            best = (score, span)
    factor = 1.0
    if best is None and spans is None:  # the marking word is nowhere on the page
        spans = [s for s in _spans(page) if read_value(rule.field, s.text) is not None]
        ghost = Word(rule.anchor, _ghost_box(page, rule), 0.0)
        found = _value_at(page, ghost, rule, spans)
        if found is not None:
            best, factor = (found[1], found[0]), POSITION_ONLY
    if best is None:
        return None
    span = best[1]
    value = read_value(rule.field, span.text)
    # the place is learned; a poorly read figure still costs confidence
    reading = min(1.0, span.confidence / 0.8) * factor
    return FieldValue(
        name=rule.field,
        value=value,
        confidence=round(rule_confidence(rule.hits, rule.misses) * reading, 4),
        source=SOURCE,
        page=page.number,
        box=span.box,
        raw=span.text,
    )


def _ghost_box(page: Page, rule: Rule) -> Box:
    """Where the marking word stood when the rule was learned, on this page."""
    x, y = rule.anchor_at[0] * page.width, rule.anchor_at[1] * page.height
    return (x, y, x, y)


def _anchors(page: Page, anchor: str) -> list[Word]:
    return [w for w in page.words if key(w.text) == anchor]


def _value_at(
    page: Page, anchor: Word, rule: Rule, spans: list[_Span]
) -> tuple[_Span, float] | None:
    """The span of the field's kind nearest where the rule expects it from this anchor."""
    w, h = max(page.width, 1.0), max(page.height, 1.0)
    ax, ay = anchor.box[0] / w, anchor.box[1] / h
    el, et, er, eb = (
        ax + rule.offset[0],
        ay + rule.offset[1],
        ax + rule.offset[2],
        ay + rule.offset[3],
    )
    best = None
    for span in spans:
        sl, st, sr, sb = span.box[0] / w, span.box[1] / h, span.box[2] / w, span.box[3] / h
        dx = min(abs(sl - el), abs(sr - er))  # left- or right-aligned, as the value was
        dy = abs((st + sb) / 2 - (et + eb) / 2)
        if dx > X_SLACK or dy > Y_SLACK:
            continue
        # of spans standing at one place, the one as wide as the value was (all its words)
        d = dx + dy + 0.2 * abs((sr - sl) - (er - el))
        if best is None or d < best[1]:
            best = (span, d)
    return best


def merge(
    parsed: Mapping[str, FieldValue], learned: Mapping[str, FieldValue]
) -> dict[str, FieldValue]:
    """The parser's fields with the learned ones: a learned value replaces a missing one,
    or a different one read less surely; a value both read keeps the surer confidence.
    Values from our QR code or a reviewer are never replaced."""
    out = dict(parsed)
    for name, fv in learned.items():
        mine = parsed.get(name)
        if mine is None or mine.value is None:
            out[name] = fv
        elif mine.source in (Source.QR, Source.MANUAL, Source.COVER):
            continue
        elif same_value(name, mine.value, fv.value):
            if fv.confidence > mine.confidence:
                out[name] = replace(fv, same_as=mine.same_as)
        elif fv.confidence >= mine.confidence:
            out[name] = fv
    return out
