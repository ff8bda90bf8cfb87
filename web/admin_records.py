"""Admins: the access log (who viewed or downloaded which statement, CSV export) and
retention (periods per record class, legal holds, disposal lists). Routes of the admin
blueprint; the rules themselves live in archive/audit.py and archive/retention.py."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, func, select

from archive import audit, config, db
from archive import retention as r
from archive.models import AuditEvent, utc_text
from services import retention as disposal
from web.admin import bp
from web.i18n import _, day_start
from web.spreadsheet import cell

ACCESS_PER_PAGE = 50
EXPORT_LIMIT = 100_000
CLASS_TEXT = {
    "statement": "Account statement",
    "reconciliation": "Bank reconciliation",
    "report": "Monthly or quarterly financial report",
    "voucher": "Accounting voucher",
    "ledger": "Account book",
    "annual_report": "Annual financial report",
}
LIST_STATUS_TEXT = {
    "draft": "Waiting for approval",
    "approved": "Approved",
    "done": "Carried out",
    "cancelled": "Cancelled",
}
OUTCOME_TEXT = {"disposed": "Disposed of", **r.KEPT_REASONS}
ACCESS_TEXT = {"view": "Viewed", "download": "Downloaded"}
VIA_TEXT = {"web": "Web", "review": "Review", "api": "API"}
LIST_COLUMNS = (
    "document_id", "file", "sha256", "size", "record_class", "customer_code", "customer_name",
    "period", "received_at", "keep_until", "outcome", "disposed_at",
)  # fmt: skip


@bp.context_processor
def _labels() -> dict[str, dict[str, str]]:
    return {
        "CLASS_TEXT": CLASS_TEXT, "LIST_STATUS_TEXT": LIST_STATUS_TEXT,
        "OUTCOME_TEXT": OUTCOME_TEXT, "ACCESS_TEXT": ACCESS_TEXT, "VIA_TEXT": VIA_TEXT,
        "via": via,
    }  # fmt: skip


# -- access log ------------------------------------------------------------------------


def _access_query() -> tuple[Select, dict[str, str]]:
    args = {
        k: (request.args.get(k) or "").strip()
        for k in ("customer", "user", "action", "document", "since", "until")
    }
    stmt = select(AuditEvent).where(AuditEvent.action.in_(audit.ACCESS_ACTIONS))
    if args["customer"]:
        stmt = stmt.where(AuditEvent.customer == args["customer"])
    if args["user"]:
        stmt = stmt.where(AuditEvent.user == args["user"])
    if args["action"] in audit.ACCESS_ACTIONS:
        stmt = stmt.where(AuditEvent.action == args["action"])
    if args["document"].isdigit() and len(args["document"]) < 19:
        stmt = stmt.where(AuditEvent.document_id == int(args["document"]))
    since, until = day_start(args["since"]), day_start(args["until"])
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    if until:
        stmt = stmt.where(AuditEvent.at < until + dt.timedelta(days=1))
    return stmt.order_by(AuditEvent.id.desc()), args


@bp.get("/access-log")
def access_log():
    stmt, args = _access_query()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        events = list(s.scalars(stmt.limit(ACCESS_PER_PAGE).offset((page - 1) * ACCESS_PER_PAGE)))
    pages = max(1, -(-total // ACCESS_PER_PAGE))
    return render_template(
        "admin/access_log.html", events=events, args=args, page=page, pages=pages, total=total
    )


@bp.get("/access-log.csv")
def access_export():
    stmt, args = _access_query()
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 (Chinese names) with a BOM
    writer = csv.writer(out)
    writer.writerow(["at_utc", "user", "action", "document_id", "customer", "via", "entry_hash"])
    with db.session() as s:
        rows = 0
        for e in s.scalars(stmt.limit(EXPORT_LIMIT)):
            writer.writerow(
                [utc_text(e.at), cell(e.user), e.action, e.document_id,
                 cell(e.customer), via(e), e.hash]
            )  # fmt: skip
            rows += 1
        audit.record(s, "access_exported", user=current_user.name, rows=rows,
                     filters={k: v for k, v in args.items() if v})  # fmt: skip
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="access-log.csv"'},
    )


def via(e: AuditEvent) -> str:
    """Where the statement was opened: the API, the review page or the finance pages."""
    if e.detail.get("via") == "api":
        return "api"
    return "review" if e.detail.get("page") == "review" else "web"


# -- retention -------------------------------------------------------------------------


def _flash_error(exc: r.RetentionError) -> None:
    values = dict(exc.values)
    if values.get("status") in LIST_STATUS_TEXT:
        values["status"] = _(LIST_STATUS_TEXT[values["status"]])
    flash(_(exc.message, **values), "error")


@bp.get("/retention")
def retention():
    with db.session() as s:
        years = r.periods(s)
        holds = r.active_holds(s)
        expired = r.expired(s)
        lists = list(s.scalars(select(r.DisposalList).order_by(r.DisposalList.id.desc())))
        counts = dict(
            s.execute(
                select(r.DisposalItem.list_id, func.count()).group_by(r.DisposalItem.list_id)
            ).all()
        )
    due = sum(1 for e in expired if not e.holds and e.on_list is None)
    held = sum(1 for e in expired if e.holds)
    return render_template(
        "admin/retention.html", years=years, holds=holds, due=due, held=held, lists=lists,
        counts=counts, expired=len(expired),
    )  # fmt: skip


@bp.post("/retention/periods")
def retention_periods():
    try:
        with db.session() as s:
            for cls in r.CLASSES:
                raw = request.form.get(cls)
                if raw is None:
                    continue
                years = r.parse_years(raw)
                if years != r.years_for(s, cls):
                    r.set_years(s, cls, years, current_user.name)
    except r.RetentionError as exc:
        _flash_error(exc)
    else:
        flash(_("Retention periods saved."))
    return redirect(url_for("admin.retention"))


@bp.post("/retention/holds")
def place_hold():
    form = request.form
    doc = (form.get("document") or "").strip()
    try:
        if doc and (not doc.isdigit() or len(doc) > 18):
            raise r.RetentionError("no document {id}", id=doc)
        with db.session() as s:
            hold = r.place_hold(
                s, current_user.name, form.get("reason", ""),
                document_id=int(doc) if doc else None,
                customer=(form.get("customer") or "").strip() or None,
            )  # fmt: skip
            hold_id = hold.id
    except r.RetentionError as exc:
        _flash_error(exc)
    else:
        flash(_("Legal hold {id} placed.", id=hold_id))
    return redirect(url_for("admin.retention"))


@bp.post("/retention/holds/<int:hold_id>/release")
def release_hold(hold_id: int):
    try:
        with db.session() as s:
            r.release_hold(s, hold_id, current_user.name, request.form.get("reason", ""))
    except r.RetentionError as exc:
        _flash_error(exc)
    else:
        flash(_("Legal hold {id} released.", id=hold_id))
    return redirect(url_for("admin.retention"))


@bp.post("/retention/lists")
def propose_list():
    try:
        with db.session() as s:
            list_id = r.propose(s, current_user.name).id
    except r.RetentionError as exc:
        _flash_error(exc)
        return redirect(url_for("admin.retention"))
    return redirect(url_for("admin.disposal_list", list_id=list_id))


@bp.get("/retention/lists/<int:list_id>")
def disposal_list(list_id: int):
    try:
        with db.session() as s:
            lst = r.get_list(s, list_id)
    except r.RetentionError as exc:
        _flash_error(exc)
        return redirect(url_for("admin.retention"))
    return render_template("admin/disposal_list.html", lst=lst)


@bp.get("/retention/lists/<int:list_id>.csv")
def disposal_list_csv(list_id: int):
    with db.session() as s:
        try:
            data = r.list_json(r.get_list(s, list_id))
        except r.RetentionError as exc:
            _flash_error(exc)
            return redirect(url_for("admin.retention"))
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(LIST_COLUMNS)
    for item in data["items"]:
        writer.writerow([cell(item[c]) for c in LIST_COLUMNS])
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="disposal-list-{list_id}.csv"'},
    )


@bp.post("/retention/lists/<int:list_id>/<step>")
def disposal_step(list_id: int, step: str):
    user = current_user.name
    try:
        if step == "approve":
            with db.session() as s:
                r.approve(s, list_id, user)
            flash(_("Disposal list {id} approved.", id=list_id))
        elif step == "cancel":
            with db.session() as s:
                r.cancel(s, list_id, user, request.form.get("note", ""))
            flash(_("Disposal list {id} cancelled.", id=list_id))
        elif step == "dispose":
            result, problems = disposal.dispose(config.settings(), list_id, user)
            flash(_("{disposed} documents disposed of, {kept} kept.",
                    disposed=len(result.disposed), kept=len(result.kept)))  # fmt: skip
            if problems:
                flash(_("Not everything could be removed: {detail}", detail="; ".join(problems)),
                      "error")  # fmt: skip
        else:
            return redirect(url_for("admin.disposal_list", list_id=list_id))
    except r.RetentionError as exc:
        _flash_error(exc)
    return redirect(url_for("admin.disposal_list", list_id=list_id))
