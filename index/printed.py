"""The money-shaped amounts printed anywhere on a page, as either OCR engine read them.

A receipt has no statement summary and extraction does not place every amount of a
statement, yet finance searches by whatever number is on the paper. Only money-shaped tokens
count: two decimals, a currency sign or thousands separators. Bare integers are left out:
on a page they are years, counts, quantities and codes far more often than amounts.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extract.arithmetic import amount_in_range
from extract.values import parse_amount

# A token's money-shaped core: thousands groups or plain digits, then exactly two decimals.
_CORE = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})(?![\d]|[.,]\d)")
_SIGNED = re.compile(r"[¥$€£]|,\d{3}(?!\d)|\.\d{2}(?!\d)")
_EDGES = ":;*#=|"  # punctuation OCR glues to a token's ends ("TOTAL:", "9.00*")


def page_amounts(text: str) -> list[Decimal]:
    """Each money-shaped amount in `text` once, in reading order: "9.00", "RM9.00",
    "TOTAL:12.50", "1,234", "¥88"; never "2018", "3", "12/03/2018" or "03-2345678"."""
    out: dict[Decimal, None] = {}
    for token in text.split():
        token = token.strip(_EDGES)
        value = parse_amount(token) if _SIGNED.search(token) else None
        if value is None:  # a word glued to it: "RM9.00", "Total:9.00", "9.00SR"
            core = _CORE.search(token)
            value = parse_amount(core.group()) if core else None
        if value is not None and value and amount_in_range(value):
            out.setdefault(value, None)
    return list(out)
