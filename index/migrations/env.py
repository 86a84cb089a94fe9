"""Alembic environment: always runs on a connection handed in by index.migrate.

There is no alembic.ini and no URL here: `index.migrate` builds the Config in code, opens the
transaction (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL) and passes the
connection in `config.attributes["connection"]`.
"""

from __future__ import annotations

from alembic import context

from index.migrate import include_name
from index.models import Base, UTCDateTime


def render_item(type_: str, obj: object, _autogen_context: object) -> str | bool:
    # Revisions must not import the models (they change later): write our column type as
    # the plain DDL type it is.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through index.migrate (it passes the connection in)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_name=include_name,
    # SQLite cannot ALTER most things: batch mode copies the table where it must.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
