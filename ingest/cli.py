"""The `stmt` command. Option and JSON key names are a contract: other tools depend on them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from archive import config, db, userinput
from archive.models import FINAL_STATUSES
from ingest.params import amount as _amount
from ingest.params import period as _period

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract: one thread per page, pages in parallel


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@click.group()
def main() -> None:
    """Statement Archive: ingest, search and review customer account statements."""


# -- customers ---------------------------------------------------------------


@main.group()
def customers() -> None:
    """The customer master that statements are matched against."""


@customers.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def customers_import(file: Path) -> None:
    """Import customers from FILE.csv: code,name[,aliases,cycle,active_from,active_to,owner,email]
    (aliases split by ';', owner a user name). All or nothing: bad lines are listed."""
    from archive.customers import CustomerFileError, import_rows, parse_csv

    db.upgrade()
    try:
        rows = parse_csv(file.read_text(encoding="utf-8-sig"))
        with db.session() as s:
            result = import_rows(s, rows)
    except (CustomerFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    click.echo(f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged")


@customers.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
def customers_export(file: Path | None) -> None:
    """Write the customer master as CSV to FILE (or standard output), in the import format."""
    from archive.customers import export_csv

    db.upgrade()
    with db.session() as s:
        text = export_csv(s)
    if file is None:
        click.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")


@customers.command("sensitive")
@click.argument("code")
@click.option("--on/--off", required=True, help="Restrict the customer's statements, or not.")
def customers_sensitive(code: str, on: bool) -> None:
    """Flag customer CODE sensitive: only admins and those granted it see its statements."""
    from archive.access import AccessError, set_sensitive

    db.upgrade()
    try:
        with db.session() as s:
            set_sensitive(s, code, on, by="cli")
    except AccessError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{code} is {'sensitive' if on else 'not sensitive'}", err=True)


# -- ingest ------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--wait", is_flag=True, help="Return after every document is processed.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input file per line.")
@click.option("--source", default="cli", show_default=True, help="Where the files came from.")
def ingest(paths: tuple[str, ...], wait: bool, as_json: bool, source: str) -> None:
    """Archive statement files (files or folders, recursively) and queue them for reading."""
    from tqdm import tqdm

    from archive.store import safe_name
    from services import intake
    from services.intake import too_large

    db.upgrade()
    results: list[tuple[str, int | None, str | None]] = []  # (file, id, error)
    files = list(intake.collect(paths))
    limit = config.settings().max_file_bytes
    if not files:
        raise click.ClickException("no files found in " + ", ".join(paths))
    for path in tqdm(
        files, desc="archiving", unit="file", file=sys.stderr, disable=None, leave=False
    ):
        try:
            size = path.stat().st_size
            data = path.read_bytes() if size <= limit else b""
        except OSError as exc:
            results.append((safe_name(path.name), None, f"cannot read the file: {exc.strerror}"))
            continue
        if size > limit:  # as the web app answers 413: too large is never archived
            results.append((safe_name(path.name), None, too_large(size, limit)))
            continue
        try:
            sub = intake.submit(data, path.name, source=source)
        except intake.NotArchived as exc:  # e.g. the disk is full: said on the file's line
            results.append((safe_name(path.name), None, str(exc)))
            continue
        results.append((safe_name(path.name), sub.id, None))
    ids = sorted({i for _, i, _ in results if i is not None})
    if wait and ids:
        _wait_for(ids)
    _print_results(results, as_json)


def _wait_for(ids: list[int]) -> None:
    from tqdm import tqdm

    from services import batches, workers

    with (
        workers.worker_while_waiting(),
        tqdm(total=len(ids), desc="processing", unit="doc", file=sys.stderr, disable=None) as bar,
    ):
        batches.wait_all(ids, on_done=bar.update)  # and the parts of split batches


def _print_results(results, as_json: bool) -> None:
    from sqlalchemy.orm import selectinload

    from archive.documents import to_json
    from archive.models import Document
    from services.batches import expand_results

    results = expand_results(results)  # a split batch or .eml: one row per part
    with db.session() as s:
        docs = {
            d.id: d
            for d in s.query(Document)
            .options(selectinload(Document.fields))
            .filter(Document.id.in_([r[1] for r in results if r[1] is not None]))
        }
        for file, doc_id, error, part in results:
            if doc_id is None:
                obj = {"id": None, "file": file, "status": "failed", "error": error, "fields": {}}
            else:
                obj = to_json(docs[doc_id], lang=config.settings().language) | {"file": file}
                if part is not None:
                    obj["part"] = part
            if as_json:
                _emit(obj)
            else:
                why = f"  ({obj['error']})" if obj["error"] else ""
                click.echo(f"{obj['id'] or '-':>6}  {obj['status']:<13} {file}{why}")


# -- reading -------------------------------------------------------------------


@main.command()
@click.argument("query", required=False, default="")
@click.option("--customer", help="Customer code.")
@click.option("--period", callback=_period, help="Statement period YYYY-MM.")
@click.option("--period-from", callback=_period, help="First period YYYY-MM (inclusive).")
@click.option("--period-to", callback=_period, help="Last period YYYY-MM (inclusive).")
@click.option("--amount", callback=_amount, help="An exact amount printed on the statement.")
@click.option("--amount-min", callback=_amount)
@click.option("--amount-max", callback=_amount)
@click.option(
    "--in",
    "amount_in",
    type=click.Choice(["summary", "lines", "page", "all"]),
    default="all",
    show_default=True,
    help="Where amounts are looked for: summary fields, line items, anywhere else on the "
    "pages, or all of them.",
)
@click.option("--status", type=click.Choice([str(s) for s in FINAL_STATUSES]))
@click.option("--confirmation", type=click.Choice(["confirmed", "disputed"]))
@click.option(
    "--dispute", type=click.Choice(["open", "investigating", "resolved", "written_off"])
)
@click.option("--sort", default="relevance", show_default=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True)
def search(
    query,
    customer,
    period,
    period_from,
    period_to,
    amount,
    amount_min,
    amount_max,
    amount_in,
    status,
    confirmation,
    dispute,
    sort,
    limit,
    offset,
    as_json,
) -> None:
    """Find statements by words (Chinese or English), customer, period and amount."""
    from index.base import SearchQuery
    from index.service import result_json, run_search

    db.upgrade()
    q = SearchQuery(
        text=query,
        customer=customer,
        period_from=period or period_from,
        period_to=period or period_to,
        status=status,
        amount=amount,
        amount_min=amount_min,
        amount_max=amount_max,
        amount_in=amount_in,
        confirmation=confirmation,
        dispute=dispute,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    result = run_search(q, None)  # the operator at the shell sees every customer
    if as_json:
        _emit(result_json(result))
        return
    if result.warning:
        click.echo(f"warning: {result.warning}", err=True)
    click.echo(f"{result.total} found")
    for h in result.hits:
        amount_text = f"{h.amount_due:,.2f}" if h.amount_due is not None else "-"
        click.echo(
            f"{h.id:>6}  {h.customer_code or '-':<10} {h.period or '-':<8} "
            f"{amount_text:>16}  {h.status:<13} {h.file}"
        )
        for m in h.matched:
            where = f"line {m.line}" if m.line is not None else m.field or m.where
            click.echo(f"{'':>8}matched {m.amount:,.2f} ({where}, page {m.page or '-'})")


@main.command()
@click.argument("document_id", type=click.IntRange(1, userinput.MAX_ID))
@click.option("--json", "as_json", is_flag=True)
def show(document_id: int, as_json: bool) -> None:
    """Show one document: status, fields with confidence and source, pages and codes."""
    from archive.documents import to_json
    from archive.models import Document

    db.upgrade()
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise click.ClickException(f"no document {document_id}")
        obj = to_json(doc, detail=True, lang=config.settings().language)
    if as_json:
        _emit(obj)
        return
    click.echo(f"document {obj['id']}: {obj['file']}  [{obj['status']}]")
    if obj["error"]:
        click.echo(f"  error: {obj['error']}")
    for note in obj["notes"]:
        click.echo(f"  review: {note}")
    for name, f in obj["field_details"].items():
        click.echo(f"  {name:<16} {f['value']!s:<36} {f['confidence']:.2f} {f['source']}")
    for c in obj["codes"]:
        click.echo(f"  code {c['type']} p{c['page']}: {c['data']}")
    for line in obj["lines"]:
        amounts = "  ".join(
            f"{k} {line[k]}" for k in ("debit", "credit", "balance") if line[k] is not None
        )
        click.echo(
            f"  line {line['line']:>3} p{line['page']} {line['date'] or '-':<10} "
            f"{line['reference'] or '-':<14} {line['description']}  {amounts}"
        )


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True)
def codes(paths: tuple[str, ...], as_json: bool) -> None:
    """List every QR code and barcode in the files (read the way ingest reads them)."""
    from archive.store import safe_name
    from extract.pipeline import find_codes
    from extract.types import ExtractError
    from services import intake

    for path in intake.collect(paths):
        obj: dict = {"file": safe_name(path.name), "codes": []}
        try:
            found = find_codes(path.read_bytes())
            obj["codes"] = [
                {
                    "type": c.type,
                    "data": c.data,
                    "page": c.page,
                    "box": [round(v, 1) for v in c.box],
                }
                for c in found
            ]
        except (ExtractError, OSError) as exc:
            obj["error"] = str(exc)
        if as_json:
            _emit(obj)
        else:
            click.echo(f"{obj['file']}: " + (obj.get("error") or f"{len(obj['codes'])} codes"))
            for c in obj["codes"]:
                click.echo(f"  p{c['page']} {c['type']}: {c['data']}")


# -- operations ----------------------------------------------------------------


@main.command()
@click.option("--pending", is_flag=True, help="Only index documents waiting for the index.")
def reindex(pending: bool) -> None:
    """Rebuild the search index from the archive."""
    from services.indexing import reindex as run

    db.upgrade()
    n = run(pending=pending)
    click.echo(f"{n} documents indexed")


@main.command()
@click.argument("document_id", type=click.IntRange(1, userinput.MAX_ID))
def retry(document_id: int) -> None:
    """Send a failed document through the pipeline again."""
    from services import intake, processing

    db.upgrade()
    if not processing.retry(document_id, intake.enqueue):
        raise click.ClickException(f"document {document_id} does not exist or has not failed")
    click.echo(f"document {document_id} queued again")


@main.command()
@click.option("--concurrency", type=int, help="Documents at once (default: one per core).")
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--beat/--no-beat", default=True, help="Run periodic work (mail fetching) too.")
def worker(concurrency: int | None, loglevel: str, beat: bool) -> None:
    """Run a worker that reads queued documents."""
    from ingest.worker import run_worker

    run_worker(concurrency, loglevel, beat)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start an embedded worker.")
def serve(host: str, port: int, no_worker: bool) -> None:
    """Serve the web app, with an embedded worker so one command runs everything."""
    from web.serve import serve as run

    db.upgrade()
    run(host, port, with_worker=not no_worker)


from web.cli import tokens, users  # noqa: E402  (web accounts)

main.add_command(users)
main.add_command(tokens)

from web.access_cli import access, groups  # noqa: E402  (who sees sensitive customers)

main.add_command(access)
main.add_command(groups)

from ingest.capture_cli import mail, qr, watch  # noqa: E402  (mailbox, hot folder, QR)

main.add_command(mail)
main.add_command(watch)
main.add_command(qr)

from ingest.records_cli import audit, backup, restore, retention, verify  # noqa: E402

for command in (backup, restore, verify, audit, retention):
    main.add_command(command)

from ingest.manage_cli import completeness, demo, remind  # noqa: E402  (statement management)

for command in (completeness, remind, demo):
    main.add_command(command)

from ingest.ledger_cli import confirm, disputes, ledger, reconcile  # noqa: E402  (双向核对)

for command in (ledger, reconcile, confirm, disputes):
    main.add_command(command)


if __name__ == "__main__":
    main()
