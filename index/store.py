"""The system of record, behind one facade. Each method is one transaction around a function of
the module that does that job, and returns plain frozen rows (index.rows), so no session or lazy
load leaks out:

- sources: index.sources; crawl runs (heartbeats, crashed runs, no overlap): index.runs
- operations: alerts told (index.alerts), what the alert rules read (index.alert_queries),
  the watchlist (index.watchlist), rescoring after a model change (index.rescore)
- ingest (dedup by canonical URL, versions, assessments per model version): index.upsert, with
  the near-duplicate clusters of index.clusters
- search-index bookkeeping (the pending outbox): index.outbox
- review: the queue's tabs index.queue, claims index.claims, decisions and the referral /
  reopening workflow index.decisions, one post index.reviews, its page in bounded pieces
  index.post_page, training labels index.reviews
- pivots and networks: index.pivots, index.network
- investigators' cases and saved searches: index.cases, index.saved_searches
- the managers' dashboard: index.dashboard
- accounts and audit: index.accounts, the audit page's reads index.audit_log; login sessions:
  index.sessions; login throttling: index.throttle

Works on SQLite and PostgreSQL alike; the schema is Alembic's (index.migrate), brought to head
by Store.open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from contextlib import AbstractContextManager, contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from index import (
    accounts, alert_queries, alerts, audit_log, cases, claims, decisions, outbox, pivots, rescore, reviews, runs,
    saved_searches, sessions, sources, throttle, upsert, watchlist,
)
from index import dashboard as dashboards
from index import post_page as post_pages
from index import queue as queue_tabs
from index.clusters import NearDupClusters
from index.document import PostIn
from index.engine import create_db_engine, writer
from index.migrate import upgrade_to_head
from index.network import build_network
from index.rows import AuditRow, LabelRow, UpsertResult, UserRow, WatchRow
from index.sessions import LiveSession, SessionLimits, session_state
from index.settings import IndexSettings

P = ParamSpec("P")
T = TypeVar("T")


def _in_session(open_session: Callable[[Store], AbstractContextManager[Session]]):  # type: ignore[no-untyped-def]
    """Turns a job function (its first argument a session) into a Store method that runs it in
    the session `open_session` gives."""

    def bind(job: Callable[Concatenate[Session, P], T]) -> Callable[Concatenate[Store, P], T]:
        @wraps(job)
        def method(self: Store, *args: P.args, **kwargs: P.kwargs) -> T:
            with open_session(self) as s:
                return job(s, *args, **kwargs)

        return method

    return bind


_reading = _in_session(lambda store: store._read())  # a read-only session of its own
_writing = _in_session(lambda store: store._write())  # one write transaction, committed on return


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

    upsert_source = _writing(sources.upsert_source)
    remove_source = _writing(sources.remove_source)
    source_history = _reading(sources.source_history)
    raw_hashes = _reading(sources.raw_hashes)
    get_source = _reading(sources.get_source)
    list_sources = _reading(sources.list_sources)
    set_paused = _writing(sources.set_paused)
    start_run = _writing(runs.start_run)
    heartbeat = _writing(runs.heartbeat)
    finish_run = _writing(runs.finish_run)
    mark_crashed = _writing(runs.mark_crashed)
    list_runs = _reading(runs.list_runs)
    get_run = _reading(runs.get_run)

    # -- ingest ----------------------------------------------------------------------------

    def upsert_posts(self, posts: Sequence[PostIn]) -> UpsertResult:
        """Store a batch of assessed posts in ONE transaction (index.upsert says how)."""
        if not posts:
            return UpsertResult(0, 0, 0, [], [])
        upsert.check_times(posts)
        with self._clusters.writing(), self._write() as s:
            return upsert.upsert_posts(s, posts, self._clusters)

    # -- search-index bookkeeping ----------------------------------------------------------

    search_docs = _reading(outbox.search_docs)
    mark_indexed = _writing(outbox.mark_indexed)
    mark_pending = _writing(outbox.mark_pending)
    pending_post_ids = _reading(outbox.pending_post_ids)
    pending_count = _reading(outbox.pending_count)

    def all_post_ids(self, batch: int = 1000) -> Iterator[list[int]]:
        return outbox.all_post_ids(self._read, batch)

    # -- review ----------------------------------------------------------------------------

    queue = _reading(queue_tabs.queue)
    queue_count = _reading(queue_tabs.queue_count)
    queue_page = _reading(queue_tabs.queue_page)
    queue_options = _reading(queue_tabs.queue_options)
    queue_tab_counts = _reading(queue_tabs.tab_counts)
    queue_group = _reading(queue_tabs.group_members)
    queue_matching = _reading(queue_tabs.matching_ids)
    queue_matching_count = _reading(queue_tabs.count_matching)
    get_post = _reading(reviews.get_post)
    post_page = _reading(post_pages.post_page)
    post_text = _reading(post_pages.full_text)
    post_version_pair = _reading(post_pages.version_pair)
    related_posts = _reading(post_pages.related_posts)
    entity_post_counts = _reading(post_pages.entity_post_counts)
    claim = _writing(claims.claim)
    release_claims = _writing(claims.release)
    live_claims = _reading(claims.live_claims)
    record_review = _writing(reviews.record_review)
    decide = _writing(decisions.decide)
    confirm_referral = _writing(decisions.confirm_referral)
    decline_referral = _writing(decisions.decline_referral)
    reopen = _writing(decisions.reopen)

    def review_labels(self) -> Iterator[LabelRow]:
        with self._read() as s:
            yield from reviews.review_labels(s)

    # -- pivots and networks ---------------------------------------------------------------

    posts_by_entity = _reading(pivots.posts_by_entity)
    entity_post_ids = _reading(pivots.entity_post_ids)
    entity_summary = _reading(pivots.entity_summary)
    entity_counts = _reading(pivots.entity_counts)
    co_entities = _reading(pivots.co_entities)
    posts_by_ids = _reading(pivots.posts_by_ids)
    posts_with_contacts = _reading(pivots.posts_with_contacts)
    network = _reading(build_network)

    # -- cases and saved searches (each change audited in its transaction) ------------------

    create_case = _writing(cases.create_case)
    list_cases = _reading(cases.list_cases)
    get_case = _reading(cases.get_case)
    add_case_posts = _writing(cases.add_posts)
    remove_case_post = _writing(cases.remove_post)
    add_case_note = _writing(cases.add_note)
    set_case_status = _writing(cases.set_case_status)
    case_dossier = _reading(cases.case_dossier)
    save_search = _writing(saved_searches.save_search)
    list_saved_searches = _reading(saved_searches.list_saved_searches)
    delete_saved_search = _writing(saved_searches.delete_saved_search)

    # -- operations: rescoring, alerts, the watchlist ----------------------------------------

    posts_to_rescore = _reading(rescore.posts_to_rescore)
    count_to_rescore = _reading(rescore.count_to_rescore)
    apply_assessments = _writing(rescore.apply_assessments)
    posts_since = _reading(alert_queries.posts_since)
    contact_growth = _reading(alert_queries.contact_growth)
    cluster_growth = _reading(alert_queries.cluster_growth)
    sent_keys = _reading(alerts.sent_keys)
    finish_alert = _writing(alerts.finish_alert)

    def claim_alert(self, **alert) -> bool:  # type: ignore[no-untyped-def]
        """alerts.claim_alert; False too when another process inserted the same claim first."""
        try:
            with self._write() as s:
                return alerts.claim_alert(s, **alert)
        except IntegrityError:
            return False

    list_alerts = _reading(alerts.list_alerts)
    alert_count = _reading(alerts.alert_count)
    get_state = _reading(alerts.get_state)
    set_state = _writing(alerts.set_state)

    def add_watch(self, kind: str, value: str, note: str = "", added_by: str | None = None) -> WatchRow:
        try:
            with self._write() as s:
                return watchlist.add_watch(s, kind, value, note, added_by)
        except IntegrityError as exc:
            raise watchlist.WatchError("already_listed", f"{kind} {value!r} is already on the watchlist") from exc

    get_watch = _reading(watchlist.get_watch)
    list_watch = _reading(watchlist.list_watch)
    remove_watch = _writing(watchlist.remove_watch)
    watch_hits = _reading(watchlist.watch_hits)

    # -- accounts and audit ----------------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str,
                 actor: accounts.Actor | None = None) -> UserRow:
        try:
            with self._write() as s:
                return accounts.add_user(s, username, password_hash, role, actor)
        except IntegrityError as exc:
            raise ValueError(f"user {username!r} already exists") from exc

    get_user = _reading(accounts.get_user)
    list_users = _reading(accounts.list_users)
    set_user_active = _writing(accounts.set_user_active)
    set_role = _writing(accounts.set_role)
    set_password = _writing(accounts.set_password)
    rehash_password = _writing(accounts.rehash_password)
    enable_totp = _writing(accounts.enable_totp)
    reset_totp = _writing(accounts.reset_totp)
    accept_totp_step = _writing(accounts.accept_totp_step)
    audit = _writing(accounts.audit)
    list_audit = _reading(accounts.list_audit)
    audit_count = _reading(accounts.audit_count)
    audit_page = _reading(audit_log.audit_page)
    audit_actions = _reading(audit_log.audit_actions)

    def audit_rows(self, f: audit_log.AuditFilter, limit: int) -> list[AuditRow]:
        """Every event `f` matches (at most `limit`), newest first, in one read transaction."""
        with self._read() as s:
            return list(audit_log.audit_rows(s, f, limit))

    # -- the managers' dashboard -----------------------------------------------------------

    dashboard = _reading(dashboards.dashboard)

    # -- login sessions --------------------------------------------------------------------

    create_session = _writing(sessions.create_session)
    delete_session = _writing(sessions.delete_session)
    list_sessions = _reading(sessions.list_sessions)
    revoke_session = _writing(sessions.revoke_session)
    revoke_user_sessions = _writing(sessions.revoke_user_sessions)
    set_totp_pending = _writing(sessions.set_totp_pending)
    purge_sessions = _writing(sessions.purge_sessions)

    def resolve_session(self, token_digest: str, now: datetime, limits: SessionLimits) -> LiveSession | None:
        """The live session of a cookie token's hash, or None (and the row deleted) when it
        is unknown, timed out or its user disabled. Reads only, unless last_seen is due."""
        with self._read() as s:
            live = sessions.find_session(s, token_digest)
        if live is None:
            return None
        state = session_state(live.session, live.user.active, now, limits)
        if state in ("ok", "touch"):
            if state == "touch":
                with self._write() as s:
                    sessions.touch_session(s, live.session.id, now)
            return live
        with self._write() as s:
            sessions.delete_session(s, token_digest)
        return None

    # -- login throttling ------------------------------------------------------------------

    reserve_login_attempt = _writing(throttle.reserve_attempt)
    end_login_attempt = _writing(throttle.end_attempt)
    unlock_login = _writing(throttle.unlock)
    list_login_throttles = _reading(throttle.list_throttles)
    purge_login_throttles = _writing(throttle.purge_throttles)
