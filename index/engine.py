"""Build the SQLAlchemy engine: SQLite tuned for one machine, anything else as given."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

# Execution option read by the "begin" hook: writers ask for BEGIN IMMEDIATE so two writers
# queue on the busy timeout instead of failing when a read lock cannot be upgraded.
SQLITE_BEGIN = "lurewatch_sqlite_begin"
BUSY_TIMEOUT_MS = 10_000


def create_db_engine(database_url: str) -> sa.Engine:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" hook emit BEGIN itself (pysqlite's own is late and wrong).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: sa.Engine) -> sa.Engine:
    """The same engine, but transactions take the SQLite write lock up front."""
    return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
