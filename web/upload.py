"""Mailroom: drop files, see them go received → processing → accepted / needs review / failed."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from archive import db, userinput
from archive.documents import submitted_by, uploaded_by
from archive.models import FAILED, NEEDS_REVIEW, Document
from archive.users import MAILROOM
from services import intake, processing
from web.auth import UPLOADERS, require
from web.i18n import _, datetime, error_text, note_text, source_label, status_label
from web.paging import Paged, paginate

log = logging.getLogger(__name__)

bp = Blueprint("upload", __name__, url_prefix="/upload")
bp.before_request(require(*UPLOADERS))

RECENT = 50  # documents a page


@bp.get("/")
def index():
    paged = recent_documents(userinput.parse_page(request.args.get("page")))
    return render_template(
        "upload.html", documents=paged.rows, page=paged.page, pages=paged.pages, reason=reason,
        can_retry=can_retry,
    )  # fmt: skip


@bp.post("/")
def upload():
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if not files:
        return _answer({"error": _("Choose one or more files.")}, 400)
    results = []
    for f in files:
        data = f.read()
        if not data:
            results.append({"file": f.filename, "error": _("The file is empty.")})
            continue
        try:
            sub = intake.submit(data, f.filename, source="upload", user=current_user.name)
        except intake.NotArchived as exc:
            log.error("upload of %r not archived: %s", f.filename, exc)
            reason = _("Not stored: the archive's disk is full. Tell an administrator.")
            results.append({"file": f.filename, "error": reason})
            continue
        results.append(_submitted(sub.id, f.filename, duplicate=not sub.created))
    return _answer({"files": results}, 202)


def _submitted(doc_id: int, filename: str, *, duplicate: bool) -> dict[str, Any]:
    with db.session() as s:
        doc = s.get(Document, doc_id)
        return {"file": filename, "duplicate": duplicate, **row_json(doc)}


def _answer(body: dict[str, Any], code: int):
    """JSON for the page's script; a redirect with a message for a plain form post."""
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(body), code
    if "error" in body:
        flash(body["error"], "error")
    else:
        dupes = sum(1 for f in body["files"] if f.get("duplicate"))
        flash(_("{n} files received, {d} of them already archived.", n=len(body["files"]), d=dupes))
    return redirect(url_for("upload.index"))


@bp.get("/recent")
def recent():
    paged = recent_documents(userinput.parse_page(request.args.get("page")))
    return jsonify(
        documents=[row_json(d) for d in paged.rows], page=paged.page, pages=paged.pages
    )


@bp.post("/<int:doc_id>/retry")
def retry(doc_id: int):
    ok = may_see(doc_id) and processing.retry(doc_id, intake.enqueue)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=ok), 200 if ok else 409
    flash(
        _("Document {id} queued again.", id=doc_id)
        if ok
        else _("Only failed documents can be retried.")
    )
    return redirect(url_for("upload.index"))


def recent_documents(page: int = 1) -> Paged:
    """The newest documents, a page at a time; the mailroom sees only what it submitted
    itself."""
    stmt = select(Document).order_by(Document.created_at.desc(), Document.id.desc())
    if not sees_all():
        stmt = stmt.where(Document.id.in_(uploaded_by(current_user.name)))
    with db.session() as s:
        return paginate(s, stmt, page, RECENT)


def may_see(doc_id: int) -> bool:
    if sees_all():
        return True
    with db.session() as s:
        return submitted_by(s, doc_id, current_user.name)


def sees_all() -> bool:
    """Review notes and other people's uploads are for reviewers and admins, not the mailroom."""
    return current_user.role != MAILROOM


def reason(doc: Document) -> str:
    if doc.status == FAILED:
        return error_text(doc) or ""
    if doc.status == NEEDS_REVIEW and sees_all():
        return "; ".join(note_text(n) for n in doc.notes or [])
    return ""


def can_retry(doc: Document) -> bool:
    """A failed document may be tried again, unless the file itself can never be read."""
    from extract.pipeline import UNREADABLE

    return doc.status == FAILED and (doc.error or "") not in UNREADABLE


def row_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "file": doc.filename,
        "status": doc.status,
        "status_label": status_label(doc.status),
        "reason": reason(doc),
        "source": source_label(doc.source),
        "received": datetime(doc.created_at),
        "can_retry": can_retry(doc),
    }
