"""field_sources: a field's source names every way a value is found

`arithmetic` (placed by the statement's balance identity) does not fit the old 8 characters,
and what a reviewer entered is called `reviewer` rather than `manual`.

Revision ID: 0012_field_sources
Revises: 0011_customer_master
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_field_sources"
down_revision = "0011_customer_master"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fields") as batch:
        batch.alter_column("source", type_=sa.String(16), existing_type=sa.String(8))
    op.execute("UPDATE fields SET source = 'reviewer' WHERE source = 'manual'")


def downgrade() -> None:
    op.execute("UPDATE fields SET source = 'manual' WHERE source = 'reviewer'")
    op.execute("UPDATE fields SET source = 'text' WHERE source = 'arithmetic'")
    with op.batch_alter_table("fields") as batch:
        batch.alter_column("source", type_=sa.String(8), existing_type=sa.String(16))
