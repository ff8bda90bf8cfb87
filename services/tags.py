"""Tags on documents: coloured labels finance puts on statements by hand (one at a time or on
a whole search result) or by rules applied when a statement arrives.

A rule tags a statement when every condition it has holds: the customer code, the amount (due,
else the closing balance) within a range, and every word in the statement's text. A tag change
re-indexes the documents, so tags are a filter and a facet in search at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive import audit, config, userinput
from archive.management import DocumentTag, Tag, TagRule
from archive.models import FINAL_STATUSES, Document

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_BULK = 10_000  # documents tagged from one search at most


@dataclass
class TagError(ValueError):
    """English text with {placeholders}; shown translated (archive/translations_zh.py)."""

    text: str
    values: dict[str, object]

    def __str__(self) -> str:
        return self.text.format(**self.values)


def _error(text: str, **values: object) -> TagError:
    return TagError(text, values)


def all_tags(s: Session) -> list[Tag]:
    return list(s.scalars(select(Tag).order_by(Tag.name)))


def get_or_create(s: Session, name: str, color: str | None = None, by: str | None = None) -> Tag:
    name = " ".join((name or "").split())
    if not name or len(name) > 64 or "," in name:
        raise _error("a tag name is 1 to 64 characters without commas")
    if color and not COLOR.match(color):
        raise _error("a colour is written like #3366cc, not {color}", color=color)
    tag = s.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name, color=(color or "#5b7db1").lower())
        s.add(tag)
        s.flush()
        audit.record(s, "tag_created", user=by, tag=name, color=tag.color)
    elif color and color.lower() != tag.color:
        tag.color = color.lower()
    return tag


def _named(s: Session, name: str) -> Tag:
    tag = s.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        raise _error("no tag {name}", name=name)
    return tag


def _reindex(s: Session, ids: list[int]) -> None:
    """Search shows the new tags at once; an index that is away catches up later."""
    from index.base import IndexUnavailable
    from index.documents import backend, index_documents

    if not ids:
        return
    s.flush()
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        s.query(Document).filter(Document.id.in_(chunk)).update(
            {Document.index_pending: True}, synchronize_session=False
        )
        try:
            index_documents(s, backend(config.load()), chunk)
        except IndexUnavailable:
            return


def tag_documents(
    s: Session, name: str, ids: list[int], by: str | None, *, color: str | None = None,
    remove: bool = False,
) -> int:  # fmt: skip
    """Put tag `name` on the documents (or take it off); how many changed."""
    if len(ids) > MAX_BULK:
        raise _error("at most {n} documents can be tagged at once", n=MAX_BULK)
    tag = _named(s, name) if remove else get_or_create(s, name, color, by)
    ids = sorted(set(s.scalars(select(Document.id).where(Document.id.in_(ids)))))
    have = set(
        s.scalars(
            select(DocumentTag.document_id).where(
                DocumentTag.tag_id == tag.id, DocumentTag.document_id.in_(ids)
            )
        )
    )
    if remove:
        changed = sorted(have)
        s.execute(
            delete(DocumentTag).where(
                DocumentTag.tag_id == tag.id, DocumentTag.document_id.in_(changed)
            )
        )
    else:
        changed = [i for i in ids if i not in have]
        s.add_all(DocumentTag(document_id=i, tag_id=tag.id, by=by) for i in changed)
    if changed:
        audit.record(s, "tag_removed" if remove else "tag_added", user=by, tag=tag.name,
                     documents=len(changed))  # fmt: skip
    _reindex(s, changed)
    return len(changed)


def delete_tag(s: Session, name: str, by: str | None) -> None:
    tag = _named(s, name)
    ids = list(s.scalars(select(DocumentTag.document_id).where(DocumentTag.tag_id == tag.id)))
    s.execute(delete(DocumentTag).where(DocumentTag.tag_id == tag.id))
    s.execute(delete(TagRule).where(TagRule.tag_id == tag.id))
    s.delete(tag)
    audit.record(s, "tag_deleted", user=by, tag=name)
    _reindex(s, ids)


# -- rules -----------------------------------------------------------------------------------


def add_rule(
    s: Session, tag: str, *, customer: str | None = None, amount_min: str | None = None,
    amount_max: str | None = None, words: str | None = None, color: str | None = None,
    by: str | None = None,
) -> TagRule:  # fmt: skip
    """A rule tagging arriving statements; amounts as typed (parsed as the search form does)."""
    try:
        low = userinput.parse_amount(amount_min)
        high = userinput.parse_amount(amount_max)
    except userinput.InputError as exc:
        raise TagError(exc.message, exc.values) from None
    if low is not None and high is not None and low > high:
        raise _error("the smallest amount {low} is above the largest {high}", low=low, high=high)
    customer = (customer or "").strip() or None
    words = " ".join((words or "").split()) or None
    if customer is None and low is None and high is None and words is None:
        raise _error("a rule needs a customer, an amount range or words")
    rule = TagRule(
        tag_id=get_or_create(s, tag, color, by).id,
        customer=customer,
        amount_min=None if low is None else format(low, "f"),
        amount_max=None if high is None else format(high, "f"),
        words=words,
        created_by=by,
    )
    s.add(rule)
    s.flush()
    audit.record(s, "tag_rule_added", user=by, tag=tag, rule=rule.id)
    return rule


def rules(s: Session) -> list[tuple[TagRule, Tag]]:
    found = s.execute(
        select(TagRule, Tag).join(Tag, Tag.id == TagRule.tag_id).order_by(Tag.name, TagRule.id)
    )
    return [(rule, tag) for rule, tag in found]


def delete_rule(s: Session, rule_id: int, by: str | None) -> None:
    rule = s.get(TagRule, rule_id)
    if rule is None:
        raise _error("no tag rule {id}", id=rule_id)
    s.delete(rule)
    audit.record(s, "tag_rule_deleted", user=by, rule=rule_id)


def matches(rule: TagRule, customer: str | None, amount: Decimal | None, text: str) -> bool:
    if rule.customer and rule.customer != customer:
        return False
    if rule.amount_min is not None and (amount is None or amount < Decimal(rule.amount_min)):
        return False
    if rule.amount_max is not None and (amount is None or amount > Decimal(rule.amount_max)):
        return False
    folded = text.casefold()
    return all(w.casefold() in folded for w in (rule.words or "").split())


def apply_rules(s: Session, doc: Document) -> list[str]:
    """Tag a statement that has just been read by every rule it meets; the tag names added.
    Called before the document is indexed, so the index gets the tags with it."""
    if doc.status not in FINAL_STATUSES:
        return []
    found = rules(s)
    if not found:
        return []
    amount_text = doc.value("amount_due") or doc.value("closing_balance")
    try:
        amount = Decimal(amount_text) if amount_text else None
    except ArithmeticError:
        amount = None
    text = "\n".join(p.text for p in doc.pages)
    have = set(s.scalars(select(DocumentTag.tag_id).where(DocumentTag.document_id == doc.id)))
    added = []
    for rule, tag in found:
        if tag.id not in have and matches(rule, doc.value("customer_code"), amount, text):
            s.add(DocumentTag(document_id=doc.id, tag_id=tag.id, by=f"rule:{rule.id}"))
            have.add(tag.id)
            added.append(tag.name)
    return added
