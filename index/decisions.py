"""Reviewers' decisions and the steps of the workflow, each with its audit event in the caller's
one transaction.

- A decision (lure / not a lure / escalate / needs more information) takes a reason code from
  the decision's own list and a note. It is recorded on an open post (new, or waiting for more
  information); a post someone else has claimed is left alone.
- "Escalate" refers the post to investigation: it waits as referral_pending until a second,
  different reviewer confirms it (escalated, final) or declines it (back to the queue; the
  referrer may decline their own referral to withdraw it).
- Confirmed, dismissed and escalated are final: changing one means reopening it first, with a
  reason, whoever decided it. So no reviewer flips a final decision in one step.
- A decision covers one post, a near-duplicate group or a bulk selection alike: every post gets
  its review row and its audit event; posts that cannot take it are skipped and counted by why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index import claims
from index.chunks import chunks
from index.models import INDEX_PENDING, AuditEvent, Post, Review
from index.rows import DecisionResult, ReviewRow, row_from

NEW, NEEDS_INFO, REFERRAL_PENDING = "new", "needs_info", "referral_pending"
CONFIRMED, DISMISSED, ESCALATED = "confirmed", "dismissed", "escalated"
OPEN_STATUSES = (NEW, NEEDS_INFO)  # a decision may be recorded
FINAL_STATUSES = (CONFIRMED, DISMISSED, ESCALATED)  # reopened before anything else

DECISIONS = ("lure", "not_lure", "escalate", "needs_info")
DECISION_STATUS = {"lure": CONFIRMED, "not_lure": DISMISSED, "escalate": REFERRAL_PENDING, "needs_info": NEEDS_INFO}
# Workflow steps recorded in the review history beside the decisions.
CONFIRM_REFERRAL, DECLINE_REFERRAL, REOPEN = "confirm_referral", "decline_referral", "reopen"

OTHER = "other"
# Reason codes (translated by the UI as "reason.<code>"); "other" wants a note.
REASONS: dict[str, tuple[str, ...]] = {
    "lure": ("job_abroad_high_pay", "deposit_or_fee", "fake_export_labour", "fake_modelling",
             "task_scam", "targets_minors", "trafficking_signs", OTHER),
    "not_lure": ("legitimate_employer", "licensed_agency", "news_or_warning", "not_a_job_ad",
                 "spam_or_duplicate", OTHER),
    "escalate": ("trafficking_suspected", "minor_at_risk", "organised_network", "victim_contact",
                 "known_case", OTHER),
    "needs_info": ("unclear_text", "snapshot_missing", "check_contacts", "foreign_language", OTHER),
    DECLINE_REFERRAL: ("insufficient_evidence", "not_trafficking", "decide_in_queue", OTHER),
    REOPEN: ("new_evidence", "wrong_decision", "post_changed", "quality_check", OTHER),
}
DEFAULT_UNCERTAIN_MARGIN = 0.1  # |score - threshold| at most this: the "uncertain" tab


class DecisionRefused(ValueError):
    """A single-post decision the workflow does not allow (`code` says why)."""

    def __init__(self, code: str, post_id: int, detail: str = "") -> None:
        super().__init__(f"post {post_id}: {code}{': ' + detail if detail else ''}")
        self.code = code
        self.post_id = post_id


def is_uncertain(score: float, threshold: float, margin: float) -> bool:
    return abs(score - threshold) <= margin


def check_reason(step: str, reason: str) -> None:
    if step not in REASONS:
        raise ValueError(f"unknown decision {step!r}; expected one of {list(DECISIONS)}")
    if reason not in REASONS[step]:
        raise ValueError(f"unknown reason {reason!r} for {step}; expected one of {list(REASONS[step])}")


def decide(
    s: Session, post_ids: Sequence[int], username: str, decision: str, reason: str, note: str, *,
    now: datetime, margin: float = DEFAULT_UNCERTAIN_MARGIN, via: str = "post", context: dict | None = None,
) -> DecisionResult:
    """Record `decision` on every open post of `post_ids` not claimed by someone else."""
    check_reason(decision, reason)
    after = DECISION_STATUS[decision]

    def allowed(post: Post) -> str | None:
        if post.status in FINAL_STATUSES:
            return "final"
        if post.status not in OPEN_STATUSES:
            return post.status  # referral_pending: confirmed or declined first
        return None

    return _apply(s, post_ids, username, decision, reason, note, now=now, after=after, allowed=allowed,
                  uncertain=lambda p: is_uncertain(p.score, p.threshold, margin), action="review.decision",
                  via=via, context=context)


def confirm_referral(s: Session, post_ids: Sequence[int], username: str, note: str, *, now: datetime,
                     via: str = "post") -> DecisionResult:
    """A second reviewer confirms referrals: final (escalated). The referrer cannot."""
    referrers = _referrers(s, post_ids)

    def allowed(post: Post) -> str | None:
        if post.status != REFERRAL_PENDING:
            return "not_referred"
        if referrers.get(post.id) == username:
            return "own_referral"
        return None

    return _apply(s, post_ids, username, CONFIRM_REFERRAL, "", note, now=now, after=ESCALATED, allowed=allowed,
                  action="review.referral_confirmed", via=via)


def decline_referral(s: Session, post_ids: Sequence[int], username: str, reason: str, note: str, *,
                     now: datetime, via: str = "post") -> DecisionResult:
    """Back to the queue (anyone; the referrer so withdraws their own referral)."""
    check_reason(DECLINE_REFERRAL, reason)
    return _apply(s, post_ids, username, DECLINE_REFERRAL, reason, note, now=now, after=NEW,
                  allowed=lambda p: None if p.status == REFERRAL_PENDING else "not_referred",
                  action="review.referral_declined", via=via)


def reopen(s: Session, post_ids: Sequence[int], username: str, reason: str, note: str, *, now: datetime,
           via: str = "post") -> DecisionResult:
    """A final decision back to the queue, with a reason: the only way to change one."""
    check_reason(REOPEN, reason)
    return _apply(s, post_ids, username, REOPEN, reason, note, now=now, after=NEW,
                  allowed=lambda p: None if p.status in FINAL_STATUSES else "not_final",
                  action="review.reopen", via=via)


def _referrers(s: Session, post_ids: Sequence[int]) -> dict[int, str]:
    """Who made the latest "escalate" decision of each post."""
    out: dict[int, str] = {}
    for chunk in chunks(sorted(set(post_ids))):
        rows = s.execute(
            sa.select(Review.post_id, Review.username)
            .where(Review.post_id.in_(chunk), Review.decision == "escalate")
            .order_by(Review.id)
        )
        out.update((post_id, username) for post_id, username in rows)  # later rows overwrite earlier ones
    return out


def _apply(s: Session, post_ids: Sequence[int], username: str, step: str, reason: str, note: str, *,
           now: datetime, after: str, allowed, action: str, via: str,  # type: ignore[no-untyped-def]
           uncertain=lambda _post: False, context: dict | None = None) -> DecisionResult:  # type: ignore[no-untyped-def]
    wanted = sorted(set(post_ids))
    posts: dict[int, Post] = {}
    for chunk in chunks(wanted):
        posts.update((p.id, p) for p in s.scalars(sa.select(Post).where(Post.id.in_(chunk))))
    held = claims.held_by_others(s, posts, username, now)
    skipped: dict[str, list[int]] = {}
    reviews: list[tuple[Review, str]] = []  # with the status before
    for post_id in wanted:
        post = posts.get(post_id)
        why = "missing" if post is None else allowed(post) or ("claimed" if post_id in held else None)
        if why is not None:
            skipped.setdefault(why, []).append(post_id)
            continue
        assert post is not None
        review = Review(post_id=post_id, username=username, decision=step, reason=reason, note=note or "",
                        uncertain=uncertain(post), created_at=now)
        s.add(review)
        reviews.append((review, post.status))
        post.status = after
        post.index_state = INDEX_PENDING  # the search document carries the status
    s.flush()
    for review, before in reviews:
        detail = {"review_id": review.id, "decision": step, "reason": reason, "note": note or "",
                  "status_before": before, "status_after": after, "uncertain": review.uncertain, "via": via}
        s.add(AuditEvent(username=username, action=action, target=f"post:{review.post_id}", detail=detail, at=now))
    decided = [r.post_id for r, _ in reviews]
    claims.release(s, decided)
    if via == "bulk":
        s.add(AuditEvent(username=username, action="review.bulk", target=f"{len(decided)} posts", at=now, detail={
            "decision": step, "reason": reason, "decided": len(decided),
            "skipped": {k: len(v) for k, v in skipped.items()}, **(context or {}),
        }))
    s.flush()
    return DecisionResult(reviews=[row_from(ReviewRow, r) for r, _ in reviews], skipped=skipped, status=after)
