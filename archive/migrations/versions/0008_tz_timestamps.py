"""tz_timestamps: every timestamp column stored time-zone aware (PostgreSQL)

The values were written as UTC without a zone; they are read as UTC. SQLite has no zoned
type: its text stays UTC and archive.models.UTCDateTime reads it as aware UTC.

Revision ID: 0008_tz_timestamps
Revises: 0007_records
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_tz_timestamps"
down_revision = "0007_records"
branch_labels = None
depends_on = None


def _timestamps(zoned: bool) -> list[tuple[str, str]]:
    inspector = sa.inspect(op.get_bind())
    return [
        (table, col["name"])
        for table in inspector.get_table_names()
        for col in inspector.get_columns(table)
        if isinstance(col["type"], sa.DateTime) and bool(col["type"].timezone) == zoned
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _timestamps(zoned=False):
        op.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamp with time zone '
            f'USING "{column}" AT TIME ZONE \'UTC\''
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _timestamps(zoned=True):
        op.execute(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE timestamp without time zone '
            f'USING "{column}" AT TIME ZONE \'UTC\''
        )
