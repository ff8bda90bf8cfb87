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
