"""Engine and sessions. The schema is created and upgraded by Alembic (archive/migrations)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from archive import config, store

MIGRATIONS = Path(__file__).with_name("migrations")
_UPGRADE_LOCK = 0x53544D54  # any constant: the advisory lock that serialises schema upgrades


_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database URL and process."""
    engine = _engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            database = make_url(url).database
            if database and database != ":memory:":
                store.private_file(Path(database))
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        engine = _engines.setdefault(url, engine)
    return engine


def _forget_parent_connections() -> None:
    """In a forked child (a Celery pool process, a page reader): start with empty pools.

    A pooled connection is a socket or file handle shared with the parent; two processes
    talking over one PostgreSQL socket read each other's results. close=False leaves the
    parent's connections alone (psycopg and sqlite3 do not close them from the child).
    """
    for engine in _engines.values():
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the web app and CLI read while a worker writes.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def engine() -> Engine:
    return engine_for(config.settings().database_url)


def _factory(url: str) -> sessionmaker[Session]:
    factory = _factories.get(url)
    if factory is None:
        factory = _factories.setdefault(url, sessionmaker(engine_for(url), expire_on_commit=False))
    return factory


@contextmanager
def session() -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    s = _factory(config.settings().database_url)()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        s.close()


def upgrade(url: str | None = None) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    settings = config.settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        store.private_dir(settings.data_dir)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with engine_for(url).begin() as conn:
        if conn.dialect.name == "postgresql":
            # Workers, the web app and the command line may start at the same moment: one
            # upgrades, the others wait and then find the schema current.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def insert_ignore(s: Session, model, values: dict, key: list[str]) -> bool:
    """INSERT unless a row with the same `key` columns exists (one statement, so two processes
    doing it at once cannot both insert or fail). True: this call inserted the row."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model).values(**values).on_conflict_do_nothing(index_elements=key)
    # A row comes back only when this statement inserted it (PostgreSQL reports no row count
    # for an INSERT … RETURNING, which SQLAlchemy adds there for the primary key).
    returning = stmt.returning(*model.__table__.primary_key.columns)
    return s.connection().execute(returning).first() is not None
