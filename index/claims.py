"""Claims: a reviewer works on a post until the claim expires, and nobody else decides it meanwhile.

A claim is taken when a reviewer opens a post (or a near-duplicate group) and renewed while
they work on it; a decision releases it. An expired claim is as good as none: whoever comes
next takes it over, so a reviewer who walks away blocks nobody for long. Two reviewers claiming
at once: one of the two writing transactions inserts the row, the other finds it (SQLite
serialises writers; on PostgreSQL the primary key refuses the second insert).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks
from index.models import Claim, Post
from index.rows import ClaimRow, ClaimResult, row_from


def live_claims(s: Session, post_ids: Iterable[int], now: datetime) -> dict[int, ClaimRow]:
    """The unexpired claims on these posts."""
    out: dict[int, ClaimRow] = {}
    for chunk in chunks(sorted(set(post_ids))):
        for claim in s.scalars(sa.select(Claim).where(Claim.post_id.in_(chunk), Claim.expires_at > now)):
            out[claim.post_id] = row_from(ClaimRow, claim)
    return out


def held_by_others(s: Session, post_ids: Iterable[int], username: str, now: datetime) -> dict[int, ClaimRow]:
    return {pid: c for pid, c in live_claims(s, post_ids, now).items() if c.username != username}


def claim(s: Session, post_ids: Sequence[int], username: str, now: datetime, ttl_seconds: float) -> ClaimResult:
    """Claim (or renew) every post of `post_ids` that no one else holds; say who holds the rest."""
    expires = now + timedelta(seconds=ttl_seconds)
    wanted = sorted(set(post_ids))
    existing: dict[int, Claim] = {}
    for chunk in chunks(wanted):
        existing.update((c.post_id, c) for c in s.scalars(sa.select(Claim).where(Claim.post_id.in_(chunk))))
    known = set()
    for chunk in chunks(wanted):
        known.update(s.scalars(sa.select(Post.id).where(Post.id.in_(chunk))))
    taken: list[int] = []
    others: dict[int, ClaimRow] = {}
    for post_id in wanted:
        if post_id not in known:
            continue
        current = existing.get(post_id)
        if current is not None and current.username != username and current.expires_at > now:
            others[post_id] = row_from(ClaimRow, current)
            continue
        if current is None:
            s.add(Claim(post_id=post_id, username=username, claimed_at=now, expires_at=expires))
        else:
            if current.username != username:  # an expired claim of someone else: taken over
                current.claimed_at = now
            current.username, current.expires_at = username, expires
        taken.append(post_id)
    s.flush()
    return ClaimResult(taken=taken, held_by_others=others, expires_at=expires)


def release(s: Session, post_ids: Iterable[int], username: str | None = None) -> int:
    """Drop the claims on these posts (only `username`'s when given); how many went."""
    removed = 0
    for chunk in chunks(sorted(set(post_ids))):
        stmt = sa.delete(Claim).where(Claim.post_id.in_(chunk))
        if username is not None:
            stmt = stmt.where(Claim.username == username)
        removed += s.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0
    return removed
