"""`stmt ledger import`, `stmt reconcile`, `stmt confirm`, `stmt dispute` and
`stmt disputes list`: the receivables ledger and the two-way check (双向核对) against it."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click

from archive import db, userinput


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _user_option():
    return click.option(
        "--user", default=getpass.getuser, show_default="you", help="Recorded as who did this."
    )


@click.group()
def ledger() -> None:
    """The receivables ledger that statements are reconciled against."""


@ledger.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["balances", "items"]),
    help="balances: customer_code, period, balance; items: customer_code, date, reference, "
    "amount. Default: from the header.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="NAME=HEADER",
    help="The header of a column when it is not a usual one, e.g. customer_code=客户号.",
)
@_user_option()
@click.option("--json", "as_json", is_flag=True)
def ledger_import(file: Path, kind, columns, user: str, as_json: bool) -> None:
    """Import FILE (CSV or XLSX); a period imported again replaces the earlier import's."""
    from services.ledger import LedgerFileError, import_file, parse_mapping

    db.upgrade()
    try:
        mapping = parse_mapping(columns)
        with db.session() as s:
            result = import_file(
                s, file.read_bytes(), file.name, user=user, kind=kind, mapping=mapping
            )
    except LedgerFileError as exc:
        raise click.ClickException(
            f"{file.name} was not imported:\n  " + "\n  ".join(p.text() for p in exc.problems)
        ) from None
    if as_json:
        _emit(
            {
                "import_id": result.import_id,
                "kind": result.kind,
                "rows": result.rows,
                "periods": result.periods,
            }
        )
        return
    click.echo(
        f"import {result.import_id}: {result.rows} {result.kind} for " + ", ".join(result.periods)
    )


def _parsed_by(parse):
    """An option callback: the value as `parse` (archive/userinput.py) reads it."""

    def callback(_ctx, param, value):
        try:
            return parse(value)
        except userinput.InputError as exc:
            raise click.BadParameter(str(exc), param=param) from None

    return callback


_period = _parsed_by(userinput.parse_period)
_amount = _parsed_by(userinput.parse_amount)


@click.command()
@click.option("--period", required=True, callback=_period, help="The period YYYY-MM.")
@click.option("--customer", help="Only this customer code.")
@click.option(
    "--days",
    default=5,
    show_default=True,
    type=click.IntRange(0, 366),
    help="How many days apart a line item and an open item of the same amount may be dated.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per customer per line.")
def reconcile(period: str, customer: str | None, days: int, as_json: bool) -> None:
    """Reconcile the statements of a period with the ledger, customer by customer."""
    from services.reconcile import reconcile as run

    db.upgrade()
    with db.session() as s:
        rows = run(s, period, customer, days=days)
    if as_json:
        for row in rows:
            _emit(row.to_json())
        return
    for row in rows:
        obj = row.to_json()
        click.echo(
            f"{row.customer_code:<12} {obj['statement_id'] or '-':>7} "
            f"{obj['statement_amount'] or '-':>16} {obj['ledger_amount'] or '-':>16} "
            f"{obj['difference'] or '-':>14}  {row.status:<12} "
            f"{len(row.unmatched_lines)}/{len(row.unmatched_items)} unmatched"
        )
    counts = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    click.echo(
        f"{len(rows)} customers: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())),
        err=True,
    )


def _dispute_error(exc) -> click.ClickException:
    return click.ClickException(str(exc))


@click.command()
@click.argument("document_id", required=False, type=click.IntRange(1, userinput.MAX_ID))
@click.option(
    "--signed",
    type=click.IntRange(1, userinput.MAX_ID),
    help="The scanned signed copy (a document); without DOCUMENT_ID its QR code finds the "
    "statement.",
)
@_user_option()
def confirm(document_id: int | None, signed: int | None, user: str) -> None:
    """Mark statement DOCUMENT_ID confirmed by the customer (回签)."""
    from services.disputes import DisputeError, reindex
    from services.disputes import confirm as run

    db.upgrade()
    try:
        with db.session() as s:
            row = run(s, document_id, user=user, signed_id=signed)
            doc_id = row.document_id
    except DisputeError as exc:
        raise _dispute_error(exc) from None
    reindex(doc_id)
    click.echo(f"document {doc_id} confirmed" + (f" (signed copy {signed})" if signed else ""))


@click.group()
def disputes() -> None:
    """Customers' disputes of statements (争议处理)."""


@disputes.command("open")
@click.argument("document_id", type=click.IntRange(1, userinput.MAX_ID))
@click.option("--reason", required=True)
@click.option("--owner", required=True, help="Who follows the dispute up.")
@click.option("--amount", callback=_amount, help="The amount disputed.")
@click.option("--notes", default="")
@_user_option()
@click.option("--json", "as_json", is_flag=True)
def disputes_open(document_id, reason, owner, amount, notes, user, as_json) -> None:
    """Record that the customer disputes statement DOCUMENT_ID."""
    from services.disputes import DisputeError, dispute_json, open_dispute, reindex

    db.upgrade()
    try:
        with db.session() as s:
            d = open_dispute(
                s, document_id, user=user, reason=reason, owner=owner, amount=amount, notes=notes
            )
            s.flush()
            obj = dispute_json(d)
    except DisputeError as exc:
        raise _dispute_error(exc) from None
    reindex(document_id)
    if as_json:
        _emit(obj)
    else:
        click.echo(f"dispute {obj['id']} opened on document {document_id}")


@disputes.command("update")
@click.argument("dispute_id", type=click.IntRange(1, userinput.MAX_ID))
@click.option("--status", type=click.Choice(["open", "investigating", "resolved", "written_off"]))
@click.option("--note", default="")
@click.option("--owner")
@_user_option()
def disputes_update(dispute_id, status, note, owner, user) -> None:
    """Move dispute DISPUTE_ID on, hand it over, or add a note."""
    from services.disputes import DisputeError, reindex, update_dispute

    db.upgrade()
    try:
        with db.session() as s:
            d = update_dispute(s, dispute_id, user=user, status=status, note=note, owner=owner)
            doc_id, now = d.document_id, d.status
    except DisputeError as exc:
        raise _dispute_error(exc) from None
    reindex(doc_id)
    click.echo(f"dispute {dispute_id} is {now}")


@disputes.command("list")
@click.option("--status", type=click.Choice(["open", "investigating", "resolved", "written_off"]))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per dispute per line.")
def disputes_list(status: str | None, as_json: bool) -> None:
    """List disputes, oldest first."""
    from services.disputes import dispute_json
    from services.disputes import disputes as found

    db.upgrade()
    with db.session() as s:
        rows = [dispute_json(d) for d in found(s, status)]
    for d in rows:
        if as_json:
            _emit(d)
        else:
            click.echo(
                f"{d['id']:>5}  doc {d['document_id']:<7} {d['status']:<13} "
                f"{d['amount'] or '-':>14}  {d['owner']:<12} {d['reason']}"
            )
