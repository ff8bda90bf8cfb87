"""Finance pages: the completeness audit of a period (with CSV export) and the reminders."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, g, render_template, request

from archive import db, userinput
from services import completeness, reminders
from web.auth import READERS, require
from web.i18n import _

bp = Blueprint("finance", __name__, url_prefix="/finance")
bp.before_request(require(*READERS))

def init_app(app) -> None:
    app.register_blueprint(bp)
    app.context_processor(reminder_count)


def reminder_count() -> dict[str, int]:
    """The signed-in reader's reminders, counted for the top bar."""
    user = g.get("user")
    if user is None or user.role not in READERS or request.endpoint == "static":
        return {}
    with db.session() as s:
        return {"reminder_count": len(reminders.for_user(s, user))}


STATE_TEXT = {
    "received": "Received",
    "missing": "Missing",
    "duplicate": "More than one",
    "late": "Late",
}


def last_period(today: dt.date | None = None) -> str:
    """The month before this one: the period whose statements should be in by now."""
    first = (today or dt.date.today()).replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _hidden(s) -> frozenset[str]:
    from archive.access import hidden_customers

    return hidden_customers(s, g.user)


def _audit(period: str) -> completeness.Audit:
    with db.session() as s:
        return completeness.audit(s, period, hidden=_hidden(s))


def _chosen_period() -> tuple[str, str | None]:
    raw = (request.args.get("period") or "").strip()
    try:
        return userinput.parse_period(raw) or last_period(), None
    except userinput.InputError as exc:
        return last_period(), _(exc.message, **exc.values)


@bp.get("/completeness")
def completeness_page():
    period, error = _chosen_period()
    result = _audit(period)
    return render_template(
        "finance/completeness.html", audit=result, summary=result.as_json(), period=period,
        error=error, states=STATE_TEXT,
    )  # fmt: skip


@bp.get("/completeness.csv")
def completeness_csv():
    period, _error = _chosen_period()
    result = _audit(period)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "code", "name", "state", "late", "documents", "first_arrival"])
    for line in result.lines:
        writer.writerow(
            [
                period,
                line.code,
                line.name,
                line.state,
                "yes" if line.late else "",
                ";".join(str(d) for d in line.documents),
                line.first_arrival.isoformat(timespec="seconds") if line.first_arrival else "",
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet programs read the Chinese right
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=completeness-{period}.csv"},
    )


@bp.get("/reminders")
def reminders_page():
    """The signed-in user's reminders (an admin sees everyone's)."""
    with db.session() as s:
        by_user = reminders.collect(s)
    if g.user.role != "admin":
        by_user = {g.user.name: by_user.get(g.user.name, [])}
    return render_template("finance/reminders.html", by_user=by_user)
