"""`stmt backup|restore|verify`, `stmt audit verify` and `stmt retention …`: keeping records."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import click
from sqlalchemy import select

from archive import audit as audit_log
from archive import backup as backups
from archive import config, db
from archive import retention as r
from archive.models import utc_text
from services import retention as disposal


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _user_option(required: bool = False, help: str = "Who does this (recorded in the audit log)."):
    if required:
        return click.option("--user", required=True, help=help)
    return click.option("--user", default=getpass.getuser, show_default="you", help=help)


def _print_report(report, as_json: bool, what: str) -> None:
    if as_json:
        _emit(
            {
                "ok": report.ok,
                "snapshot": report.snapshot,
                "checked": report.checked,
                "problems": [
                    {"kind": p.kind, "what": p.what, "detail": p.detail} for p in report.problems
                ],
            }
        )
    else:
        for p in report.problems:
            click.echo(str(p), err=True)
        missing = sum(p.kind == "missing" for p in report.problems)
        corrupt = len(report.problems) - missing
        click.echo(f"{what}: {report.checked} files checked, {missing} missing, {corrupt} corrupt")
    if not report.ok:
        sys.exit(1)


# -- backup, restore, verify -----------------------------------------------------------


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@_user_option()
def backup(dest: Path, user: str) -> None:
    """Write a snapshot of the database and the originals into DEST (incremental)."""

    db.upgrade()
    try:
        report = backups.backup(config.settings(), dest, user)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    for p in report.problems:
        click.echo(str(p), err=True)
    click.echo(
        f"snapshot {report.snapshot}: {report.documents} documents, {report.checked} originals "
        f"({report.copied} copied, {report.reused} already in the backup)"
    )
    if not report.ok:
        raise click.ClickException("the archive has missing or damaged originals (listed above)")


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--snapshot", help="Which snapshot (default: the newest).")
@_user_option()
def restore(src: Path, snapshot: str | None, user: str) -> None:
    """Restore a backup from SRC into an empty data folder (and empty database)."""

    try:
        report = backups.restore(config.settings(), src, snapshot, user)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"restored snapshot {report.snapshot}: {report.documents} documents, "
        f"{report.copied} originals; now run `stmt reindex` to rebuild the search index"
    )


@click.command()
@click.argument("src", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--snapshot", help="Only this snapshot of SRC (default: every snapshot).")
@click.option("--json", "as_json", is_flag=True)
def verify(src: Path | None, snapshot: str | None, as_json: bool) -> None:
    """Check every hash: of the backup in SRC, or of the live archive's originals."""

    try:
        if src is None:
            db.upgrade()
            _print_report(backups.verify_live(config.settings()), as_json, "archive")
        else:
            _print_report(backups.verify_backup(src, snapshot), as_json, f"backup {src}")
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None


# -- audit -----------------------------------------------------------------------------


@click.group()
def audit() -> None:
    """The append-only audit log (and access log)."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool) -> None:
    """Check the hash chain of the audit log; name the first entry that does not hold."""

    db.upgrade()
    with db.session() as s:
        report = audit_log.verify(s)
    if as_json:
        _emit({"ok": report.ok, "checked": report.checked, "broken_id": report.broken_id,
               "reason": report.reason})  # fmt: skip
    elif report.ok:
        click.echo(f"audit log intact: {report.checked} entries")
    else:
        click.echo(
            f"audit log broken at entry {report.broken_id}: {report.reason} "
            f"({report.checked} entries before it hold)",
            err=True,
        )
    if not report.ok:
        sys.exit(1)


# -- retention -------------------------------------------------------------------------


@click.group()
def retention() -> None:
    """Retention periods, legal holds and disposal lists (销毁清册)."""


def _do(fn):
    """Run fn(session) in a committed session; a RetentionError becomes a clear message."""

    db.upgrade()
    try:
        with db.session() as s:
            return fn(s)
    except r.RetentionError as exc:
        raise click.ClickException(str(exc)) from None


@retention.command("periods")
@click.argument("record_class", required=False)
@click.argument("years", required=False)
@_user_option()
def periods(record_class: str | None, years: str | None, user: str) -> None:
    """Show the retention period of each record class, or set one: CLASS YEARS|permanent."""

    if record_class and years:
        _do(lambda s: r.set_years(s, record_class, r.parse_years(years), user))
    elif record_class:
        raise click.UsageError("give the years too, e.g. `stmt retention periods statement 10`")
    for cls, n in _do(r.periods).items():
        click.echo(f"{cls:<16} {'permanent' if n is None else f'{n} years'}")


@retention.command("classify")
@click.argument("record_class")
@click.argument("document_ids", nargs=-1, type=int, required=True)
@_user_option()
def classify(record_class: str, document_ids: tuple[int, ...], user: str) -> None:
    """Set the record class of documents (it decides how long they are kept)."""

    n = _do(lambda s: r.classify(s, list(document_ids), record_class, user))
    click.echo(f"{n} documents changed")


@retention.command("list")
@click.option("--json", "as_json", is_flag=True)
def expired_list(as_json: bool) -> None:
    """Documents whose retention period has ended, with any legal hold on them."""

    def rows(s):
        return [
            {
                "id": e.document.id,
                "file": e.document.filename,
                "record_class": e.document.record_class,
                "customer_code": e.document.value("customer_code"),
                "period": e.document.value("period"),
                "keep_until": e.keep_until.isoformat(),
                "holds": [h.id for h in e.holds],
                "disposal_list": e.on_list,
            }
            for e in r.expired(s)
        ]

    found = _do(rows)
    for row in found:
        if as_json:
            _emit(row)
            continue
        state = (
            f"held ({', '.join(map(str, row['holds']))})"
            if row["holds"]
            else (f"on list {row['disposal_list']}" if row["disposal_list"] else "due")
        )
        click.echo(
            f"{row['id']:>6}  {row['customer_code'] or '-':<10} {row['period'] or '-':<8} "
            f"kept until {row['keep_until']}  {state:<14} {row['file']}"
        )
    if not as_json:
        click.echo(f"{len(found)} documents past their retention period")


@retention.command("hold")
@click.option("--document", "document_id", type=int, help="Hold one document.")
@click.option("--customer", help="Hold every document of this customer code.")
@click.option("--reason", required=True, help="Why (case, audit, request).")
@_user_option()
def hold(document_id: int | None, customer: str | None, reason: str, user: str) -> None:
    """Place a legal hold: nothing it covers is disposed of until it is released."""

    hold_id = _do(
        lambda s: r.place_hold(s, user, reason, document_id=document_id, customer=customer).id
    )
    click.echo(f"legal hold {hold_id} placed")


@retention.command("holds")
@click.option("--json", "as_json", is_flag=True)
def holds(as_json: bool) -> None:
    """The legal holds in force."""

    def rows(s):
        return [
            {
                "id": h.id,
                "document_id": h.document_id,
                "customer_code": h.customer_code,
                "reason": h.reason,
                "placed_by": h.placed_by,
                "placed_at": utc_text(h.placed_at),
            }
            for h in r.active_holds(s)
        ]

    for row in _do(rows):
        if as_json:
            _emit(row)
        else:
            what = (
                f"document {row['document_id']}"
                if row["document_id"]
                else f"customer {row['customer_code']}"
            )
            click.echo(
                f"{row['id']:>4}  {what:<20} {row['placed_by']} {row['placed_at']}  {row['reason']}"
            )


@retention.command("release")
@click.argument("hold_id", type=int)
@click.option("--reason", required=True)
@_user_option()
def release(hold_id: int, reason: str, user: str) -> None:
    """Release a legal hold (it stays on record)."""

    _do(lambda s: r.release_hold(s, hold_id, user, reason))
    click.echo(f"legal hold {hold_id} released")


@retention.command("propose")
@_user_option()
def propose(user: str) -> None:
    """Draw up a disposal list of every expired document not on hold, for an admin to approve."""

    def draw_up(s):
        lst = r.propose(s, user)
        return lst.id, len(lst.items)

    list_id, n = _do(draw_up)
    click.echo(f"disposal list {list_id}: {n} documents, waiting for an admin's approval")


@retention.command("lists")
@click.option("--json", "as_json", is_flag=True)
def lists(as_json: bool) -> None:
    """Every disposal list (they are kept permanently)."""

    def rows(s):
        return [
            r.list_json(x)
            for x in s.scalars(select(r.DisposalList).order_by(r.DisposalList.id.desc()))
        ]

    for row in _do(rows):
        if as_json:
            _emit(row)
        else:
            click.echo(
                f"{row['id']:>4}  {row['status']:<10} {len(row['items']):>5} documents  "
                f"drawn up {row['created_at']} by {row['created_by']}"
                + (f", approved by {row['approved_by']}" if row["approved_by"] else "")
            )


@retention.command("show")
@click.argument("list_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def show(list_id: int, as_json: bool) -> None:
    """Print a disposal list with its documents."""

    row = _do(lambda s: r.list_json(r.get_list(s, list_id)))
    if as_json:
        _emit(row)
        return
    click.echo(f"disposal list {row['id']} [{row['status']}] as of {row['as_of']}")
    for who in ("created", "approved", "done", "cancelled"):
        if row[f"{who}_by"]:
            click.echo(f"  {who}: {row[f'{who}_by']} {row[f'{who}_at']}")
    for i in row["items"]:
        click.echo(
            f"  {i['document_id']:>6}  {i['customer_code'] or '-':<10} {i['period'] or '-':<8} "
            f"until {i['keep_until']}  {i['outcome'] or '':<9} {i['sha256'][:12]}  {i['file']}"
        )


@retention.command("approve")
@click.argument("list_id", type=int)
@_user_option(required=True, help="The admin account that approves.")
def approve(list_id: int, user: str) -> None:
    """Approve a drafted disposal list (an admin account)."""

    _do(lambda s: r.approve(s, list_id, user))
    click.echo(f"disposal list {list_id} approved by {user}")


@retention.command("cancel")
@click.argument("list_id", type=int)
@click.option("--reason", default="")
@_user_option()
def cancel(list_id: int, reason: str, user: str) -> None:
    """Cancel a disposal list that was not carried out (it stays on record)."""

    _do(lambda s: r.cancel(s, list_id, user, reason))
    click.echo(f"disposal list {list_id} cancelled")


@retention.command("dispose")
@click.argument("list_id", type=int)
@_user_option()
def dispose(list_id: int, user: str) -> None:
    """Carry out an approved disposal list: remove its documents, originals and index entries."""

    db.upgrade()
    try:
        result, problems = disposal.dispose(config.settings(), list_id, user)
    except r.RetentionError as exc:
        raise click.ClickException(str(exc)) from None
    for doc_id, why in result.kept.items():
        click.echo(f"kept document {doc_id}: {r.KEPT_REASONS[why]}")
    for p in problems:
        click.echo(f"warning: {p}", err=True)
    click.echo(
        f"disposal list {list_id} carried out on {dt.date.today().isoformat()}: "
        f"{len(result.disposed)} documents disposed of, {len(result.kept)} kept"
    )
