"""Search-index bookkeeping: the store is the system of record and posts.index_state its outbox.

A post is "pending" from the moment its content, assessment or status changes until a search
backend holds its current document (index.sync moves them). Here: the pending posts, their
documents, and the marks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks, unique
from index.entities import values_by_post
from index.models import INDEX_DONE, INDEX_PENDING, Post, utcnow
from index.search.base import SearchDoc
from index.search.docfields import ENTITY_ATTRS

# SearchDoc attributes read from the post's own columns (the entity ones come from its entities).
_POST_ATTRS = [f.name for f in fields(SearchDoc) if f.name not in ENTITY_ATTRS.values() and f.name != "post_id"]


def search_doc(post: Post, entity_values: dict[str, list[str]]) -> SearchDoc:
    """The post's search document; entity_values: kind -> values (Store entities)."""
    own = {name: _frozen(getattr(post, name)) for name in _POST_ATTRS}
    found = {attr: tuple(entity_values.get(kind, ())) for kind, attr in ENTITY_ATTRS.items()}
    return SearchDoc(post_id=post.id, **own, **found)


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def search_docs(s: Session, post_ids: Sequence[int]) -> list[SearchDoc]:
    """Full search documents of these posts, in the given order; unknown ids are skipped."""
    ids = unique(post_ids)
    posts: dict[int, Post] = {}
    for chunk in chunks(ids):
        posts.update((p.id, p) for p in s.scalars(sa.select(Post).where(Post.id.in_(chunk))))
    values = values_by_post(s, ids, ENTITY_ATTRS)
    return [search_doc(posts[i], values.get(i, {})) for i in ids if i in posts]


def mark_indexed(s: Session, post_ids: Sequence[int], *, as_of: datetime | None = None) -> int:
    """Record that a backend holds these posts' documents; returns how many were marked.

    With `as_of` (taken before the documents were read), a post changed since then stays
    pending, so a review recorded while indexing is not lost from the index.
    """
    now, marked = utcnow(), 0
    for chunk in chunks(unique(post_ids)):
        # Keep updated_at: being indexed is not a change of the post.
        stmt = sa.update(Post).where(Post.id.in_(chunk)).values(
            index_state=INDEX_DONE, indexed_at=now, updated_at=Post.updated_at
        )
        if as_of is not None:
            stmt = stmt.where(Post.updated_at <= as_of)
        marked += s.execute(stmt).rowcount or 0
    return marked


def mark_pending(s: Session, post_ids: Sequence[int]) -> int:
    """Ask for these posts to be indexed again (e.g. a backend lost them)."""
    marked = 0
    for chunk in chunks(unique(post_ids)):
        marked += s.execute(
            sa.update(Post).where(Post.id.in_(chunk)).values(index_state=INDEX_PENDING)
        ).rowcount or 0
    return marked


def pending_post_ids(s: Session, limit: int = 1000) -> list[int]:
    """Oldest pending posts first."""
    stmt = sa.select(Post.id).where(Post.index_state == INDEX_PENDING).order_by(Post.id).limit(limit)
    return list(s.scalars(stmt))


def pending_count(s: Session) -> int:
    return s.scalar(sa.select(sa.func.count(Post.id)).where(Post.index_state == INDEX_PENDING)) or 0


def all_post_ids(read: Callable[[], AbstractContextManager[Session]], batch: int = 1000) -> Iterator[list[int]]:
    """Every post id in ascending batches, each from a short read of its own (keyset
    pagination: no OFFSET, no transaction held while the caller works)."""
    last = 0
    while True:
        with read() as s:
            ids = list(s.scalars(sa.select(Post.id).where(Post.id > last).order_by(Post.id).limit(batch)))
        if not ids:
            return
        yield ids
        last = ids[-1]
