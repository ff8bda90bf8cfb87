"""Learning from reviewers: what a correction or confirmation teaches about a layout.

When a reviewer saves a statement (the review page or `PATCH /api/v1/documents/<id>/fields`),
`observe` looks at each field:
- a value a learned rule read and the reviewer kept: the rule held (one more hit);
- a value a learned rule read and the reviewer changed: the rule missed, and it is learned
  again from where the corrected value stands;
- a value the reviewer typed or changed, or a weak one they confirmed: a rule is learned
  from where the value stands on the page (its words are found there by value, so typing,
  clicking a word, drawing a box and the API all teach the same way).
Rules belong to a layout (extract.learned.fingerprint), not to one customer: the next
statement of that layout, whoever it is for, is read with them (`layouts` loads them for the
worker). Admins list and forget them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive import audit, config
from archive.models import Document, LearnedLayout, LearnedRule, utcnow
from archive.users import review_threshold
from extract import learned
from extract.types import Page, Word

# A field's state before the reviewer saved: (value, source, confidence).
Before = dict[str, tuple[str | None, str | None, float | None]]


def pages_of(doc: Document) -> list[Page]:
    """The document's pages with their stored words, as extraction read them."""
    out = []
    for p in doc.pages:
        words = [
            Word(str(w[0]), (float(w[1]), float(w[2]), float(w[3]), float(w[4])), float(w[5]))
            for w in p.words or []
            if len(w) >= 6
        ]
        words = learned.with_lines(words)
        out.append(Page(p.number, p.width, p.height, p.dpi, p.source, words=words))
    return out


def to_layout(row: LearnedLayout) -> learned.Layout:
    rules = tuple(
        learned.Rule.from_json(
            r.field, r.anchor, r.page, r.spec, hits=r.hits, misses=r.misses, id=r.id
        )
        for r in row.rules
    )
    return learned.Layout(frozenset(row.fingerprint or ()), rules, row.id)


def layouts(s: Session) -> list[learned.Layout]:
    """Every learned layout with its rules, for extraction."""
    rows = s.scalars(select(LearnedLayout).options(selectinload(LearnedLayout.rules)))
    return [to_layout(r) for r in rows if r.rules]


def layout_of(s: Session, pages: list[Page]) -> LearnedLayout | None:
    """The stored layout these pages are one of (the most similar), or None."""
    fp = learned.fingerprint(pages)
    best, best_sim = None, learned.MIN_SIMILARITY
    for row in s.scalars(select(LearnedLayout)):
        sim = learned.similarity(fp, row.fingerprint or ())
        if sim >= best_sim:
            best, best_sim = row, sim
    return best


def observe(s: Session, doc: Document, before: Before, changed: set[str], user: str) -> list[str]:
    """Learn from a reviewer's save of `doc` (in session `s`); the fields learned or updated.

    `before`: the fields as extraction (or an earlier review) left them."""
    threshold = review_threshold(s, config.load().review_threshold)
    pages = pages_of(doc)
    if not pages or not any(p.words for p in pages):
        return []
    row = layout_of(s, pages)
    taught = []
    for name in learned.LEARNABLE:
        value = doc.value(name)
        old_value, old_source, old_conf = before.get(name, (None, None, None))
        rule = _rule(row, name)
        if old_source == learned.SOURCE and rule is not None:
            if name in changed:
                rule.misses += 1
            else:
                rule.hits += 1
                taught.append(name)
                continue
        elif name not in changed and (old_conf is None or old_conf >= threshold):
            continue  # read well and left alone: nothing to teach
        if value is None:
            continue
        found = learned.learn(pages, name, _typed(name, value))
        if found is None:
            continue
        if row is None:
            row = new_layout(s, pages, doc.value("customer_code"))
        if rule is None:
            rule = LearnedRule(field=name, hits=0, misses=0)
            row.rules.append(rule)
        rule.anchor, rule.page, rule.spec = found.anchor, found.page, found.to_json()
        rule.hits = max(1, rule.hits) if name not in changed else 1
        rule.document_id, rule.user, rule.example = doc.id, user, value
        rule.updated_at = utcnow()
        taught.append(name)
    if taught:
        audit.record(s, "learned", user=user, document_id=doc.id, fields=taught)
    return taught


def _rule(row: LearnedLayout | None, name: str) -> LearnedRule | None:
    if row is None:
        return None
    return next((r for r in row.rules if r.field == name), None)


def _typed(name: str, value: str) -> Any:
    return learned.read_value(name, value) or value


def new_layout(s: Session, pages: list[Page], customer_code: str | None) -> LearnedLayout:
    """A layout for these pages, first seen for this customer."""
    row = LearnedLayout(
        fingerprint=sorted(learned.fingerprint(pages)),
        title=_title(pages[0]),
        customer_code=customer_code,
    )
    s.add(row)
    return row


def _title(page: Page) -> str:
    """The layout's name for people: the largest print near the top of its first page."""
    top = [w for w in page.words if w.box[1] < page.height / 3 and learned.key(w.text)]
    if not top:
        return ""
    tallest = max(w.box[3] - w.box[1] for w in top)
    big = [w for w in top if w.box[3] - w.box[1] >= 0.8 * tallest]
    return " ".join(w.text for w in sorted(big, key=lambda w: (w.box[1], w.box[0])))[:255]


@dataclass
class Provenance:
    field: str
    rule_id: int
    layout_id: int
    layout: str
    document_id: int | None
    user: str | None
    at: Any
    hits: int
    misses: int
    confidence: float


def provenance(s: Session, doc: Document) -> dict[str, Provenance]:
    """Where each learned value of `doc` was learned: the rule, its statement and reviewer."""
    names = {f.name for f in doc.fields if f.source == learned.SOURCE}
    if not names:
        return {}
    row = layout_of(s, pages_of(doc))
    out = {}
    for name in names:
        rule = _rule(row, name)
        if rule is not None:
            out[name] = Provenance(
                name,
                rule.id,
                row.id,
                row.title,
                rule.document_id,
                rule.user,
                rule.updated_at,
                rule.hits,
                rule.misses,
                learned.rule_confidence(rule.hits, rule.misses),
            )
    return out


def listing(s: Session) -> list[LearnedLayout]:
    """Every learned layout with its rules, newest first (the admin page)."""
    return list(
        s.scalars(
            select(LearnedLayout)
            .options(selectinload(LearnedLayout.rules))
            .order_by(LearnedLayout.updated_at.desc(), LearnedLayout.id.desc())
        )
    )


def forget(s: Session, user: str, *, layout_id: int | None = None, rule_id: int | None = None):
    """Forget one rule, or a whole layout; True when there was something to forget."""
    target = s.get(LearnedRule, rule_id) if rule_id else s.get(LearnedLayout, layout_id)
    if target is None:
        return False
    detail = {"rule": rule_id} if rule_id else {"layout": layout_id}
    s.delete(target)
    audit.record(s, "forgot_learned", user=user, **detail)
    return True
