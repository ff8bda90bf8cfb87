"""`stmt completeness` and `stmt remind`: what is missing, and telling the people who own it."""

from __future__ import annotations

import json

import click

from archive import db, userinput


def _period(_ctx, param, value: str | None) -> str | None:
    try:
        return userinput.parse_period(value, strict=True)
    except userinput.InputError as exc:
        raise click.BadParameter(str(exc), param=param) from None


@click.command()
@click.option("--period", required=True, callback=_period, help="Statement period YYYY-MM.")
@click.option("--late-days", type=click.IntRange(0, 366),
              help="Late: arrived more than this many days after the period ended.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def completeness(period: str, late_days: int | None, as_json: bool) -> None:
    """Which customers' statements for PERIOD are received, missing, duplicated or late."""
    from services.completeness import audit

    db.upgrade()
    with db.session() as s:
        result = audit(s, period, days=late_days)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    summary = result.as_json()
    click.echo(
        f"{period}: {summary['expected']} expected, {summary['received']} received, "
        f"{len(summary['missing'])} missing, {len(summary['duplicates'])} duplicated, "
        f"{len(summary['late'])} late (more than {result.late_days} days after the period)"
    )
    for line in result.lines:
        docs = ",".join(str(d) for d in line.documents) or "-"
        late = "  late" if line.late else ""
        click.echo(f"  {line.code:<12} {line.state:<10} {docs:<16} {line.name}{late}")


@click.command()
@click.option("--send", is_flag=True, help="Mail each user's digest of what is new today.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def remind(send: bool, as_json: bool) -> None:
    """Reminders per user: missing statements, review backlog. With --send, one e-mail digest
    per user through STMT_SMTP_URL; what was mailed today is not mailed again."""
    from services import mailer, reminders

    db.upgrade()
    try:
        smtp = mailer.SmtpSettings.from_env()
    except mailer.MailError as exc:
        raise click.ClickException(str(exc)) from None
    if send and smtp is None:
        raise click.ClickException("STMT_SMTP_URL is not set, so nothing can be mailed")
    with db.session() as s:
        digests = reminders.run(s, send=send, smtp=smtp)
        out = [d.as_json() for d in digests]
    if as_json:
        click.echo(json.dumps({"sent": sum(1 for d in out if d["sent"]), "users": out},
                              ensure_ascii=False))  # fmt: skip
    else:
        for d in out:
            state = "mailed" if d["sent"] else (d["error"] or ("nothing new" if send else ""))
            click.echo(f"{d['user']}: {len(d['items'])} reminders, {d['new']} new  {state}")
            for item in d["items"]:
                click.echo(f"  - {item['text']}")
    if any(d["error"] for d in out if d["error"] != "no e-mail address"):
        raise SystemExit(1)


@click.command()
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Wait until the statements are read (a local worker starts if need be).",
)
def demo(wait: bool) -> None:
    """Load a few generated customers and statements to try the product on."""
    from services import intake
    from services.demo import DemoError, load

    db.upgrade()
    try:
        added, ids = load(submit=lambda data, name: intake.submit(data, name, source="cli").id)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{added} demo customers added, {len(ids)} demo statements archived", err=True)
    if wait:
        from services import batches, workers

        with workers.worker_while_waiting():
            batches.wait_all(sorted(set(ids)))
        click.echo("read; try `stmt search 贸易` or the web app (stmt serve)", err=True)
