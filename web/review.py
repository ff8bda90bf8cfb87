"""Reviewers: the queue of documents that need review, the keyboard-first correction page,
and how much each reviewer corrected."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import func, select

from archive import access, audit, db
from archive.corrections import CorrectionError, required_names
from archive.documents import FIELD_NAMES
from archive.models import NEEDS_REVIEW, AuditEvent, Document
from services.corrections import correct
from web.auth import REVIEWERS, require
from web.i18n import _
from web.pages import box_percent
from web.search import hidden_customers, load, page_views, review_threshold

bp = Blueprint("review", __name__, url_prefix="/review")
bp.before_request(require(*REVIEWERS))

_STARTED = "review_started"  # document id -> when this reviewer opened it (for the stats)


def queue_query():
    """The documents waiting for review that this reviewer may see."""
    return (
        select(Document)
        .where(Document.status == NEEDS_REVIEW, access.visible(hidden_customers()))
        .order_by(Document.created_at, Document.id)
    )


@bp.get("/")
def queue():
    with db.session() as s:
        docs = list(s.scalars(queue_query().limit(200)))
        count = s.scalar(select(func.count()).select_from(queue_query().subquery())) or 0
    return render_template("review_queue.html", documents=docs, count=count)


def next_id(after: int | None = None) -> int | None:
    with db.session() as s:
        q = queue_query().with_only_columns(Document.id)
        if after is not None:
            q = q.where(Document.id != after)
        return s.scalar(q.limit(1))


@bp.get("/next")
def next_document():
    doc_id = next_id()
    if doc_id is None:
        flash(_("The review queue is empty."))
        return redirect(url_for("review.queue"))
    return redirect(url_for("review.document", doc_id=doc_id))


@bp.get("/<int:doc_id>")
def document(doc_id: int):
    doc = load(doc_id)
    with db.session() as s:
        audit.record(s, "view", user=current_user.name, document_id=doc_id, page="review")
    started = session.get(_STARTED, {})
    started[str(doc_id)] = time.time()
    session[_STARTED] = dict(list(started.items())[-20:])  # a few open tabs at most
    return _render(doc, {}, {})


def _render(doc: Document, values: dict[str, str], errors: dict[str, str], code: int = 200):
    threshold = review_threshold()
    with db.session() as s:
        remaining = s.scalar(select(func.count()).select_from(queue_query().subquery())) or 0
    return (
        render_template(
            "review.html",
            doc=doc,
            fields=form_fields(doc, values, threshold),
            errors=errors,
            pages=page_views(doc),
            data=client_data(doc, threshold),
            remaining=remaining,
            threshold=threshold,
        ),
        code,
    )


def form_fields(doc: Document, values: dict[str, str], threshold: float) -> list[dict[str, Any]]:
    out = []
    required = required_names(doc)  # blank ones need attention: the acceptance rule's
    for name in FIELD_NAMES:
        row = doc.field(name)
        confidence = row.confidence if row else None
        out.append(
            {
                "name": name,
                "value": values.get(name, row.value if row and row.value else ""),
                "confidence": confidence,
                "source": row.source if row else None,
                "page": row.page if row else None,
                "attention": (name in required) if row is None else row.confidence < threshold,
            }
        )
    return out


def client_data(doc: Document, threshold: float) -> dict[str, Any]:
    """What review.js needs: every page's OCR words as [text, left, top, width, height] in %."""
    pages = {}
    for page in doc.pages:
        words = []
        for w in page.words or []:
            box = box_percent(w[1:5], page)
            if box and str(w[0]).strip():
                words.append([str(w[0]), *box])
        pages[page.number] = words
    return {"threshold": threshold, "words": pages}


@bp.post("/<int:doc_id>")
def save(doc_id: int):
    load(doc_id)  # 404 unless the reviewer may see it
    values = {name: request.form.get(name, "") for name in FIELD_NAMES if name in request.form}
    started = session.get(_STARTED, {}).pop(str(doc_id), None)
    seconds = time.time() - started if started else None
    try:
        outcome = correct(doc_id, values, current_user.name, seconds=seconds)
    except CorrectionError as exc:
        return _render(load(doc_id), values, {exc.field: exc.message}, 400)
    if outcome is None:
        abort(404)
    session.modified = True
    flash(
        _(
            "Document {id} saved: {n} fields corrected, now {status}.",
            id=doc_id,
            n=len(outcome.changes),
            status=_status_text(outcome.status),
        )
    )
    following = next_id(after=doc_id)
    if following is None:
        return redirect(url_for("review.queue"))
    return redirect(url_for("review.document", doc_id=following))


def _status_text(status: str) -> str:
    from web.i18n import status_label

    return status_label(status)


@bp.get("/stats")
def stats():
    with db.session() as s:
        events = s.execute(
            select(AuditEvent.user, AuditEvent.document_id, AuditEvent.detail).where(
                AuditEvent.action == "reviewed"
            )
        ).all()
    return render_template("review_stats.html", rows=reviewer_stats(events))


def reviewer_stats(events) -> list[dict[str, Any]]:
    per: dict[str, dict[str, Any]] = {}
    for user, doc_id, detail in events:
        row = per.setdefault(
            user or "-",
            {"user": user or "-", "docs": set(), "fields": 0, "seconds": 0.0, "timed": 0},
        )
        row["docs"].add(doc_id)
        row["fields"] += int(detail.get("fields") or 0)
        if detail.get("seconds") is not None:
            row["seconds"] += float(detail["seconds"])
            row["timed"] += 1
    out = []
    for row in sorted(per.values(), key=lambda r: -len(r["docs"])):
        timed = row["timed"]
        out.append(
            {
                "user": row["user"],
                "documents": len(row["docs"]),
                "fields": row["fields"],
                "minutes": round(row["seconds"] / 60, 1),
                "per_document": round(row["seconds"] / timed) if timed else None,
            }
        )
    return out


@bp.app_context_processor
def review_count() -> dict[str, int]:
    """The queue length beside "Review" in the menu, for those who review."""
    if not current_user.is_authenticated or current_user.role not in REVIEWERS:
        return {}
    with db.session() as s:
        return {
            "review_count": s.scalar(select(func.count()).select_from(queue_query().subquery()))
            or 0
        }
