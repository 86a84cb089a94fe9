"""The review queue's tabs: which posts wait, in which order, one row per near-duplicate group.

Tabs: "queue" (flagged or minor-risk posts nobody decided), "uncertain" (undecided posts whose
score is within a margin of their threshold, flagged or not: the labels retraining needs most),
"needs_info" (waiting for more information) and "escalations" (referrals waiting for a second
reviewer, then those referred to investigation).

Order: minor risk first (the plan's priority to victims under 16), then priority (flagged, with a
high-risk destination abroad: classifier.assess.priority_of), then the score in bands of 0.1,
then the network size (posts sharing a contact, index.network_size), then the newest first.

Near-duplicates (posts.near_dup_cluster) of one tab and filter are one row, shown by their most
urgent post, with the group's size; `group_members` gives the posts a row's decision covers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.claims import live_claims
from index.decisions import DEFAULT_UNCERTAIN_MARGIN, ESCALATED, NEEDS_INFO, NEW, REFERRAL_PENDING
from index.models import EntityRow, Post
from index.reviews import LISTING, post_rows
from index.rows import PostRow, QueuePage, QueueRow

TABS = ("queue", "uncertain", "needs_info", "escalations")
BANDS = 10  # score bands of 0.1
WINDOW = 200  # index entries a page reads first (index.queue._in_urgency_order), then 4x more


@dataclass(frozen=True)
class QueueFilter:
    tab: str = "queue"
    source: str | None = None
    category: str | None = None
    destination: str | None = None  # a country ("KH": any place in it) or a place ("KH:Sihanoukville")
    seen_from: datetime | None = None  # first_seen >= this
    seen_to: datetime | None = None  # first_seen < this
    minor: bool | None = None
    margin: float = DEFAULT_UNCERTAIN_MARGIN  # of the uncertain tab

    def __post_init__(self) -> None:
        if self.tab not in TABS:
            raise ValueError(f"unknown queue tab {self.tab!r}; expected one of {list(TABS)}")


def _tab(f: QueueFilter, status: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    if f.tab == "queue":
        # A post that names a child's age queues even when it scores low.
        return sa.and_(status == NEW, sa.or_(Post.is_lure == sa.true(), Post.minor_risk == sa.true()))
    if f.tab == "uncertain":
        return sa.and_(status == NEW, sa.func.abs(Post.score - Post.threshold) <= f.margin)
    if f.tab == "needs_info":
        return status == NEEDS_INFO
    return status.in_([REFERRAL_PENDING, ESCALATED])


def conditions(f: QueueFilter, status: sa.ColumnElement[str] = Post.status) -> list[sa.ColumnElement[bool]]:
    """The tab and filter; `status` is the column, or an expression of it where the queue index
    must not be the way in."""
    conds = [_tab(f, status)]
    if f.source:
        conds.append(Post.source == f.source)
    if f.category:
        conds.append(sa.cast(Post.categories, sa.Text).contains(json.dumps(f.category), autoescape=True))
    if f.destination:
        # The place itself, or any place in that country: "KH:..." sorts between "KH:" and "KH;".
        place = sa.or_(EntityRow.value == f.destination,
                       sa.and_(EntityRow.value >= f.destination + ":", EntityRow.value < f.destination + ";"))
        # A subquery evaluated once over the (kind, value) index, not a lookup per queued post.
        conds.append(Post.id.in_(sa.select(EntityRow.post_id).where(EntityRow.kind == "destination", place)))
    if f.seen_from is not None:
        conds.append(Post.first_seen >= f.seen_from)
    if f.seen_to is not None:
        conds.append(Post.first_seen < f.seen_to)
    if f.minor is not None:
        conds.append(Post.minor_risk == sa.true() if f.minor else Post.minor_risk == sa.false())
    return conds


def _band() -> sa.ColumnElement[int]:
    """floor(score * 10), written portably (CAST rounds on PostgreSQL, floor() is optional on SQLite)."""
    return sa.case(*((Post.score >= b / BANDS, b) for b in range(BANDS, 0, -1)), else_=0)


def band_of(score: float) -> int:
    """_band() in Python: the same comparisons with the same floats."""
    return next((b for b in range(BANDS, 0, -1) if score >= b / BANDS), 0)


def _pending_first(f: QueueFilter) -> list[sa.ColumnElement]:
    # The escalations tab: referrals waiting for a second reviewer before those already referred.
    return [sa.case((Post.status == REFERRAL_PENDING, 1), else_=0)] if f.tab == "escalations" else []


def _urgency(f: QueueFilter) -> list[sa.ColumnElement]:
    """The ordering keys, most urgent first (all descending)."""
    return _pending_first(f) + [
        sa.case((Post.minor_risk == sa.true(), 1), else_=0), Post.priority, _band(), Post.network_size,
        Post.first_seen, Post.id,
    ]


def _group() -> sa.ColumnElement[int]:
    return sa.func.coalesce(Post.near_dup_cluster, Post.id)


def _in_urgency_order(s: Session, f: QueueFilter) -> Iterator[tuple[int, int]]:
    """(post id, group) of the tab in urgency order, read lazily: stop iterating when done.

    SQL walks ix_posts_queue in its own order (status, minor risk, priority, score) and reads a
    window that grows fourfold; each run of one (minor risk, priority, score band) is then put in
    the full order here (network size, newest, id). A run is given only once the window has
    passed its end, so no later row belongs before it.
    """
    pending = _pending_first(f)
    stmt = (sa.select(Post.id, _group(), *pending, Post.minor_risk, Post.priority, Post.score, Post.network_size,
                      Post.first_seen)
            .where(*conditions(f))
            .order_by(*[k.desc() for k in pending], Post.minor_risk.desc(), Post.priority.desc(), Post.score.desc()))
    given, window = 0, WINDOW
    while True:
        found = s.execute(stmt.offset(given).limit(window)).all()
        runs: list[tuple[tuple, list]] = []  # consecutive rows of one run, in index order
        for row in found:
            key = (*row[2:2 + len(pending)], row.minor_risk, row.priority, band_of(row.score))
            if runs and runs[-1][0] == key:
                runs[-1][1].append(row)
            else:
                runs.append((key, [row]))
        for _, rows in runs if len(found) < window else runs[:-1]:
            rows.sort(key=lambda r: (r.network_size, r.first_seen, r.id), reverse=True)
            given += len(rows)
            for row in rows:
                yield row[0], row[1]
        if len(found) < window:
            return
        window *= 4  # a run longer than the window, or too few groups yet: read further


def _totals(s: Session, f: QueueFilter) -> tuple[int, int]:
    """(groups, posts) of the whole tab and filter, counted by the database in one pass."""
    posts, groups = s.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(_group()))).where(*conditions(f))
    ).one()
    return groups or 0, posts or 0


def _sizes(s: Session, f: QueueFilter, groups: list[int]) -> dict[int, int]:
    """Posts of each of these groups within the tab and filter (a group is a cluster id, or the
    id of a post in no cluster), read through the cluster index and the primary key."""
    # The status as an expression: else SQLite (no statistics) walks the whole tab through the
    # queue index, testing each entry against the list (~40 ms at 100k posts), not the list's rows.
    conds = conditions(f, status=sa.func.coalesce(Post.status, ""))
    sizes: dict[int, int] = dict.fromkeys(groups, 0)
    for i in range(0, len(groups), 500):
        chunk = groups[i:i + 500]
        clustered = s.execute(sa.select(Post.near_dup_cluster, sa.func.count())
                              .where(Post.near_dup_cluster.in_(chunk), *conds).group_by(Post.near_dup_cluster))
        alone = s.scalars(sa.select(Post.id).where(Post.id.in_(chunk), Post.near_dup_cluster.is_(None), *conds))
        for group, n in [*clustered, *((post_id, 1) for post_id in alone)]:
            sizes[group] += n
    return sizes


def queue_page(s: Session, f: QueueFilter, now: datetime, limit: int = 50, offset: int = 0) -> QueuePage:
    """One page of a tab: a row per near-duplicate group, the most urgent group first.

    Posts are read in urgency order (only the columns the index holds) and collapsed into their
    groups here, until the page is full: a page costs what its posts cost, not what the tab does
    (but for the two counts of the tab, taken by the database in one pass).
    """
    groups, total = _totals(s, f)
    wanted = min(offset + limit, groups)
    firsts: dict[int, int] = {}  # group -> its most urgent post, in urgency order
    if wanted:
        for post_id, group in _in_urgency_order(s, f):
            firsts.setdefault(group, post_id)
            if len(firsts) == wanted:
                break
    picked = list(firsts.items())[offset:wanted]
    ids = [post_id for _, post_id in picked]
    sizes_of = _sizes(s, f, [group for group, _ in picked])
    posts = list(s.scalars(sa.select(Post).options(*LISTING).where(Post.id.in_(ids)))) if ids else []
    by_id = {p.id: p for p in post_rows(s, posts)}
    network = {p.id: p.network_size for p in posts}
    held = live_claims(s, ids, now)
    rows = [QueueRow(post=by_id[post_id], group_size=sizes_of[group], network_size=network[post_id],
                     claim=held.get(post_id)) for group, post_id in picked]
    return QueuePage(rows=rows, groups=groups, posts=total)


def group_members(s: Session, post_id: int, f: QueueFilter) -> list[int]:
    """The posts of `post_id`'s near-duplicate group in this tab and filter (it first, if in it)."""
    cluster = s.scalar(sa.select(Post.near_dup_cluster).where(Post.id == post_id))
    same = Post.near_dup_cluster == cluster if cluster is not None else Post.id == post_id
    members = list(s.scalars(sa.select(Post.id).where(same, *conditions(f)).order_by(Post.id)))
    return sorted(members, key=lambda pid: pid != post_id)


def matching_ids(s: Session, f: QueueFilter, limit: int) -> list[int]:
    """Every post of a tab and filter (at most `limit`), for a bulk decision."""
    return list(s.scalars(sa.select(Post.id).where(*conditions(f)).order_by(Post.id).limit(limit)))


def count_matching(s: Session, f: QueueFilter) -> int:
    return s.scalar(sa.select(sa.func.count()).select_from(Post).where(*conditions(f))) or 0


def tab_counts(s: Session, tabs: tuple[str, ...] = ("needs_info", "escalations")) -> dict[str, int]:
    """Posts in these tabs (no filter), for the tab labels. The default two are ranges of the
    queue index, cheap whatever the store's size; the others are counted by their page."""
    return {tab: count_matching(s, QueueFilter(tab=tab)) for tab in tabs}


def queue(s: Session, limit: int = 50, offset: int = 0) -> list[PostRow]:
    """The posts of the "queue" tab one by one (near-duplicates not collapsed), most urgent first."""
    f = QueueFilter()
    stmt = sa.select(Post).options(*LISTING).where(*conditions(f)).order_by(*[k.desc() for k in _urgency(f)])
    return post_rows(s, list(s.scalars(stmt.limit(limit).offset(offset))))


def queue_count(s: Session) -> int:
    return count_matching(s, QueueFilter())


def queue_options(s: Session, limit: int = 200) -> tuple[list[str], list[str]]:
    """The sources and destinations the filters offer: (sources, destination values)."""
    sources = list(s.scalars(sa.select(Post.source).distinct().order_by(Post.source).limit(limit)))
    places = list(s.scalars(
        sa.select(EntityRow.value).where(EntityRow.kind == "destination").distinct().order_by(EntityRow.value)
        .limit(limit)
    ))
    return sources, places
