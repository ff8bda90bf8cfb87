"""Reviewers' corrections: validate, record who changed what, and mark the document reviewed.

Rules (the web review page and `PATCH /api/v1/documents/<id>/fields` both come here):
- Values are written the way extraction stores them: plain decimals, ISO dates, YYYY-MM.
  An empty value removes the field.
- Each changed field becomes a Correction row (who, when, old, new) and its FieldRow gets
  source "reviewer" and confidence 1.0; unchanged fields keep their source and confidence.
- Saving marks the document reviewed (reviewed_at, reviewed_by), even with no change: the
  reviewer confirmed what was read. The status becomes "accepted" when every required field
  (extract.fields.REQUIRED) now has a value; otherwise it stays as it was (needs_review).
- When the customer code is corrected to a customer of the master, the name printed on the
  statement becomes an alias of that customer (so the next statement matches on its own),
  and customer_name is set to the master's name unless the reviewer typed a different one.
- The caller re-indexes after the session commits (`correct` does both).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import access, audit
from archive.customers import add_alias
from archive.documents import AMOUNT_FIELDS, FIELD_NAMES, to_text
from archive.models import ACCEPTED, FAILED, Correction, Customer, Document, FieldRow, utcnow
from archive.userinput import InputError, check_amount
from archive.users import by_name
from extract.fields import REQUIRED, parse_amount, parse_date, parse_period, required_field
from extract.types import Source

EDITABLE = (*FIELD_NAMES, "due_date", "period_start", "period_end")
DATE_FIELDS = ("statement_date", "due_date", "period_start", "period_end")
_CURRENCIES = {"¥": "CNY", "￥": "CNY", "元": "CNY", "RMB": "CNY", "人民币": "CNY", "$": "USD"}
_PLAIN_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")


class CorrectionError(ValueError):
    """A value that cannot be stored; `field` names it, the message is shown as is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Change:
    field: str
    old: str | None
    new: str | None


@dataclass
class Outcome:
    document_id: int
    status: str
    changes: list[Change] = field(default_factory=list)
    alias_added: str | None = None


def normalize(
    s: Session, name: str, raw: str | None, hidden: frozenset[str] = frozenset()
) -> str | None:
    """The stored form of a reviewer's value; raises CorrectionError when it is not one.

    `hidden` are the sensitive customers the reviewer may not see: to them they do not exist."""
    if name not in EDITABLE:
        raise CorrectionError(name, "not a field of a statement")
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return None
    if name in AMOUNT_FIELDS:
        return to_text(_amount(name, text))
    if name in DATE_FIELDS:
        return _date(name, text)
    if name == "period":
        return _period(text)
    if name == "currency":
        return _currency(text)
    if name == "customer_code":
        return _customer_code(s, text, hidden)
    if len(text) > 255:
        raise CorrectionError(name, "is longer than 255 characters")
    return text


def _amount(name: str, text: str) -> Decimal:

    plain = text.replace(",", "").replace(" ", "")
    value = None
    if _PLAIN_AMOUNT.match(plain):
        value = Decimal(plain)
    else:
        try:
            value = parse_amount(text)
        except (InvalidOperation, ValueError):
            value = None
    if value is None:
        raise CorrectionError(name, f"{text!r} is not an amount like 80,509.61")
    try:
        return check_amount(value, text)
    except InputError as exc:
        raise CorrectionError(name, str(exc)) from None


def _date(name: str, text: str) -> str:

    value = parse_date(text)
    if value is None:
        raise CorrectionError(name, f"{text!r} is not a date like 2026-10-31")
    return value.isoformat()


def _period(text: str) -> str:

    found = parse_period(text)
    if found is None:
        raise CorrectionError("period", f"{text!r} is not a period like 2026-10")
    return found[0]


def _currency(text: str) -> str:
    code = _CURRENCIES.get(text, text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CorrectionError("currency", f"{text!r} is not a currency code like CNY")
    return code


def _customer_code(s: Session, text: str, hidden: frozenset[str]) -> str:
    for code in (text, text.upper()):
        if code in hidden:
            continue
        if s.scalar(select(Customer.code).where(Customer.code == code)) is not None:
            return code
    if s.scalar(select(Customer.id).limit(1)) is not None:  # with a master, codes must exist
        raise CorrectionError("customer_code", f"{text!r} is not in the customer master")
    return text


def required_names(doc: Document) -> set[str]:
    """The fields the document needs a value in to be accepted (extract.fields.REQUIRED; the
    amount is amount_due, or closing_balance on a statement that has no amount due)."""
    return {required_field(item, _filled(doc)) for item in REQUIRED}


def _filled(doc: Document) -> dict[str, str]:
    return {f.name: f.value for f in doc.fields if f.value not in (None, "")}


def _required_present(doc: Document) -> bool:
    return required_names(doc) <= _filled(doc).keys()


def apply(
    s: Session,
    doc: Document,
    values: dict[str, str | None],
    user: str,
    *,
    seconds: float | None = None,
) -> Outcome:
    """Apply a reviewer's values to `doc` in session `s` (the caller commits and re-indexes)."""
    if doc.status == FAILED:
        raise CorrectionError("document", "a failed document has nothing to correct; retry it")
    reviewer = by_name(s, user)
    hidden = access.hidden_customers(s, reviewer) if reviewer is not None else frozenset()
    wanted = {name: normalize(s, name, raw, hidden) for name, raw in values.items()}
    printed_name = _printed_name(doc)
    old_code = doc.value("customer_code")
    new_code = wanted.get("customer_code", old_code)
    master_name = _master_name(s, new_code) if new_code != old_code else None
    # The form sends every field: an unchanged printed name means the reviewer did not set it.
    if master_name and wanted.get("customer_name") in (None, doc.value("customer_name")):
        wanted["customer_name"] = master_name
    changes = [_set(doc, name, new) for name, new in wanted.items()]
    changes = [c for c in changes if c is not None]
    now = utcnow()
    for c in changes:
        s.add(_correction(doc, c, user, now))
    alias = None
    if master_name and printed_name and _add_alias(s, new_code, printed_name):
        alias = printed_name
    doc.reviewed_at, doc.reviewed_by = now, user
    if _required_present(doc):
        doc.status = ACCEPTED
    doc.index_pending = True
    audit.record(
        s,
        "reviewed",
        user=user,
        document_id=doc.id,
        fields=len(changes),
        changed=[c.field for c in changes],
        seconds=None if seconds is None else round(max(0.0, min(seconds, 3600.0)), 1),
        status=doc.status,
        **({"alias": alias} if alias else {}),
    )
    return Outcome(doc.id, doc.status, changes, alias)


def _correction(doc: Document, c: Change, user: str, now):

    return Correction(
        document_id=doc.id, field=c.field, old_value=c.old, new_value=c.new, user=user, at=now
    )


def _set(doc: Document, name: str, new: str | None) -> Change | None:
    row = doc.field(name)
    old = row.value if row else None
    if old == new:
        return None
    if new is None:
        doc.fields.remove(row)
    elif row is None:
        doc.fields.append(FieldRow(name=name, value=new, confidence=1.0, source=Source.MANUAL))
    else:
        row.value, row.confidence, row.source = new, 1.0, Source.MANUAL
    return Change(name, old, new)


def _printed_name(doc: Document) -> str | None:
    """The customer name as printed on the statement (not one a reviewer typed)."""
    row = doc.field("customer_name")
    if row is None or row.source == Source.MANUAL:
        return None
    return (row.raw or row.value or "").strip() or None


def _master_name(s: Session, code: str | None) -> str | None:
    if not code:
        return None
    return s.scalar(select(Customer.name).where(Customer.code == code))


def _add_alias(s: Session, code: str, alias: str) -> bool:
    return add_alias(s, code, alias)
