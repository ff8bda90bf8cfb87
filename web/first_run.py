"""The first run: while no user exists, `stmt serve` prints a link that creates the first admin.

The link carries a one-time token (only its SHA-256 is kept, as a setting); the page answers
only requests from this computer (loopback) and only while there is no user at all. Once the
admin exists the token is deleted and the page is gone (404).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from sqlalchemy import delete, func, select

from archive import audit, db
from archive.users import ADMIN, Setting, User, UserError, add_user, get_setting, set_setting
from web.i18n import _

bp = Blueprint("first_run", __name__)
SETTING = "first_admin_token"
LOOPBACK = ("127.0.0.1", "::1")


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.context_processor(lambda: {"no_users_yet": _no_users_on_login()})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def no_users() -> bool:
    with db.session() as s:
        return not s.scalar(select(func.count()).select_from(User))


def _no_users_on_login() -> bool:
    return request.endpoint == "auth.login" and no_users()


def announce(host: str, port: int) -> str | None:
    """A new one-time link to create the first admin, or None when a user exists."""
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(User)):
            return None
        token = secrets.token_urlsafe(24)
        set_setting(s, SETTING, _hash(token), user="serve")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/first-admin?token={token}"


def _check() -> str:
    """The token of this request, after every condition holds; else 404 (nothing to find)."""
    token = request.values.get("token", "")
    if request.remote_addr not in LOOPBACK or not token or len(token) > 100:
        abort(404)
    with db.session() as s:
        stored = get_setting(s, SETTING)
        users = s.scalar(select(func.count()).select_from(User))
    if users or not stored or not hmac.compare_digest(stored, _hash(token)):
        abort(404)
    return token


@bp.route("/first-admin", methods=["GET", "POST"])
def first_admin():
    token = _check()
    if request.method == "GET":
        return render_template("first_admin.html", token=token, name="")
    form = request.form
    try:
        with db.session() as s:
            user = add_user(s, form.get("name", ""), ADMIN, form.get("password", ""),
                            form.get("email"))  # fmt: skip
            s.execute(delete(Setting).where(Setting.key == SETTING))
            audit.record(s, "user_added", user=user.name, name=user.name, role=ADMIN,
                         first_run=True)  # fmt: skip
            user_id = user.id
    except UserError as exc:
        flash(str(exc), "error")
        return render_template("first_admin.html", token=token, name=form.get("name", "")), 400
    with db.session() as s:
        user = s.get(User, user_id)
        session.clear()
        login_user(user)
    flash(_("Welcome. You are the first admin: add users and customers here."))
    return redirect(url_for("admin.users"))
