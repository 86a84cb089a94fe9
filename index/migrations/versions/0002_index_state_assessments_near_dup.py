"""Index state of posts, assessments per model version, near-duplicate key and cluster.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Existing posts become "pending" (the catch-up indexer sends them once more: nothing is lost)
and their current assessment is copied into `assessments`. Their MinHash is computed by the
store on the first ingest after the upgrade (index.near_dup), not here: a migration must not
depend on application code that keeps changing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("is_lure", sa.Boolean(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("minor_risk", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_id", "model_version", name="uq_assessments_post_model"),
    )
    # Plain ADD COLUMN / CREATE INDEX: SQLite does these in place, no table copy.
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("index_state", sa.String(length=20), server_default="pending", nullable=False)
        )
        batch_op.add_column(sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("near_dup_sig", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("near_dup_cluster", sa.Integer(), nullable=True))
        batch_op.create_index("ix_posts_index_state", ["index_state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posts_near_dup_cluster"), ["near_dup_cluster"], unique=False)

    op.execute(
        "INSERT INTO assessments (post_id, model_version, score, is_lure, threshold, categories,"
        " signals, minor_risk, priority, created_at)"
        " SELECT id, model_version, score, is_lure, threshold, categories, signals, minor_risk,"
        " priority, updated_at FROM posts"
    )


def downgrade() -> None:
    # Not batch mode: a SQLite table copy of `posts` would cascade-delete its children while
    # foreign keys are on. ALTER TABLE ... DROP COLUMN needs SQLite >= 3.35.
    op.drop_index("ix_posts_near_dup_cluster", table_name="posts")
    op.drop_index("ix_posts_index_state", table_name="posts")
    for column in ("near_dup_cluster", "near_dup_sig", "indexed_at", "index_state"):
        op.drop_column("posts", column)
    op.drop_table("assessments")
