"""Why a post is a minor risk: the explicit cues the classifier found (classifier.minors).

Revision ID: 0020_minor_cues
Revises: 0003
Create Date: 2026-11-30

One JSON list per assessment (posts, assessments, post_versions), like signals. Rows assessed
before this have none; a rescore fills them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_minor_cues"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("posts", "assessments", "post_versions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("minor_cues", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("minor_cues")
