"""customer master: statement cycle, active range, owner and contact e-mail; user e-mail;
reminders sent, tags and tag rules, saved searches

Revision ID: 0011_customer_master
Revises: 0007_records
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_customer_master"
down_revision = "0010_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(
            sa.Column("cycle", sa.String(length=16), nullable=False, server_default="monthly")
        )
        batch.add_column(sa.Column("active_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("active_to", sa.Date(), nullable=True))
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("email", sa.String(length=255), nullable=True))
        batch.create_foreign_key(
            "fk_customers_owner_id_users", "users", ["owner_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email", sa.String(length=255), nullable=True))
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "user_name", "key"),
    )
    op.create_index("ix_sent_reminders_day", "sent_reminders", ["day"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "document_tags",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "tag_id"),
    )
    op.create_index("ix_document_tags_tag", "document_tags", ["tag_id"])
    op.create_table(
        "tag_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("amount_min", sa.String(length=32), nullable=True),
        sa.Column("amount_max", sa.String(length=32), nullable=True),
        sa.Column("words", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "name"),
    )


def downgrade() -> None:
    for table in ("saved_searches", "tag_rules", "document_tags", "tags", "sent_reminders"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
    with op.batch_alter_table("customers") as batch:
        batch.drop_constraint("fk_customers_owner_id_users", type_="foreignkey")
        for name in ("email", "owner_id", "active_to", "active_from", "cycle"):
            batch.drop_column(name)
