"""Amounts with the statement's own currency: -¥8,067.55, US$1,200.00, HK$15.00.

The currency is the one read from the statement (field `currency`, an ISO code or a sign);
a statement that names none is in the house currency, STMT_CURRENCY (default CNY; `none`
shows such amounts bare).
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from archive import db
from archive.models import FieldRow
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
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    house = os.environ.get("STMT_CURRENCY", "CNY").strip().upper()
    code = (currency or "").strip().upper() or (None if house == "NONE" else house)
    sign = SYMBOLS.get(code or "", f"{code} " if code else "")
    text = amount(abs(number))
    return f"-{sign}{text}" if number < 0 else f"{sign}{text}"


def currencies(ids: list[int]) -> dict[int, str]:
    """The currency read from each of these documents, where one was read."""
    if not ids:
        return {}
    with db.session() as s:
        rows = s.execute(
            select(FieldRow.document_id, FieldRow.value).where(
                FieldRow.document_id.in_(ids), FieldRow.name == "currency"
            )
        ).all()
    return {doc_id: value for doc_id, value in rows if value}
