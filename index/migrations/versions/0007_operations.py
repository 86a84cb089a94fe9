"""Operations: paused sources, run heartbeats, alerts sent, the watchlist, the jobs' state.

Revision ID: 0007_operations
Revises: 0005_source_kinds (the head when written; the lead re-chains at merge)
Create Date: 2026-11-30

sources.paused: the store is the source of truth for a deployment's pause (flows.deployments).
crawl_runs.heartbeat_at / flow_run_id / worker: a run whose heartbeat stopped is marked crashed.
alerts: who was told what and when, one row per (key, channel, recipient) (de-duplication).
watchlist: values to alert on when seen again. op_state: the alert rules' cursor.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_operations"
down_revision: str | Sequence[str] | None = "0005_source_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("flow_run_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("worker", sa.String(length=200), nullable=True))
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=500), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("digest_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key", "channel", "recipient", name="uq_alerts_key_channel_recipient"),
    )
    op.create_index("ix_alerts_rule", "alerts", ["rule"], unique=False)
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"], unique=False)
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "value", name="uq_watchlist_kind_value"),
    )
    op.create_table(
        "op_state",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("op_state")
    op.drop_table("watchlist")
    op.drop_index("ix_alerts_created_at", table_name="alerts")
    op.drop_index("ix_alerts_rule", table_name="alerts")
    op.drop_table("alerts")
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("worker")
        batch.drop_column("flow_run_id")
        batch.drop_column("heartbeat_at")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("paused")
