"""Alembic environment: runs on the connection archive.db.upgrade hands over."""

from alembic import context
from sqlalchemy import create_engine

import archive.access  # noqa: F401  (their tables are part of the metadata)
import archive.audit  # noqa: F401
import archive.ledger  # noqa: F401
import archive.management  # noqa: F401
import archive.messages  # noqa: F401
import archive.retention  # noqa: F401
import archive.throttle  # noqa: F401
import archive.users  # noqa: F401
from archive.models import Base

cfg = context.config
connection = cfg.attributes.get("connection")


def run(conn) -> None:
    context.configure(
        connection=conn, target_metadata=Base.metadata, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:  # `alembic` command line, e.g. revision --autogenerate
    with create_engine(cfg.get_main_option("sqlalchemy.url")).connect() as conn:
        run(conn)
        conn.commit()
