"""ORM tables of the system of record. Portable: runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


INDEX_PENDING = "pending"
INDEX_DONE = "indexed"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every database.

    SQLite has no time zones: values are stored as naive UTC and get their tzinfo back on
    load. Naive input is refused because its zone (UTC? Asia/Ho_Chi_Minh?) is a guess.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class AssessmentColumns:
    """What one model version said about one content of a post (index.document.PostIn carries
    the same names): the current one on posts, one per model version in assessments, the
    superseded one in post_versions."""

    score: Mapped[float]
    is_lure: Mapped[bool]
    threshold: Mapped[float]
    model_version: Mapped[str] = mapped_column(sa.String(200))
    signals: Mapped[list] = mapped_column(sa.JSON, default=list)  # SignalIn.to_json() dicts
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    minor_risk: Mapped[bool] = mapped_column(default=False)
    priority: Mapped[int] = mapped_column(default=0)
    minor_cues: Mapped[list] = mapped_column(sa.JSON, default=list)  # SignalIn.to_json() dicts

    def fill_assessment(self, source: object) -> None:
        """Copy the assessment of `source` (a PostIn or another row): the one place that does."""
        for name in ASSESSMENT_COLUMNS:
            setattr(self, name, _stored(getattr(source, name)))


ASSESSMENT_COLUMNS = tuple(AssessmentColumns.__annotations__)


def _stored(value: object) -> object:
    """JSON-ready: tuples become lists, typed items (SignalIn) their dicts, dicts are copied."""
    if isinstance(value, (list, tuple)):
        return [x.to_json() if hasattr(x, "to_json") else dict(x) if isinstance(x, dict) else x for x in value]
    return value


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(100))
    start_url: Mapped[str] = mapped_column(sa.Text)
    schedule_cron: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # crawlers.source.SourceDefinition as JSON (politeness, allowed domains, selectors, ...)
    definition: Mapped[dict | None] = mapped_column(sa.JSON)
    # Paused here, paused in Prefect: the store is the source of truth (flows.deployments).
    paused: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    version: Mapped[int] = mapped_column(default=1, server_default="1")  # its row in source_versions


class SourceVersion(Base):
    """Every definition a source had: added, edited, imported or removed (the last one kept)."""

    __tablename__ = "source_versions"
    __table_args__ = (sa.UniqueConstraint("source_name", "version", name="uq_source_versions_name_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(sa.String(200))  # not a key: the history outlives a removal
    version: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(20))  # add | edit | import | remove
    definition: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(50), default="running")
    pages_fetched: Mapped[int] = mapped_column(default=0)
    posts_new: Mapped[int] = mapped_column(default=0)
    posts_changed: Mapped[int] = mapped_column(default=0)
    posts_unchanged: Mapped[int] = mapped_column(default=0)
    flagged: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)
    stats: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # A running run's process writes this every few seconds; a run whose heartbeat stopped is
    # marked "crashed" (index.runs.mark_crashed).
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flow_run_id: Mapped[str | None] = mapped_column(sa.String(64))
    worker: Mapped[str | None] = mapped_column(sa.String(200))  # host:pid, or LUREWATCH_WORKER_NAME


class Post(AssessmentColumns, Base):
    __tablename__ = "posts"
    __table_args__ = (
        # The review queue's tabs (index.queue): every column they filter, order and group on, so
        # a tab is read from this index alone, never from the rows with their long texts; in the
        # queue's order (minor risk, priority, score), so a page walks it and stops.
        sa.Index("ix_posts_queue", "status", "minor_risk", "priority", "score", "is_lure", "threshold",
                 "network_size", "first_seen", "near_dup_cluster", "source"),
        # The dashboard's window of weeks (index.dashboard): a range of first_seen, read from this
        # index alone (the posts' rows are long).
        sa.Index("ix_posts_dashboard", "first_seen", "status", "is_lure", "minor_risk", "model_version", "source"),
        # The catch-up indexer pages through pending posts by id.
        sa.Index("ix_posts_index_state", "index_state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(200), index=True)
    url: Mapped[str] = mapped_column(sa.Text)
    canonical_url: Mapped[str] = mapped_column(sa.Text, unique=True)
    title: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    raw_sha256: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(50), default="new")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # "pending" until a search backend holds the post's current document (index.store docs).
    index_state: Mapped[str] = mapped_column(
        sa.String(20), default=INDEX_PENDING, server_default=INDEX_PENDING
    )
    indexed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # MinHash of the folded text (index.near_dup) and the near-duplicate cluster it joined:
    # the id of the oldest post of that cluster.
    near_dup_sig: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    near_dup_cluster: Mapped[int | None] = mapped_column(index=True)
    # Revision of the writing transaction that last set sig or cluster (index.clusters): other
    # processes catch up with every change after the revision they hold.
    near_dup_rev: Mapped[int | None] = mapped_column(index=True)
    # What the page parser read besides the content (index.document.PostIn).
    author: Mapped[str | None] = mapped_column(sa.Text)
    external_id: Mapped[str | None] = mapped_column(sa.Text)
    fields_from: Mapped[dict | None] = mapped_column(sa.JSON)  # field -> extraction layer
    # Posts (this one included) that share a phone/Zalo/Telegram/bank with it, kept at ingest
    # (index.network_size): one of the review queue's ordering keys.
    network_size: Mapped[int] = mapped_column(default=1, server_default="1")


class PostAssessment(AssessmentColumns, Base):
    """What one model version said about a post (rescoring keeps the older opinions)."""

    __tablename__ = "assessments"
    __table_args__ = (
        sa.UniqueConstraint("post_id", "model_version", name="uq_assessments_post_model"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostVersion(AssessmentColumns, Base):
    """A superseded content of a post, with the assessment it had (evidence of what was seen)."""

    __tablename__ = "post_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    raw_sha256: Mapped[str] = mapped_column(sa.String(64))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entities: Mapped[list] = mapped_column(sa.JSON, default=list)  # EntityIn.to_json() dicts
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EntityRow(Base):
    """Phones, Zalo, Telegram... of the current version of a post: the investigators' pivot."""

    __tablename__ = "entities"
    __table_args__ = (sa.Index("ix_entities_kind_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(50))
    value: Mapped[str] = mapped_column(sa.String(500))
    # "start"/"end" are SQL keywords; keep the column names plain.
    span_start: Mapped[int]
    span_end: Mapped[int]
    raw: Mapped[str] = mapped_column(sa.Text)


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(sa.String(200), index=True)
    decision: Mapped[str] = mapped_column(sa.String(50))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A code of index.decisions.REASONS for the decision ("" before reasons existed).
    reason: Mapped[str] = mapped_column(sa.String(50), default="", server_default="")
    # Made on a post whose score was near its threshold: such labels go first into retraining.
    uncertain: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class Claim(Base):
    """A reviewer working on a post until `expires_at`: nobody else decides it meanwhile."""

    __tablename__ = "claims"

    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(200), index=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.String(50))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Second factor (RFC 6238, base32). The last accepted time step refuses a replayed code.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None]


class UserSession(Base):
    """A login on the server side: the cookie holds a random token, this row only its sha256, so
    a copy of the database cannot be replayed as a cookie. Deleting the row logs out."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "full", or "totp" while the password was right but the second factor is still due.
    stage: Mapped[str] = mapped_column(sa.String(20), default="full")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    # A TOTP secret shown for enrolment, kept here until the user confirms it with a code.
    totp_pending: Mapped[str | None] = mapped_column(sa.String(64))


class LoginThrottle(Base):
    """Failed logins per key ("account:NAME" or "address:IP"): back-off, then a temporary lock."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """Append-only: the database refuses UPDATE and DELETE (migration 0032's triggers)."""

    __tablename__ = "audit_events"
    # The audit page's action filter, newest first (index.audit_log).
    __table_args__ = (sa.Index("ix_audit_events_action_id", "action", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    username: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    action: Mapped[str] = mapped_column(sa.String(100))
    target: Mapped[str] = mapped_column(sa.Text)
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class Case(Base):
    """An investigation: posts grouped by an investigator, with notes and a status."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(20), default="open", index=True)  # index.cases.CASE_STATUSES
    created_by: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CasePost(Base):
    __tablename__ = "case_posts"
    __table_args__ = (sa.UniqueConstraint("case_id", "post_id", name="uq_case_posts_case_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    # A post in a case is evidence: it cannot be deleted from the store while a case holds it.
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="RESTRICT"), index=True)
    added_by: Mapped[str] = mapped_column(sa.String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseNote(Base):
    """Append-only: a note is never edited or deleted (a correction is another note)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SavedSearch(Base):
    """A user's named query of the search language (names are unique per user)."""

    __tablename__ = "saved_searches"
    __table_args__ = (sa.UniqueConstraint("username", "name", name="uq_saved_searches_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(200))
    name: Mapped[str] = mapped_column(sa.String(200))
    query: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
class Alert(Base):
    """One alert told to one recipient over one channel: who was told what, and when.

    `key` names what the alert is about (rule and post, watch-listed value and post, network
    and day, source and run): one key reaches each recipient once (de-duplication)."""

    __tablename__ = "alerts"
    __table_args__ = (sa.UniqueConstraint("key", "channel", "recipient", name="uq_alerts_key_channel_recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(500))
    rule: Mapped[str] = mapped_column(sa.String(50), index=True)
    channel: Mapped[str] = mapped_column(sa.String(20))  # webhook | email
    recipient: Mapped[str] = mapped_column(sa.String(500))
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("posts.id", ondelete="SET NULL"))
    source: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.Text)
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(20))  # sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    digest_id: Mapped[str | None] = mapped_column(sa.String(64))  # alerts sent in one message
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class WatchEntry(Base):
    """A phone, Zalo, Telegram handle, bank account or e-wallet to alert on when seen again."""

    __tablename__ = "watchlist"
    __table_args__ = (sa.UniqueConstraint("kind", "value", name="uq_watchlist_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(50))
    value: Mapped[str] = mapped_column(sa.String(500))  # index.entity_keys.normalize_entity
    note: Mapped[str] = mapped_column(sa.Text, default="")
    added_by: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OpState(Base):
    """Small named values of the operations jobs (the alert rules' cursor)."""

    __tablename__ = "op_state"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
