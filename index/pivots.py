"""Investigators' pivots: posts sharing an entity, one entity across the store, how widely each
entity of a post is shared, and posts with their contacts for exports. (Networks: index.network.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from index.chunks import chunks, unique
from index.entities import values_by_post
from index.entity_keys import CONTACT_KINDS, normalize_entity
from index.models import EntityRow, Post
from index.reviews import LISTING, post_rows
from index.rows import EntityCount, EntitySummary, PostRow


def _carriers(kind: str, value: str) -> sa.Select:
    key = normalize_entity(kind, value)
    return sa.select(EntityRow.post_id).where(EntityRow.kind == kind, EntityRow.value == key)


def posts_by_entity(s: Session, kind: str, value: str, limit: int = 100, offset: int = 0) -> list[PostRow]:
    """Posts carrying this entity, most recently seen first; the value is normalised like at
    ingest ("0912 345 678" finds "+84912345678")."""
    stmt = (sa.select(Post).options(*LISTING).where(Post.id.in_(_carriers(kind, value)))
            .order_by(Post.last_seen.desc(), Post.id.desc()))
    return post_rows(s, list(s.scalars(stmt.limit(limit).offset(offset))))


def entity_post_ids(s: Session, kind: str, value: str, limit: int = 500) -> list[int]:
    """Ids of the posts carrying this entity, most recently seen first (network seeds)."""
    stmt = (sa.select(Post.id).where(Post.id.in_(_carriers(kind, value)))
            .order_by(Post.last_seen.desc(), Post.id.desc()).limit(limit))
    return list(s.scalars(stmt))


def entity_summary(s: Session, kind: str, value: str) -> EntitySummary:
    """How many posts carry this entity, first and last seen, and per source and status (one
    pass over its posts, grouped by source and status)."""
    rows = s.execute(
        sa.select(Post.source, Post.status, sa.func.count(Post.id), sa.func.min(Post.first_seen),
                  sa.func.max(Post.last_seen))
        .where(Post.id.in_(_carriers(kind, value))).group_by(Post.source, Post.status)
    ).all()
    sources: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for source, status, n, _, _ in rows:
        sources[source] = sources.get(source, 0) + n
        statuses[status] = statuses.get(status, 0) + n

    def ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    return EntitySummary(
        kind=kind, value=normalize_entity(kind, value), n_posts=sum(sources.values()),
        first_seen=min((r[3] for r in rows), default=None), last_seen=max((r[4] for r in rows), default=None),
        sources=ranked(sources), statuses=ranked(statuses),
    )


def posts_by_ids(s: Session, post_ids: Sequence[int]) -> list[PostRow]:
    """These posts in the given order (unknown ids skipped)."""
    ids = unique(list(post_ids))
    found: dict[int, Post] = {}
    for chunk in chunks(ids):
        found.update((p.id, p) for p in s.scalars(sa.select(Post).options(*LISTING).where(Post.id.in_(chunk))))
    return post_rows(s, [found[i] for i in ids if i in found])


def posts_with_contacts(
    s: Session, post_ids: Sequence[int], kinds: Iterable[str]
) -> list[tuple[PostRow, dict[str, list[str]]]]:
    """Each post (given order) with its entity values of these kinds: the rows of an export."""
    posts = posts_by_ids(s, post_ids)
    values = values_by_post(s, [p.id for p in posts], list(kinds))
    return [(p, values.get(p.id, {})) for p in posts]


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


def co_entities(s: Session, kind: str, value: str, limit: int = 30) -> list[EntityCount]:
    """Other contacts found in the posts that carry this entity, with how many of those posts
    carry each: the bank account that goes with a phone number, the Telegram behind a Zalo."""
    key = normalize_entity(kind, value)
    mine, other = aliased(EntityRow), aliased(EntityRow)
    rows = s.execute(  # its posts' entities; kinds filtered here (index.entities.entity_values)
        sa.select(other.post_id, other.kind, other.value)
        .select_from(mine).join(other, other.post_id == mine.post_id)
        .where(mine.kind == kind, mine.value == key)
    )
    posts_of: dict[tuple[str, str], set[int]] = {}
    for post_id, k, v in rows:
        if k in CONTACT_KINDS and (k, v) != (kind, key):
            posts_of.setdefault((k, v), set()).add(post_id)
    ranked = sorted(posts_of.items(), key=lambda item: (-len(item[1]), item[0]))
    return [EntityCount(k, v, len(ids)) for (k, v), ids in ranked[:limit]]
