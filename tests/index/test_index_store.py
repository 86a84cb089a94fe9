"""Store on real SQLite and real PostgreSQL (the `store` fixture of conftest.py runs every test
on both): dedup, versions, queue, reviews + audit, users."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from index.document import EntityIn, PostIn, SignalIn, content_hash
from index.models import AuditEvent, Post, PostAssessment, PostVersion, Review
from index.store import Store

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
VN = timezone(timedelta(hours=7))


def make_post(n: int, **kw) -> PostIn:
    base = dict(
        source="fixture",
        url=f"https://viec.example.vn/tin/{n}?utm_source=x",
        canonical_url=f"https://viec.example.vn/tin/{n}",
        title=f"Tuyển dụng {n}",
        text=f"Việc nhẹ lương cao số {n}, liên hệ Zalo 0912345678",
        posted_at=datetime(2024, 4, 30, 9, 0, tzinfo=VN),
        fetched_at=T0,
        raw_sha256=f"{n:064x}",
        score=0.9,
        is_lure=True,
        threshold=0.5,
        model_version="m1",
        signals=[{"id": "s1", "label": "việc nhẹ lương cao", "category": "easy_money",
                  "start": 0, "end": 18, "phrase": "Việc nhẹ lương cao", "weight": 1.0}],
        entities=[{"kind": "phone", "value": "+84912345678", "start": 40, "end": 50, "raw": "0912345678"}],
        categories=["easy_money"],
        minor_risk=False,
        priority=1,
    )
    base.update(kw)
    return PostIn(**base)


def count(store: Store, model) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_open_creates_parent_dir_and_sqlite_pragmas(tmp_path, open_store):
    store = open_store(f"sqlite:///{tmp_path}/sub/dir/lw.db")
    assert (tmp_path / "sub" / "dir" / "lw.db").exists()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_new_then_unchanged_then_changed_keeps_versions(store):
    first = store.upsert_posts([make_post(1), make_post(2)])
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0)
    assert first.outcomes == ["new", "new"]
    assert len(set(first.post_ids)) == 2

    later = T0 + timedelta(days=1)
    again = store.upsert_posts([make_post(2, fetched_at=later), make_post(1, fetched_at=later)])
    assert again.outcomes == ["unchanged", "unchanged"]
    assert again.post_ids == [first.post_ids[1], first.post_ids[0]]
    view = store.get_post(first.post_ids[0])
    assert view.last_seen == later and view.first_seen == T0
    assert view.version_count == 0

    edited = make_post(1, text="Nội dung mới: đặt cọc 5 triệu, gọi 0987654321",
                       entities=[{"kind": "phone", "value": "+84987654321", "start": 30, "end": 40,
                                  "raw": "0987654321"}],
                       score=0.95, fetched_at=later + timedelta(days=1), raw_sha256="f" * 64)
    res = store.upsert_posts([edited])
    assert res.outcomes == ["changed"] and res.post_ids == [first.post_ids[0]]

    view = store.get_post(first.post_ids[0])
    assert view.text.startswith("Nội dung mới")
    assert view.content_hash == content_hash(edited.title, edited.text)
    assert view.phones == ["+84987654321"]  # entities replaced, not appended
    assert view.version_count == 1
    with store.engine.connect() as conn:
        old = conn.execute(sa.select(PostVersion)).one()
    assert old.text == make_post(1).text
    assert old.score == 0.9 and old.raw_sha256 == f"{1:064x}"
    assert old.entities[0]["value"] == "+84912345678"


def test_rerun_makes_no_duplicates(store):
    batch = [make_post(i) for i in range(300)]
    store.upsert_posts(batch)
    res = store.upsert_posts(batch)
    assert res.unchanged == 300 and res.new == 0
    assert store.queue_count() == 300
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM posts").scalar() == 300
        assert conn.exec_driver_sql("SELECT count(*) FROM entities").scalar() == 300


def test_same_url_twice_in_one_batch(store):
    res = store.upsert_posts([make_post(1), make_post(1, text="khác")])
    assert res.outcomes == ["new", "changed"]
    assert res.post_ids[0] == res.post_ids[1]
    assert store.get_post(res.post_ids[0]).text == "khác"
    assert count(store, PostVersion) == 1


def test_changed_post_keeps_review_status(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]
    store.record_review(pid, "alice", "not_lure", "quảng cáo thật")
    store.upsert_posts([make_post(1, text="sửa lại")])
    assert store.get_post(pid).status == "dismissed"


def test_parser_fields_are_kept_and_optional(store):
    with_fields = make_post(1, author="Nhà tuyển dụng A", external_id="j1912385",
                            fields_from={"title": "json-ld", "text": "selector"})
    (pid, bare_pid) = store.upsert_posts([with_fields, make_post(2)]).post_ids
    post = store.get_post(pid)
    assert (post.author, post.external_id) == ("Nhà tuyển dụng A", "j1912385")
    assert post.fields_from == {"title": "json-ld", "text": "selector"}
    bare = store.get_post(bare_pid)
    assert (bare.author, bare.external_id, bare.fields_from) == (None, None, {})


def test_naive_datetime_is_refused(store):
    with pytest.raises(ValueError):
        store.upsert_posts([make_post(1, fetched_at=datetime(2024, 1, 1))])


def test_datetimes_come_back_as_utc(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]
    view = store.get_post(pid)
    assert view.posted_at == datetime(2024, 4, 30, 2, 0, tzinfo=timezone.utc)
    assert view.posted_at.utcoffset() == timedelta(0)


def test_queue_orders_and_filters(store):
    ids = store.upsert_posts([
        make_post(1, priority=1, score=0.7),
        make_post(2, priority=3, score=0.6),
        make_post(3, priority=1, score=0.99),
        make_post(4, is_lure=False, score=0.2, priority=0),
        make_post(5, priority=2, score=0.8),
    ]).post_ids
    store.record_review(ids[4], "bob", "lure", "")
    queue = store.queue()
    assert [p.id for p in queue] == [ids[1], ids[2], ids[0]]
    assert store.queue_count() == 3
    assert [p.id for p in store.queue(limit=1, offset=1)] == [ids[2]]
    assert queue[0].phones == ["+84912345678"]


def test_record_review_sets_status_and_audits(store):
    pids = store.upsert_posts([make_post(i) for i in range(1, 5)]).post_ids
    decided = [("escalate", "referral_pending"), ("lure", "confirmed"), ("not_lure", "dismissed"),
               ("needs_info", "needs_info")]
    for pid, (decision, status) in zip(pids, decided):
        review = store.record_review(pid, "alice", decision, "ghi chú")
        assert review.decision == decision and review.post_id == pid and review.reason == "other"
        assert store.get_post(pid).status == status
    events = [e for e in store.list_audit() if e.action == "review.decision"]
    assert len(events) == 4
    assert events[0].target == f"post:{pids[3]}" and events[0].username == "alice"
    assert events[0].detail["status_after"] == "needs_info" and events[0].detail["status_before"] == "new"
    assert events[0].detail["review_id"] == store.get_post(pids[3]).reviews[-1].id


def test_record_review_rejects_unknown_decision_and_post(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]
    with pytest.raises(ValueError):
        store.record_review(pid, "alice", "maybe", "")
    with pytest.raises(ValueError):
        store.record_review(pid + 100, "alice", "lure", "")
    assert count(store, Review) == 0 and count(store, AuditEvent) == 0


def test_review_rolls_back_when_audit_insert_fails(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]

    def boom(*_args):
        raise RuntimeError("audit storage down")

    event.listen(AuditEvent, "before_insert", boom)
    try:
        with pytest.raises(RuntimeError):
            store.record_review(pid, "alice", "lure", "")
    finally:
        event.remove(AuditEvent, "before_insert", boom)
    assert count(store, Review) == 0
    assert store.get_post(pid).status == "new"
    assert store.queue_count() == 1


def test_users(store):
    user = store.add_user("alice", "argon2-hash", "reviewer")
    assert user.active and user.role == "reviewer"
    assert store.get_user("alice") == user
    assert store.get_user("nobody") is None
    with pytest.raises(ValueError):
        store.add_user("alice", "other", "admin")
    with pytest.raises(ValueError):
        store.add_user("bob", "h", "superuser")


def test_sources_and_runs(store):
    store.upsert_source("fixture", "html_list", "http://127.0.0.1/", "0 * * * *")
    src = store.upsert_source("fixture", "html_list", "http://127.0.0.1/jobs")
    assert src.start_url == "http://127.0.0.1/jobs" and src.schedule_cron is None
    assert [s.name for s in store.list_sources()] == ["fixture"]
    assert store.get_source("missing") is None
    with pytest.raises(ValueError):
        store.start_run("missing")
    run_id = store.start_run("fixture")
    store.finish_run(run_id, status="ok", pages_fetched=3, posts_new=2, posts_changed=1,
                     posts_unchanged=0, flagged=2, errors=["timeout x"], stats={"dropped": {"a/b": 1}})
    run = store.list_runs()[0]
    assert (run.id, run.source, run.status, run.posts_new, run.flagged) == (run_id, "fixture", "ok", 2, 2)
    assert run.errors == ["timeout x"] and run.stats == {"dropped": {"a/b": 1}}
    assert run.finished_at is not None and run.finished_at >= run.started_at


def test_audit_roundtrip(store):
    store.audit(None, "login.failure", "user:mallory", {"ip": "127.0.0.1"})
    store.audit("alice", "post.view", "post:1")
    events = store.list_audit()
    assert [e.action for e in events] == ["post.view", "login.failure"]
    assert events[1].detail == {"ip": "127.0.0.1"} and events[1].username is None
    assert events[0].at.tzinfo is not None


def test_rows_are_frozen(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]
    view = store.get_post(pid)
    with pytest.raises(Exception):
        view.status = "confirmed"  # type: ignore[misc]
    assert replace(view, status="x").status == "x"


def test_list_users_is_sorted_by_name(store):
    assert store.list_users() == []
    store.add_user("thu", "h1", "reviewer")
    store.add_user("anh", "h2", "admin")  # 3+ characters (usernames are validated)
    assert [u.username for u in store.list_users()] == ["anh", "thu"]


def test_signals_and_entities_come_back_typed_with_both_labels(store):
    signal = SignalIn("high_pay_easy_work", "Việc nhẹ lương cao", "Easy work, high pay", "online-task/CTV-scam",
                      0, 18, "Việc nhẹ lương cao", 0.9)
    pid = store.upsert_posts([make_post(1, signals=[signal])]).post_ids[0]
    view = store.get_post(pid)
    assert view.signals == [signal]
    assert (view.signals[0].label("vi"), view.signals[0].label("en")) == ("Việc nhẹ lương cao", "Easy work, high pay")
    assert view.entities == [EntityIn("phone", "+84912345678", 40, 50, "0912345678")]
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(Post.signals).where(Post.id == pid)).scalar_one()
        assessed = conn.execute(sa.select(PostAssessment.signals).where(PostAssessment.post_id == pid)).scalar_one()
    assert stored == assessed == [signal.to_json()]


def test_signals_stored_before_english_labels_are_read_in_vietnamese(store):
    pid = store.upsert_posts([make_post(1)]).post_ids[0]
    old = {"id": "s1", "label": "việc nhẹ lương cao", "category": "easy_money", "start": 0, "end": 18,
           "phrase": "Việc nhẹ lương cao", "weight": 1.0}
    with store.engine.begin() as conn:
        conn.execute(sa.update(Post).where(Post.id == pid).values(signals=[old]))
    (signal,) = store.get_post(pid).signals
    assert signal.id == "s1" and signal.label("vi") == signal.label("en") == "việc nhẹ lương cao"
    assert (signal.start, signal.end, signal.phrase) == (0, 18, "Việc nhẹ lương cao")


def test_a_superseded_version_keeps_its_assessment(store):
    pid = store.upsert_posts([make_post(1, score=0.9, categories=["easy_money"], minor_risk=True, priority=3)]).post_ids[0]
    store.upsert_posts([make_post(1, text="sửa lại", score=0.2, is_lure=False, categories=[], signals=[])])
    with store.engine.connect() as conn:
        old = conn.execute(sa.select(PostVersion.__table__)).one()
    assert (old.score, old.is_lure, old.minor_risk, old.priority, old.categories) == (0.9, True, True, 3, ["easy_money"])
    assert old.signals[0]["label_vi"] == "việc nhẹ lương cao"
    view = store.get_post(pid)
    assert (view.score, view.is_lure, view.categories, view.signals) == (0.2, False, [], [])
