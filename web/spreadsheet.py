"""CSV files people open in a spreadsheet: one rule against formulas in them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any


def cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is quoted (CSV injection)."""
    if (
        isinstance(value, str)
        and value[:1] in ("=", "+", "@", "\t", "\r")
        or (isinstance(value, str) and value[:1] == "-" and not _is_number(value))
    ):
        return "'" + value
    return "" if value is None else value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True
