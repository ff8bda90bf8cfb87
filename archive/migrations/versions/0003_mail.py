"""mail messages, their documents, scan batch parts

Revision ID: 0003_mail
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_mail"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("folder", sa.String(length=255), nullable=True),
        sa.Column("uidvalidity", sa.Integer(), nullable=True),
        sa.Column("uid", sa.Integer(), nullable=True),
        sa.Column("sender", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("date", sa.DateTime(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("folder", "uidvalidity", "uid", name="uq_mail_messages_uid"),
    )
    op.create_index("ix_mail_messages_status", "mail_messages", ["status"])
    op.create_table(
        "message_documents",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["mail_messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("message_id", "document_id"),
    )
    op.create_index("ix_message_documents_document_id", "message_documents", ["document_id"])
    op.create_table(
        "batch_parts",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("cover", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["batch_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_index("ix_batch_parts_batch_id", "batch_parts", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_batch_parts_batch_id", table_name="batch_parts")
    op.drop_table("batch_parts")
    op.drop_index("ix_message_documents_document_id", table_name="message_documents")
    op.drop_table("message_documents")
    op.drop_index("ix_mail_messages_status", table_name="mail_messages")
    op.drop_table("mail_messages")
