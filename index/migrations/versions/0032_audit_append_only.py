"""The audit log is append-only in the database itself: a trigger refuses every UPDATE and
DELETE of audit_events (SQLite and PostgreSQL), whoever connects. (TRUNCATE, a table owner's
statement that the tests use to empty PostgreSQL between tests, is left to the deployment's
grants: the application's role needs none.) An index on (action, id) for the audit page's
action filter, read newest first; and ix_posts_dashboard, a range of first_seen that covers the
dashboard's weekly counts (index.dashboard).

Revision ID: 0032_audit_append_only
Revises: 0031_cases_saved_searches
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032_audit_append_only"
down_revision: str | Sequence[str] | None = "0031_cases_saved_searches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_events is append-only"
DASHBOARD_INDEX = ["first_seen", "status", "is_lure", "minor_risk", "model_version", "source"]


def upgrade() -> None:
    op.create_index("ix_audit_events_action_id", "audit_events", ["action", "id"], unique=False)
    op.create_index("ix_posts_dashboard", "posts", DASHBOARD_INDEX, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END $$""")
        op.execute("""
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_events_no_{verb}")
    op.drop_index("ix_posts_dashboard", table_name="posts")
    op.drop_index("ix_audit_events_action_id", table_name="audit_events")
