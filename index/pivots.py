"""Investigators' pivots: posts sharing an entity, and how widely each entity of a post is shared.
(Networks of posts: index.network.)"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from index.entity_keys import normalize_entity
from index.models import EntityRow, Post
from index.reviews import post_rows
from index.rows import EntityCount, PostRow


def posts_by_entity(s: Session, kind: str, value: str, limit: int = 100) -> list[PostRow]:
    """Posts carrying this entity, most recently seen first; the value is normalised like at
    ingest ("0912 345 678" finds "+84912345678")."""
    key = normalize_entity(kind, value)
    carriers = sa.select(EntityRow.post_id).where(EntityRow.kind == kind, EntityRow.value == key)
    stmt = sa.select(Post).where(Post.id.in_(carriers)).order_by(Post.last_seen.desc(), Post.id.desc())
    return post_rows(s, list(s.scalars(stmt.limit(limit))))


def entity_counts(s: Session, post_id: int) -> list[EntityCount]:
    """Each entity of a post with the number of posts that share it, most shared first."""
    mine, other = aliased(EntityRow), aliased(EntityRow)
    n_posts = sa.func.count(sa.distinct(other.post_id))
    rows = s.execute(
        sa.select(mine.kind, mine.value, n_posts)
        .join(other, sa.and_(other.kind == mine.kind, other.value == mine.value))
        .where(mine.post_id == post_id)
        .group_by(mine.kind, mine.value)
        .order_by(n_posts.desc(), mine.kind, mine.value)
    )
    return [EntityCount(kind, value, int(n)) for kind, value, n in rows]
