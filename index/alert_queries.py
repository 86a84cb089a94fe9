"""What the alert rules read (flows.alerts decides what to tell): posts stored or seen since a
time, and contacts or near-duplicate clusters that grew within a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks, unique
from index.entity_keys import LINK_KINDS
from index.models import EntityRow, Post
from index.reviews import post_rows
from index.rows import PostRow


@dataclass(frozen=True)
class Growth:
    """A network's new posts within a day: a shared contact (kind, value) or a near-dup cluster."""

    kind: str  # phone | zalo | telegram | bank | near_dup
    value: str  # the contact, or the cluster's id
    new_posts: int
    post_ids: list[int]  # newest first


def posts_since(s: Session, since: datetime, *, min_score: float | None = None, minor_risk: bool = False,
                limit: int = 1000) -> list[PostRow]:
    """Posts stored, changed or seen again since `since` (their updated_at), over a score or at minor risk."""
    stmt = sa.select(Post).where(Post.updated_at >= since)
    if min_score is not None:
        stmt = stmt.where(Post.score >= min_score)
    if minor_risk:
        stmt = stmt.where(Post.minor_risk == sa.true())
    return post_rows(s, list(s.scalars(stmt.order_by(Post.id).limit(limit))))


def contact_growth(s: Session, day_start: datetime, at_least: int) -> list[Growth]:
    """Shared contacts carried by at least `at_least` posts first seen since `day_start`."""
    counted = (
        sa.select(EntityRow.kind, EntityRow.value, sa.func.count(sa.distinct(EntityRow.post_id)).label("n"))
        .join(Post, Post.id == EntityRow.post_id)
        .where(EntityRow.kind.in_(LINK_KINDS), Post.first_seen >= day_start)
        .group_by(EntityRow.kind, EntityRow.value)
        .having(sa.func.count(sa.distinct(EntityRow.post_id)) >= at_least)
    )
    out = []
    for kind, value, n in s.execute(counted):
        ids = s.scalars(sa.select(EntityRow.post_id).distinct().join(Post, Post.id == EntityRow.post_id)
                        .where(EntityRow.kind == kind, EntityRow.value == value, Post.first_seen >= day_start)
                        .order_by(EntityRow.post_id.desc()))
        out.append(Growth(kind, value, n, list(ids)))
    return out


def cluster_growth(s: Session, day_start: datetime, at_least: int) -> list[Growth]:
    """Near-duplicate clusters that gained at least `at_least` posts first seen since `day_start`."""
    counted = (
        sa.select(Post.near_dup_cluster, sa.func.count(Post.id))
        .where(Post.near_dup_cluster.is_not(None), Post.first_seen >= day_start)
        .group_by(Post.near_dup_cluster).having(sa.func.count(Post.id) >= at_least)
    )
    out = []
    for cluster, n in s.execute(counted):
        ids = s.scalars(sa.select(Post.id).where(Post.near_dup_cluster == cluster, Post.first_seen >= day_start)
                        .order_by(Post.id.desc()))
        out.append(Growth("near_dup", str(cluster), n, list(ids)))
    return out
