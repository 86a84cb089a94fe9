"""A source's definition (crawlers.source.SourceDefinition) as JSON on `sources`.

Revision ID: 0100_source_definition
Revises: 0002
Create Date: 2026-11-30

Nullable: sources added before it keep crawling with the default definition of their start URL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0100_source_definition"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("definition", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("definition")
