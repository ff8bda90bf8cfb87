"""Finance: import the receivables ledger, reconcile it with the statements, and follow the
customers' confirmations and disputes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from archive import db
from archive.users import ADMIN, FINANCE
from web.auth import require
from web.i18n import _

LEDGER_ROLES = (FINANCE, ADMIN)

bp = Blueprint("ledger", __name__)
bp.before_request(require(*LEDGER_ROLES))

MAX_LEDGER_BYTES = 50 * 1024 * 1024


@bp.get("/ledger")
def index():
    from services.ledger import DEFAULT_COLUMNS, imports

    with db.session() as s:
        records = imports(s)
    return render_template("ledger.html", imports=records, columns=list(DEFAULT_COLUMNS))


@bp.post("/ledger")
def upload():
    from services.ledger import DEFAULT_COLUMNS, LedgerFileError, import_file

    f = request.files.get("file")
    data = f.read(MAX_LEDGER_BYTES + 1) if f is not None and f.filename else b""
    if not data:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("ledger.index"))
    kind = request.form.get("kind") or None
    mapping = {
        c: request.form[f"col_{c}"].strip()
        for c in DEFAULT_COLUMNS
        if (request.form.get(f"col_{c}") or "").strip()
    }
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
            kind=_(result.kind),
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
        period = userinput.parse_period(values["period"])
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
    import csv
    import io

    from flask import Response, abort

    from archive import audit
    from services.reconcile import EXPORT_COLUMNS, export_rows
    from web.search import XLSX_MIME, _cell, xlsx_bytes

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
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(rows):
        writer.writerow([_cell(v) for v in row])
    return Response(out.getvalue().encode("utf-8"), mimetype="text/csv", headers=headers)
