"""Amounts, periods and ids typed by people: one parser for the web form, the API and the CLI.

Errors carry an English message template and its values, so each caller shows them its own
way: the web app translates the template (web/i18n.py), the API and CLI print it in English.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from extract.arithmetic import MAX_AMOUNT, amount_in_range
from extract.types import PERIOD, YEAR

PERIOD_PATTERN = PERIOD.pattern  # for the OpenAPI description
# The API's amounts, exactly (programs need no leniency, and the OpenAPI description says
# this): 80509.61, -120, 80,509.61; at most 13 digits before the point, so below MAX_AMOUNT.
AMOUNT_PATTERN = r"^-?(\d{1,13}|\d{1,3}(,\d{3}){1,3}|\d(,\d{3}){4})(\.\d{1,2})?$"
_STRICT_AMOUNT = re.compile(AMOUNT_PATTERN, re.ASCII)
DATE_PATTERN = rf"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
MAX_TEXT = 255


def check_field(name: str, value: object, amount_fields, date_fields) -> None:
    """A field value sent to the API, as its OpenAPI description allows: a string in the
    field's format, or null / "" to remove the field. InputError when it is not."""
    if value is None or value == "":
        return
    if not isinstance(value, str):
        raise InputError("{name} must be a string or null", name=name)
    if name in amount_fields:
        parse_amount(value, strict=True)
    elif name in date_fields:
        if not re.fullmatch(DATE_PATTERN, value, re.ASCII) or not _is_date(value):
            raise InputError("{text} is not a date like 2026-10-31", text=value)
    elif name == "period":
        parse_period(value, strict=True)
    elif name == "currency":
        if not re.fullmatch(CURRENCY_PATTERN, value):
            raise InputError("{text} is not a currency code like CNY", text=value)
    elif len(value) > MAX_TEXT:
        raise InputError("{name} is longer than 255 characters", name=name)


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


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


def parse_amount(text: str | None, *, strict: bool = False) -> Decimal | None:
    """80,509.61, ¥80509.61, -12.5 or 1e3 as a Decimal; None for nothing typed.
    `strict`: only AMOUNT_PATTERN (the API)."""
    if strict and text is not None and not _STRICT_AMOUNT.fullmatch(text):
        raise InputError(AMOUNT_MESSAGE, text=text)
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


MAX_PAGE = 100_000  # pages of results; beyond, an offset would not fit the database's integers


def parse_page(text: str | None) -> int:
    """A page number from a link: 1 when missing or not a sensible page number."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= MAX_PAGE:
        return int(text)
    return 1


def parse_id(text: str | None) -> int | None:
    """A document id typed into a filter; None when it cannot be one."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None


def parse_period(text: str | None, *, strict: bool = False) -> str | None:
    """YYYY-MM; None for nothing typed (`strict`: text must be YYYY-MM, never empty)."""
    if strict and text is not None and not PERIOD.fullmatch(text):
        raise InputError(PERIOD_MESSAGE, text=text)
    text = (text or "").strip()
    if not text:
        return None
    if not PERIOD.fullmatch(text):
        raise InputError(PERIOD_MESSAGE, text=text)
    return text


def parse_typed_period(text: str | None) -> str | None:
    """A month typed in a web form: 2026-10, 2026/10, 2026.10 or 2026年10月; None for
    nothing typed."""
    typed = _TYPED_MONTH.fullmatch((text or "").strip())
    return parse_period(f"{typed[1]}-{int(typed[2]):02d}" if typed else text)


# How people type a month and a day in a web form, in English or Chinese (the API and the
# command line stay strict: YYYY-MM and YYYY-MM-DD).
_TYPED_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_TYPED_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
DAY_MESSAGE = "{text} is not a day like 2026-10-31"


def parse_day(text: str | None) -> dt.date | None:
    """A day typed in a form (2026-10-31, 2026/10/31, 2026年10月31日); None for nothing."""
    text = (text or "").strip()
    if not text:
        return None
    typed = _TYPED_DAY.fullmatch(text)
    if typed is None:
        raise InputError(DAY_MESSAGE, text=text)
    try:
        return dt.date(int(typed[1]), int(typed[2]), int(typed[3]))
    except ValueError:  # 2026-02-30
        raise InputError(DAY_MESSAGE, text=text) from None


__all__ = [
    "AMOUNT_MESSAGE",
    "AMOUNT_PATTERN",
    "CURRENCY_PATTERN",
    "DATE_PATTERN",
    "check_field",
    "parse_id",
    "parse_page",
    "AMOUNT_RANGE_MESSAGE",
    "MAX_AMOUNT",
    "MAX_ID",
    "PERIOD",
    "PERIOD_MESSAGE",
    "DAY_MESSAGE",
    "parse_day",
    "parse_typed_period",
    "PERIOD_PATTERN",
    "InputError",
    "check_amount",
    "parse_amount",
    "parse_period",
]


_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


def valid_email(text: str) -> bool:
    """An e-mail address as people type it (one address, no display name)."""
    return len(text) <= 255 and bool(_EMAIL.match(text))
