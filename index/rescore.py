"""Rescoring after a model change: read the posts another model scored, write the new model's
assessment on them. Resumable by construction: what is left is what still carries another
model version, taken in id order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks
from index.models import ASSESSMENT_COLUMNS, INDEX_PENDING, Post, PostAssessment, utcnow


@dataclass(frozen=True)
class ToRescore:
    post_id: int
    title: str
    text: str
    posted_at: datetime | None
    content_hash: str  # the content that was read: a post changed meanwhile is left alone


def _other_model(model_version: str, source: str | None) -> list:
    where = [Post.model_version != model_version]
    if source is not None:
        where.append(Post.source == source)
    return where


def posts_to_rescore(s: Session, model_version: str, *, after_id: int = 0, limit: int = 500,
                     source: str | None = None) -> list[ToRescore]:
    rows = s.execute(
        sa.select(Post.id, Post.title, Post.text, Post.posted_at, Post.content_hash)
        .where(Post.id > after_id, *_other_model(model_version, source)).order_by(Post.id).limit(limit)
    )
    return [ToRescore(*row) for row in rows]


def count_to_rescore(s: Session, model_version: str, source: str | None = None) -> int:
    return s.scalar(sa.select(sa.func.count(Post.id)).where(*_other_model(model_version, source))) or 0


def apply_assessments(s: Session, assessed: Sequence[tuple[ToRescore, Mapping[str, object]]]) -> int:
    """Each post takes its new assessment (ASSESSMENT_COLUMNS values), keeps one row per model
    version in `assessments`, and becomes pending for the search index. Returns posts updated."""
    posts: dict[int, Post] = {}
    for chunk in chunks([item.post_id for item, _ in assessed]):
        posts.update((p.id, p) for p in s.scalars(sa.select(Post).where(Post.id.in_(chunk))))
    existing = {
        (a.post_id, a.model_version): a
        for chunk in chunks(list(posts))
        for a in s.scalars(sa.select(PostAssessment).where(PostAssessment.post_id.in_(chunk)))
    }
    updated = 0
    for item, values in assessed:
        post = posts.get(item.post_id)
        if post is None or post.content_hash != item.content_hash:
            continue
        new = SimpleNamespace(**{name: values[name] for name in ASSESSMENT_COLUMNS})
        post.fill_assessment(new)
        post.index_state = INDEX_PENDING
        row = existing.get((post.id, new.model_version))
        if row is None:
            row = PostAssessment(post_id=post.id)
            s.add(row)
        row.fill_assessment(new)
        row.created_at = utcnow()
        updated += 1
    s.flush()
    return updated
