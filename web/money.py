"""Amounts with the statement's own currency: -¥8,067.55, US$1,200.00, HK$15.00.

The currency is the one read from the statement (field `currency`, an ISO code or a sign);
a statement that names none is in the house currency, STMT_CURRENCY (default CNY; `none`
shows such amounts bare).
"""

from __future__ import annotations

from archive import config
from web.i18n import amount

SYMBOLS = {
    "CNY": "¥",
    "RMB": "¥",
    "¥": "¥",
    "￥": "¥",
    "JPY": "JP¥",
    "USD": "US$",
    "$": "$",
    "HKD": "HK$",
    "EUR": "€",
    "€": "€",
    "GBP": "£",
    "£": "£",
}


def money(value: object, currency: str | None = None) -> str:
    """The amount with its currency's sign, the minus sign first."""
    text = amount(value)
    if not text or not text.lstrip("-")[:1].isdigit():
        return text
    code = (currency or "").strip().upper() or config.settings().house_currency
    sign = SYMBOLS.get(code or "", f"{code} " if code else "")
    return f"-{sign}{text[1:]}" if text.startswith("-") else f"{sign}{text}"


def currencies(ids: list[int]) -> dict[int, str]:
    """The currency read from each of these documents, where one was read."""
    from web.search import field_values

    return field_values(ids, "currency")
