"""Admins: users and roles, the customer master (CSV import, aliases), the review threshold,
and the audit log (the access log and retention: web/admin_records.py)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from archive import audit, config, db
from archive.models import AuditEvent, Customer
from archive.users import ROLES, User, UserError, add_user, review_threshold, set_setting
from web.auth import ADMINS, require
from web.i18n import _

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require(*ADMINS))

AUDIT_PER_PAGE = 50


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


# -- users -------------------------------------------------------------------------


@bp.get("/users")
def users():
    with db.session() as s:
        rows = list(s.scalars(select(User).order_by(User.name)))
    return render_template("admin/users.html", users=rows, roles=ROLES)


@bp.post("/users")
def add():
    form = request.form
    try:
        with db.session() as s:
            user = add_user(s, form.get("name", ""), form.get("role", ""), form.get("password", ""))
            audit.record(s, "user_added", user=current_user.name, name=user.name, role=user.role)
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("User {name} added.", name=user.name))
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
def change(user_id: int):
    form = request.form
    try:
        with db.session() as s:
            user = s.get(User, user_id)
            if user is None:
                raise UserError("no such user")
            _change_user(s, user, form)
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash(_("User {name} changed.", name=user.name))
    return redirect(url_for("admin.users"))


def _change_user(s, user: User, form) -> None:
    changed: dict[str, object] = {}
    if form.get("role") in ROLES and form["role"] != user.role:
        if user.id == current_user.id:
            raise UserError("you cannot change your own role")
        user.role = changed["role"] = form["role"]
    if "active" in form:
        active = form["active"] == "1"
        if user.id == current_user.id and not active:
            raise UserError("you cannot deactivate yourself")
        if active != user.active:
            user.active = changed["active"] = active
    if form.get("password"):
        user.set_password(form["password"])
        changed["password"] = "changed"  # noqa: S105  (audit note, not a password)
    if changed:
        audit.record(s, "user_changed", user=current_user.name, name=user.name, **changed)


# -- customers -----------------------------------------------------------------------


@bp.get("/customers")
def customers():
    q = (request.args.get("q") or "").strip()
    with db.session() as s:
        stmt = select(Customer).order_by(Customer.code)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(Customer.code.ilike(like) | Customer.name.ilike(like))
        rows = list(s.scalars(stmt.limit(500)))
        total = s.scalar(select(func.count()).select_from(Customer)) or 0
    return render_template("admin/customers.html", customers=rows, total=total, q=q)


@bp.post("/customers/import")
def import_customers():
    from archive.customers import CustomerFileError, import_rows, parse_csv

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file."), "error")
        return redirect(url_for("admin.customers"))
    try:
        rows = parse_csv(upload.read().decode("utf-8-sig"))
    except (CustomerFileError, UnicodeDecodeError) as exc:
        flash(_("The file cannot be imported: {error}", error=str(exc)), "error")
        return redirect(url_for("admin.customers"))
    with db.session() as s:
        result = import_rows(s, rows, user=current_user.name)
    flash(
        _(
            "{added} added, {updated} updated, {unchanged} unchanged.",
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )
    return redirect(url_for("admin.customers"))


@bp.post("/customers/<int:customer_id>")
def edit_customer(customer_id: int):
    name = (request.form.get("name") or "").strip()
    aliases = _aliases(request.form.get("aliases", ""))
    with db.session() as s:
        cust = s.get(Customer, customer_id)
        if cust is None:
            flash(_("No such customer."), "error")
            return redirect(url_for("admin.customers"))
        before = {"name": cust.name, "aliases": list(cust.aliases)}
        cust.name = name or cust.name
        cust.aliases = [a for a in aliases if a != cust.name]
        audit.record(
            s, "customer_changed", user=current_user.name, code=cust.code, before=before,
            after={"name": cust.name, "aliases": cust.aliases},
        )  # fmt: skip
        code = cust.code
    flash(_("Customer {code} saved.", code=code))
    return redirect(url_for("admin.customers", q=request.args.get("q", "")))


def _aliases(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.replace(";", "\n").replace("；", "\n").splitlines():
        alias = part.strip()
        if alias and alias not in seen and len(alias) <= 255:
            seen.append(alias)
    return seen


# -- settings ------------------------------------------------------------------------


@bp.get("/settings")
def settings():
    env = config.load().review_threshold
    with db.session() as s:
        current = review_threshold(s, env)
    return render_template("admin/settings.html", threshold=current, env_threshold=env)


@bp.post("/settings")
def save_settings():
    raw = (request.form.get("review_threshold") or "").strip()
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        flash(_("The review threshold is a number from 0 to 1, like 0.9."), "error")
        return redirect(url_for("admin.settings"))
    with db.session() as s:
        set_setting(s, "review_threshold", f"{value:g}", user=current_user.name)
        audit.record(s, "settings_changed", user=current_user.name, review_threshold=value)
    flash(_("Settings saved."))
    return redirect(url_for("admin.settings"))


# -- audit log -----------------------------------------------------------------------


@bp.get("/audit")
def audit_log():
    args = {
        k: (request.args.get(k) or "").strip()
        for k in ("user", "action", "document", "since", "until")
    }
    page = max(1, request.args.get("page", 1, type=int) or 1)
    stmt = select(AuditEvent)
    if args["user"]:
        stmt = stmt.where(AuditEvent.user == args["user"])
    if args["action"]:
        stmt = stmt.where(AuditEvent.action == args["action"])
    if args["document"].isdigit():
        stmt = stmt.where(AuditEvent.document_id == int(args["document"]))
    for key, op in (("since", "ge"), ("until", "lt")):
        day = _day(args[key])
        if day is not None:
            edge = day if op == "ge" else day + dt.timedelta(days=1)
            stmt = stmt.where(AuditEvent.at >= edge if op == "ge" else AuditEvent.at < edge)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        events = list(
            s.scalars(
                stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .limit(AUDIT_PER_PAGE)
                .offset((page - 1) * AUDIT_PER_PAGE)
            )
        )
        actions = sorted(s.scalars(select(AuditEvent.action).distinct()))
    pages = max(1, -(-total // AUDIT_PER_PAGE))
    return render_template(
        "admin/audit.html", events=events, args=args, actions=actions, page=page, pages=pages,
        total=total,
    )  # fmt: skip


def _day(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


from web import admin_records  # noqa: E402,F401  (access log and retention pages)
