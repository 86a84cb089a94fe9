"""The reviewers' workflow: reason codes and the uncertain flag on decisions, claims, each post's
network size for the queue order, and a queue index that covers the tabs.

Revision ID: 0030_review_workflow
Revises: 0005_source_kinds (main's head when merged; written after 0004_sessions_and_login_throttle)
Create Date: 2026-12-02

Decisions made before this have reason "" and are not uncertain. The network size of every
stored post is computed once here; ingest keeps it from then on (index.network_size).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_review_workflow"
down_revision: str | Sequence[str] | None = "0007_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# index.entity_keys.LINK_KINDS as they were when this ran (a migration never imports app code).
LINK_KINDS = ("phone", "zalo", "telegram", "bank")
QUEUE_INDEX = ["status", "is_lure", "minor_risk", "priority", "score", "threshold", "network_size", "first_seen",
               "near_dup_cluster", "source"]


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=50), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("uncertain", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("network_size", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "claims",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id"),
    )
    op.create_index(op.f("ix_claims_username"), "claims", ["username"], unique=False)
    # The queue's index covers every column its tabs read (index.queue).
    op.drop_index("ix_posts_queue", table_name="posts")
    op.create_index("ix_posts_queue", "posts", QUEUE_INDEX, unique=False)
    kinds = ", ".join(f"'{k}'" for k in LINK_KINDS)
    op.execute(
        "UPDATE posts SET network_size = COALESCE(NULLIF(("
        " SELECT count(DISTINCT e2.post_id) FROM entities e1"
        " JOIN entities e2 ON e2.kind = e1.kind AND e2.value = e1.value"
        f" WHERE e1.post_id = posts.id AND e1.kind IN ({kinds})), 0), 1)"
    )


def downgrade() -> None:
    op.drop_index("ix_posts_queue", table_name="posts")
    op.create_index("ix_posts_queue", "posts", ["status", "is_lure", "priority", "score"], unique=False)
    op.drop_index(op.f("ix_claims_username"), table_name="claims")
    op.drop_table("claims")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("network_size")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("uncertain")
        batch_op.drop_column("reason")
