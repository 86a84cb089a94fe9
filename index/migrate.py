"""Schema migrations run in code: any database is brought to the head revision by Store.open.

There is no alembic.ini: the Config is built here with `script_location` pointing at the
`index/migrations` package, and migrations run on a connection we open ourselves, inside one
transaction that also serialises concurrent openers (BEGIN IMMEDIATE on SQLite, an advisory
lock on PostgreSQL). A database already at head costs one small read (the fast path).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from index.engine import writer

SCRIPT_LOCATION = Path(__file__).resolve().parent / "migrations"
# Tables whose names start with this belong to search backends (SQLite FTS5 lives in the same
# file): migrations neither create nor compare them.
SEARCH_TABLE_PREFIX = "search_"
# Databases made by create_all before Alembic came in have exactly revision 0001's schema.
PRE_ALEMBIC_REVISION = "0001"
# Key of the PostgreSQL advisory lock taken while migrating ("lure" in ASCII).
_PG_MIGRATION_LOCK = 0x6C757265


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """Alembic Config built in code; `connection` is the one env.py migrates."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no Alembic revisions under {SCRIPT_LOCATION}")
    return head


def current_revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Autogenerate filter: leave search backends' tables alone."""
    if type_ == "table" and name is not None:
        return not name.startswith(SEARCH_TABLE_PREFIX)
    return True


def upgrade_to_head(engine: sa.Engine) -> bool:
    """Migrate the database to head; returns False when it already was (nothing done)."""
    with engine.connect() as conn:
        if current_revision(conn) == head_revision():
            return False
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        cfg = alembic_config(conn)
        if current_revision(conn) is None and sa.inspect(conn).has_table("posts"):
            command.stamp(cfg, PRE_ALEMBIC_REVISION)
        command.upgrade(cfg, "head")
    return True
