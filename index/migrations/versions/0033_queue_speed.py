"""The queue's index in the queue's order: (status, minor_risk, priority, score, ...) so a tab is
walked most urgent first and a page stops after its rows (index.queue), instead of sorting every
post of the tab (at 100k posts ~13k queued). is_lure moves after score: the queue tab's
"flagged or minor risk" is a filter on the walked entries.

Revision ID: 0033_queue_speed
Revises: 0032_audit_append_only
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033_queue_speed"
down_revision: str | Sequence[str] | None = "0032_audit_append_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUE_INDEX = ["status", "minor_risk", "priority", "score", "is_lure", "threshold", "network_size", "first_seen",
               "near_dup_cluster", "source"]
EARLIER = ["status", "is_lure", "minor_risk", "priority", "score", "threshold", "network_size", "first_seen",
           "near_dup_cluster", "source"]


def upgrade() -> None:
    op.drop_index("ix_posts_queue", table_name="posts")
    op.create_index("ix_posts_queue", "posts", QUEUE_INDEX, unique=False)


def downgrade() -> None:
    op.drop_index("ix_posts_queue", table_name="posts")
    op.create_index("ix_posts_queue", "posts", EARLIER, unique=False)
