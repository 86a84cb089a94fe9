"""Revision of the near-duplicate state of each post (index.clusters).

Revision ID: 0003
Revises: 0100_source_definition (landed in parallel; this one was written after 0002)
Create Date: 2026-11-30

Every writing transaction that sets a post's near-dup signature or cluster stamps it with a
new revision, so other processes' in-memory LSH catch up with changed and merged posts too,
not only with new ids. Posts that already have a signature start at revision 1; those without
one are signed (and stamped) by the first ingest after the upgrade, as since 0002.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0100_source_definition"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN / CREATE INDEX: SQLite does these in place, no table copy.
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("near_dup_rev", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_posts_near_dup_rev"), ["near_dup_rev"], unique=False)
    op.execute("UPDATE posts SET near_dup_rev = 1 WHERE near_dup_sig IS NOT NULL")


def downgrade() -> None:
    # Not batch mode: a SQLite table copy of `posts` would cascade-delete its children.
    op.drop_index("ix_posts_near_dup_rev", table_name="posts")
    op.drop_column("posts", "near_dup_rev")
