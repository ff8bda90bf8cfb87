"""Reviewers: the queue of documents that need review, the keyboard-first correction page,
and how much each reviewer corrected."""

from __future__ import annotations

import time
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select

from archive import access, audit, db
from archive.corrections import CorrectionError, required_names
from archive.documents import FIELD_NAMES
from archive.models import NEEDS_REVIEW, AuditEvent, Document, FieldRow, ReviewState, utcnow
from extract.types import Source
from services import learning, line_items
from services import review as rs
from services.corrections import correct
from services.indexing import index_now
from web.auth import REVIEWERS, require
from web.i18n import _
from web.pages import box_percent
from web.search import hidden_customers, load, page_views, review_threshold

bp = Blueprint("review", __name__, url_prefix="/review")
bp.before_request(require(*REVIEWERS))

# the statement's fields in the form; the due date too, so a box drawn round it has a field
FORM_FIELDS = (*FIELD_NAMES, "due_date")
_STARTED = "review_started"  # document id -> when this reviewer opened it (for the stats)


_SKIPPED = "review_skipped"  # ids this reviewer skipped in this session: offered last


def queue_query(order: str = "age"):
    """The documents waiting for review that this reviewer may see and is offered: not put
    off, not taken by another reviewer."""
    q = select(Document).where(rs.waiting(current_user.name), access.visible(hidden_customers()))
    return rs.ordered(q, order)


def _count() -> int:
    with db.session() as s:
        q = select(Document.id).where(
            rs.waiting(current_user.name), access.visible(hidden_customers())
        )
        return s.scalar(select(func.count()).select_from(q.subquery())) or 0


@bp.get("/")
def queue():
    order = request.args.get("order", "age")
    order = order if order in rs.ORDERS else "age"
    with db.session() as s:
        docs = list(s.scalars(queue_query(order).limit(200)))
        states = rs.states(s, [d.id for d in docs])
        values = _values(s, [d.id for d in docs])
        put_off = s.scalar(
            select(func.count())
            .select_from(ReviewState)
            .join(Document, Document.id == ReviewState.document_id)
            .where(Document.status == NEEDS_REVIEW, ReviewState.postponed_until > utcnow())
        )
    return render_template(
        "review_queue.html",
        documents=docs,
        count=_count(),
        states=states,
        values=values,
        order=order,
        orders=ORDER_TEXT,
        put_off=put_off or 0,
    )


ITEM_TEXT = {
    "date": "Date",
    "reference": "Reference",
    "description": "Description",
    "debit": "Debit",
    "credit": "Credit",
    "balance": "Balance",
}
ORDER_TEXT = {"age": "Oldest first", "customer": "By customer", "amount": "Largest amount first"}


def _values(s, ids: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    if not ids:
        return out
    rows = s.execute(
        select(FieldRow.document_id, FieldRow.name, FieldRow.value).where(
            FieldRow.document_id.in_(ids),
            FieldRow.name.in_(("customer_code", "customer_name", "amount_due")),
        )
    )
    for doc_id, name, value in rows:
        out.setdefault(doc_id, {})[name] = value
    return out


def next_id(after: int | None = None) -> int | None:
    """The next statement for this reviewer; the ones skipped in this session come last,
    so "next" never offers the same statement again while others wait."""
    skipped = [int(i) for i in session.get(_SKIPPED, [])]
    with db.session() as s:
        q = queue_query().with_only_columns(Document.id)
        if after is not None:
            q = q.where(Document.id != after)
        fresh = s.scalar(q.where(Document.id.not_in(skipped)).limit(1)) if skipped else None
        return fresh or s.scalar(q.limit(1))


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


def _render(
    doc: Document,
    values: dict[str, str],
    errors: dict[str, str],
    code: int = 200,
    items_form: list[dict[str, str]] | None = None,
):
    threshold = review_threshold()
    remaining = _count()
    with db.session() as s:
        taught = learning.provenance(s, doc)
        items = items_form if items_form is not None else line_items.items_of(s, doc)
        state = s.get(ReviewState, doc.id)
        if state is not None:
            s.expunge(state)
    return (
        render_template(
            "review.html",
            doc=doc,
            fields=form_fields(doc, values, threshold),
            taught=taught,
            state=state,
            items=items,
            item_columns=line_items.COLUMNS,
            ITEM_TEXT=ITEM_TEXT,
            reject_kinds=rs.REJECT_KINDS,
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
    for name in FORM_FIELDS:
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
                # weak and read by machine: saving needs it changed or ticked as confirmed
                "confirm": row is not None
                and row.source != Source.MANUAL
                and row.confidence < threshold,
                "confirmed": bool(request.form.get(f"confirm_{name}")),
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
    doc = load(doc_id)  # 404 unless the reviewer may see it
    values = {name: request.form.get(name, "") for name in FORM_FIELDS if name in request.form}
    rows = None
    if request.form.get("items-present"):
        raw_rows = line_items.form_rows(request.form)
        try:
            rows = line_items.parse_rows(request.form)
        except line_items.ItemError as exc:
            message = _(
                "Line {row}, {column}: {message}", row=exc.row, column=exc.column,
                message=exc.message,
            )  # fmt: skip
            return _render(doc, values, {"items": message}, 400, items_form=raw_rows)
    unconfirmed = _unconfirmed(doc, values)
    if unconfirmed:
        message = _("Read with low confidence and not changed: correct it or tick “confirmed”.")
        return _render(doc, values, dict.fromkeys(unconfirmed, message), 400, items_form=rows)
    started = session.get(_STARTED, {}).pop(str(doc_id), None)
    seconds = time.time() - started if started else None
    try:
        outcome = correct(
            doc_id, values, current_user.name, seconds=seconds, observe=learning.observe
        )
    except CorrectionError as exc:
        return _render(load(doc_id), values, {exc.field: exc.message}, 400)
    if outcome is None:
        abort(404)
    if rows is not None:
        with db.session() as s:
            line_items.save_items(s, s.get(Document, doc_id), rows, current_user.name)
        index_now([doc_id])  # the index holds every line's amounts
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


def _unconfirmed(doc: Document, values: dict[str, str]) -> list[str]:
    """Fields read below the threshold that the reviewer neither changed nor confirmed:
    a weak value is never accepted without a word."""
    threshold = review_threshold()
    out = []
    for name, raw in values.items():
        row = doc.field(name)
        if row is None or row.source == Source.MANUAL or row.confidence >= threshold:
            continue
        if name == "customer_name" and values.get("customer_code") != doc.value("customer_code"):
            continue  # a customer picked from the master brings its name
        if raw.strip() == (row.value or "") and not request.form.get(f"confirm_{name}"):
            out.append(name)
    return out


def _status_text(status: str) -> str:
    from web.i18n import status_label

    return status_label(status)


# --------------------------------------------------------------------------- never blocked


def _move(doc_id: int, fn, done: str):
    """Run one review move on the document; its error goes back to the page, on top."""
    doc = load(doc_id)
    try:
        with db.session() as s:
            fn(s, s.get(Document, doc_id))
    except rs.ReviewError as exc:
        return _render(doc, {}, {"document": _(str(exc))}, 400)
    flash(done)
    return None


@bp.post("/<int:doc_id>/skip")
def skip(doc_id: int):
    load(doc_id)
    skipped = [i for i in session.get(_SKIPPED, []) if i != doc_id][-200:]
    session[_SKIPPED] = [*skipped, doc_id]
    return _to_next(doc_id, _("Skipped: it stays in the queue for others and comes back later."))


@bp.post("/<int:doc_id>/postpone")
def postpone(doc_id: int):
    try:
        hours = float(request.form.get("hours", "24"))
    except ValueError:
        hours = -1.0
    reason = request.form.get("reason", "")
    failed = _move(
        doc_id,
        lambda s, d: rs.postpone(s, d, current_user.name, hours, reason),
        _("Put off; it comes back to the queue in {hours} hours.", hours=f"{hours:g}"),
    )
    return failed or _to_next(doc_id)


@bp.post("/<int:doc_id>/reject")
def reject(doc_id: int):
    kind, reason = request.form.get("kind", ""), request.form.get("reason", "")
    failed = _move(
        doc_id,
        lambda s, d: rs.reject(s, d, current_user.name, kind, reason),
        _("Rejected; the file stays in the archive."),
    )
    if failed:
        return failed
    index_now([doc_id])
    return _to_next(doc_id)


@bp.post("/<int:doc_id>/claim")
def claim(doc_id: int):
    to = request.form.get("to") if current_user.role == "admin" else None
    to = (to or "").strip() or current_user.name
    if request.form.get("release"):
        to = None
    failed = _move(
        doc_id,
        lambda s, d: rs.assign(s, d, current_user.name, to),
        _("Taken by {user}.", user=to) if to else _("Back to every reviewer."),
    )
    return failed or redirect(url_for("review.document", doc_id=doc_id))


def _to_next(doc_id: int, message: str | None = None):
    if message:
        flash(message)
    following = next_id(after=doc_id)
    if following is None:
        return redirect(url_for("review.queue"))
    return redirect(url_for("review.document", doc_id=following))


@bp.get("/customers")
def customers():
    """The customer picker: customers whose code, name or alias contain `q`."""
    with db.session() as s:
        found = rs.find_customers(s, request.args.get("q", ""), hidden_customers())
        return jsonify(
            [{"code": c.code, "name": c.name, "aliases": list(c.aliases or [])} for c in found]
        )


@bp.post("/<int:doc_id>/customers")
def add_customer(doc_id: int):
    """Add the statement's customer to the master from the review page, then pick it."""
    doc = load(doc_id)
    code = request.form.get("code", "")
    try:
        with db.session() as s:
            rs.add_customer(
                s, current_user.name, code, request.form.get("name", ""),
                request.form.get("alias"),
            )  # fmt: skip
    except rs.ReviewError as exc:
        return _render(doc, {}, {"document": _(str(exc))}, 400)
    values = {"customer_code": code.strip(), "customer_name": request.form.get("name", "")}
    flash(_("Customer {code} added to the customer master.", code=code.strip()))
    return _render(doc, values, {})


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
    return {"review_count": _count()}
