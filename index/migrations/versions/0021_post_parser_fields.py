"""What the page parser reads besides a post's content: author, the site's own id of the post,
and which extraction layer gave each field (crawlers RawPost -> index.document.PostIn).

Revision ID: 0021_post_parser_fields
Revises: 0004_sessions_and_login_throttle (landed first on main)
Create Date: 2026-11-30

Nullable: posts stored before keep NULL until they are crawled again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_post_parser_fields"
down_revision: str | Sequence[str] | None = "0004_sessions_and_login_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite does it in place, no table copy.
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("fields_from", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Not batch mode: a SQLite table copy of `posts` would cascade-delete its children.
    for column in ("fields_from", "external_id", "author"):
        op.drop_column("posts", column)
