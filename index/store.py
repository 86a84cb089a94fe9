"""The system of record: sources, crawl runs, posts (with versions and assessments per model
version), entities and their pivots, near-duplicate clusters, search-index bookkeeping,
reviews, users, audit.

Every public method is one transaction and returns plain frozen rows (index.rows), so no
session or lazy load leaks to callers. Works on SQLite and PostgreSQL alike; the schema is
Alembic's (index.migrate), brought to head by Store.open.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from index import near_dup
from index.document import PostIn, content_hash
from index.engine import create_db_engine, writer
from index.entity_keys import normalize_entity
from index.migrate import upgrade_to_head
from index.models import (
    INDEX_DONE,
    INDEX_PENDING,
    AuditEvent,
    CrawlRun,
    EntityRow,
    Post,
    PostAssessment,
    PostVersion,
    Review,
    Source,
    User,
    utcnow,
)
from index.network import build_network
from index.rows import (
    LabelRow,
    AuditRow,
    EntityCount,
    Network,
    PostRow,
    PostView,
    ReviewRow,
    RunRow,
    SourceRow,
    UpsertResult,
    UserRow,
)
from index.settings import IndexSettings

if TYPE_CHECKING:
    from index.search.base import SearchDoc

# A reviewer's decision and the post status it leads to.
DECISION_STATUS = {"lure": "confirmed", "not_lure": "dismissed", "escalate": "escalated"}
ROLES = frozenset({"admin", "reviewer", "investigator", "operator"})
QUEUE_STATUS = "new"
# Stay far below every database's bound-parameter limit in IN (...) lists.
_IN_CHUNK = 500
# Entity kinds that go into SearchDoc fields of their own.
_DOC_FIELDS = {
    "phone": "phones",
    "zalo": "zalos",
    "telegram": "telegrams",
    "bank": "banks",
    "destination": "destinations",
}

T = TypeVar("T")


class Store:
    def __init__(self, engine: sa.Engine) -> None:
        """A store over a database already at the head revision (Store.open makes sure)."""
        self.engine = engine
        self._writer = writer(engine)
        # Near-dup LSH, built from stored signatures on the first ingest (index.near_dup).
        self._near_dup: near_dup.NearDupIndex | None = None
        self._near_dup_lock = threading.Lock()

    @classmethod
    def open(cls, settings: IndexSettings) -> "Store":
        """Engine from settings (SQLite: parent directory created), schema migrated to head."""
        engine = create_db_engine(settings.database_url)
        upgrade_to_head(engine)
        return cls(engine)

    def _read(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _write(self) -> Session:
        return Session(self._writer, expire_on_commit=False)

    # -- sources ---------------------------------------------------------------------------

    def upsert_source(
        self, name: str, kind: str, start_url: str, schedule_cron: str | None = None,
        definition: dict | None = None,
    ) -> SourceRow:
        with self._write() as s, s.begin():
            src = s.scalar(sa.select(Source).where(Source.name == name))
            if src is None:
                src = Source(name=name)
                s.add(src)
            src.kind, src.start_url, src.schedule_cron = kind, start_url, schedule_cron
            src.definition = definition
            s.flush()
            return _source_row(src)

    def get_source(self, name: str) -> SourceRow | None:
        with self._read() as s:
            src = s.scalar(sa.select(Source).where(Source.name == name))
            return _source_row(src) if src else None

    def list_sources(self) -> list[SourceRow]:
        with self._read() as s:
            return [_source_row(x) for x in s.scalars(sa.select(Source).order_by(Source.name))]

    # -- crawl runs ------------------------------------------------------------------------

    def start_run(self, source_name: str) -> int:
        """Open a run of a registered source; an unknown source is a wiring bug -> ValueError."""
        with self._write() as s, s.begin():
            source_id = s.scalar(sa.select(Source.id).where(Source.name == source_name))
            if source_id is None:
                raise ValueError(f"unknown source {source_name!r}: upsert_source it first")
            run = CrawlRun(source_id=source_id, status="running", errors=[], stats={})
            s.add(run)
            s.flush()
            return run.id

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        pages_fetched: int,
        posts_new: int,
        posts_changed: int,
        posts_unchanged: int,
        flagged: int,
        errors: list[str],
        stats: dict,
    ) -> None:
        with self._write() as s, s.begin():
            run = s.get(CrawlRun, run_id)
            if run is None:
                raise ValueError(f"unknown crawl run {run_id}")
            run.finished_at = utcnow()
            run.status = status
            run.pages_fetched = pages_fetched
            run.posts_new, run.posts_changed, run.posts_unchanged = (
                posts_new,
                posts_changed,
                posts_unchanged,
            )
            run.flagged = flagged
            run.errors = list(errors)
            run.stats = dict(stats)

    def list_runs(self, limit: int = 20) -> list[RunRow]:
        """Most recent first."""
        with self._read() as s:
            rows = s.execute(
                sa.select(CrawlRun, Source.name)
                .join(Source, Source.id == CrawlRun.source_id)
                .order_by(CrawlRun.id.desc())
                .limit(limit)
            )
            return [_run_row(run, name) for run, name in rows]

    # -- ingest ----------------------------------------------------------------------------

    def upsert_posts(self, posts: Sequence[PostIn]) -> UpsertResult:
        """Store a batch of assessed posts in ONE transaction, deduplicated by canonical_url.

        Same content hash -> "unchanged" (only last_seen / fetched_at move). Other hash ->
        "changed": the previous content and assessment go to post_versions, the post takes the
        new ones, its entities are replaced, its review status is kept. Else -> "new".
        """
        if not posts:
            return UpsertResult(0, 0, 0, [], [])
        for p in posts:
            _require_aware(p.fetched_at, "fetched_at", p.canonical_url)
            if p.posted_at is not None:
                _require_aware(p.posted_at, "posted_at", p.canonical_url)

        with self._near_dup_lock:
            try:
                return self._upsert_posts(posts)
            except BaseException:
                # The in-memory LSH may hold posts of the rolled-back batch: rebuild it next time.
                self._near_dup = None
                raise

    def _upsert_posts(self, posts: Sequence[PostIn]) -> UpsertResult:
        with self._write() as s, s.begin():
            near_dups = self._near_dup_index(s)  # before this batch's posts exist
            by_url: dict[str, Post] = {}
            for chunk in _chunks(list({p.canonical_url for p in posts}), _IN_CHUNK):
                for post in s.scalars(sa.select(Post).where(Post.canonical_url.in_(chunk))):
                    by_url[post.canonical_url] = post

            outcomes: list[str] = []
            # Entities of the latest version of each post touched (new or changed) in this batch.
            final_entities: dict[str, list[dict]] = {}
            # Versions whose entity snapshot must come from the database (loaded in one query).
            versions_from_db: dict[int, list[PostVersion]] = {}
            for p in posts:
                h = content_hash(p.title, p.text)
                post = by_url.get(p.canonical_url)
                if post is None:
                    post = Post(
                        canonical_url=p.canonical_url,
                        first_seen=p.fetched_at,
                        last_seen=p.fetched_at,
                        status=QUEUE_STATUS,
                    )
                    _set_content(post, p, h)
                    s.add(post)
                    by_url[p.canonical_url] = post
                    final_entities[p.canonical_url] = p.entities
                    outcomes.append("new")
                elif post.content_hash == h:
                    post.last_seen = max(post.last_seen, p.fetched_at)
                    post.fetched_at = max(post.fetched_at, p.fetched_at)
                    outcomes.append("unchanged")
                else:
                    if post.id is None:  # same URL twice in the batch, first one still pending
                        s.flush()
                    version = _version_of(post)
                    if p.canonical_url in final_entities:
                        version.entities = [dict(e) for e in final_entities[p.canonical_url]]
                    else:
                        versions_from_db.setdefault(post.id, []).append(version)
                    s.add(version)
                    _set_content(post, p, h)
                    post.last_seen = max(post.last_seen, p.fetched_at)
                    final_entities[p.canonical_url] = p.entities
                    outcomes.append("changed")

            if versions_from_db:
                snapshot = _entities_by_post(s, versions_from_db)
                for post_id, versions in versions_from_db.items():
                    for version in versions:
                        version.entities = snapshot.get(post_id, [])
            s.flush()  # assigns ids to new posts

            touched = [by_url[url].id for url in final_entities]
            _assign_near_dup(near_dups, [by_url[url] for url in final_entities])
            _record_assessments(s, posts, [by_url[p.canonical_url].id for p in posts], outcomes)
            for chunk in _chunks(touched, _IN_CHUNK):
                s.execute(sa.delete(EntityRow).where(EntityRow.post_id.in_(chunk)))
            entity_rows = [
                _entity_values(by_url[url].id, e)
                for url, entities in final_entities.items()
                for e in entities
            ]
            if entity_rows:
                s.execute(sa.insert(EntityRow), entity_rows)

            return UpsertResult(
                new=outcomes.count("new"),
                changed=outcomes.count("changed"),
                unchanged=outcomes.count("unchanged"),
                post_ids=[by_url[p.canonical_url].id for p in posts],
                outcomes=outcomes,
            )

    # -- review ----------------------------------------------------------------------------

    def queue(self, limit: int = 50, offset: int = 0) -> list[PostRow]:
        """Flagged posts nobody has decided yet: highest priority, then highest score first."""
        with self._read() as s:
            posts = list(
                s.scalars(
                    _queue_filter(sa.select(Post))
                    .order_by(Post.priority.desc(), Post.score.desc(), Post.id)
                    .limit(limit)
                    .offset(offset)
                )
            )
            phones = _phones_by_post(s, [p.id for p in posts])
            return [_post_row(p, phones.get(p.id, [])) for p in posts]

    def queue_count(self) -> int:
        with self._read() as s:
            return s.scalar(_queue_filter(sa.select(sa.func.count(Post.id)))) or 0

    def get_post(self, post_id: int) -> PostView | None:
        with self._read() as s:
            post = s.get(Post, post_id)
            if post is None:
                return None
            entities = [
                {"kind": e.kind, "value": e.value, "start": e.span_start, "end": e.span_end, "raw": e.raw}
                for e in s.scalars(
                    sa.select(EntityRow).where(EntityRow.post_id == post_id).order_by(EntityRow.id)
                )
            ]
            reviews = [
                _review_row(r)
                for r in s.scalars(
                    sa.select(Review).where(Review.post_id == post_id).order_by(Review.id)
                )
            ]
            versions = s.scalar(
                sa.select(sa.func.count(PostVersion.id)).where(PostVersion.post_id == post_id)
            )
            base = _post_row(post, _unique(e["value"] for e in entities if e["kind"] == "phone"))
            return PostView(
                **vars(base),
                signals=list(post.signals or []),
                entities=entities,
                reviews=reviews,
                version_count=versions or 0,
            )

    def record_review(self, post_id: int, username: str, decision: str, note: str) -> ReviewRow:
        """Store a decision, move the post's status and audit it, all in one transaction."""
        if decision not in DECISION_STATUS:
            raise ValueError(f"unknown decision {decision!r}; expected one of {sorted(DECISION_STATUS)}")
        with self._write() as s, s.begin():
            post = s.get(Post, post_id)
            if post is None:
                raise ValueError(f"no post {post_id}")
            before, after = post.status, DECISION_STATUS[decision]
            review = Review(post_id=post_id, username=username, decision=decision, note=note or "")
            s.add(review)
            post.status = after
            post.index_state = INDEX_PENDING  # the search document carries the status
            s.flush()
            s.add(
                AuditEvent(
                    username=username,
                    action="review.decision",
                    target=f"post:{post_id}",
                    detail={
                        "review_id": review.id,
                        "decision": decision,
                        "status_before": before,
                        "status_after": after,
                        "note": note or "",
                    },
                )
            )
            s.flush()
            return _review_row(review)

    # -- near duplicates -------------------------------------------------------------------

    def _near_dup_index(self, s: Session) -> near_dup.NearDupIndex:
        """The LSH, built from stored signatures the first time, then caught up by id with
        posts other processes added; posts stored before signatures existed get one now."""
        index = self._near_dup
        if index is None:
            index = near_dup.NearDupIndex()
        stored = (
            sa.select(Post.id, Post.near_dup_sig, Post.near_dup_cluster)
            .where(Post.id > index.max_post_id, Post.near_dup_sig.is_not(None))
            .order_by(Post.id)
            .execution_options(yield_per=2000)
        )
        index.load(s.execute(stored))
        if self._near_dup is None:
            unsigned = list(
                s.scalars(sa.select(Post).where(Post.near_dup_sig.is_(None)).order_by(Post.id))
            )
            for post in unsigned:
                post.near_dup_sig = near_dup.signature(post.title, post.text)
            _assign_near_dup(index, unsigned)
            self._near_dup = index
        return index

    # -- search index bookkeeping ----------------------------------------------------------

    def search_docs(self, post_ids: Sequence[int]) -> list[SearchDoc]:
        """Full search documents of these posts, in the given order; unknown ids are skipped."""
        ids = list(dict.fromkeys(post_ids))
        with self._read() as s:
            posts: dict[int, Post] = {}
            values: dict[int, dict[str, list[str]]] = {}
            for chunk in _chunks(ids, _IN_CHUNK):
                posts.update((p.id, p) for p in s.scalars(sa.select(Post).where(Post.id.in_(chunk))))
                for post_id, kind, value in s.execute(
                    sa.select(EntityRow.post_id, EntityRow.kind, EntityRow.value)
                    .where(EntityRow.post_id.in_(chunk), EntityRow.kind.in_(list(_DOC_FIELDS)))
                    .order_by(EntityRow.id)
                ):
                    field = values.setdefault(post_id, {}).setdefault(_DOC_FIELDS[kind], [])
                    if value not in field:
                        field.append(value)
            return [
                _search_doc(posts[i], values.get(i, {})) for i in ids if i in posts
            ]

    def mark_indexed(self, post_ids: Sequence[int], *, as_of: datetime | None = None) -> int:
        """Record that a backend holds these posts' documents; returns how many were marked.

        With `as_of` (taken before the documents were read), a post changed since then stays
        pending, so a review recorded while indexing is not lost from the index.
        """
        now, marked = utcnow(), 0
        with self._write() as s, s.begin():
            for chunk in _chunks(list(dict.fromkeys(post_ids)), _IN_CHUNK):
                stmt = (
                    sa.update(Post)
                    .where(Post.id.in_(chunk))
                    # Keep updated_at: being indexed is not a change of the post.
                    .values(index_state=INDEX_DONE, indexed_at=now, updated_at=Post.updated_at)
                )
                if as_of is not None:
                    stmt = stmt.where(Post.updated_at <= as_of)
                marked += s.execute(stmt).rowcount or 0
        return marked

    def mark_pending(self, post_ids: Sequence[int]) -> int:
        """Ask for these posts to be indexed again (e.g. a backend lost them)."""
        marked = 0
        with self._write() as s, s.begin():
            for chunk in _chunks(list(dict.fromkeys(post_ids)), _IN_CHUNK):
                marked += s.execute(
                    sa.update(Post).where(Post.id.in_(chunk)).values(index_state=INDEX_PENDING)
                ).rowcount or 0
        return marked

    def pending_post_ids(self, limit: int = 1000) -> list[int]:
        """Oldest pending posts first."""
        with self._read() as s:
            return list(
                s.scalars(
                    sa.select(Post.id)
                    .where(Post.index_state == INDEX_PENDING)
                    .order_by(Post.id)
                    .limit(limit)
                )
            )

    def pending_count(self) -> int:
        with self._read() as s:
            return s.scalar(
                sa.select(sa.func.count(Post.id)).where(Post.index_state == INDEX_PENDING)
            ) or 0

    def all_post_ids(self, batch: int = 1000) -> Iterator[list[int]]:
        """Every post id in ascending batches (keyset pagination: no OFFSET, no long read)."""
        last = 0
        while True:
            with self._read() as s:
                ids = list(
                    s.scalars(sa.select(Post.id).where(Post.id > last).order_by(Post.id).limit(batch))
                )
            if not ids:
                return
            yield ids
            last = ids[-1]

    # -- pivots ----------------------------------------------------------------------------

    def posts_by_entity(self, kind: str, value: str, limit: int = 100) -> list[PostRow]:
        """Posts carrying this entity, most recently seen first; the value is normalised like
        at ingest ("0912 345 678" finds "+84912345678")."""
        key = normalize_entity(kind, value)
        with self._read() as s:
            posts = list(
                s.scalars(
                    sa.select(Post)
                    .where(
                        Post.id.in_(
                            sa.select(EntityRow.post_id).where(
                                EntityRow.kind == kind, EntityRow.value == key
                            )
                        )
                    )
                    .order_by(Post.last_seen.desc(), Post.id.desc())
                    .limit(limit)
                )
            )
            phones = _phones_by_post(s, [p.id for p in posts])
            return [_post_row(p, phones.get(p.id, [])) for p in posts]

    def entity_counts(self, post_id: int) -> list[EntityCount]:
        """Each entity of a post with the number of posts that share it, most shared first."""
        mine = aliased(EntityRow)
        other = aliased(EntityRow)
        n_posts = sa.func.count(sa.distinct(other.post_id))
        with self._read() as s:
            rows = s.execute(
                sa.select(mine.kind, mine.value, n_posts)
                .join(other, sa.and_(other.kind == mine.kind, other.value == mine.value))
                .where(mine.post_id == post_id)
                .group_by(mine.kind, mine.value)
                .order_by(n_posts.desc(), mine.kind, mine.value)
            )
            return [EntityCount(kind, value, int(n)) for kind, value, n in rows]

    def network(self, post_id: int, max_posts: int = 500) -> Network:
        """Posts linked to this one by shared phone/Zalo/Telegram/bank or near-dup text,
        breadth-first, at most `max_posts`; unknown post -> ValueError."""
        with self._read() as s:
            return build_network(s, post_id, max_posts)

    # -- users -----------------------------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str) -> UserRow:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLES)}")
        try:
            with self._write() as s, s.begin():
                user = User(username=username, password_hash=password_hash, role=role, active=True)
                s.add(user)
                s.flush()
                return _user_row(user)
        except IntegrityError as exc:
            raise ValueError(f"user {username!r} already exists") from exc

    def get_user(self, username: str) -> UserRow | None:
        with self._read() as s:
            user = s.scalar(sa.select(User).where(User.username == username))
            return _user_row(user) if user else None

    def list_users(self) -> list[UserRow]:
        with self._read() as s:
            return [_user_row(u) for u in s.scalars(sa.select(User).order_by(User.username))]

    def set_user_active(self, username: str, active: bool) -> UserRow:
        """Disable or re-enable an account (users are never deleted: the audit names them)."""
        with self._write() as s, s.begin():
            user = s.scalar(sa.select(User).where(User.username == username))
            if user is None:
                raise ValueError(f"no user {username!r}")
            user.active = bool(active)
            s.flush()
            return _user_row(user)

    # -- audit -----------------------------------------------------------------------------

    def audit(
        self, username: str | None, action: str, target: str, detail: dict | None = None
    ) -> None:
        with self._write() as s, s.begin():
            s.add(AuditEvent(username=username, action=action, target=target, detail=dict(detail or {})))

    def list_audit(self, limit: int = 100) -> list[AuditRow]:
        """Most recent first."""
        with self._read() as s:
            events = s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
            return [
                AuditRow(id=e.id, at=e.at, username=e.username, action=e.action, target=e.target,
                         detail=dict(e.detail or {}))
                for e in events
            ]

    def audit_count(self) -> int:
        with self._read() as s:
            return s.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0

    # -- training labels -------------------------------------------------------------------

    def review_labels(self) -> Iterator[LabelRow]:
        """The latest lure / not-a-lure decision of every reviewed post, for retraining.

        Escalations are not labels: a post whose latest decision is "escalate" is left out.
        """
        latest = (
            sa.select(Review.post_id, sa.func.max(Review.id).label("review_id"))
            .group_by(Review.post_id)
            .subquery()
        )
        stmt = (
            sa.select(Post.id, Post.source, Post.url, Post.title, Post.text, Review.decision,
                      Review.username, Review.created_at)
            .join(latest, latest.c.post_id == Post.id)
            .join(Review, Review.id == latest.c.review_id)
            .where(Review.decision.in_(["lure", "not_lure"]))
            .order_by(Post.id)
        )
        with self._read() as s:
            for row in s.execute(stmt):
                yield LabelRow(
                    post_id=row.id, source=row.source, url=row.url, title=row.title, text=row.text,
                    label="lure" if row.decision == "lure" else "legit",
                    reviewer=row.username, decided_at=row.created_at,
                )


# -- helpers (pure or session-scoped) ---------------------------------------------------------


def _require_aware(value: datetime, field: str, url: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{field} of {url} must be a timezone-aware datetime, got {value!r}")


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _queue_filter(stmt: sa.Select) -> sa.Select:
    return stmt.where(Post.is_lure == sa.true(), Post.status == QUEUE_STATUS)


def _set_content(post: Post, p: PostIn, digest: str) -> None:
    post.source = p.source
    post.url = p.url
    post.title = p.title
    post.text = p.text
    post.content_hash = digest
    post.posted_at = p.posted_at
    post.fetched_at = p.fetched_at
    post.raw_sha256 = p.raw_sha256
    post.score = float(p.score)
    post.is_lure = bool(p.is_lure)
    post.threshold = float(p.threshold)
    post.model_version = p.model_version
    post.signals = [dict(x) for x in p.signals]
    post.categories = list(p.categories)
    post.minor_risk = bool(p.minor_risk)
    post.priority = int(p.priority)
    post.near_dup_sig = near_dup.signature(p.title, p.text)
    post.index_state = INDEX_PENDING  # new content: the search document must follow


def _version_of(post: Post) -> PostVersion:
    """The post's current content and assessment, frozen before it is replaced."""
    return PostVersion(
        post_id=post.id,
        title=post.title,
        text=post.text,
        content_hash=post.content_hash,
        raw_sha256=post.raw_sha256,
        fetched_at=post.fetched_at,
        score=post.score,
        is_lure=post.is_lure,
        threshold=post.threshold,
        model_version=post.model_version,
        signals=list(post.signals or []),
        entities=[],
        categories=list(post.categories or []),
        minor_risk=post.minor_risk,
        priority=post.priority,
    )


def _assign_near_dup(index: near_dup.NearDupIndex, posts: list[Post]) -> None:
    """Cluster of each post (ids assigned, signatures set), in order, so posts of one batch
    cluster with each other too. Caller holds the store's near-dup lock."""
    for post in posts:
        index.remove(post.id)
        if post.near_dup_sig is None:
            post.near_dup_cluster = None
            continue
        post.near_dup_cluster = index.cluster_for(post.id, post.near_dup_sig)
        index.add(post.id, post.near_dup_sig, post.near_dup_cluster)


def _record_assessments(
    s: Session, posts: Sequence[PostIn], post_ids: list[int], outcomes: list[str]
) -> None:
    """One row per (post, model version): new and changed content overwrites it, an unchanged
    post only fills a missing one (same content, same model: same opinion)."""
    latest: dict[tuple[int, str], tuple[PostIn, str]] = {}
    for p, post_id, outcome in zip(posts, post_ids, outcomes):
        key = (post_id, p.model_version)
        if outcome != "unchanged" or key not in latest:
            latest[key] = (p, outcome)
    existing: dict[tuple[int, str], PostAssessment] = {}
    for chunk in _chunks(list(dict.fromkeys(post_ids)), _IN_CHUNK):
        for a in s.scalars(sa.select(PostAssessment).where(PostAssessment.post_id.in_(chunk))):
            existing[(a.post_id, a.model_version)] = a
    for (post_id, model_version), (p, outcome) in latest.items():
        row = existing.get((post_id, model_version))
        if row is None:
            row = PostAssessment(post_id=post_id, model_version=model_version)
            s.add(row)
        elif outcome == "unchanged":
            continue
        row.score, row.is_lure, row.threshold = float(p.score), bool(p.is_lure), float(p.threshold)
        row.categories = list(p.categories)
        row.signals = [dict(x) for x in p.signals]
        row.minor_risk, row.priority = bool(p.minor_risk), int(p.priority)
        row.created_at = utcnow()


def _search_doc(p: Post, values: dict[str, list[str]]) -> SearchDoc:
    # Imported here: index.search imports the models and its backends; the store must not
    # depend on the search package being importable to store posts.
    from index.search.base import SearchDoc

    return SearchDoc(
        post_id=p.id,
        title=p.title,
        text=p.text,
        source=p.source,
        score=p.score,
        url=p.url,
        is_lure=p.is_lure,
        status=p.status,
        categories=tuple(p.categories or ()),
        destinations=tuple(values.get("destinations", ())),
        minor_risk=p.minor_risk,
        priority=p.priority,
        phones=tuple(values.get("phones", ())),
        zalos=tuple(values.get("zalos", ())),
        telegrams=tuple(values.get("telegrams", ())),
        banks=tuple(values.get("banks", ())),
        first_seen=p.first_seen,
        posted_at=p.posted_at,
        model_version=p.model_version,
    )


def _entity_values(post_id: int, e: dict) -> dict:
    return {
        "post_id": post_id,
        "kind": e["kind"],
        "value": normalize_entity(e["kind"], e["value"]),
        "span_start": int(e.get("start", 0)),
        "span_end": int(e.get("end", 0)),
        "raw": e.get("raw", e["value"]),
    }


def _entities_by_post(s: Session, post_ids: Iterable[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for chunk in _chunks(list(post_ids), _IN_CHUNK):
        for e in s.scalars(
            sa.select(EntityRow).where(EntityRow.post_id.in_(chunk)).order_by(EntityRow.id)
        ):
            out.setdefault(e.post_id, []).append(
                {"kind": e.kind, "value": e.value, "start": e.span_start, "end": e.span_end, "raw": e.raw}
            )
    return out


def _phones_by_post(s: Session, post_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk in _chunks(post_ids, _IN_CHUNK):
        rows = s.execute(
            sa.select(EntityRow.post_id, EntityRow.value)
            .where(EntityRow.kind == "phone", EntityRow.post_id.in_(chunk))
            .order_by(EntityRow.id)
        )
        for post_id, value in rows:
            phones = out.setdefault(post_id, [])
            if value not in phones:
                phones.append(value)
    return out


def _post_row(p: Post, phones: list[str]) -> PostRow:
    return PostRow(
        id=p.id,
        source=p.source,
        url=p.url,
        canonical_url=p.canonical_url,
        title=p.title,
        text=p.text,
        content_hash=p.content_hash,
        posted_at=p.posted_at,
        fetched_at=p.fetched_at,
        first_seen=p.first_seen,
        last_seen=p.last_seen,
        raw_sha256=p.raw_sha256,
        score=p.score,
        is_lure=p.is_lure,
        threshold=p.threshold,
        model_version=p.model_version,
        categories=list(p.categories or []),
        minor_risk=p.minor_risk,
        priority=p.priority,
        status=p.status,
        phones=phones,
    )


def _source_row(x: Source) -> SourceRow:
    return SourceRow(
        id=x.id,
        name=x.name,
        kind=x.kind,
        start_url=x.start_url,
        schedule_cron=x.schedule_cron,
        created_at=x.created_at,
        updated_at=x.updated_at,
        definition=x.definition,
    )


def _run_row(r: CrawlRun, source_name: str) -> RunRow:
    return RunRow(
        id=r.id,
        source=source_name,
        started_at=r.started_at,
        finished_at=r.finished_at,
        status=r.status,
        pages_fetched=r.pages_fetched,
        posts_new=r.posts_new,
        posts_changed=r.posts_changed,
        posts_unchanged=r.posts_unchanged,
        flagged=r.flagged,
        errors=list(r.errors or []),
        stats=dict(r.stats or {}),
    )


def _review_row(r: Review) -> ReviewRow:
    return ReviewRow(
        id=r.id, post_id=r.post_id, username=r.username, decision=r.decision, note=r.note,
        created_at=r.created_at,
    )


def _user_row(u: User) -> UserRow:
    return UserRow(
        id=u.id, username=u.username, password_hash=u.password_hash, role=u.role,
        active=u.active, created_at=u.created_at,
    )
