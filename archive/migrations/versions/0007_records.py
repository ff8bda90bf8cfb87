"""records: hash-chained append-only audit log, record classes, legal holds, disposal lists

Revision ID: 0007_records
Revises: 0006_access
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007_records"
down_revision = "0006_access"
branch_labels = None
depends_on = None

_REFUSE = "the audit log is append-only"


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("customer", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch.create_index("ix_audit_events_customer", ["customer"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column(
                "record_class", sa.String(length=32), nullable=False, server_default="statement"
            )
        )
    chain = op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    last_id, last_hash = _chain_existing_entries()
    op.bulk_insert(chain, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    _refuse_changes_to_audit_events()

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("customer_code", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=64), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=False),
        sa.Column("released_by", sa.String(length=64), nullable=True),
        sa.Column("released_at", sa.DateTime(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_legal_holds_document_id", "legal_holds", ["document_id"])
    op.create_index("ix_legal_holds_customer_code", "legal_holds", ["customer_code"])
    op.create_table(
        "disposal_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_by", sa.String(length=64), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "disposal_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("record_class", sa.String(length=32), nullable=False),
        sa.Column("customer_code", sa.String(length=64), nullable=True),
        sa.Column("customer_name", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("keep_until", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("disposed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["list_id"], ["disposal_lists.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_disposal_items_list_id", "disposal_items", ["list_id"])
    op.create_index("ix_disposal_items_document_id", "disposal_items", ["document_id"])
    _refuse_deleting_records()


def _chain_existing_entries() -> tuple[int, str]:
    """Link the entries written before the chain existed, in id order."""
    from archive.audit import GENESIS, canonical, entry_hash

    conn = op.get_bind()
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("user", sa.String),
        sa.column("action", sa.String),
        sa.column("document_id", sa.Integer),
        sa.column("customer", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    prev, last_id = GENESIS, 0
    rows = conn.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    for row in rows:
        at = row["at"]
        if not isinstance(at, dt.datetime):
            at = dt.datetime.fromisoformat(at)
        detail = canonical(row["detail"] or {})
        digest = entry_hash(
            prev, id=row["id"], at=at, user=row["user"], action=row["action"],
            document_id=row["document_id"], customer=None, detail=detail,
        )  # fmt: skip
        conn.execute(
            events.update().where(events.c.id == row["id"]).values(prev_hash=prev, hash=digest)
        )
        prev, last_id = digest, row["id"]
    return last_id, prev


def _refuse_changes_to_audit_events() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$"
        )
        for when in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{when.lower()} BEFORE {when} ON audit_events "
                "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
            )
    else:
        for when in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{when.lower()} BEFORE {when} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
            )


_KEPT = ("disposal_lists", "disposal_items", "legal_holds")


def _refuse_deleting_records() -> None:
    """Disposal lists (销毁清册) and legal holds are kept permanently: rows are never deleted."""
    message = "disposal lists and legal holds are kept permanently"
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            "CREATE FUNCTION records_kept_permanently() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
    for table in _KEPT:
        body = (
            "FOR EACH ROW EXECUTE FUNCTION records_kept_permanently()"
            if postgres
            else f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
        op.execute(f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_update ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_delete ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
        for table in _KEPT:
            op.execute(f"DROP TRIGGER {table}_no_delete ON {table}")
        op.execute("DROP FUNCTION records_kept_permanently()")
    else:
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
        for table in _KEPT:
            op.execute(f"DROP TRIGGER {table}_no_delete")
    op.drop_table("disposal_items")
    op.drop_table("disposal_lists")
    op.drop_table("legal_holds")
    op.drop_table("audit_chain")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("record_class")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_customer")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("customer")
