"""Admins: users and roles, the customer master (CSV import, aliases), who may see sensitive
customers (groups and grants), the review threshold, and the audit log (the access log and
retention: web/admin_records.py)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from archive import access as rules
from archive import audit, config, db, throttle, userinput
from archive.customers import CustomerFileError, import_rows, parse_csv
from archive.models import CYCLES, AuditEvent, Customer
from archive.users import (
    ROLES,
    User,
    UserError,
    add_user,
    by_name,
    list_tokens,
    review_threshold,
    set_email,
    set_setting,
)
from archive.users import create_token as make_token
from archive.users import revoke_token as revoke
from web.auth import ADMINS, require
from web.i18n import _, day_start
from web.paging import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require(*ADMINS))

AUDIT_PER_PAGE = 50
CUSTOMERS_PER_PAGE = 50


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


# -- users -------------------------------------------------------------------------


@bp.get("/users")
def users():
    with db.session() as s:
        rows = list(s.scalars(select(User).order_by(User.name)))
        locked = throttle.locked_accounts(s)
    return render_template("admin/users.html", users=rows, roles=ROLES, locked=locked)


@bp.post("/users/<int:user_id>/unlock")
def unlock(user_id: int):
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            flash(_("No such user."), "error")
            return redirect(url_for("admin.users"))
        throttle.unlock(s, user.name)
        audit.record(s, "user_unlocked", user=current_user.name, name=user.name)
        name = user.name
    flash(_("User {name} may sign in again.", name=name))
    return redirect(url_for("admin.users"))


# -- API tokens --------------------------------------------------------------------


@bp.get("/tokens")
def tokens():
    with db.session() as s:
        rows = [t.as_json() for t in list_tokens(s)]
        people = list(s.scalars(select(User).where(User.active).order_by(User.name)))
    return render_template("admin/tokens.html", tokens=rows, users=people)


@bp.post("/tokens")
def create_token():
    form = request.form
    raw_days = (form.get("days") or "").strip()
    days = int(raw_days) if raw_days.isdigit() and len(raw_days) < 6 else None
    if raw_days and days is None:
        flash(_("Expiry is a number of days, like 90."), "error")
        return redirect(url_for("admin.tokens"))
    try:
        with db.session() as s:
            user = by_name(s, form.get("user", ""))
            if user is None:
                raise UserError("no such user")
            token = make_token(s, user, name=form.get("label") or None, expires_days=days)
            audit.record(
                s, "token_created", user=current_user.name, name=user.name, expires_days=days
            )
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.tokens"))
    flash(_("New token (shown only now, copy it): {token}", token=token))
    return redirect(url_for("admin.tokens"))


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    try:
        with db.session() as s:
            row = revoke(s, token_id)
            audit.record(s, "token_revoked", user=current_user.name, token=token_id,
                         name=row.user.name)  # fmt: skip
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Token {id} revoked.", id=token_id))
    return redirect(url_for("admin.tokens"))


@bp.post("/users")
def add():
    form = request.form
    try:
        with db.session() as s:
            user = add_user(s, form.get("name", ""), form.get("role", ""),
                            form.get("password", ""), form.get("email"))  # fmt: skip
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
        user.end_sessions()  # sessions opened under the old role end
    if "active" in form:
        active = form["active"] == "1"
        if user.id == current_user.id and not active:
            raise UserError("you cannot deactivate yourself")
        if active != user.active:
            user.active = changed["active"] = active
    if "email" in form and (form["email"].strip() or None) != user.email:
        set_email(user, form["email"])
        changed["email"] = user.email
    if form.get("password"):
        user.set_password(form["password"])
        changed["password"] = "changed"  # noqa: S105  (audit note, not a password)
    if changed:
        audit.record(s, "user_changed", user=current_user.name, name=user.name, **changed)


# -- customers -----------------------------------------------------------------------


@bp.get("/customers")
def customers():
    q = (request.args.get("q") or "").strip()
    page = userinput.parse_page(request.args.get("page"))
    with db.session() as s:
        stmt = select(Customer).order_by(Customer.code)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(Customer.code.ilike(like) | Customer.name.ilike(like))
        paged = paginate(s, stmt, page, CUSTOMERS_PER_PAGE)
        total = s.scalar(select(func.count()).select_from(Customer)) or 0
        people = list(s.scalars(select(User).order_by(User.name)))
    return render_template(
        "admin/customers.html", customers=paged.rows, total=total, q=q, users=people,
        cycles=CYCLES, page=paged.page, pages=paged.pages,
    )  # fmt: skip


@bp.post("/customers/import")
def import_customers():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file."), "error")
        return redirect(url_for("admin.customers"))
    try:
        rows = parse_csv(upload.read().decode("utf-8-sig"))
        with db.session() as s:
            result = import_rows(s, rows, user=current_user.name)
    except CustomerFileError as exc:
        flash(_("The file cannot be imported: {error}", error=_problems(exc)), "error")
        return redirect(url_for("admin.customers"))
    except UnicodeDecodeError:
        flash(_("The file cannot be imported: {error}", error=_("it is not UTF-8 text")), "error")
        return redirect(url_for("admin.customers"))
    flash(
        _(
            "{added} added, {updated} updated, {unchanged} unchanged.",
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )
    return redirect(url_for("admin.customers"))


def _problems(exc) -> str:
    """A CustomerFileError in the user's language, one problem after the other."""
    return "; ".join(
        (_("line {n}: ", n=n) if n else "") + _(text, **values)
        for n, text, values in exc.problems
    )


@bp.get("/customers.csv")
def export_customers():
    from archive.customers import export_csv

    with db.session() as s:
        text = export_csv(s)
    return Response(
        "\ufeff" + text,  # a BOM, so spreadsheet programs read the Chinese right
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=customers.csv"},
    )


@bp.post("/customers", defaults={"customer_id": None})
@bp.post("/customers/<int:customer_id>")
def edit_customer(customer_id: int | None):
    from archive.customers import COLUMNS, CustomerFileError, save_customer

    values = {k: request.form.get(k, "") for k in COLUMNS}
    values["aliases"] = ";".join(_aliases(values["aliases"]))
    try:
        with db.session() as s:
            code = save_customer(s, values, customer_id=customer_id, user=current_user.name).code
    except CustomerFileError as exc:
        flash(_problems(exc), "error")
    else:
        flash(_("Customer {code} saved.", code=code))
    return redirect(url_for("admin.customers", q=request.args.get("q", "")))


def _aliases(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.replace(";", "\n").replace("；", "\n").splitlines():
        alias = part.strip()
        if alias and alias not in seen and len(alias) <= 255:
            seen.append(alias)
    return seen


# -- access to sensitive customers ---------------------------------------------------


@bp.get("/access")
def access():
    with db.session() as s:
        return render_template(
            "admin/access.html",
            grants=rules.grants(s),
            names=dict(s.execute(select(Customer.code, Customer.name)).all()),
            groups=rules.groups(s),
            users=list(s.scalars(select(User.name).order_by(User.name))),
        )


def _access_change(change, done: str) -> None:
    """Run one change of access rules; flash `done` (translated, filled in from the form) or
    the reason it was refused."""
    form = {k: (v or "").strip() for k, v in request.form.items() if k != "csrf_token"}
    try:
        with db.session() as s:
            change(s, form)
    except rules.AccessError as exc:
        flash(_(exc.text, **exc.values), "error")
    else:
        flash(done.format(**{**form, "grantee": form.get("grantee", "").partition(":")[2]}))


def _grantee(form) -> dict[str, str]:
    """{'user': NAME} or {'group': NAME} from the form's choice 'user:NAME' or 'group:NAME'."""
    kind, _sep, name = form.get("grantee", "").partition(":")
    return {kind: name} if kind in ("user", "group") and name else {}


@bp.post("/access/sensitive")
def sensitive():
    on = request.form.get("on") == "1"
    _access_change(
        lambda s, f: rules.set_sensitive(s, f.get("code", ""), on, by=current_user.name),
        _("Customer {code} is sensitive now.")
        if on
        else _("Customer {code} is no longer sensitive."),
    )
    back = request.form.get("back") == "customers"
    return redirect(url_for("admin.customers") if back else url_for("admin.access"))


@bp.post("/access/grant", defaults={"change": "grant"})
@bp.post("/access/revoke", defaults={"change": "revoke"})
def grant_or_revoke(change: str):
    _access_change(
        lambda s, f: getattr(rules, change)(
            s, f.get("code", ""), **_grantee(f), by=current_user.name
        ),
        _("{grantee} may see customer {code}.")
        if change == "grant"
        else _("{grantee} may no longer see customer {code}."),
    )
    return redirect(url_for("admin.access"))


@bp.post("/groups")
def add_group():
    _access_change(lambda s, f: rules.add_group(s, f.get("name", ""), by=current_user.name),
                   _("Group {name} added."))  # fmt: skip
    return redirect(url_for("admin.access"))


@bp.post("/groups/remove")
def remove_group():
    _access_change(lambda s, f: rules.remove_group(s, f.get("name", ""), by=current_user.name),
                   _("Group {name} removed."))  # fmt: skip
    return redirect(url_for("admin.access"))


@bp.post("/groups/members")
def group_member():
    adding = request.form.get("add") == "1"
    change = rules.add_member if adding else rules.remove_member
    _access_change(
        lambda s, f: change(s, f.get("name", ""), f.get("member", ""), by=current_user.name),
        _("{member} added to group {name}.")
        if adding
        else _("{member} taken out of group {name}."),
    )
    return redirect(url_for("admin.access"))


# -- settings ------------------------------------------------------------------------


@bp.get("/settings")
def settings():
    env = config.settings().review_threshold
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
    page = userinput.parse_page(request.args.get("page"))
    stmt = select(AuditEvent)
    if args["user"]:
        stmt = stmt.where(AuditEvent.user == args["user"])
    if args["action"]:
        stmt = stmt.where(AuditEvent.action == args["action"])
    doc_id = userinput.parse_id(args["document"])
    if doc_id is not None:
        stmt = stmt.where(AuditEvent.document_id == doc_id)
    for key, op in (("since", "ge"), ("until", "lt")):
        day = day_start(args[key])
        if day is not None:
            edge = day if op == "ge" else day + dt.timedelta(days=1)
            stmt = stmt.where(AuditEvent.at >= edge if op == "ge" else AuditEvent.at < edge)
    with db.session() as s:
        paged = paginate(
            s, stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page, AUDIT_PER_PAGE
        )
        actions = sorted(s.scalars(select(AuditEvent.action).distinct()))
    return render_template(
        "admin/audit.html", events=paged.rows, args=args, actions=actions, page=paged.page,
        pages=paged.pages, total=paged.total,
    )  # fmt: skip



