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
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.claims import live_claims
from index.decisions import DEFAULT_UNCERTAIN_MARGIN, ESCALATED, NEEDS_INFO, NEW, REFERRAL_PENDING
from index.models import EntityRow, Post
from index.reviews import post_rows
from index.rows import PostRow, QueuePage, QueueRow

TABS = ("queue", "uncertain", "needs_info", "escalations")
BANDS = 10  # score bands of 0.1


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


def _tab(f: QueueFilter) -> sa.ColumnElement[bool]:
    if f.tab == "queue":
        # A post that names a child's age queues even when it scores low.
        return sa.and_(Post.status == NEW, sa.or_(Post.is_lure == sa.true(), Post.minor_risk == sa.true()))
    if f.tab == "uncertain":
        return sa.and_(Post.status == NEW, sa.func.abs(Post.score - Post.threshold) <= f.margin)
    if f.tab == "needs_info":
        return Post.status == NEEDS_INFO
    return Post.status.in_([REFERRAL_PENDING, ESCALATED])


def conditions(f: QueueFilter) -> list[sa.ColumnElement[bool]]:
    conds = [_tab(f)]
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


def _urgency(f: QueueFilter) -> list[sa.ColumnElement]:
    """The ordering keys, most urgent first (all descending)."""
    keys: list[sa.ColumnElement] = []
    if f.tab == "escalations":  # waiting for a second reviewer before those already referred
        keys.append(sa.case((Post.status == REFERRAL_PENDING, 1), else_=0))
    return keys + [
        sa.case((Post.minor_risk == sa.true(), 1), else_=0), Post.priority, _band(), Post.network_size,
        Post.first_seen, Post.id,
    ]


def _group() -> sa.ColumnElement[int]:
    return sa.func.coalesce(Post.near_dup_cluster, Post.id)


def queue_page(s: Session, f: QueueFilter, now: datetime, limit: int = 50, offset: int = 0) -> QueuePage:
    """One page of a tab: a row per near-duplicate group, the most urgent group first.

    Posts are read in urgency order (only the columns the index holds) and collapsed into their
    groups here, until the page is full: a page costs what its posts cost, not what the tab does.
    """
    conds = conditions(f)
    # One pass over the tab (read from the queue index alone) gives every group's size.
    sizes_of = {group: n for group, n in s.execute(sa.select(_group(), sa.func.count()).where(*conds).group_by(_group()))}
    order = [k.desc() for k in _urgency(f)]
    wanted = min(offset + limit, len(sizes_of))
    firsts: dict[int, int] = {}  # group -> its most urgent post, in urgency order
    batch = max(2 * wanted, 100)
    while True:
        found = s.execute(sa.select(Post.id, _group()).where(*conds).order_by(*order).limit(batch)).all()
        firsts = {}
        for post_id, group in found:
            firsts.setdefault(group, post_id)
            if len(firsts) == wanted:
                break
        if len(firsts) >= wanted or len(found) < batch:
            break
        batch *= 4  # many near-duplicates: read further
    picked = list(firsts.items())[offset:wanted]
    ids = [post_id for _, post_id in picked]
    posts = list(s.scalars(sa.select(Post).where(Post.id.in_(ids)))) if ids else []
    by_id = {p.id: p for p in post_rows(s, posts)}
    network = {p.id: p.network_size for p in posts}
    held = live_claims(s, ids, now)
    rows = [QueueRow(post=by_id[post_id], group_size=sizes_of[group], network_size=network[post_id],
                     claim=held.get(post_id)) for group, post_id in picked]
    return QueuePage(rows=rows, groups=len(sizes_of), posts=sum(sizes_of.values()))


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
    stmt = sa.select(Post).where(*conditions(f)).order_by(*[k.desc() for k in _urgency(f)])
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
