"""Finance: import the receivables ledger, reconcile it with the statements, and follow the
customers' confirmations and disputes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive import db
from archive.users import ADMIN, FINANCE
from web.auth import require
from web.i18n import _

LEDGER_ROLES = (FINANCE, ADMIN)

bp = Blueprint("ledger", __name__)
bp.before_request(require(*LEDGER_ROLES))

MAX_LEDGER_BYTES = 50 * 1024 * 1024

# How the stored values of this area (statuses, kinds) read in the interface (msgids).
LABELS = {
    "matched": "Agrees",
    "difference": "Differs",
    "no_statement": "No statement",
    "no_ledger": "No ledger balance",
    "confirmed": "Confirmed",
    "disputed": "Disputed",
    "open": "Open",
    "investigating": "Investigating",
    "resolved": "Resolved",
    "written_off": "Written off",
    "balances": "Balances",
    "items": "Open items",
}


@bp.app_template_filter("ledger_label")
def ledger_label(value: str | None) -> str:
    return _(LABELS.get(value or "", value or ""))


@bp.get("/ledger")
def index():
    from services.ledger import DEFAULT_COLUMNS, imports

    with db.session() as s:
        records = imports(s)
    return render_template("ledger.html", imports=records, columns=list(DEFAULT_COLUMNS))


@bp.post("/ledger")
def upload():
    from services.ledger import LedgerFileError, form_mapping, import_file

    f = request.files.get("file")
    data = f.read(MAX_LEDGER_BYTES + 1) if f is not None and f.filename else b""
    if not data:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("ledger.index"))
    kind = request.form.get("kind") or None
    mapping = form_mapping(request.form)
    try:
        if len(data) > MAX_LEDGER_BYTES:
            from services.ledger import Problem

            raise LedgerFileError([Problem(None, "the file is larger than 50 MB")])
        with db.session() as s:
            result = import_file(
                s, data, f.filename or "ledger", user=current_user.name, kind=kind, mapping=mapping
            )
    except LedgerFileError as exc:
        for p in exc.problems:
            flash(p.text(_), "error")
        flash(_("Nothing was imported."), "error")
        return redirect(url_for("ledger.index"))
    flash(
        _(
            "Imported {rows} rows ({kind}) for {periods}.",
            rows=result.rows,
            kind=ledger_label(result.kind),
            periods=", ".join(result.periods),
        )
    )
    return redirect(url_for("ledger.index"))


# -- reconciliation -----------------------------------------------------------------------


def _reconciled():
    """The reconciliation the form asks for: (values, rows, errors)."""
    from archive import userinput
    from services.reconcile import RECONCILE_STATUSES, reconcile
    from web.search import hidden_customers

    values = {k: (request.args.get(k) or "").strip() for k in ("period", "customer", "status")}
    errors: list[str] = []
    period = None
    try:
        period = userinput.parse_typed_period(values["period"])
    except userinput.InputError as exc:
        errors.append(_(exc.message, **exc.values))
    rows = []
    if period:
        with db.session() as s:
            rows = reconcile(s, period, values["customer"] or None, hidden=hidden_customers())
        if values["status"] in RECONCILE_STATUSES:
            rows = [r for r in rows if r.status == values["status"]]
    return values, rows, errors


@bp.get("/reconcile")
def reconcile_page():
    from services.reconcile import RECONCILE_STATUSES

    values, rows, errors = _reconciled()
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    return render_template(
        "reconcile.html",
        v=values,
        rows=rows,
        errors=errors,
        statuses=RECONCILE_STATUSES,
        counts=counts,
    ), (400 if errors else 200)


@bp.get("/reconcile/export.<fmt>")
def reconcile_export(fmt: str):
    from flask import Response, abort

    from archive import audit
    from services.reconcile import EXPORT_COLUMNS, export_rows
    from web.spreadsheet import XLSX_MIME, csv_bytes, xlsx_bytes

    if fmt not in ("csv", "xlsx"):
        abort(404)
    values, rows, errors = _reconciled()
    if errors or not values["period"]:
        abort(400)
    with db.session() as s:
        audit.record(s, "export", user=current_user.name, rows=len(rows), reconcile=values)
    name = f"reconcile-{values['period']}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "xlsx":
        return Response(
            xlsx_bytes(EXPORT_COLUMNS, export_rows(rows)), mimetype=XLSX_MIME, headers=headers
        )
    data = csv_bytes(EXPORT_COLUMNS, export_rows(rows))
    return Response(data, mimetype="text/csv", headers=headers)


# -- confirmations and disputes --------------------------------------------------------------


def _visible(doc_id: int) -> None:
    """404 for a document the user may not see (as the document page answers)."""
    from web.search import load

    load(doc_id)


def _carried_out(action, doc_id: int | None) -> bool:
    """Run `action(session)`; flash its refusal in the reader's language. True when done."""
    from services.disputes import DisputeError, reindex

    try:
        with db.session() as s:
            done = action(s)
            doc_id = doc_id or done.document_id
    except DisputeError as exc:
        flash(_(exc.message, **exc.values), "error")
        return False
    reindex(doc_id)
    return True


@bp.post("/documents/<int:doc_id>/confirm")
def confirm(doc_id: int):
    from archive import userinput
    from services.disputes import confirm as run

    _visible(doc_id)
    raw = (request.form.get("signed") or "").strip()
    signed = userinput.parse_id(raw)
    if raw and signed is None:
        flash(_("{text} is not a document number", text=raw), "error")
    else:
        if signed is not None:
            _visible(signed)
        if _carried_out(lambda s: run(s, doc_id, user=current_user.name, signed_id=signed), doc_id):
            flash(_("Marked confirmed by the customer."))
    return redirect(url_for("search.document", doc_id=doc_id) + "#answer")


@bp.post("/documents/<int:doc_id>/disputes")
def dispute_open(doc_id: int):
    from archive import userinput
    from services.disputes import open_dispute

    _visible(doc_id)
    form = request.form
    try:
        amount = userinput.parse_amount(form.get("amount"))
    except userinput.InputError as exc:
        flash(_(exc.message, **exc.values), "error")
        return redirect(url_for("search.document", doc_id=doc_id) + "#answer")

    def run(s):
        return open_dispute(
            s,
            doc_id,
            user=current_user.name,
            reason=form.get("reason", ""),
            owner=form.get("owner", ""),
            amount=amount,
            notes=form.get("notes", ""),
        )

    if _carried_out(run, doc_id):
        flash(_("Dispute recorded."))
    return redirect(url_for("search.document", doc_id=doc_id) + "#answer")


@bp.post("/disputes/<int:dispute_id>")
def dispute_update(dispute_id: int):
    from archive.ledger import Dispute
    from services.disputes import update_dispute

    with db.session() as s:
        found = s.get(Dispute, dispute_id)
        doc_id = found.document_id if found is not None else None
    if doc_id is None:
        abort(404)
    _visible(doc_id)
    form = request.form

    def run(s):
        return update_dispute(
            s,
            dispute_id,
            user=current_user.name,
            status=form.get("status") or None,
            note=form.get("note", ""),
            owner=form.get("owner") or None,
        )

    if _carried_out(run, doc_id):
        flash(_("Dispute updated."))
    back = request.form.get("back")
    if back == "list":
        return redirect(url_for("ledger.disputes_page"))
    return redirect(url_for("search.document", doc_id=doc_id) + "#answer")


@bp.get("/disputes")
def disputes_page():
    from archive.ledger import DISPUTE_STATUSES
    from services.disputes import disputes
    from web.search import hidden_customers

    status = request.args.get("status")
    status = status if status in DISPUTE_STATUSES else None
    hidden = hidden_customers()
    with db.session() as s:
        rows = disputes(s, status)
        customers = _customers_of(s, [d.document_id for d in rows])
    rows = [d for d in rows if customers.get(d.document_id) not in hidden]
    return render_template(
        "disputes.html",
        rows=rows,
        customers=customers,
        status=status,
        statuses=DISPUTE_STATUSES,
    )


def _customers_of(s, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from archive.models import FieldRow

    if not ids:
        return {}
    return dict(
        s.execute(
            select(FieldRow.document_id, FieldRow.value).where(
                FieldRow.document_id.in_(ids), FieldRow.name == "customer_code"
            )
        ).all()
    )
