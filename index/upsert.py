"""Ingest into the store: a batch of assessed posts, deduplicated by canonical URL.

Same content hash -> "unchanged" (only last_seen / fetched_at move). Other hash -> "changed":
the previous content and assessment go to post_versions, the post takes the new ones, its
entities are replaced, its review status is kept. Else -> "new". New and changed posts get
their near-duplicate cluster (index.clusters) and an assessment row per model version, and
become pending for the search index. The network size of every post sharing a contact with
them is recounted (index.network_size).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index import near_dup, network_size
from index.chunks import chunks, unique
from index.clusters import NearDupClusters
from index.document import EntityIn, PostIn, content_hash
from index.entities import entities_by_post, replace_entities
from index.models import INDEX_PENDING, Post, PostAssessment, PostVersion, utcnow
from index.reviews import QUEUE_STATUS
from index.rows import UpsertResult


def check_times(posts: Sequence[PostIn]) -> None:
    for p in posts:
        _require_aware(p.fetched_at, "fetched_at", p.canonical_url)
        if p.posted_at is not None:
            _require_aware(p.posted_at, "posted_at", p.canonical_url)


def _require_aware(value: datetime, field: str, url: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{field} of {url} must be a timezone-aware datetime, got {value!r}")


def upsert_posts(s: Session, posts: Sequence[PostIn], clusters: NearDupClusters) -> UpsertResult:
    """In the caller's one transaction, inside clusters.writing()."""
    clusters.begin(s)  # before this batch's posts exist
    by_url: dict[str, Post] = {}
    for chunk in chunks(unique([p.canonical_url for p in posts])):
        by_url.update((post.canonical_url, post) for post in s.scalars(sa.select(Post).where(Post.canonical_url.in_(chunk))))

    outcomes: list[str] = []
    # Entities of the latest version of each post touched (new or changed) in this batch.
    final_entities: dict[str, tuple[EntityIn, ...]] = {}
    # Versions whose entity snapshot must come from the database (loaded in one query).
    versions_from_db: dict[int, list[PostVersion]] = {}
    for p in posts:
        digest = content_hash(p.title, p.text)
        post = by_url.get(p.canonical_url)
        if post is None:
            post = Post(canonical_url=p.canonical_url, first_seen=p.fetched_at, last_seen=p.fetched_at,
                        status=QUEUE_STATUS)
            _set_content(post, p, digest)
            s.add(post)
            by_url[p.canonical_url] = post
            outcomes.append("new")
        elif post.content_hash == digest:
            post.last_seen = max(post.last_seen, p.fetched_at)
            post.fetched_at = max(post.fetched_at, p.fetched_at)
            _set_parsed(post, p)  # the same content, read again (posts stored before these fields too)
            outcomes.append("unchanged")
            continue
        else:
            if post.id is None:  # same URL twice in the batch, first one still pending
                s.flush()
            version = _version_of(post)
            if p.canonical_url in final_entities:
                version.entities = [e.to_json() for e in final_entities[p.canonical_url]]
            else:
                versions_from_db.setdefault(post.id, []).append(version)
            s.add(version)
            _set_content(post, p, digest)
            post.last_seen = max(post.last_seen, p.fetched_at)
            outcomes.append("changed")
        final_entities[p.canonical_url] = p.entities

    if versions_from_db:
        snapshot = entities_by_post(s, versions_from_db)
        for post_id, versions in versions_from_db.items():
            for version in versions:
                version.entities = [e.to_json() for e in snapshot.get(post_id, [])]
    s.flush()  # assigns ids to new posts

    post_ids = [by_url[p.canonical_url].id for p in posts]
    clusters.assign(s, [by_url[url] for url in final_entities])
    _record_assessments(s, posts, post_ids, outcomes)
    touched = [by_url[url].id for url in final_entities]
    before = network_size.link_keys(s, touched)  # a changed post may drop a shared phone
    replace_entities(s, {by_url[url].id: entities for url, entities in final_entities.items()})
    network_size.refresh(s, before | network_size.link_keys(s, touched), touched)
    return UpsertResult(
        new=outcomes.count("new"), changed=outcomes.count("changed"), unchanged=outcomes.count("unchanged"),
        post_ids=post_ids, outcomes=outcomes,
    )


def _set_content(post: Post, p: PostIn, digest: str) -> None:
    post.source, post.url, post.title, post.text = p.source, p.url, p.title, p.text
    post.content_hash = digest
    post.posted_at, post.fetched_at, post.raw_sha256 = p.posted_at, p.fetched_at, p.raw_sha256
    _set_parsed(post, p)
    post.fill_assessment(p)
    post.near_dup_sig = near_dup.signature(p.title, p.text)
    post.index_state = INDEX_PENDING  # new content: the search document must follow


def _set_parsed(post: Post, p: PostIn) -> None:
    post.author, post.external_id, post.fields_from = p.author, p.external_id, dict(p.fields_from)


def _version_of(post: Post) -> PostVersion:
    """The post's current content and assessment, frozen before it is replaced."""
    version = PostVersion(post_id=post.id, title=post.title, text=post.text, content_hash=post.content_hash,
                          raw_sha256=post.raw_sha256, fetched_at=post.fetched_at, entities=[])
    version.fill_assessment(post)
    return version


def _record_assessments(s: Session, posts: Sequence[PostIn], post_ids: list[int], outcomes: list[str]) -> None:
    """One row per (post, model version): new and changed content overwrites it, an unchanged
    post only fills a missing one (same content, same model: same opinion)."""
    latest: dict[tuple[int, str], tuple[PostIn, str]] = {}
    for p, post_id, outcome in zip(posts, post_ids, outcomes):
        key = (post_id, p.model_version)
        if outcome != "unchanged" or key not in latest:
            latest[key] = (p, outcome)
    existing: dict[tuple[int, str], PostAssessment] = {}
    for chunk in chunks(unique(post_ids)):
        for a in s.scalars(sa.select(PostAssessment).where(PostAssessment.post_id.in_(chunk))):
            existing[(a.post_id, a.model_version)] = a
    for (post_id, model_version), (p, outcome) in latest.items():
        row = existing.get((post_id, model_version))
        if row is None:
            row = PostAssessment(post_id=post_id)
            s.add(row)
        elif outcome == "unchanged":
            continue
        row.fill_assessment(p)
        row.created_at = utcnow()
