"""code_pass: when the quick code pass took a document (services/fastlane.py)

The pass takes the newest document waiting for it first, so a coded statement uploaded after
a burst of scans is not held up by their passes; this column says which ones it took.

Revision ID: 0013_code_pass
Revises: 0012_field_sources
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_code_pass"
down_revision = "0012_field_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("codes_looked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("codes_looked_at")
