"""Search-index bookkeeping (nothing lost when the engine is down), assessments per model
version, reindex paging and user switches, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from index.document import PostIn
from index.models import PostAssessment

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)


def post(n: int, **kw) -> PostIn:
    base = dict(
        source="fixture", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}",
        title=f"Tin {n}", text=f"Nội dung tin số {n}", posted_at=None, fetched_at=T0,
        raw_sha256=f"{n:064x}", score=0.8, is_lure=True, threshold=0.5, model_version="m1",
        signals=[], entities=[], categories=["abroad"], minor_risk=False, priority=1,
    )
    base.update(kw)
    return PostIn(**base)


def test_new_posts_are_pending_until_marked_indexed(store):
    ids = store.upsert_posts([post(n) for n in range(5)]).post_ids
    assert store.pending_count() == 5
    assert store.pending_post_ids(limit=3) == sorted(ids)[:3]
    assert store.mark_indexed(ids[:2]) == 2
    assert store.pending_post_ids() == sorted(ids[2:])
    assert store.mark_indexed(ids[2:]) == 3
    assert store.pending_count() == 0 and store.pending_post_ids() == []


def test_changes_and_reviews_make_a_post_pending_again(store):
    a, b, c = store.upsert_posts([post(1), post(2), post(3)]).post_ids
    store.mark_indexed([a, b, c])
    res = store.upsert_posts([post(1, fetched_at=T0 + timedelta(days=1)), post(2, text="sửa nội dung")])
    assert res.outcomes == ["unchanged", "changed"]
    assert store.pending_post_ids() == [b]  # seen again unchanged: its document is still right
    store.record_review(c, "alice", "not_lure", "")
    assert store.pending_post_ids() == [b, c]
    assert store.mark_pending([a]) == 1
    assert store.pending_count() == 3


def test_mark_indexed_as_of_keeps_posts_changed_meanwhile(store):
    a, b = store.upsert_posts([post(1), post(2)]).post_ids
    as_of = datetime.now(timezone.utc)  # the indexer read the documents here...
    store.record_review(b, "alice", "lure", "")  # ...and a reviewer decided meanwhile
    assert store.mark_indexed([a, b], as_of=as_of) == 1
    assert store.pending_post_ids() == [b]
    (doc,) = store.search_docs(store.pending_post_ids())
    assert doc.status == "confirmed"


def test_all_post_ids_pages_by_keyset(store):
    ids = store.upsert_posts([post(n) for n in range(7)]).post_ids
    pages = list(store.all_post_ids(batch=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for p in pages for i in p] == sorted(ids)


def test_assessments_are_kept_per_model_version(store):
    (pid,) = store.upsert_posts([post(1)]).post_ids
    store.upsert_posts([post(1, model_version="m2", score=0.3, is_lure=False)])  # same text, new model
    store.upsert_posts([post(1, model_version="m2", score=0.4)])  # unchanged: m2 already known
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(PostAssessment.model_version, PostAssessment.score, PostAssessment.is_lure)
            .where(PostAssessment.post_id == pid)
            .order_by(PostAssessment.model_version)
        ).all()
    assert [tuple(r) for r in rows] == [("m1", 0.8, True), ("m2", 0.3, False)]
    store.upsert_posts([post(1, text="nội dung mới", model_version="m2", score=0.6)])  # changed
    with store.engine.connect() as conn:
        score = conn.execute(
            sa.select(PostAssessment.score).where(
                PostAssessment.post_id == pid, PostAssessment.model_version == "m2"
            )
        ).scalar_one()
    assert score == 0.6


def test_set_user_active_and_audit_count(store):
    from index.accounts import Actor

    store.add_user("thu", "h", "reviewer")
    admin = Actor("os:root", "cli")
    assert store.set_user_active("thu", False, admin).active is False
    assert store.get_user("thu").active is False
    assert store.set_user_active("thu", True, admin).active is True
    with pytest.raises(LookupError):
        store.set_user_active("nobody", False, admin)
    assert store.audit_count() == 2  # each change audited with who made it
    store.audit("thu", "login.success", "user:thu")
    assert store.audit_count() == 3
