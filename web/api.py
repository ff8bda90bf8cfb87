"""The JSON API under /api/v1 (bearer tokens from `stmt tokens create NAME`).

Objects are the CLI's: a document is `stmt show --json`, a search is `stmt search --json`.
Errors are JSON too: {"status": 401, "error": "unauthorized", "message": "…"}.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, jsonify, request, send_file
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from archive import audit, config, db, documents, userinput
from archive.models import AuditEvent, Correction, Document, utc_text
from archive.store import safe_name
from archive.users import User, user_for_token
from services import learning
from web.auth import READERS, REVIEWERS, UPLOADERS
from web.ledger import LEDGER_ROLES
from web.openapi import SPEC

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC = {"api.openapi"}


def json_error(status: int, message: str | None = None, **extra: Any):
    name = HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
    resp = jsonify(
        status=status, error=name, message=message or HTTP_STATUS_CODES.get(status), **extra
    )
    resp.status_code = status
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="stmt"'
    return resp


class ApiError(HTTPException):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message, response=json_error(status, message, **extra))
        self.code = status


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return json_error(401, "send an API token: Authorization: Bearer <token>")
    with db.session() as s:
        user = user_for_token(s, token.strip())
    if user is None:
        return json_error(401, "the API token is not valid")
    g.api_user = user
    return None


def allow(*roles: str):
    def deco(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.api_user.role not in roles:
                return json_error(403, f"the {g.api_user.role} role may not do this")
            return view(*args, **kwargs)

        return wrapper

    return deco


def api_user() -> User:
    return g.api_user


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.post("/documents")
@allow(*UPLOADERS)
def upload():
    from services import intake

    f, data = _uploaded("statement")
    try:
        sub = intake.submit(data, f.filename, source="api", user=api_user().name)
    except intake.NotArchived as exc:
        return json_error(507, str(exc))
    with db.session() as s:
        body = {"id": sub.id, "status": s.get(Document, sub.id).status}
    if not sub.created:
        return jsonify(body | {"duplicate": True}), 200
    return jsonify(body), 202


def _uploaded(what: str, limit: int = -1):
    """The multipart field 'file' and its bytes (at most `limit` + 1 of them); 400 when there
    is none or it is empty."""
    f = request.files.get("file")
    if f is None or not f.filename:
        abort(json_error(400, f"send the {what} as multipart form field 'file'"))
    data = f.read(limit + 1 if limit >= 0 else -1)
    if not data:
        abort(json_error(400, "the file is empty"))
    return f, data


def _load(doc_id: int):
    """The document if this token's user may see it; 404 alike when it does not exist."""
    from web.search import load

    try:
        return load(doc_id)
    except HTTPException:
        raise ApiError(404, f"no document {doc_id}") from None


@bp.get("/documents/<int:doc_id>")
@allow(*READERS, *UPLOADERS)
def document(doc_id: int):
    if api_user().role not in READERS and not _submitted_by(api_user(), doc_id):
        raise ApiError(404, f"no document {doc_id}")  # the mailroom: only what it sent
    doc = _load(doc_id)
    if api_user().role not in READERS:  # the mailroom sees status, not content
        return jsonify(
            {"id": doc.id, "file": doc.filename, "status": doc.status, "error": doc.error}
        )
    with db.session() as s:
        audit.record(s, "view", user=api_user().name, document_id=doc_id, via="api")
    return jsonify(documents.to_json(doc, detail=True, lang=_language()))


def _language() -> str:
    """Review notes in the token user's language, else as the request asks (English)."""
    chosen = getattr(api_user(), "locale", None)
    if chosen in ("en", "zh"):
        return chosen
    return request.accept_languages.best_match(("en", "zh"), default="en")


def _submitted_by(user: User, doc_id: int) -> bool:
    with db.session() as s:
        return documents.submitted_by(s, doc_id, user.name)


@bp.get("/documents/<int:doc_id>/original")
@allow(*READERS)
def original(doc_id: int):
    from web.search import MIME

    doc = _load(doc_id)
    data = documents.original(config.settings(), doc)
    with db.session() as s:
        audit.record(s, "download", user=api_user().name, document_id=doc_id, via="api")
    return send_file(
        io.BytesIO(data),
        mimetype=MIME.get(doc.kind or "", "application/octet-stream"),
        as_attachment=True,
        download_name=safe_name(doc.filename),
    )


@bp.get("/search")
@allow(*READERS)
def search():
    """Parameters are checked exactly as /api/v1/openapi.json describes them: a parameter
    that is sent must be valid (an empty one too); one left out has its default."""
    from archive.ledger import CONFIRMATION_STATES, DISPUTE_STATUSES
    from index.base import SearchQuery
    from index.service import result_json, run_search
    from web.search import AMOUNT_PLACES, SORTS, STATUSES

    args = request.args
    # every parameter sent is checked, even one that `period` overrides
    period, first, last = (_period(args, k) for k in ("period", "period_from", "period_to"))
    q = SearchQuery(
        text=(args.get("q") or "")[:500],
        customer=args.get("customer") or None,
        tag=args.get("tag") or None,
        period_from=period or first,
        period_to=period or last,
        status=_choice(args, "status", STATUSES),
        amount=_amount(args, "amount"),
        amount_min=_amount(args, "amount_min"),
        amount_max=_amount(args, "amount_max"),
        amount_in=_choice(args, "in", AMOUNT_PLACES) or "all",
        confirmation=_choice(args, "confirmation", CONFIRMATION_STATES),
        dispute=_choice(args, "dispute", DISPUTE_STATUSES),
        sort=_choice(args, "sort", SORTS) or "relevance",
        limit=_int(args, "limit", 20, 1, MAX_LIMIT),
        offset=_int(args, "offset", 0, 0, MAX_OFFSET),
    )
    return jsonify(result_json(run_search(q, api_user())))


MAX_LIMIT = 1000
MAX_OFFSET = 10**9


def _choice(args, key: str, choices) -> str | None:
    value = args.get(key)
    if value is not None and value not in choices:
        abort(json_error(400, f"{key} must be one of {', '.join(choices)}"))
    return value


def _period(args, key: str) -> str | None:
    return _typed(userinput.parse_period, args, key)


def _amount(args, key: str) -> Decimal | None:
    return _typed(userinput.parse_amount, args, key)


def _typed(parse, args, key: str):
    try:
        return parse(args.get(key), strict=True)
    except userinput.InputError as exc:
        abort(json_error(400, f"{key}: {exc}"))


def _int(args, key: str, default: int, low: int, high: int) -> int:
    raw = args.get(key)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) < 12) or not low <= int(raw) <= high:
        abort(json_error(400, f"{key} must be a whole number from {low} to {high}"))
    return int(raw)


@bp.post("/ledger")
@allow(*LEDGER_ROLES)
def ledger_import():
    """Import a ledger file (multipart `file`; optional `kind` and `col_<column>` headers)."""
    from services.ledger import (
        DEFAULT_COLUMNS,
        LEDGER_KINDS,
        LedgerFileError,
        form_mapping,
        import_file,
    )
    from web.ledger import MAX_LEDGER_BYTES

    f, data = _uploaded("ledger", MAX_LEDGER_BYTES)
    if len(data) > MAX_LEDGER_BYTES:
        return json_error(413, "the file is larger than 50 MB")
    kind = request.form.get("kind") or None
    if kind is not None and kind not in LEDGER_KINDS:
        return json_error(400, f"kind must be one of {', '.join(LEDGER_KINDS)}")
    long = [c for c in DEFAULT_COLUMNS if len(request.form.get(f"col_{c}") or "") > 255]
    if long:
        return json_error(400, f"col_{long[0]} is longer than 255 characters")
    mapping = form_mapping(request.form)
    try:
        with db.session() as s:
            result = import_file(
                s, data, f.filename, user=api_user().name, kind=kind, mapping=mapping
            )
    except LedgerFileError as exc:
        return json_error(
            422,
            "; ".join(p.text() for p in exc.problems),
            problems=[{"line": p.line, "message": p.text()} for p in exc.problems],
        )
    body = {
        "import_id": result.import_id,
        "kind": result.kind,
        "rows": result.rows,
        "periods": result.periods,
    }
    return jsonify(body), 201


@bp.patch("/documents/<int:doc_id>/fields")
@allow(*REVIEWERS)
def correct_fields(doc_id: int):
    from archive.corrections import DATE_FIELDS, EDITABLE, CorrectionError
    from archive.documents import AMOUNT_FIELDS
    from services.corrections import correct

    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        return json_error(400, "send a JSON object of field names and values")
    unknown = sorted(k for k in body if k not in EDITABLE)
    if unknown:
        return json_error(400, f"unknown fields: {', '.join(unknown)}", fields=list(EDITABLE))
    for name in AMOUNT_FIELDS:  # beyond any statement's amount: the request itself is wrong
        value = body.get(name)
        try:
            userinput.parse_amount(value if isinstance(value, str) else None)
        except userinput.InputError as exc:
            if exc.message == userinput.AMOUNT_RANGE_MESSAGE:
                return json_error(400, f"{name}: {exc}", field=name)
    for name, value in body.items():
        try:
            userinput.check_field(name, value, AMOUNT_FIELDS, DATE_FIELDS)
        except userinput.InputError as exc:
            return json_error(422, str(exc), field=name)
    values = {k: v or None for k, v in body.items()}
    _load(doc_id)
    try:
        outcome = correct(doc_id, values, api_user().name, observe=learning.observe)
    except CorrectionError as exc:
        return json_error(422, exc.message, field=exc.field)
    return jsonify(
        id=doc_id,
        status=outcome.status,
        corrections=[{"field": c.field, "old": c.old, "new": c.new} for c in outcome.changes],
        alias_added=outcome.alias_added,
    )


@bp.get("/documents/<int:doc_id>/history")
@allow(*READERS)
def history(doc_id: int):
    _load(doc_id)
    with db.session() as s:
        corrections = s.scalars(
            select(Correction).where(Correction.document_id == doc_id).order_by(Correction.at)
        ).all()
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.document_id == doc_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        ).all()
        body = {
            "id": doc_id,
            "corrections": [
                {
                    "field": c.field,
                    "old": c.old_value,
                    "new": c.new_value,
                    "user": c.user,
                    "at": utc_text(c.at),
                }
                for c in corrections
            ],
            "events": [
                {
                    "at": utc_text(e.at),
                    "user": e.user,
                    "action": e.action,
                    "detail": e.detail,
                }
                for e in events
            ],
        }
    return jsonify(body)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    if exc.response is not None:
        return exc.response
    return json_error(exc.code or 500, exc.description)
