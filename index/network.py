"""Network of a post: breadth-first over shared contacts and near-dup clusters, in SQL.

Each level asks the database for the neighbours of the current frontier only (the entities
index on (kind, value) and the posts index on near_dup_cluster), so the walk reads at most
`max_posts` posts whatever the size of the store. Edges are computed at the end among the
posts kept: for each shared key, a star from its smallest post id to the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks, unique
from index.entities import entity_values
from index.entity_keys import LINK_KINDS
from index.models import EntityRow, Post
from index.rows import Network

NEAR_DUP = "near_dup"


def build_network(s: Session, post_id: int | Sequence[int], max_posts: int = 500) -> Network:
    """Posts linked to this one (or to these, e.g. every post of one entity) by shared contacts
    (LINK_KINDS) or near-dup text, breadth-first, at most `max_posts`; an unknown post is a
    ValueError."""
    if max_posts < 1:
        raise ValueError("max_posts must be at least 1")
    starts = unique([post_id] if isinstance(post_id, int) else list(post_id))
    if not starts:
        raise ValueError("no post to start from")
    known: set[int] = set()
    for chunk in chunks(starts):
        known.update(s.scalars(sa.select(Post.id).where(Post.id.in_(chunk))))
    missing = [start for start in starts if start not in known]
    if missing:
        raise ValueError(f"no post {missing[0]}")
    truncated = len(starts) > max_posts
    order = starts[:max_posts]
    seen = set(order)
    seen_keys: set[tuple[str, str]] = set()
    seen_clusters: set[int] = set()
    frontier = list(order)
    while frontier and not truncated:
        keys = link_keys(s, frontier) - seen_keys
        clusters = _clusters_of(s, frontier) - seen_clusters
        seen_keys |= keys
        seen_clusters |= clusters
        found: list[int] = []
        room = max_posts - len(seen)
        for new_id in _sharing(s, keys, clusters, seen, room + 1):
            if new_id in seen:
                continue
            if len(found) == room:
                truncated = True
                break
            found.append(new_id)
            seen.add(new_id)
        order.extend(found)
        if truncated:
            break
        frontier = found
    first_seen, last_seen = _seen_bounds(s, order)
    return Network(
        post_ids=order,
        edges=_edges(s, order),
        size=len(order),
        first_seen=first_seen,
        last_seen=last_seen,
        truncated=truncated,
    )


def link_keys(s: Session, post_ids: list[int]) -> set[tuple[str, str]]:
    """The (kind, value) contact keys these posts carry (LINK_KINDS only)."""
    return {(kind, value) for _, kind, value in entity_values(s, post_ids, LINK_KINDS)}


def _clusters_of(s: Session, post_ids: list[int]) -> set[int]:
    clusters: set[int] = set()
    for chunk in chunks(post_ids):
        clusters.update(
            c for c in s.scalars(sa.select(Post.near_dup_cluster).where(Post.id.in_(chunk)))
            if c is not None
        )
    return clusters


def _sharing(
    s: Session, keys: set[tuple[str, str]], clusters: set[int], seen: set[int], limit: int
) -> list[int]:
    """Up to `limit` post ids, smallest first, sharing a key or a cluster and not yet seen."""
    if limit <= 0:
        return []
    found: set[int] = set()
    by_kind: dict[str, list[str]] = {}
    for kind, value in keys:
        by_kind.setdefault(kind, []).append(value)
    # Excluding seen ids in SQL would need a huge NOT IN; asking for limit + len(seen) rows
    # is enough to get `limit` unseen ones when they exist.
    want = limit + len(seen)
    for kind, values in sorted(by_kind.items()):
        for chunk in chunks(sorted(values)):
            found.update(
                s.scalars(
                    sa.select(EntityRow.post_id)
                    .where(EntityRow.kind == kind, EntityRow.value.in_(chunk))
                    .distinct()
                    .order_by(EntityRow.post_id)
                    .limit(want)
                )
            )
    for chunk in chunks(sorted(clusters)):
        found.update(
            s.scalars(
                sa.select(Post.id)
                .where(Post.near_dup_cluster.in_(chunk))
                .order_by(Post.id)
                .limit(want)
            )
        )
    return sorted(found - seen)[:limit]


def _edges(s: Session, post_ids: list[int]) -> list[tuple[int, int, str]]:
    members: dict[str, set[int]] = {}
    for pid, kind, value in entity_values(s, post_ids, LINK_KINDS):
        members.setdefault(f"{kind}:{value}", set()).add(pid)
    for chunk in chunks(post_ids):
        for pid, cluster in s.execute(
            sa.select(Post.id, Post.near_dup_cluster).where(
                Post.id.in_(chunk), Post.near_dup_cluster.is_not(None)
            )
        ):
            members.setdefault(f"{NEAR_DUP}#{cluster}", set()).add(pid)
    edges: list[tuple[int, int, str]] = []
    for reason, ids in sorted(members.items()):
        if len(ids) < 2:
            continue
        hub, *others = sorted(ids)
        label = NEAR_DUP if reason.startswith(NEAR_DUP + "#") else reason
        edges.extend((hub, other, label) for other in others)
    return edges


def _seen_bounds(s: Session, post_ids: list[int]) -> tuple[datetime | None, datetime | None]:
    firsts, lasts = [], []
    for chunk in chunks(post_ids):
        first, last = s.execute(
            sa.select(sa.func.min(Post.first_seen), sa.func.max(Post.last_seen)).where(Post.id.in_(chunk))
        ).one()
        if first is not None:
            firsts.append(first)
            lasts.append(last)
    return (min(firsts), max(lasts)) if firsts else (None, None)
