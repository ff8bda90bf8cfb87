"""`stmt users` and `stmt tokens`: accounts for the web app and tokens for the API."""

from __future__ import annotations

import sys

import click

from archive import audit, db
from archive.users import ROLES, UserError, add_user, by_name, create_token


@click.group()
def users() -> None:
    """People who sign in to the web app."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME with a role; the password is prompted for (or read from stdin)."""
    db.upgrade()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with db.session() as s:
            user = add_user(s, name, role, password)
            audit.record(s, "user_added", user="cli", name=user.name, role=role)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"user {name} added ({role})", err=True)


@users.command("list")
def users_list() -> None:
    """List users and their roles."""
    from sqlalchemy import select

    from archive.users import User

    db.upgrade()
    with db.session() as s:
        for u in s.scalars(select(User).order_by(User.name)):
            state = "" if u.active else "  (inactive)"
            click.echo(f"{u.name:<24} {u.role:<10}{state}")


@click.group()
def tokens() -> None:
    """API tokens (Authorization: Bearer …)."""


@tokens.command("create")
@click.argument("name")
def tokens_create(name: str) -> None:
    """Create an API token for user NAME and print it (only this once)."""
    db.upgrade()
    with db.session() as s:
        user = by_name(s, name)
        if user is None:
            raise click.ClickException(f"no user {name!r}; add one with `stmt users add`")
        token = create_token(s, user)
        audit.record(s, "token_created", user="cli", name=name)
    click.echo(token)
