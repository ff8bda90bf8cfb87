"""Sign-in, sign-out, roles and login throttling.

Failed logins are audit events; the throttle counts them, so it holds across all web
processes (gunicorn workers) without a store of its own. A per-process counter per client
address adds a second limit against one machine trying many names.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
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
from sqlalchemy import func, select

from archive import audit, db
from archive.models import AuditEvent, utcnow
from archive.users import ADMIN, FINANCE, MAILROOM, REVIEWER, User, authenticate
from web.i18n import _

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

MAX_FAILURES = 5  # per user name within FAILURE_WINDOW
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW = dt.timedelta(minutes=15)

# Who may use which part of the app. Admins may do everything.
READERS = (FINANCE, REVIEWER, ADMIN)
REVIEWERS = (REVIEWER, ADMIN)
UPLOADERS = (MAILROOM, ADMIN)
ADMINS = (ADMIN,)

_address_failures: dict[str, deque[float]] = {}
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    login_manager.login_message = None  # the login page says what it is


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    with db.session() as s:
        user = s.get(User, int(user_id))
        return user if user is not None and user.active else None


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
        if _throttled(s, name, address):
            audit.record(s, "login_failed", user=name, ip=address, reason="throttled")
            flash(_("Too many failed sign-ins. Wait 15 minutes and try again."), "error")
            return render_template("login.html", name=name), 429
        user = authenticate(s, name, password)
        if user is None:
            audit.record(s, "login_failed", user=name, ip=address, reason="bad credentials")
            _note_failure(address)
            flash(_("Wrong user name or password."), "error")
            return render_template("login.html", name=name), 401
        user.last_login_at = utcnow()
        audit.record(s, "login", user=user.name, ip=address)
    session.clear()  # no fixation: a fresh session for the signed-in user
    login_user(user)
    if user.locale:
        session["locale"] = user.locale
    return redirect(_safe_next(request.args.get("next")) or home_for(user))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        with db.session() as s:
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


def _throttled(s, name: str, address: str) -> bool:
    since = utcnow() - FAILURE_WINDOW
    failures = s.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "login_failed", AuditEvent.user == name, AuditEvent.at > since)
    )
    if (failures or 0) >= MAX_FAILURES:
        return True
    with _lock:
        recent = _address_failures.get(address, deque())
        cutoff = time.monotonic() - FAILURE_WINDOW.total_seconds()
        while recent and recent[0] < cutoff:
            recent.popleft()
        return len(recent) >= MAX_FAILURES_PER_ADDRESS


def _note_failure(address: str) -> None:
    with _lock:
        _address_failures.setdefault(address, deque()).append(time.monotonic())


def current_name() -> str:
    return current_user.name if current_user.is_authenticated else "-"


@bp.before_app_request
def _user_in_g() -> None:
    g.user = current_user if current_user.is_authenticated else None
