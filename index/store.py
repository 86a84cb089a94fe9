"""The system of record, behind one facade: each method is one transaction over a module that
does one job, and returns plain frozen rows (index.rows), so no session or lazy load leaks out.
Sources and crawl runs: index.sources. Ingest: index.upsert, with the near-duplicate clusters of
index.clusters. The search-index outbox: index.outbox. Review: index.reviews. Pivots and
networks: index.pivots, index.network. Accounts and audit: index.accounts.

Works on SQLite and PostgreSQL alike; the schema is Alembic's (index.migrate), brought to head
by Store.open.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from index import accounts, outbox, pivots, reviews, sources, upsert
from index.clusters import NearDupClusters
from index.document import PostIn
from index.engine import create_db_engine, writer
from index.migrate import upgrade_to_head
from index.network import build_network
from index.rows import (AuditRow, EntityCount, LabelRow, Network, PostRow, PostView, ReviewRow, RunRow,
                        SourceRow, UpsertResult, UserRow)
from index.search.base import SearchDoc
from index.settings import IndexSettings


class Store:
    def __init__(self, engine: sa.Engine) -> None:
        """A store over a database already at the head revision (Store.open makes sure)."""
        self.engine = engine
        self._writer = writer(engine)
        self._clusters = NearDupClusters()

    @classmethod
    def open(cls, settings: IndexSettings) -> Store:
        """Engine from settings (SQLite: parent directory created), schema migrated to head."""
        engine = create_db_engine(settings.database_url)
        upgrade_to_head(engine)
        return cls(engine)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            yield s

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction that takes SQLite's write lock up front; committed on success."""
        with Session(self._writer, expire_on_commit=False) as s, s.begin():
            yield s

    # -- sources and crawl runs ------------------------------------------------------------

    def upsert_source(self, name: str, kind: str, start_url: str, schedule_cron: str | None = None) -> SourceRow:
        with self._write() as s:
            return sources.upsert_source(s, name, kind, start_url, schedule_cron)

    def get_source(self, name: str) -> SourceRow | None:
        with self._read() as s:
            return sources.get_source(s, name)

    def list_sources(self) -> list[SourceRow]:
        with self._read() as s:
            return sources.list_sources(s)

    def start_run(self, source_name: str) -> int:
        with self._write() as s:
            return sources.start_run(s, source_name)

    def finish_run(self, run_id: int, *, status: str, pages_fetched: int, posts_new: int, posts_changed: int,
                   posts_unchanged: int, flagged: int, errors: list[str], stats: dict) -> None:
        with self._write() as s:
            sources.finish_run(s, run_id, status=status, errors=errors, stats=stats, pages_fetched=pages_fetched,
                               posts_new=posts_new, posts_changed=posts_changed, posts_unchanged=posts_unchanged,
                               flagged=flagged)

    def list_runs(self, limit: int = 20) -> list[RunRow]:
        with self._read() as s:
            return sources.list_runs(s, limit)

    # -- ingest ----------------------------------------------------------------------------

    def upsert_posts(self, posts: Sequence[PostIn]) -> UpsertResult:
        """Store a batch of assessed posts in ONE transaction (index.upsert says how)."""
        if not posts:
            return UpsertResult(0, 0, 0, [], [])
        upsert.check_times(posts)
        with self._clusters.writing(), self._write() as s:
            return upsert.upsert_posts(s, posts, self._clusters)

    # -- search-index bookkeeping ----------------------------------------------------------

    def search_docs(self, post_ids: Sequence[int]) -> list[SearchDoc]:
        with self._read() as s:
            return outbox.search_docs(s, post_ids)

    def mark_indexed(self, post_ids: Sequence[int], *, as_of: datetime | None = None) -> int:
        with self._write() as s:
            return outbox.mark_indexed(s, post_ids, as_of)

    def mark_pending(self, post_ids: Sequence[int]) -> int:
        with self._write() as s:
            return outbox.mark_pending(s, post_ids)

    def pending_post_ids(self, limit: int = 1000) -> list[int]:
        with self._read() as s:
            return outbox.pending_post_ids(s, limit)

    def pending_count(self) -> int:
        with self._read() as s:
            return outbox.pending_count(s)

    def all_post_ids(self, batch: int = 1000) -> Iterator[list[int]]:
        return outbox.all_post_ids(self._read, batch)

    # -- review ----------------------------------------------------------------------------

    def queue(self, limit: int = 50, offset: int = 0) -> list[PostRow]:
        with self._read() as s:
            return reviews.queue(s, limit, offset)

    def queue_count(self) -> int:
        with self._read() as s:
            return reviews.queue_count(s)

    def get_post(self, post_id: int) -> PostView | None:
        with self._read() as s:
            return reviews.get_post(s, post_id)

    def record_review(self, post_id: int, username: str, decision: str, note: str) -> ReviewRow:
        """Decision, post status and audit event in one transaction."""
        with self._write() as s:
            return reviews.record_review(s, post_id, username, decision, note)

    def review_labels(self) -> Iterator[LabelRow]:
        with self._read() as s:
            yield from reviews.review_labels(s)

    # -- pivots and networks ---------------------------------------------------------------

    def posts_by_entity(self, kind: str, value: str, limit: int = 100) -> list[PostRow]:
        with self._read() as s:
            return pivots.posts_by_entity(s, kind, value, limit)

    def entity_counts(self, post_id: int) -> list[EntityCount]:
        with self._read() as s:
            return pivots.entity_counts(s, post_id)

    def network(self, post_id: int, max_posts: int = 500) -> Network:
        """Posts linked by shared phone/Zalo/Telegram/bank or near-dup text; unknown post -> ValueError."""
        with self._read() as s:
            return build_network(s, post_id, max_posts)

    # -- accounts and audit ----------------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str) -> UserRow:
        accounts.check_role(role)
        try:
            with self._write() as s:
                return accounts.add_user(s, username, password_hash, role)
        except IntegrityError as exc:
            raise ValueError(f"user {username!r} already exists") from exc

    def get_user(self, username: str) -> UserRow | None:
        with self._read() as s:
            return accounts.get_user(s, username)

    def list_users(self) -> list[UserRow]:
        with self._read() as s:
            return accounts.list_users(s)

    def set_user_active(self, username: str, active: bool) -> UserRow:
        with self._write() as s:
            return accounts.set_user_active(s, username, active)

    def audit(self, username: str | None, action: str, target: str, detail: dict | None = None) -> None:
        with self._write() as s:
            accounts.audit(s, username, action, target, detail)

    def list_audit(self, limit: int = 100) -> list[AuditRow]:
        with self._read() as s:
            return accounts.list_audit(s, limit)

    def audit_count(self) -> int:
        with self._read() as s:
            return accounts.audit_count(s)
