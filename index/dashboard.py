"""The managers' dashboard, on the province's goals for reports: receive and classify every post
(100%), resolve more than 90% of those that need a decision.

The terms, in one place (the page shows them from DEFINITIONS):
- received: posts first seen in the week (posts.first_seen);
- classified: received posts that carry a model's score (a model_version);
- to review: classified as a lure, or naming a child's age (minor risk): the posts the queue holds
  until someone decides them;
- triaged: posts to review with at least one decision recorded (a review row);
- resolved: posts to review with a final decision: lure (confirmed), not a lure (dismissed), or a
  referral confirmed by a second reviewer (escalated);
- pending: posts to review not resolved yet (new, needs more information, referral waiting), at
  any date: the queue's age and the minor-risk posts waiting are read from them.

Per category, the chart counts the posts to review (the classifier names categories for those).

Every number comes from a few aggregate queries: per week and per source over a window of weeks
(posts first seen since the first week's start: ranges of ix_posts_dashboard, which covers them),
over the posts to review of that window grouped by their list of categories, and over the open
posts (ranges of the queue index). Nothing loads a post; the cost follows the window's posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import json
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.decisions import FINAL_STATUSES, NEEDS_INFO, NEW, REFERRAL_PENDING
from index.models import Post, Review

TERMS = ("received", "classified", "to_review", "triaged", "resolved", "pending")
CLASSIFY_TARGET = 1.0  # receive and classify 100%
RESOLVE_TARGET = 0.9  # resolve more than 90%
PENDING_STATUSES = (NEW, NEEDS_INFO, REFERRAL_PENDING)
MAX_WEEKS = 12  # the province reports on the last 8 to 12 weeks; the cost follows the window
MAX_SOURCES = 20  # the chart's bars; the rest are counted as one "other" figure
MAX_CATEGORY_LISTS = 5000  # distinct lists of categories read (a classifier gives a handful)


@dataclass(frozen=True)
class Counts:
    received: int = 0
    classified: int = 0
    to_review: int = 0
    triaged: int = 0
    resolved: int = 0

    @property
    def share_classified(self) -> float | None:
        return self.classified / self.received if self.received else None

    @property
    def share_resolved(self) -> float | None:
        return self.resolved / self.to_review if self.to_review else None


@dataclass(frozen=True)
class Week:
    start: datetime  # aware, midnight on the Monday in the dashboard's time zone
    counts: Counts


@dataclass(frozen=True)
class Waiting:
    pending: int
    minor: int  # pending posts with minor risk
    oldest: datetime | None  # first_seen of the longest-waiting pending post
    median: datetime | None  # first_seen of the median pending post


@dataclass(frozen=True)
class Dashboard:
    since: datetime
    weeks: list[Week]
    totals: Counts  # the window's weeks together
    waiting: Waiting
    by_source: list[tuple[str, Counts]]  # the window, largest sources first
    other_sources: Counts  # the sources beyond MAX_SOURCES, together
    by_category: list[tuple[str, Counts]]  # the window, in the order asked


def week_starts(now: datetime, weeks: int, tz: tzinfo) -> list[datetime]:
    """Mondays 00:00 (in `tz`) of the last `weeks` weeks, oldest first; the last holds `now`."""
    local = now.astimezone(tz)
    monday = datetime(local.year, local.month, local.day, tzinfo=tz) - timedelta(days=local.weekday())
    return [monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def _to_review() -> sa.ColumnElement[bool]:
    return sa.or_(Post.is_lure == sa.true(), Post.minor_risk == sa.true())


def _flag(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)


@cache
def _count_columns() -> tuple[sa.ColumnElement[int], ...]:
    """received, classified, to review, triaged, resolved: one aggregate each (built once: building
    the expressions cost more than a small window's query)."""
    classified = sa.and_(Post.model_version.is_not(None), Post.model_version != "")
    # Non-correlated: the database reads the decided posts once, not once per post.
    decided = Post.id.in_(sa.select(Review.post_id))
    return (
        sa.func.count(), _flag(classified), _flag(_to_review()), _flag(sa.and_(_to_review(), decided)),
        _flag(sa.and_(_to_review(), Post.status.in_(FINAL_STATUSES))),
    )


def _counts(row: Sequence[int]) -> Counts:
    return Counts(*(int(v or 0) for v in row))


def _plus(a: Counts, b: Counts) -> Counts:
    return Counts(*(getattr(a, t) + getattr(b, t) for t in TERMS[:5]))


def dashboard(s: Session, now: datetime, weeks: int, tz: tzinfo, categories: Sequence[str]) -> Dashboard:
    """The dashboard of the last `weeks` weeks (1 to MAX_WEEKS) up to `now`."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be 1 to {MAX_WEEKS}, not {weeks}")
    starts = week_starts(now, weeks, tz)
    since = starts[0]
    window = Post.first_seen >= since
    # One aggregate per week, each a range of ix_posts_dashboard (a CASE giving each post its
    # week cost more than the counting itself).
    ends = starts[1:] + [starts[-1] + timedelta(weeks=1)]
    per_week = sa.union_all(*(
        sa.select(sa.literal(k).label("week"), *_count_columns()).where(Post.first_seen >= a, Post.first_seen < b)
        for k, (a, b) in enumerate(zip(starts, ends))))
    found = {k: _counts(rest) for k, *rest in s.execute(per_week)}
    series = [Week(start, found.get(k, Counts())) for k, start in enumerate(starts)]
    totals = Counts()
    for week in series:
        totals = _plus(totals, week.counts)
    # source || '': grouping on the bare column lets SQLite walk ix_posts_source through every
    # post of the store; this way it reads the window's range and sorts the few sources.
    source = Post.source.concat("")
    sources = [(name, _counts(rest)) for name, *rest in s.execute(
        sa.select(source, *_count_columns()).where(window).group_by(source))]
    sources.sort(key=lambda item: (-item[1].received, item[0]))
    other = Counts()
    for _, counts in sources[MAX_SOURCES:]:
        other = _plus(other, counts)
    return Dashboard(since=since, weeks=series, totals=totals, waiting=waiting(s),
                     by_source=sources[:MAX_SOURCES], other_sources=other,
                     by_category=_by_category(s, window, categories))


def _by_category(s: Session, window: sa.ColumnElement[bool], categories: Sequence[str]) -> list[tuple[str, Counts]]:
    """Posts to review of each category (a post may have several), in the order asked: grouped
    by their list of categories in SQL (few distinct lists), each list then split here."""
    if not categories:
        return []
    wanted = {name: Counts() for name in categories}
    as_text = sa.cast(Post.categories, sa.Text)  # PostgreSQL's json has no equality to group on
    stmt = (sa.select(as_text, *_count_columns()).where(window, _to_review()).group_by(as_text)
            .limit(MAX_CATEGORY_LISTS))
    for listed, *rest in s.execute(stmt):
        counts = _counts(rest)
        for name in set(json.loads(listed or "[]")):
            if name in wanted:
                wanted[name] = _plus(wanted[name], counts)
    return list(wanted.items())


@cache
def _open_ranges() -> tuple[sa.ColumnElement[bool], ...]:
    """The pending posts as disjoint ranges of the queue index (status, is_lure, minor_risk):
    "flagged OR minor" as one condition would scan every undecided post of the store."""
    flagged_or_minor = (Post.is_lure == sa.true(), sa.and_(Post.is_lure == sa.false(), Post.minor_risk == sa.true()))
    return tuple(sa.and_(Post.status == status, flagged) for status in PENDING_STATUSES for flagged in flagged_or_minor)


def waiting(s: Session) -> Waiting:
    """The posts to review not resolved, at any date: read from the queue index."""
    pending = minor = 0
    oldest: datetime | None = None
    for n, n_minor, first in s.execute(sa.union_all(*(
        sa.select(sa.func.count(), _flag(Post.minor_risk == sa.true()), sa.func.min(Post.first_seen)).where(cond)
        for cond in _open_ranges()
    ))):
        pending, minor = pending + int(n or 0), minor + int(n_minor or 0)
        first = _aware(first)
        if first is not None and (oldest is None or first < oldest):
            oldest = first
    median = None
    if pending:
        seen = sa.union_all(*(sa.select(Post.first_seen.label("seen")).where(cond)
                              for cond in _open_ranges())).subquery()
        median = s.scalar(sa.select(seen.c.seen).order_by(seen.c.seen).limit(1).offset(pending // 2))
    return Waiting(pending, minor, oldest, _aware(median))


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
