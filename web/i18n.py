"""Chinese and English: the interface text, amounts, dates and periods as each locale writes them.

English strings are the keys; archive/translations_zh.py holds their Chinese (in the archive,
so the reminder e-mails of services/ use the same words). The choice is kept on the user (and
in the session before sign-in); otherwise the browser's language decides.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Flask, g, redirect, request, session, url_for
from flask_login import current_user

from archive import db, userinput
from archive.translations_zh import ZH
from archive.users import LOCALES, User

bp = Blueprint("i18n", __name__)
DEFAULT = "zh"
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_pick_locale)
    app.jinja_env.globals.update(_=_, locale=locale)
    app.jinja_env.filters.update(
        amount=amount,
        date=date,
        datetime=datetime,
        period=period,
        status=status_label,
        source=source_label,
        field_label=field_label,
        field_value=field_value,
        note=note_text,
        error=error_text,
        field_source=field_source,
    )


def locale() -> str:
    return getattr(g, "locale", None) or DEFAULT


def _pick_locale() -> None:
    chosen = None
    if current_user.is_authenticated:
        chosen = current_user.locale
    chosen = chosen or session.get("locale")
    if chosen not in LOCALES:
        chosen = request.accept_languages.best_match(LOCALES, default=DEFAULT)
    g.locale = chosen


def _(message: str, /, **values: object) -> str:
    """The interface text in the user's language; {name} placeholders are filled after."""
    out = ZH.get(message, message) if locale() == "zh" else message
    return out.format(**values) if values else out


@bp.post("/language")
def choose():
    chosen = request.form.get("locale")
    if chosen in LOCALES:
        session["locale"] = chosen
        if current_user.is_authenticated:
            with db.session() as s:
                user = s.get(User, current_user.id)
                user.locale = chosen
    back = request.referrer or ""
    host = request.host_url
    return redirect(back if back.startswith(host) else url_for("auth.home"))


# -- formatting ---------------------------------------------------------------


def amount(value: object, places: int = 2) -> str:
    """80,509.61 (both locales group thousands with commas); '' for nothing."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{number:,.{places}f}"


def _local(value: dt.datetime) -> dt.datetime:
    # Stored in UTC; shown in the server's time zone (the office's).
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def date(value: object) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    if locale() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    return f"{date(local.date())} {local:%H:%M}"


def period(value: str | None) -> str:
    """2026-10 as 2026年10月 or Oct 2026."""
    if not value or len(value) != 7 or value[4] != "-":
        return value or ""
    year, month = value[:4], int(value[5:])
    if not 1 <= month <= 12:
        return value
    return f"{year}年{month}月" if locale() == "zh" else f"{MONTHS_EN[month - 1]} {year}"


def month_name(month: int) -> str:
    return f"{month}月" if locale() == "zh" else MONTHS_EN[month - 1]


STATUS_TEXT = {
    "received": "Received",
    "processing": "Processing",
    "accepted": "Accepted",
    "needs_review": "Needs review",
    "failed": "Failed",
    "split": "Split into parts",
    "rejected": "Rejected",  # a reviewer said it is no statement to archive (services/review)
}


# Where a field's value came from (FieldRow.source, extract.types.Source).
FIELD_SOURCE_TEXT = {
    "text": "Text layer",
    "ocr": "OCR",
    "ocr2": "Second OCR",
    "qr": "QR code",
    "cover": "Cover sheet",
    "arithmetic": "Arithmetic",
    "rows": "Sum of the lines",
    "learned": "Learned",
    "reviewer": "Reviewer",
}


def field_source(value: str | None) -> str:
    return _(FIELD_SOURCE_TEXT[value]) if value in FIELD_SOURCE_TEXT else (value or "")


def error_text(doc) -> str | None:
    """A document's error in the user's language."""
    from extract.notes import error_text as text

    return text(doc.error, doc.notes, locale())


def note_text(item: object) -> str:
    """A stored review note in the user's language (extract/notes.py)."""
    from extract.notes import render

    return render(item, locale())


def status_label(value: str) -> str:
    return _(STATUS_TEXT.get(value, value))


FIELD_TEXT = {
    "customer_code": "Customer code",
    "customer_name": "Customer name",
    "period": "Period",
    "period_start": "Period start",
    "period_end": "Period end",
    "statement_no": "Statement no.",
    "statement_date": "Statement date",
    "due_date": "Due date",
    "opening_balance": "Opening balance",
    "charges": "Charges",
    "payments": "Payments",
    "closing_balance": "Closing balance",
    "amount_due": "Amount due",
    "currency": "Currency",
}
AMOUNTS = ("opening_balance", "charges", "payments", "closing_balance", "amount_due")
DATES = ("statement_date", "due_date", "period_start", "period_end")


def field_label(name: str) -> str:
    return _(FIELD_TEXT.get(name, name))


def field_value(value: str | None, name: str) -> str:
    """A stored field value as this locale writes it."""
    if value in (None, ""):
        return ""
    if name in AMOUNTS:
        return amount(value)
    if name in DATES:
        return date(value)
    if name == "period":
        return period(value)
    return value


SOURCE_TEXT = {"upload": "Upload", "api": "API", "cli": "Command line", "folder": "Hot folder",
               "mail": "Mailbox"}  # fmt: skip


def source_label(value: str | None) -> str:
    return _(SOURCE_TEXT[value]) if value in SOURCE_TEXT else (value or "")


def day_start(text: str | None) -> dt.datetime | None:
    """The start of a day typed in a filter (2026-10-31, 2026年10月31日), in the office's
    time zone, the one the pages show times in; None for nothing or no day."""
    try:
        day = userinput.parse_day(text)
    except userinput.InputError:
        return None
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time()).astimezone(dt.UTC)  # naive: the local zone
