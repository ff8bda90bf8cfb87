"""customer master: statement cycle, active range, owner and contact e-mail; user e-mail

Revision ID: 0011_customer_master
Revises: 0007_records
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_customer_master"
down_revision = "0007_records"
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


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
    with op.batch_alter_table("customers") as batch:
        batch.drop_constraint("fk_customers_owner_id_users", type_="foreignkey")
        for name in ("email", "owner_id", "active_to", "active_from", "cycle"):
            batch.drop_column(name)
