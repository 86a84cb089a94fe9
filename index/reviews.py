"""The review side of posts: one post with its reviews, a single decision, training labels.

The queue's tabs are index.queue; the workflow of decisions index.decisions; the bounded reads
of the post page index.post_page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, defer

from index.document import SignalIn
from index.entities import entities_by_post, phones_by_post
from index.decisions import NEW, OTHER, DecisionRefused, decide
from index.models import Post, PostVersion, Review, utcnow
from index.rows import LabelRow, PostRow, PostView, ReviewRow, row_from

QUEUE_STATUS = NEW  # what a new post starts as


# A listing of posts (queue rows, search hits, pivots) never shows signals or cues: left unread,
# so a post with a huge signal list costs its listing nothing (the JSON is decoded on access only).
LISTING = (defer(Post.signals), defer(Post.minor_cues), defer(Post.near_dup_sig))


def post_rows(s: Session, posts: Sequence[Post]) -> list[PostRow]:
    phones = phones_by_post(s, [p.id for p in posts])
    return [row_from(PostRow, p, phones=phones.get(p.id, [])) for p in posts]


def get_post(s: Session, post_id: int) -> PostView | None:
    post = s.get(Post, post_id)
    if post is None:
        return None
    entities = entities_by_post(s, [post_id]).get(post_id, [])
    reviews = s.scalars(sa.select(Review).where(Review.post_id == post_id).order_by(Review.id))
    versions = s.scalar(sa.select(sa.func.count(PostVersion.id)).where(PostVersion.post_id == post_id))
    return row_from(
        PostView, post,
        phones=list(dict.fromkeys(e.value for e in entities if e.kind == "phone")),
        signals=[SignalIn.from_json(x) for x in post.signals or []],
        entities=entities,
        minor_cues=[SignalIn.from_json(x) for x in post.minor_cues or []],
        reviews=[row_from(ReviewRow, r) for r in reviews],
        version_count=versions or 0,
    )


def record_review(s: Session, post_id: int, username: str, decision: str, note: str, reason: str = OTHER,
                  now: datetime | None = None) -> ReviewRow:
    """One decision on one post (index.decisions.decide), with its audit event in the caller's
    transaction; a ValueError for an unknown decision or post, DecisionRefused when the workflow
    does not allow it (a final decision, a pending referral, someone else's claim)."""
    result = decide(s, [post_id], username, decision, reason, note, now=now or utcnow())
    if result.reviews:
        return result.reviews[0]
    (code, _), = result.skipped.items()
    if code == "missing":
        raise ValueError(f"no post {post_id}")
    raise DecisionRefused(code, post_id)


def review_labels(s: Session) -> Iterator[LabelRow]:
    """The latest lure / not-a-lure decision of every reviewed post, for retraining; those made
    near the threshold (the "uncertain" tab's) first, as they teach the model most.

    Escalations are not labels: a post whose latest decision is "escalate" (or a later step of
    the workflow: a referral confirmed or declined, a reopening) is left out.
    """
    latest = (
        sa.select(Review.post_id, sa.func.max(Review.id).label("review_id")).group_by(Review.post_id).subquery()
    )
    stmt = (
        sa.select(Post.id, Post.source, Post.url, Post.title, Post.text, Review.decision, Review.username,
                  Review.created_at, Review.uncertain)
        .join(latest, latest.c.post_id == Post.id)
        .join(Review, Review.id == latest.c.review_id)
        .where(Review.decision.in_(["lure", "not_lure"]))
        .order_by(Review.uncertain.desc(), Post.id)
    )
    for row in s.execute(stmt):
        yield LabelRow(
            post_id=row.id, source=row.source, url=row.url, title=row.title, text=row.text,
            label="lure" if row.decision == "lure" else "legit", reviewer=row.username,
            decided_at=row.created_at, uncertain=bool(row.uncertain),
        )
