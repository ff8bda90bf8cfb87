"""Finance pages: the completeness audit of a period (with CSV export) and the reminders."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from archive import db, userinput
from archive.management import Tag
from archive.users import ADMIN, FINANCE
from services import completeness, disputes, reminders, saved, tags
from web.auth import READERS, require, roles_required
from web.i18n import _

bp = Blueprint("finance", __name__, url_prefix="/finance")
bp.before_request(require(*READERS))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.context_processor(reminder_count)
    app.context_processor(lambda: {"tag_class": _tag_class, "all_tags": _all_tags})
    from web.audit_words import action_label, details
    from web.money import currencies, money

    app.jinja_env.filters.update(action_label=action_label, audit_details=details, money=money)
    app.jinja_env.globals.update(currencies=currencies)


def _all_tags():
    cached = g.get("_tags")
    if cached is None:
        with db.session() as s:
            cached = g._tags = [(t.id, t.name, t.color) for t in tags.all_tags(s)]
    return [Tag(id=i, name=n, color=c) for i, n, c in cached]


def _tag_class(name: str) -> str:
    """CSS classes of a tag's chip; its colour comes from tags.css (no inline styles)."""
    found = next((t.id for t in _all_tags() if t.name == name), None)
    return f"tag tag-{found}" if found else "tag"


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
        return userinput.parse_typed_period(raw) or last_period(), None
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


# -- tags ------------------------------------------------------------------------------------

TAGGERS = ("finance", "admin")


@bp.get("/tags.css")
def tag_colors():
    """Each tag's colour as a class; a stylesheet, because the CSP allows no inline styles."""
    lines = [
        f".tag-{t.id} {{ background: {t.color}; color: {_ink(t.color)}; }}"
        for t in _all_tags()
        if tags.COLOR.match(t.color)
    ]
    resp = Response("\n".join(lines) + "\n", mimetype="text/css")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def _ink(color: str) -> str:
    """Black or white text, whichever reads better on the colour."""
    r, gr, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#111" if (0.299 * r + 0.587 * gr + 0.114 * b) > 150 else "#fff"


def _flash_error(exc) -> None:
    flash(_(exc.text, **exc.values), "error")


@bp.post("/tags/bulk")
@roles_required(*TAGGERS)
def bulk_tag():
    """Tag (or untag) every document the search finds, as the user sees it."""
    from web.search import parse_form, run

    form = parse_form(request.form, limit=tags.MAX_BULK)
    back = url_for("search.index", **{k: v for k, v in form.values.items() if v and k != "page"})
    if form.errors:
        for e in form.errors:
            flash(e, "error")
        return redirect(back)
    form.query.offset = 0
    ids = [h.id for h in run(form.query).hits]
    remove = request.form.get("action") == "remove"
    try:
        with db.session() as s:
            n = tags.tag_documents(s, request.form.get("tag_name", ""), ids, g.user.name,
                                   color=request.form.get("color"), remove=remove)  # fmt: skip
    except tags.TagError as exc:
        _flash_error(exc)
    else:
        name = " ".join(request.form.get("tag_name", "").split())
        flash(_("Tag {tag} taken off {n} statements.", tag=name, n=n) if remove
              else _("Tag {tag} put on {n} statements.", tag=name, n=n))  # fmt: skip
    return redirect(back)


@bp.get("/tags")
def tags_page():
    with db.session() as s:
        rows = tags.rules(s)
        listed = [(r.id, t.name, r.customer, r.amount_min, r.amount_max, r.words) for r, t in rows]
    return render_template("finance/tags.html", rules=listed, may_edit=g.user.role in TAGGERS)


@bp.post("/tags/rules")
@roles_required(*TAGGERS)
def add_rule():
    f = request.form
    try:
        with db.session() as s:
            tags.add_rule(s, f.get("tag_name", ""), customer=f.get("customer"),
                          amount_min=f.get("amount_min"), amount_max=f.get("amount_max"),
                          words=f.get("words"), color=f.get("color"), by=g.user.name)  # fmt: skip
    except tags.TagError as exc:
        _flash_error(exc)
    else:
        flash(_("Rule added: arriving statements that meet it are tagged."))
    return redirect(url_for("finance.tags_page"))


@bp.post("/tags/rules/<int:rule_id>/delete")
@roles_required(*TAGGERS)
def delete_rule(rule_id: int):
    try:
        with db.session() as s:
            tags.delete_rule(s, rule_id, g.user.name)
    except tags.TagError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.tags_page"))


@bp.post("/tags/delete")
@roles_required(*TAGGERS)
def delete_tag():
    try:
        with db.session() as s:
            tags.delete_tag(s, request.form.get("tag_name", ""), g.user.name)
    except tags.TagError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.tags_page"))


# -- saved searches and the finance home -------------------------------------------------------


@bp.post("/searches")
def save_search():
    from web.search import FORM_KEYS

    args = {k: (request.form.get(k) or "").strip() for k in FORM_KEYS}
    try:
        with db.session() as s:
            saved.save(s, g.user, request.form.get("search_name", ""), args)
    except tags.TagError as exc:
        _flash_error(exc)
        return redirect(url_for("search.index", **{k: v for k, v in args.items() if v}))
    flash(_("Search saved."))
    return redirect(url_for("finance.home"))


@bp.post("/searches/<int:search_id>/delete")
def delete_search(search_id: int):
    with db.session() as s:
        if not saved.remove(s, g.user, search_id):
            abort(404)
    return redirect(url_for("finance.home"))


@bp.get("/")
def home():
    """What finance looks at first: last period's missing statements, the review backlog,
    open disputes (for those who may follow them up), reminders, and each saved search with
    its count now."""
    from index.base import SearchQuery
    from web.search import parse_form, run

    period = last_period()
    result = _audit(period)
    backlog = run(SearchQuery(status="needs_review", limit=0)).total
    with db.session() as s:
        searches = [(x.id, x.name, dict(x.args)) for x in saved.mine(s, g.user)]
        mine = reminders.for_user(s, g.user)
        open_disputes = (
            disputes.open_count(s, _hidden(s)) if g.user.role in (FINANCE, ADMIN) else None
        )
    counted = []
    for search_id, name, args in searches:
        form = parse_form(args, limit=0)
        total = None if form.errors else run(form.query).total
        counted.append((search_id, name, args, total))
    return render_template(
        "finance/home.html", period=period, audit=result, summary=result.as_json(),
        backlog=backlog, searches=counted, reminders=mine, open_disputes=open_disputes,
    )  # fmt: skip
