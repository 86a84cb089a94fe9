"""The review side of posts: the queue, one post with its evidence, decisions, training labels."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.document import SignalIn
from index.entities import entities_by_post, phones_by_post
from index.models import INDEX_PENDING, AuditEvent, Post, PostVersion, Review
from index.rows import LabelRow, PostRow, PostView, ReviewRow, row_from

# A reviewer's decision and the post status it leads to.
DECISION_STATUS = {"lure": "confirmed", "not_lure": "dismissed", "escalate": "escalated"}
QUEUE_STATUS = "new"


def post_rows(s: Session, posts: Sequence[Post]) -> list[PostRow]:
    phones = phones_by_post(s, [p.id for p in posts])
    return [row_from(PostRow, p, phones=phones.get(p.id, [])) for p in posts]


def _queue_filter(stmt: sa.Select) -> sa.Select:
    # A post that names a child's age queues even when it scores low: the plan's priority to
    # victims under 16 (its priority, 3 or 4, puts it first).
    return stmt.where(sa.or_(Post.is_lure == sa.true(), Post.minor_risk == sa.true()), Post.status == QUEUE_STATUS)


def queue(s: Session, limit: int = 50, offset: int = 0) -> list[PostRow]:
    """Flagged or minor-risk posts nobody has decided yet: highest priority, then highest score first."""
    stmt = _queue_filter(sa.select(Post)).order_by(Post.priority.desc(), Post.score.desc(), Post.id)
    return post_rows(s, list(s.scalars(stmt.limit(limit).offset(offset))))


def queue_count(s: Session) -> int:
    return s.scalar(_queue_filter(sa.select(sa.func.count(Post.id)))) or 0


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


def record_review(s: Session, post_id: int, username: str, decision: str, note: str) -> ReviewRow:
    """Store a decision, move the post's status and audit it (the caller's one transaction)."""
    if decision not in DECISION_STATUS:
        raise ValueError(f"unknown decision {decision!r}; expected one of {sorted(DECISION_STATUS)}")
    post = s.get(Post, post_id)
    if post is None:
        raise ValueError(f"no post {post_id}")
    before, after = post.status, DECISION_STATUS[decision]
    review = Review(post_id=post_id, username=username, decision=decision, note=note or "")
    s.add(review)
    post.status = after
    post.index_state = INDEX_PENDING  # the search document carries the status
    s.flush()
    detail = {"review_id": review.id, "decision": decision, "status_before": before, "status_after": after,
              "note": note or ""}
    s.add(AuditEvent(username=username, action="review.decision", target=f"post:{post_id}", detail=detail))
    s.flush()
    return row_from(ReviewRow, review)


def review_labels(s: Session) -> Iterator[LabelRow]:
    """The latest lure / not-a-lure decision of every reviewed post, for retraining.

    Escalations are not labels: a post whose latest decision is "escalate" is left out.
    """
    latest = (
        sa.select(Review.post_id, sa.func.max(Review.id).label("review_id")).group_by(Review.post_id).subquery()
    )
    stmt = (
        sa.select(Post.id, Post.source, Post.url, Post.title, Post.text, Review.decision, Review.username,
                  Review.created_at)
        .join(latest, latest.c.post_id == Post.id)
        .join(Review, Review.id == latest.c.review_id)
        .where(Review.decision.in_(["lure", "not_lure"]))
        .order_by(Post.id)
    )
    for row in s.execute(stmt):
        yield LabelRow(
            post_id=row.id, source=row.source, url=row.url, title=row.title, text=row.text,
            label="lure" if row.decision == "lure" else "legit", reviewer=row.username,
            decided_at=row.created_at,
        )
