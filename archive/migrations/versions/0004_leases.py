"""one line of migrations again; a lease on every document being processed

The users and mail tables were added side by side from the first schema; this revision
joins the two. A worker that claims a document holds a lease on it, renewed while it reads;
a document whose lease ran out (its worker died) is taken up again.

Revision ID: 0004_leases
Revises: 0002_users, 0003_mail
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_leases"
down_revision = ("0002_users", "0003_mail")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_token")
