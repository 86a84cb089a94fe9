"""Near-duplicate clusters of stored posts, kept in step across writers.

- The MinHash LSH (index.near_dup.NearDupIndex) lives in memory: the first ingest of a process
  builds it from the stored signatures, and every later ingest first catches up with what
  other processes changed. Each writing transaction stamps the posts whose signature or
  cluster it sets with a new revision (posts.near_dup_rev), so changed and merged posts are
  caught up too, not only new ids.
- Writers cluster one at a time. SQLite writer transactions take the database lock up front
  (BEGIN IMMEDIATE); on PostgreSQL an ingest transaction takes an advisory lock first. Either
  way a writer sees the other writer's committed posts before it clusters its own: two
  concurrent writers cannot miss each other's near-duplicates.
- A post near several clusters merges them into the oldest (the smallest cluster id).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index import near_dup
from index.chunks import chunks
from index.models import Post

# Key of the PostgreSQL advisory lock held by ingest transactions until they end ("lurf").
PG_INGEST_LOCK = 0x6C757266


def lock_writers(s: Session) -> None:
    """Queue behind any other ingest transaction (PostgreSQL; SQLite writers already do)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_INGEST_LOCK})


class NearDupClusters:
    """The store's near-duplicate clustering: one per Store, one ingest at a time."""

    def __init__(self) -> None:
        self._index: near_dup.NearDupIndex | None = None
        self._lock = threading.Lock()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold this process's turn; after a failure the LSH is rebuilt on the next ingest (it
        may hold posts of the rolled-back batch)."""
        with self._lock:
            try:
                yield
            except BaseException:
                self._index = None
                raise

    def begin(self, s: Session) -> None:
        """First thing of an ingest transaction: wait for other writers, then catch up."""
        lock_writers(s)
        index = self._index or near_dup.NearDupIndex()
        stored = (
            sa.select(Post.id, Post.near_dup_sig, Post.near_dup_cluster, Post.near_dup_rev)
            .where(Post.near_dup_rev > index.rev)
            .order_by(Post.near_dup_rev)
            .execution_options(yield_per=2000)
        )
        index.load(s.execute(stored))
        first = self._index is None
        self._index = index
        if first:  # posts stored before signatures existed get one now
            unsigned = list(s.scalars(sa.select(Post).where(Post.near_dup_rev.is_(None)).order_by(Post.id)))
            for post in unsigned:
                post.near_dup_sig = near_dup.signature(post.title, post.text)
            self.assign(s, unsigned)

    def assign(self, s: Session, posts: list[Post]) -> None:
        """Cluster these posts (ids assigned, signatures set) in order, so posts of one batch
        cluster with each other too; clusters they bridge are merged, in the database too."""
        index = self._index
        assert index is not None, "begin() first"
        rev = index.rev + 1  # begin() caught up under the writers' lock: no one wrote a later one
        mine = {p.id for p in posts}
        moved: set[int] = set()
        for post in posts:
            index.remove(post.id)
            post.near_dup_rev = rev
            if post.near_dup_sig is None:
                post.near_dup_cluster = None
                continue
            near = index.near_clusters(post.id, post.near_dup_sig)
            cluster = near[0] if near else post.id
            moved.update(index.merge(cluster, near[1:]))
            index.add(post.id, post.near_dup_sig, cluster)
            post.near_dup_cluster = cluster
        for post in posts:
            post.near_dup_cluster = index.cluster_of(post.id)  # a later post may have merged it
        _store_merges(s, {pid: index.cluster_of(pid) for pid in moved - mine}, rev)
        index.rev = rev


def _store_merges(s: Session, clusters: dict[int, int | None], rev: int) -> None:
    """New clusters of posts outside the batch; merging is not a change of those posts."""
    by_cluster: dict[int | None, list[int]] = {}
    for post_id, cluster in clusters.items():
        by_cluster.setdefault(cluster, []).append(post_id)
    for cluster, post_ids in by_cluster.items():
        for chunk in chunks(sorted(post_ids)):
            s.execute(
                sa.update(Post)
                .where(Post.id.in_(chunk))
                .values(near_dup_cluster=cluster, near_dup_rev=rev, updated_at=Post.updated_at)
                .execution_options(synchronize_session=False)
            )
