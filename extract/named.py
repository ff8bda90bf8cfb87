"""A customer of the master named on the statement without a label.

Many statements print the customer only as an address block (the name under the title,
as in a window envelope), or with a label OCR garbled ("赛户：C0019…" for 客户). When the
labels name no customer the master knows, the page itself is searched: the customer's full
name (or an alias) standing in a line, and its code standing as a token of its own. A find
counts only when it names exactly one customer of the master; a code alone is not enough
(short codes recur in references), so it must come with the name on the page, or with a
name read fuzzily right after it on the same line ("C0019 合用科大讯联…").

Pure: pages and the master in, field values out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extract.customers import (
    FUZZY_CUTOFF,
    Customer,
    match_code,
    match_customer,
    names_of,
    normalize_code,
    normalize_name,
    similarity,
)
from extract.layout import Line, page_lines
from extract.types import FieldValue, Page
from extract.values import CELL

MIN_NAME = 4  # normalized characters: a shorter "name" is a word that recurs in any text
# A match of the labelled customer this good is kept; below it the page is searched.
LABELLED_ENOUGH = 0.9
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9\-_/]*[A-Za-z0-9]")


@dataclass(frozen=True)
class _Find:
    customer: Customer
    value: FieldValue


def customer_fields(
    found: dict[str, FieldValue], pages: Sequence[Page], customers: Sequence[Customer]
) -> dict[str, FieldValue]:
    """`found` with the customer named on the pages, when its labels give none the master
    knows well; `found` as it is otherwise, or when the pages name no single customer."""
    if not customers:
        return found
    code_fv, name_fv = found.get("customer_code"), found.get("customer_name")
    code = str(code_fv.value) if code_fv else None
    name = str(name_fv.value) if name_fv else None
    labelled = match_customer(code, name, customers) if code or name else None
    if labelled is not None and labelled.score >= LABELLED_ENOUGH:
        return found
    named = _named(pages, customers)
    if named is None:
        return found
    customer, code_find, name_find = named
    by_code = match_code(code, customers) if code else None
    if by_code is not None and by_code.customer.code != customer.code:
        return found  # the printed code names someone else: a reviewer decides
    out = dict(found)
    out["customer_name"] = name_find.value
    if by_code is None and code_find is not None:
        out["customer_code"] = code_find.value
    return out


def _named(
    pages: Sequence[Page], customers: Sequence[Customer]
) -> tuple[Customer, _Find | None, _Find] | None:
    """The one customer the pages name: (customer, where its code stands, where its name
    stands), or None when they name nobody or several customers."""
    codes = {normalize_code(c.code): c for c in customers}
    names = [
        (key, c, n)
        for c in customers
        for n, _ in names_of(c)
        if len(key := normalize_name(n)) >= MIN_NAME
    ]
    code_finds: list[_Find] = []
    name_finds: list[_Find] = []
    for page in pages:
        for line in page_lines(page):
            folded = normalize_name(line.text.replace(CELL, " "))
            name_finds += [
                _Find(c, _value(line, "customer_name", n, 0, len(line.text)))
                for key, c, n in names
                if key in folded
            ]
            for m in _TOKEN.finditer(line.text):
                c = codes.get(normalize_code(m.group()))
                if c is None:
                    continue
                code_finds.append(_Find(c, _value(line, "customer_code", m.group(), *m.span())))
                after = line.text[m.end() :].split(CELL)[0].strip(" :：")
                close = max(similarity(after, n) for n, _ in names_of(c)) if after else 0
                if close >= FUZZY_CUTOFF:
                    start = line.text.index(after, m.end())
                    name_finds.append(
                        _Find(c, _value(line, "customer_name", after, start, start + len(after)))
                    )
    named = {f.customer.code for f in name_finds}
    coded = {f.customer.code for f in code_finds}
    if len(named) != 1 or not coded <= named:
        return None
    name_find = name_finds[0]
    code_find = code_finds[0] if code_finds else None
    return name_find.customer, code_find, name_find


def _value(line: Line, name: str, value: str, start: int, end: int) -> FieldValue:
    box, conf = line.box_conf(start, end)
    return FieldValue(name, value, conf, line.page.source, line.page.number, box, value)
