"""Flask app factory: one blueprint per audience (mailroom, finance, reviewers, admins, API)."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from archive import config, db
from archive.models import Document
from archive.secret import secret_text
from archive.userinput import MAX_ID
from services.workers import live_workers

csrf = CSRFProtect()

# Same-origin only: no CDN, no inline script or style (JS positions boxes via the CSSOM).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(overrides: dict[str, Any] | None = None, *, plain_http: bool = False) -> Flask:
    """The app; `plain_http`: served without TLS (`stmt serve`), so cookies may go over
    HTTP unless STMT_COOKIE_SECURE says otherwise."""
    settings = config.settings()
    secure = settings.cookie_secure if settings.cookie_secure is not None else not plain_http
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_text(settings),
        MAX_CONTENT_LENGTH=settings.max_file_bytes + 1024 * 1024,
        SESSION_COOKIE_NAME="stmt_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead; a long review day must not expire
        JSON_SORT_KEYS=False,
    )
    app.config.update(overrides or {})
    app.json.ensure_ascii = False
    app.url_map.converters["int"] = RowId  # before any route is added
    csrf.init_app(app)
    _register(app)
    _security_headers(app)
    _errors(app)

    @app.get("/health")
    def health():
        """The web app answers; `degraded` when no worker is alive to read documents."""
        with db.session() as s:
            counts = dict(
                s.execute(select(Document.status, func.count()).group_by(Document.status)).all()
            )
        workers = live_workers()
        return jsonify(status="ok" if workers else "degraded", workers=workers, documents=counts)

    return app


class RowId(IntegerConverter):
    """<int:…> in routes: ids a database row can have; larger numbers are 404, not 500."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _register(app: Flask) -> None:
    # admin_records adds the access log and retention pages to the admin blueprint,
    # admin_learning the layouts reviewers taught
    from web import (  # noqa: F401
        admin,
        admin_learning,
        admin_records,
        api,
        auth,
        finance,
        first_run,
        i18n,
        ledger,
        metrics,
        review,
        search,
        upload,
    )
    from web.qr import qr_api

    auth.init_app(app)
    i18n.init_app(app)
    for bp in (auth.bp, upload.bp, search.bp, review.bp, admin.bp, api.bp, qr_api, ledger.bp):
        app.register_blueprint(bp)
    finance.init_app(app)
    first_run.init_app(app)
    metrics.init_app(app)
    for bp in (api.bp, qr_api):
        csrf.exempt(bp)  # bearer tokens, never cookies: nothing to forge


def _security_headers(app: Flask) -> None:
    @app.after_request
    def headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static" and "Cache-Control" not in resp.headers:
            resp.headers["Cache-Control"] = "no-store"  # statements are confidential
        return resp


def _errors(app: Flask) -> None:
    from web.api import json_error

    def handler(code: int):
        def handle(exc):
            if request.path.startswith("/api/"):
                resp = json_error(code, getattr(exc, "description", None))
            else:
                resp = app.make_response(
                    (render_template("error.html", code=code, error=exc), code)
                )
            methods = getattr(exc, "valid_methods", None)
            if code == 405 and methods:  # HTTP: a 405 says which methods the resource has
                resp.headers["Allow"] = ", ".join(sorted(methods))
            return resp

        return handle

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler(code))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template("error.html", code=400, error=exc), 400


