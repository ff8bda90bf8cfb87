"""Amounts, periods and ids typed by people: one parser for the web form, the API and the CLI.

Errors carry an English message template and its values, so each caller shows them its own
way: the web app translates the template (web/i18n.py), the API and CLI print it in English.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from extract.fields import MAX_AMOUNT, amount_in_range

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PERIOD_PATTERN = PERIOD.pattern  # for the OpenAPI description
MAX_ID = 2**63 - 1  # the largest id a database row can have (SQLite and PostgreSQL bigint)
MAX_AMOUNT_TEXT = 40  # characters; longer text is not an amount anyone typed
_SYMBOLS = str.maketrans("", "", ",，¥￥ ")

AMOUNT_MESSAGE = "{text} is not an amount like 80,509.61"
AMOUNT_RANGE_MESSAGE = "{text} is too large: amounts are below 10,000,000,000,000"
PERIOD_MESSAGE = "{text} is not a period like 2026-10 (YYYY-MM)"


class InputError(ValueError):
    """Text that is not what was asked for; `message` is an English template of `values`."""

    def __init__(self, message: str, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values))


def parse_amount(text: str | None) -> Decimal | None:
    """80,509.61, ¥80509.61, -12.5 or 1e3 as a Decimal; None for nothing typed."""
    text = (text or "").strip()
    if not text:
        return None
    cleaned = text.translate(_SYMBOLS)
    value = None
    if len(cleaned) <= MAX_AMOUNT_TEXT:
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            value = None
    if value is None or not value.is_finite():
        raise InputError(AMOUNT_MESSAGE, text=text)
    check_amount(value, text)
    return value


def check_amount(value: Decimal, text: str | None = None) -> Decimal:
    """`value` when it is within the bound every stored amount keeps (extract.fields)."""
    if not amount_in_range(value):
        raise InputError(AMOUNT_RANGE_MESSAGE, text=text if text is not None else str(value))
    return value


def parse_period(text: str | None) -> str | None:
    """YYYY-MM; None for nothing typed."""
    text = (text or "").strip()
    if not text:
        return None
    if not PERIOD.match(text):
        raise InputError(PERIOD_MESSAGE, text=text)
    return text


__all__ = [
    "AMOUNT_MESSAGE",
    "AMOUNT_RANGE_MESSAGE",
    "MAX_AMOUNT",
    "MAX_ID",
    "PERIOD",
    "PERIOD_MESSAGE",
    "InputError",
    "check_amount",
    "parse_amount",
    "parse_period",
]
