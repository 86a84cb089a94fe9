"""Source definitions versioned: sources.version and the source_versions history.

Revision ID: 0005_source_kinds
Revises: 0021_post_parser_fields (both landed on main first)
Create Date: 2026-11-30

Every add, edit, import and removal of a source keeps the whole definition it left behind, so an
operator can see what a source was told to crawl at any time. Existing sources start at version 1
with their current definition.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_source_kinds"
down_revision: str | Sequence[str] | None = "0021_post_parser_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "source_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_name", "version", name="uq_source_versions_name_version"),
    )
    op.execute(
        "INSERT INTO source_versions (source_name, version, action, definition, created_at)"
        " SELECT name, 1, 'add', definition, updated_at FROM sources"
    )


def downgrade() -> None:
    op.drop_table("source_versions")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("version")
