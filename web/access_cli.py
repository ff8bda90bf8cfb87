"""`stmt access` and `stmt groups`: who may see the statements of sensitive customers.

A customer is flagged with `stmt customers sensitive CODE --on`; then only admins and the users
and groups granted it see its statements.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from archive import access as rules
from archive import db


def _run(change: Callable, *args, **kwargs):
    """Apply one change in its own transaction; a refused change is a clear error, not a trace."""
    db.upgrade()
    try:
        with db.session() as s:
            return change(s, *args, **kwargs)
    except rules.AccessError as exc:
        raise click.ClickException(str(exc)) from None


def _grantee(user: str | None, group: str | None) -> dict[str, str | None]:
    if (user is None) == (group is None):
        raise click.UsageError("name one of --user NAME or --group NAME")
    return {"user": user, "group": group}


@click.group()
def access() -> None:
    """Grants: which users and groups see a sensitive customer's statements."""


def _grantee_options(command):
    command = click.option("--group", help="A group: its members (see `stmt groups`).")(command)
    return click.option("--user", help="A user (see `stmt users list`).")(command)


@access.command("grant")
@click.argument("code")
@_grantee_options
def access_grant(code: str, user: str | None, group: str | None) -> None:
    """Let a user or a group see the statements of customer CODE."""
    new = _run(rules.grant, code, **_grantee(user, group), by="cli")
    click.echo(f"{code}: {'granted to' if new else 'already granted to'} {user or group}", err=True)


@access.command("revoke")
@click.argument("code")
@_grantee_options
def access_revoke(code: str, user: str | None, group: str | None) -> None:
    """Take back a grant on customer CODE."""
    gone = _run(rules.revoke, code, **_grantee(user, group), by="cli")
    state = "revoked from" if gone else "was not granted to"
    click.echo(f"{code}: {state} {user or group}", err=True)


@access.command("list")
def access_list() -> None:
    """Sensitive customers and who may see them (admins always may)."""
    for code, (users, groups_) in _run(rules.grants).items():
        who = [*users, *(f"@{g}" for g in groups_)]
        click.echo(f"{code:<16} {', '.join(who) or '(admins only)'}")


@click.group()
def groups() -> None:
    """Groups of users, to grant customers to many users at once."""


@groups.command("add")
@click.argument("name")
@click.option("--member", "members", multiple=True, help="User to add (repeat for several).")
def groups_add(name: str, members: tuple[str, ...]) -> None:
    """Make group NAME if it does not exist, and add members to it."""

    def change(s):
        rules.add_group(s, name, by="cli")
        return [m for m in members if rules.add_member(s, name, m, by="cli")]

    added = _run(change)
    click.echo(f"group {name}: {len(added)} member(s) added", err=True)


@groups.command("remove")
@click.argument("name")
@click.option("--member", "members", multiple=True, help="User to take out (repeat for several).")
def groups_remove(name: str, members: tuple[str, ...]) -> None:
    """Take members out of group NAME; without --member, delete the group and its grants."""

    def change(s):
        if not members:
            rules.remove_group(s, name, by="cli")
            return None
        return [m for m in members if rules.remove_member(s, name, m, by="cli")]

    removed = _run(change)
    if removed is None:
        click.echo(f"group {name} removed", err=True)
    else:
        click.echo(f"group {name}: {len(removed)} member(s) removed", err=True)


@groups.command("list")
def groups_list() -> None:
    """Every group and its members."""
    for group, members in _run(rules.groups):
        click.echo(f"{group.name:<24} {', '.join(members) or '(no members)'}")
