"""documents.read_seconds: how long a worker took to read the file (OCR and extraction)

Kept per document so that /metrics can give the reading time of every worker process from
the database, whichever process read it.

Revision ID: 0014_read_seconds
Revises: 0013_code_pass
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_read_seconds"
down_revision = "0013_code_pass"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("read_seconds", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("read_seconds")
