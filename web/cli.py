"""`stmt users` and `stmt tokens`: accounts for the web app and tokens for the API."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from archive import audit, db, throttle
from archive.users import (
    MAX_TOKEN_DAYS,
    ROLES,
    User,
    UserError,
    add_user,
    by_name,
    create_token,
    list_tokens,
    revoke_token,
)


@click.group()
def users() -> None:
    """People who sign in to the web app."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--email", help="Where the user's reminders go.")
def users_add(name: str, role: str, password_stdin: bool, email: str | None) -> None:
    """Add user NAME with a role; the password is prompted for (or read from stdin)."""
    db.upgrade()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with db.session() as s:
            user = add_user(s, name, role, password, email)
            audit.record(s, "user_added", user="cli", name=user.name, role=role)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"user {name} added ({role})", err=True)


@users.command("list")
def users_list() -> None:
    """List users and their roles."""


    db.upgrade()
    with db.session() as s:
        for u in s.scalars(select(User).order_by(User.name)):
            state = "" if u.active else "  (inactive)"
            click.echo(f"{u.name:<24} {u.role:<10} {u.email or '-':<32}{state}")


@click.group()
def tokens() -> None:
    """API tokens (Authorization: Bearer …)."""


@users.command("unlock")
@click.argument("name")
def users_unlock(name: str) -> None:
    """Clear failed sign-ins of user NAME, so they may sign in again at once."""

    db.upgrade()
    with db.session() as s:
        if by_name(s, name) is None:
            raise click.ClickException(f"no user {name!r}")
        was = throttle.unlock(s, name)
        audit.record(s, "user_unlocked", user="cli", name=name)
    click.echo(f"user {name} unlocked" if was else f"user {name} was not locked", err=True)


@tokens.command("create")
@click.argument("name")
@click.option("--expires", "days", type=click.IntRange(1, MAX_TOKEN_DAYS), metavar="DAYS",
              help="Stop working after DAYS days (default: until revoked).")  # fmt: skip
@click.option("--label", help="What the token is for, e.g. billing.")
def tokens_create(name: str, days: int | None, label: str | None) -> None:
    """Create an API token for user NAME and print it (only this once)."""
    db.upgrade()
    try:
        with db.session() as s:
            user = by_name(s, name)
            if user is None:
                raise click.ClickException(f"no user {name!r}; add one with `stmt users add`")
            token = create_token(s, user, name=label, expires_days=days)
            audit.record(s, "token_created", user="cli", name=name, expires_days=days)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(token)


@tokens.command("list")
@click.option("--user", help="Only this user's tokens.")
@click.option("--json", "as_json", is_flag=True)
def tokens_list(user: str | None, as_json: bool) -> None:
    """List API tokens: id, user, first characters, state, expiry, last use."""

    db.upgrade()
    with db.session() as s:
        rows = [t.as_json() for t in list_tokens(s, user)]
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(
                f"{row['id']:>5}  {row['user']:<16} {row['hint']}…  {row['state']:<8} "
                f"expires {row['expires_at'] or 'never':<19}  used {row['last_used_at'] or '-'}"
                + (f"  ({row['name']})" if row["name"] else "")
            )


@tokens.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1))
def tokens_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (from `stmt tokens list`); it stops working at once."""
    db.upgrade()
    try:
        with db.session() as s:
            row = revoke_token(s, token_id)
            audit.record(s, "token_revoked", user="cli", token=token_id, name=row.user.name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"token {token_id} revoked", err=True)
