"""learning: layouts reviewers taught fields on, the rules learned on them, and where a
statement waiting for review stands among reviewers (taken, put off, rejected)

Revision ID: 0010_learning
Revises: 0007_records
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_learning"
down_revision = "0009_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "learned_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("customer_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "learned_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layout_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("anchor", sa.String(length=255), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("misses", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("user", sa.String(length=64), nullable=True),
        sa.Column("example", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["layout_id"], ["learned_layouts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("layout_id", "field"),
    )
    op.create_table(
        "review_states",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("assigned_to", sa.String(length=64), nullable=True),
        sa.Column("postponed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rejected", sa.String(length=32), nullable=True),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index("ix_review_states_assigned_to", "review_states", ["assigned_to"])


def downgrade() -> None:
    op.drop_index("ix_review_states_assigned_to", table_name="review_states")
    op.drop_table("review_states")
    op.drop_table("learned_rules")
    op.drop_table("learned_layouts")
