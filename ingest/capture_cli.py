"""`stmt mail`, `stmt watch` and `stmt qr`: the mailroom's ways in.

Registered on the `stmt` group at the end of ingest/cli.py.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from pathlib import Path

import click

from archive import config, db
from archive.models import Customer
from archive.secret import server_key
from extract.coversheet import CoverError, cover_pdf, label_pdf
from ingest import mail as mailbox
from ingest import params
from ingest.watch import DONE, FAILED_DIR, Folder, Watcher


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))


# -- mail ----------------------------------------------------------------------


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--retry-failed", is_flag=True, help="Fetch failed messages again.")
@click.option("--list", "show", is_flag=True, help="List recent messages and their state.")
def mail(as_json: bool, retry_failed: bool, show: bool) -> None:
    """Fetch the statement mailbox (STMT_IMAP_URL) once and archive what came."""

    db.upgrade()
    if show:
        rows = mailbox.recent()
        for row in rows:
            if as_json:
                _emit(row)
            else:
                why = f"  ({row['error']})" if row["error"] else ""
                click.echo(f"{row['id']:>6}  {row['status']:<10} {row['subject'] or '-'}{why}")
        return
    if retry_failed:
        n = mailbox.retry_failed()
        click.echo(f"{n} failed messages will be fetched again", err=True)
    try:
        result = mailbox.fetch_once()
    except mailbox.MailError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _emit(result.as_dict())
    else:
        click.echo(
            f"{result.processed} messages archived, {result.failed} failed, "
            f"{result.skipped} skipped, {len(result.documents)} documents"
        )
    if result.error:
        click.echo(f"error: {result.error}", err=True)
        sys.exit(1)


# -- watch ---------------------------------------------------------------------


def _folder_spec(_ctx, param, values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        label, eq, path = value.partition("=")
        if not eq or not label or not path:
            raise click.BadParameter(f"{value!r} is not LABEL=DIR", param=param)
        out.append((label, path))
    return out


@click.command()
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", default="folder", show_default=True, help="Source label for DIRS.")
@click.option(
    "--folder",
    "extra",
    multiple=True,
    callback=_folder_spec,
    metavar="LABEL=DIR",
    help="Another folder with its own source label (repeatable), e.g. scanner-2F=/srv/2f.",
)
@click.option("--settle", default=3.0, show_default=True, help="Seconds a file must not change.")
@click.option("--polling", is_flag=True, help="Poll instead of file events (network shares).")
@click.option("--once", is_flag=True, help="Archive what is there now, then stop.")
@click.option("--no-worker", is_flag=True, help="Never start a local worker (one runs elsewhere).")
def watch(
    dirs: tuple[Path, ...],
    source: str,
    extra: list[tuple[str, str]],
    settle: float,
    polling: bool,
    once: bool,
    no_worker: bool,
) -> None:
    """Archive files that appear in hot folders; move them to DIR/done/ or DIR/failed/."""

    folders = [Folder(Path(d).resolve(), source) for d in dirs]
    folders += [Folder(Path(p).resolve(), label) for label, p in extra]
    if not folders:
        raise click.UsageError("name at least one folder to watch")
    db.upgrade()
    for f in folders:
        for sub in (DONE, FAILED_DIR):
            (f.path / sub).mkdir(parents=True, exist_ok=True)

    def report(folder, path, doc_id) -> None:
        state = f"document {doc_id}" if doc_id else "failed"
        click.echo(f"{folder.source}: {path.name} -> {state}")

    from services.workers import live_workers, worker_while_waiting

    watcher = Watcher(folders, settle=settle, polling=polling)
    if once:
        watcher.adopt_done()  # earlier files whose reading failed since go to failed/
        _drain(watcher, report)
        if not live_workers():
            click.echo("warning: no worker is running, so the files are queued but not read "
                       "yet; start one with `stmt worker` (or `stmt serve`)", err=True)  # fmt: skip
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for f in folders:
        click.echo(f"watching {f.path} as {f.source}", err=True)
    # Files taken are read by a worker: without one alive, start a local one (as
    # `stmt ingest --wait` does), so nothing stays `received` for ever.
    if not no_worker and not live_workers():
        click.echo("no worker is running: starting a local one", err=True)
    try:
        with contextlib.nullcontext() if no_worker else worker_while_waiting():
            watcher.run(stop, report)
    except KeyboardInterrupt:
        stop.set()


def _drain(watcher, report) -> None:

    while True:
        for item in watcher.tick():
            report(*item)
        if not watcher.seen:
            return
        time.sleep(0.5)


# -- qr ------------------------------------------------------------------------


@click.group()
def qr() -> None:
    """Print QR cover sheets and sticker labels with our statement code."""


def _customer_name(code: str) -> str | None:

    with db.session() as s:
        row = s.query(Customer).filter(Customer.code == code).one_or_none()
        return row.name if row else None


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"{out} written", err=True)


def _key() -> bytes:
    """Codes printed here are issued by this installation: signed with its secret."""

    return server_key(config.settings())


@qr.command()
@click.option("--customer", required=True, help="Customer code from the customer master.")
@click.option("--period", required=True, callback=params.period, help="Statement period YYYY-MM.")
@click.option("--count", default=1, show_default=True, type=click.IntRange(1, 500))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def cover(customer: str, period: str, count: int, out: Path) -> None:
    """A4 cover sheets to put in front of a customer's paper statement in a scan batch."""

    db.upgrade()
    name = _customer_name(customer)
    if name is None:
        click.echo(f"warning: {customer} is not in the customer master", err=True)
    try:
        _write(out, cover_pdf(customer, name, period, count, key=_key()))
    except CoverError as exc:
        raise click.ClickException(str(exc)) from None


@qr.command()
@click.option("--customer", required=True, help="Customer code from the customer master.")
@click.option("--period", required=True, callback=params.period, help="Statement period YYYY-MM.")
@click.option("--number", help="Statement number, when known.")
@click.option("--count", default=24, show_default=True, type=click.IntRange(1, 500))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def label(customer: str, period: str, number: str | None, count: int, out: Path) -> None:
    """A4 sheets of 70 x 37 mm stickers with the statement code, for a statement's first page."""

    db.upgrade()
    name = _customer_name(customer)
    if name is None:
        click.echo(f"warning: {customer} is not in the customer master", err=True)
    try:
        _write(out, label_pdf(customer, name, period, count, number, key=_key()))
    except CoverError as exc:
        raise click.ClickException(str(exc)) from None
