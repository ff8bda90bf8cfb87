"""`stmt users add` and `stmt tokens create`."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from archive import db
from archive.users import User
from ingest.cli import main
from tests.web_fixtures import app, make_document  # noqa: F401  (fixtures)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_users_add_with_password_from_stdin(data_dir):
    result = run("users", "add", "mei", "--role", "reviewer", "--password-stdin",
                 input="a long password\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    with db.session() as s:
        user = s.scalar(select(User).where(User.name == "mei"))
        assert user.role == "reviewer" and user.check_password("a long password")


def test_users_add_prompts_and_refuses_bad_input(data_dir):
    result = run("users", "add", "ann", "--role", "finance", input="pass word 123\npass word 123\n")
    assert result.exit_code == 0, result.output
    assert run("users", "add", "ann", "--role", "finance", "--password-stdin",
               input="pass word 123\n").exit_code == 1  # fmt: skip
    assert run("users", "add", "bob", "--role", "boss", "--password-stdin",
               input="pass word 123\n").exit_code == 2  # fmt: skip
    assert run("users", "add", "bob", "--role", "finance", "--password-stdin",
               input="short\n").exit_code == 1  # fmt: skip
    assert "ann" in run("users", "list").output


def test_tokens_create_prints_the_token_alone(data_dir, app):
    run("users", "add", "api", "--role", "finance", "--password-stdin", input="a long password\n")
    result = CliRunner().invoke(main, ["tokens", "create", "api"])
    assert result.exit_code == 0
    token = result.stdout
    assert token.endswith("\n") and token.count("\n") == 1 and token.startswith("stmt_")
    doc_id = make_document()
    resp = app.test_client().get(
        f"/api/v1/documents/{doc_id}", headers={"Authorization": f"Bearer {token.strip()}"}
    )
    assert resp.status_code == 200
    assert run("tokens", "create", "ghost").exit_code == 1
