"""How many posts share a contact with each post, kept on posts.network_size for the queue order.

A post's network size is the number of posts (itself included) that carry at least one of its
phone/Zalo/Telegram/bank values. Ingest calls `refresh` with the contact keys a batch added or
removed; every post carrying one of them is recounted, so the size of older posts grows when a
new post shares their phone. The count is a post's direct neighbourhood, not the whole
connected network (index.network walks that, for one post at a time).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from index.chunks import chunks
from index.entity_keys import LINK_KINDS
from index.models import EntityRow, Post
from index.network import link_keys

__all__ = ["link_keys", "refresh"]

Key = tuple[str, str]


def refresh(s: Session, keys: set[Key], post_ids: Iterable[int] = ()) -> None:
    """Recount the network size of every post carrying one of `keys`, and of `post_ids`."""
    affected = set(post_ids)
    by_kind: dict[str, list[str]] = {}
    for kind, value in keys:
        by_kind.setdefault(kind, []).append(value)
    for kind, values in by_kind.items():
        for chunk in chunks(sorted(values)):
            affected.update(s.scalars(
                sa.select(EntityRow.post_id).where(EntityRow.kind == kind, EntityRow.value.in_(chunk)).distinct()
            ))
    mine, other = aliased(EntityRow), aliased(EntityRow)
    for chunk in chunks(sorted(affected)):
        sizes = dict(s.execute(
            sa.select(mine.post_id, sa.func.count(sa.distinct(other.post_id)))
            .join(other, sa.and_(other.kind == mine.kind, other.value == mine.value))
            .where(mine.post_id.in_(chunk), mine.kind.in_(LINK_KINDS))
            .group_by(mine.post_id)
        ).all())
        for size, ids in _by_size({pid: sizes.get(pid, 1) for pid in chunk}).items():
            s.execute(
                sa.update(Post).where(Post.id.in_(ids))
                .values(network_size=size, updated_at=Post.updated_at)  # not a change of the post
                .execution_options(synchronize_session=False)
            )


def _by_size(sizes: dict[int, int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for post_id, size in sizes.items():
        out.setdefault(max(size, 1), []).append(post_id)
    return out
