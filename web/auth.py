"""Sign-in, sign-out, roles and login throttling.

Failed sign-ins are audit events and count against the account and the client address in
the database (archive/throttle.py), so the limits hold across all web processes. A session
cookie names the user and their session version; signing out or changing the password
raises the version, which ends every earlier session of that user on its next request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user

from archive import audit, db, throttle
from archive.models import utcnow
from archive.users import ADMIN, FINANCE, MAILROOM, REVIEWER, User, authenticate
from web.i18n import _

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Who may use which part of the app. Admins may do everything.
READERS = (FINANCE, REVIEWER, ADMIN)
REVIEWERS = (REVIEWER, ADMIN)
UPLOADERS = (MAILROOM, ADMIN)
ADMINS = (ADMIN,)
ISSUERS = (FINANCE, ADMIN)  # who may have statement QR codes signed


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.login_message = None  # the login page says what it is


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session whose version is still current (see User.session_version)."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit() or len(ident) > 18:
        return None
    with db.session() as s:
        user = s.get(User, int(ident))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def require(*roles: str) -> Callable[[], None]:
    """A before_request guard for a blueprint: signed in, and one of `roles`."""

    def guard() -> None:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        if current_user.role not in roles:
            abort(403)

    return guard


def roles_required(*roles: str):
    """The same check for one view (narrower than its blueprint's)."""

    def deco(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(*roles)()
            return view(*args, **kwargs)

        return wrapper

    return deco


def home_for(user: User) -> str:
    if user.role == MAILROOM:
        return url_for("upload.index")
    if user.role == REVIEWER:
        return url_for("review.queue")
    return url_for("search.index")


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", name="")
    name = (request.form.get("name") or "").strip()[:64]
    password = request.form.get("password") or ""
    address = request.remote_addr or "-"
    with db.session() as s:
        until = throttle.locked_until(s, name, address)
        if until is not None:  # refused, and not counted: waiting always ends the lock
            audit.record(s, "login_failed", user=name, ip=address, reason="throttled")
            seconds = max(1, int((until - utcnow()).total_seconds()) + 1)
            flash(_("Too many failed sign-ins. Try again in {n} minutes.", n=-(-seconds // 60)),
                  "error")  # fmt: skip
            page = render_template("login.html", name=name)
            return page, 429, {"Retry-After": str(seconds)}
    with db.session() as s:
        user = authenticate(s, name, password)
        if user is None:
            audit.record(s, "login_failed", user=name, ip=address, reason="bad credentials")
            throttle.failed(s, name, address)
        else:
            user.last_login_at = utcnow()
            throttle.succeeded(s, name)
            audit.record(s, "login", user=user.name, ip=address)
    if user is None:
        flash(_("Wrong user name or password."), "error")
        return render_template("login.html", name=name), 401
    session.clear()  # no fixation: a fresh session for the signed-in user
    login_user(user)
    if user.locale:
        session["locale"] = user.locale
    return redirect(_safe_next(request.args.get("next")) or home_for(user))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        with db.session() as s:
            user = s.get(User, current_user.id)
            user.end_sessions()  # a copy of this session's cookie no longer signs anyone in
            audit.record(s, "logout", user=current_user.name)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never send a user on to another host after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.before_app_request
def _user_in_g() -> None:
    g.user = current_user if current_user.is_authenticated else None
