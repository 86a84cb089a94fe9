"""The store's operations jobs on real SQLite and PostgreSQL: one live run per source, crashed
runs, alerts told once per recipient, the watchlist, growing networks, rescoring writes."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from index.document import PostIn
from index.rescore import ToRescore
from index.runs import RunOverlap
from index.watchlist import WatchError, watch_key

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)


def post(n: int, *, entities: tuple[tuple[str, str], ...] = (), minor: bool = False, score: float = 0.9) -> PostIn:
    return PostIn(
        source="fixture", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=f"Tin {n}",
        text=" ".join(f"w{n * 7919 + i * 104729:x}" for i in range(40)), posted_at=None, fetched_at=T0,
        raw_sha256=f"{n:064x}", score=score, is_lure=score >= 0.5, threshold=0.5, model_version="m1", signals=[],
        entities=[{"kind": k, "value": v, "start": 0, "end": 1, "raw": v} for k, v in entities],
        categories=[], minor_risk=minor, priority=3 if minor else 1,
    )


def test_one_live_run_per_source_and_a_silent_one_is_crashed(store):
    store.upsert_source("b", "classifieds", "https://b.vn/")
    now = datetime.now(timezone.utc)
    first = store.start_run("b", live_after=now - timedelta(minutes=2), worker="w1")
    with pytest.raises(RunOverlap, match=f"run {first} on w1"):
        store.start_run("b", live_after=now - timedelta(minutes=2))
    assert store.heartbeat(first) is True
    assert store.mark_crashed(now - timedelta(minutes=2)) == []  # it is alive
    crashed = store.mark_crashed(datetime.now(timezone.utc) + timedelta(seconds=1))
    assert [r.id for r in crashed] == [first] and store.get_run(first).status == "crashed"
    assert store.heartbeat(first) is False  # a late beat does not revive it
    second = store.start_run("b", live_after=datetime.now(timezone.utc) - timedelta(minutes=2))
    assert [r.id for r in store.list_runs(source="b")] == [second, first]


def test_paused_sources_and_removal(store):
    store.upsert_source("b", "classifieds", "https://b.vn/", schedule_cron="15m")
    assert store.set_paused("b", True).paused and store.get_source("b").paused
    assert store.set_paused("nope", True) is None
    store.start_run("b")
    assert store.remove_source("b").name == "b" and store.get_source("b") is None and store.list_runs() == []


def test_an_alert_key_is_claimed_once_per_recipient_and_a_failure_can_be_claimed_again(store):
    def claim(recipient: str, **kw) -> bool:
        return store.claim_alert(key="score:post:1", rule="score", channel="webhook", recipient=recipient,
                                 subject="s", payload={"a": 1}, **kw)

    def finish(recipient: str, status: str):
        return store.finish_alert(key="score:post:1", channel="webhook", recipient=recipient, status=status, attempts=3)

    assert claim("https://a/") and not claim("https://a/")  # a second check at the same time
    finish("https://a/", "failed")
    assert store.sent_keys(["score:post:1"], "webhook", "https://a/") == set()
    assert claim("https://a/")
    assert finish("https://a/", "sent").attempts == 6
    assert not claim("https://a/")
    assert store.sent_keys(["score:post:1", "x"], "webhook", "https://a/") == {"score:post:1"}
    assert claim("https://b/") and not claim("https://b/")
    assert claim("https://b/", stale_before=datetime.now(timezone.utc) + timedelta(seconds=1))  # its process died
    assert store.alert_count(T0) == 1 and len(store.list_alerts()) == 2


def test_watch_listed_values_match_posts_stored_after_they_were_listed(store):
    entry = store.add_watch("phone", "0912 345 678", note="tip")
    with pytest.raises(ValueError, match="already on the watchlist"):
        store.add_watch("phone", "+84912345678")
    with pytest.raises(ValueError, match="unknown kind"):
        store.add_watch("fax", "1")
    store.add_watch("ewallet", "MOMO:+84987654321")
    ids = store.upsert_posts([post(1, entities=(("phone", "+84912345678"),)), post(2),
                              post(3, entities=(("ewallet", "MOMO:+84987654321"),))]).post_ids
    hits = store.watch_hits(entry.created_at - timedelta(seconds=1))
    assert sorted((w.kind, p) for w, p in hits) == [("ewallet", ids[2]), ("phone", ids[0])]
    assert store.remove_watch("phone", "0912345678") and not store.remove_watch("phone", "0912345678")


@pytest.mark.parametrize(("kind", "typed", "key"), [
    ("phone", "0912 345 678", "+84912345678"),
    ("zalo", "zalo.me/0912345678", "+84912345678"),
    ("telegram", "t.me/Tuyen_Dung", "@tuyen_dung"),
    ("bank", "Vietcombank: 0123 456 789", "VCB:0123456789"),
    ("bank", "Ngân hàng Quân đội 0912345678", "MB:0912345678"),
    ("bank", "VCB:0123456789", "VCB:0123456789"),  # an entity page's value stays itself
    ("ewallet", "Zalo Pay 0912 345 678", "ZALOPAY:+84912345678"),
    ("ewallet", "MOMO:+84912345678", "MOMO:+84912345678"),
])
def test_a_watch_entry_typed_as_people_write_it_is_the_value_the_extractor_stores(kind, typed, key):
    assert watch_key(kind, typed) == key


@pytest.mark.parametrize(("kind", "typed", "code"), [
    ("fax", "1", "unknown_kind"), ("bank", "chuyển khoản", "bad_format"), ("telegram", "@", "empty"),
])
def test_a_watch_entry_that_names_nothing_is_refused_with_its_reason(kind, typed, code):
    with pytest.raises(WatchError) as refused:
        watch_key(kind, typed)
    assert refused.value.code == code


def test_watchlist_changes_are_audited_with_who_made_them(store):
    store.add_watch("bank", "Vietcombank 0123 456 789", note="  tip  ", added_by="ivan")
    assert store.get_watch("bank", "VCB:0123456789").note == "tip"
    with pytest.raises(WatchError) as again:
        store.add_watch("bank", "VCB:0123456789")
    assert again.value.code == "already_listed"
    assert store.remove_watch("bank", "vcb: 0123-456-789", removed_by="ana")
    assert store.get_watch("bank", "VCB:0123456789") is None
    assert [(e.username, e.action, e.target) for e in reversed(store.list_audit())] == [
        ("ivan", "watchlist.add", "watch:bank:VCB:0123456789"), ("ana", "watchlist.remove", "watch:bank:VCB:0123456789")]


def test_networks_that_grew_within_a_day(store):
    ids = store.upsert_posts([post(n, entities=(("zalo", "+84911222333"),)) for n in range(1, 5)] + [post(9)]).post_ids
    grown = store.contact_growth(T0 - timedelta(hours=1), 4)
    assert [(g.kind, g.value, g.new_posts) for g in grown] == [("zalo", "+84911222333", 4)]
    assert grown[0].post_ids == sorted(ids[:4], reverse=True)
    assert store.contact_growth(T0 - timedelta(hours=1), 5) == []
    assert store.contact_growth(T0 + timedelta(hours=1), 2) == []  # first seen before the day


def test_posts_since_over_a_score_or_at_minor_risk(store):
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    store.upsert_posts([post(1, score=0.95), post(2, score=0.2, minor=True), post(3, score=0.3)])
    assert [p.canonical_url for p in store.posts_since(before, min_score=0.9)] == ["https://ex.vn/1"]
    assert [p.canonical_url for p in store.posts_since(before, minor_risk=True)] == ["https://ex.vn/2"]
    time.sleep(0.01)
    assert store.posts_since(datetime.now(timezone.utc), min_score=0.0) == []


def test_rescoring_writes_the_new_assessment_and_skips_a_post_changed_meanwhile(store):
    ids = store.upsert_posts([post(1), post(2)]).post_ids
    todo = store.posts_to_rescore("m2")
    assert [t.post_id for t in todo] == ids and store.count_to_rescore("m2") == 2
    store.mark_indexed(ids)
    changed = ToRescore(todo[1].post_id, todo[1].title, todo[1].text, None, "another-hash")
    values = dict(score=0.1, is_lure=False, threshold=0.6, model_version="m2", signals=[], categories=[],
                  minor_risk=False, priority=0, minor_cues=[])
    assert store.apply_assessments([(todo[0], values), (changed, values)]) == 1
    first, second = store.get_post(ids[0]), store.get_post(ids[1])
    assert (first.model_version, first.score, first.is_lure) == ("m2", 0.1, False)
    assert second.model_version == "m1"
    assert store.pending_post_ids() == [ids[0]]
    assert [t.post_id for t in store.posts_to_rescore("m2")] == [ids[1]]


def test_operations_state(store):
    assert store.get_state("alerts.cursor") is None
    store.set_state("alerts.cursor", {"checked_at": "x"})
    store.set_state("alerts.cursor", {"checked_at": "y"})
    assert store.get_state("alerts.cursor") == {"checked_at": "y"}
