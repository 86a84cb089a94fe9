"""The reviewers' workflow in the store, on SQLite and PostgreSQL: the queue's tabs, order, filters
and near-duplicate groups; claims; decisions with reasons, two-person referral, reopening;
network sizes kept at ingest; the post page read in bounded pieces."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from index.decisions import REASONS, DecisionRefused
from index.models import AuditEvent, Review
from index.document import PostIn
from index.post_page import json_list_prefix
from index.queue import QueueFilter
from index.store import Store

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
DUP = ("Tuyển gấp 20 bạn nam nữ làm việc nhẹ lương cao tại Campuchia, bao ăn ở, bao vé máy bay, lương từ 25 "
       "đến 30 triệu mỗi tháng, không cần kinh nghiệm, không cần bằng cấp, xuất cảnh nhanh trong tuần.")


def unique_text(n: int) -> str:
    return " ".join(f"w{n * 7919 + i * 104729:x}" for i in range(40))


def post(n: int, *, score: float = 0.9, is_lure: bool = True, priority: int = 1, minor: bool = False,
         text: str | None = None, phone: str | None = None, source: str = "board-a", day: int = 0,
         categories: tuple[str, ...] = ("fake-export-labour",), destination: str | None = None,
         title: str | None = None, signals: tuple = ()) -> PostIn:
    entities = []
    if phone:
        entities.append({"kind": "phone", "value": phone, "start": 0, "end": 1, "raw": phone})
    if destination:
        entities.append({"kind": "destination", "value": destination, "start": 0, "end": 1, "raw": destination})
    return PostIn(
        source=source, url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=title or f"Tin {n}",
        text=unique_text(n) if text is None else f"{text} Mã {n}.", posted_at=None,
        fetched_at=T0 + timedelta(days=day), raw_sha256=f"{n:064x}", score=score, is_lure=is_lure, threshold=0.5,
        model_version="m1", signals=list(signals), entities=entities, categories=list(categories), minor_risk=minor,
        priority=priority,
    )


def ids(store: Store, *posts: PostIn) -> list[int]:
    return store.upsert_posts(list(posts)).post_ids


def rows(page) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.post.id for r in page.rows]


def actions(store: Store) -> list[str]:
    return [e.action for e in reversed(store.list_audit(limit=500))]


# -- the queue ----------------------------------------------------------------------------------------

def test_queue_order_minor_then_priority_then_band_then_network_then_newest(store):
    a, b, c, d, e, f, g = ids(
        store,
        post(1, score=0.95, priority=1),
        post(2, score=0.55, priority=0, is_lure=False, minor=True),  # minor risk first, whatever its score
        post(3, score=0.91, priority=2),  # abroad: priority 2
        post(4, score=0.92, priority=1, phone="+84912000001"),  # same band as 1, bigger network
        post(5, score=0.93, priority=1, day=3),  # same band, network 1, newer than 1
        post(6, score=0.85, priority=1, phone="+84912000001"),  # a lower band
        post(7, score=0.2, is_lure=False),  # not flagged: not in the queue
    )
    page = store.queue_page(QueueFilter(), NOW)
    assert rows(page) == [b, c, d, e, a, f]
    assert [r.network_size for r in page.rows] == [1, 1, 2, 1, 1, 2]
    assert page.groups == page.posts == 6
    assert [p.id for p in store.queue()] == [b, c, d, e, a, f] and store.queue_count() == 6
    assert g not in rows(store.queue_page(QueueFilter(tab="queue"), NOW))


def test_network_size_follows_ingest(store):
    a, b = ids(store, post(1, phone="+84912000001"), post(2, phone="+84912000001"))
    assert [r.network_size for r in store.queue_page(QueueFilter(), NOW).rows] == [2, 2]
    (c,) = ids(store, post(3, phone="+84912000001"))
    assert {r.post.id: r.network_size for r in store.queue_page(QueueFilter(), NOW).rows} == {a: 3, b: 3, c: 3}
    # The post changes and drops the shared phone: the others' networks shrink.
    changed = post(3, phone="+84912999999", text="nội dung mới hoàn toàn khác")
    assert store.upsert_posts([changed]).outcomes == ["changed"]
    assert {r.post.id: r.network_size for r in store.queue_page(QueueFilter(), NOW).rows} == {a: 2, b: 2, c: 1}


def test_near_duplicates_are_one_row_with_a_count_and_decided_together(store):
    a, b, c, d = ids(store, post(1, text=DUP, score=0.8), post(2, text=DUP, score=0.97), post(3, text=DUP, score=0.85),
                     post(4, day=-1))
    page = store.queue_page(QueueFilter(), NOW)
    assert rows(page) == [b, d] and [r.group_size for r in page.rows] == [3, 1]
    assert (page.groups, page.posts) == (2, 4)
    members = store.queue_group(b, QueueFilter())
    assert members[0] == b and sorted(members) == [a, b, c]
    result = store.decide(members, "alice", "lure", "job_abroad_high_pay", "cùng một tin", now=NOW, via="group")
    assert result.post_ids == [a, b, c] and result.status == "confirmed" and not result.skipped
    assert rows(store.queue_page(QueueFilter(), NOW)) == [d]
    assert actions(store).count("review.decision") == 3


def test_queue_filters(store):
    a, b, c, d = ids(
        store,
        post(1, source="board-a", categories=("fake-export-labour",), destination="KH:Sihanoukville"),
        post(2, source="board-b", categories=("abroad-casino/scam-compound", "online-task/CTV-scam"),
             destination="MM:Myawaddy", day=5),
        post(3, source="board-b", minor=True, priority=3, categories=("minor-targeting",), destination="KH"),
        post(4, source="board-a", day=10, categories=("online-task/CTV-scam",)),
    )

    def shown(**kw) -> set[int]:  # type: ignore[no-untyped-def]
        return set(rows(store.queue_page(QueueFilter(**kw), NOW)))

    assert shown(source="board-b") == {b, c}
    assert shown(category="online-task/CTV-scam") == {b, d}
    assert shown(category="online-task") == set()  # whole codes only
    assert shown(destination="KH") == {a, c}  # a country takes its places
    assert shown(destination="KH:Sihanoukville") == {a}
    assert shown(minor=True) == {c} and shown(minor=False) == {a, b, d}
    assert shown(seen_from=T0 + timedelta(days=5)) == {b, d}
    assert shown(seen_from=T0 + timedelta(days=1), seen_to=T0 + timedelta(days=6)) == {b}
    assert shown(source="board-a", category="online-task/CTV-scam") == {d}
    assert store.queue_matching_count(QueueFilter(source="board-b")) == 2
    assert sorted(store.queue_matching(QueueFilter(source="board-b"), 10)) == [b, c]
    sources, places = store.queue_options()
    assert sources == ["board-a", "board-b"] and places == ["KH", "KH:Sihanoukville", "MM:Myawaddy"]


def test_tabs(store):
    a, b, c, d, e = ids(
        store,
        post(1, score=0.52),  # flagged, near the threshold: in both the queue and "uncertain"
        post(2, score=0.45, is_lure=False),  # below, near: only "uncertain"
        post(3, score=0.95),
        post(4, score=0.9),
        post(5, score=0.7),
    )
    assert set(rows(store.queue_page(QueueFilter(tab="uncertain"), NOW))) == {a, b}
    assert set(rows(store.queue_page(QueueFilter(tab="uncertain", margin=0.25), NOW))) == {a, b, e}
    store.record_review(c, "alice", "needs_info", "", reason="check_contacts")
    store.record_review(d, "alice", "escalate", "", reason="trafficking_suspected")
    store.record_review(e, "alice", "escalate", "", reason="organised_network")
    store.confirm_referral([e], "bob", "", now=NOW)
    assert rows(store.queue_page(QueueFilter(tab="needs_info"), NOW)) == [c]
    # Waiting for a second reviewer first, then those referred.
    escalations = store.queue_page(QueueFilter(tab="escalations"), NOW)
    assert rows(escalations) == [d, e] and [r.post.status for r in escalations.rows] == ["referral_pending", "escalated"]
    assert store.queue_tab_counts() == {"needs_info": 1, "escalations": 2}
    assert store.queue_tab_counts(("queue", "uncertain")) == {"queue": 1, "uncertain": 2}
    with pytest.raises(ValueError):
        QueueFilter(tab="everything")


def test_queue_pages(store):
    pids = ids(store, *[post(n, score=0.5 + n / 100) for n in range(1, 8)])
    first = store.queue_page(QueueFilter(), NOW, limit=3)
    second = store.queue_page(QueueFilter(), NOW, limit=3, offset=3)
    assert rows(first) + rows(second) == sorted(pids, reverse=True)[:6]
    assert first.groups == 7


@pytest.mark.parametrize("tab", ["queue", "uncertain"])
def test_queue_read_through_small_windows_keeps_the_full_order(store, monkeypatch, tab):
    """Runs of one band longer than the window, read again from a later offset: the rows are the
    full SQL order (every key) collapsed to each group's first post, page after page."""
    import random

    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from index import queue as queue_tabs

    rng = random.Random(11)
    made = [post(n, score=rng.choice([0.42, 0.45, 0.5, 0.55, 0.58, 0.61, 0.9, 0.95, 0.99]),
                 priority=rng.randrange(3), minor=rng.random() < 0.2, day=rng.randrange(5),
                 phone=rng.choice([None, "+84912000001", "+84912000002"]),
                 text=DUP if rng.random() < 0.25 else None) for n in range(1, 41)]
    ids(store, *made)
    f = QueueFilter(tab=tab)
    with Session(store.engine) as s:
        order = s.execute(sa.select(queue_tabs.Post.id, queue_tabs._group()).where(*queue_tabs.conditions(f))
                          .order_by(*[k.desc() for k in queue_tabs._urgency(f)])).all()
    expected = list(dict.fromkeys(group for _, group in order))  # groups, in order of their first post
    firsts = {}
    for post_id, group in order:
        firsts.setdefault(group, post_id)
    monkeypatch.setattr(queue_tabs, "WINDOW", 3)
    pages = [store.queue_page(f, NOW, limit=4, offset=o) for o in range(0, len(expected) + 4, 4)]
    assert [pid for page in pages for pid in rows(page)] == [firsts[g] for g in expected]
    sizes = {g: sum(1 for _, grp in order if grp == g) for g in expected}
    assert [r.group_size for page in pages for r in page.rows] == [sizes[g] for g in expected]
    assert (pages[0].groups, pages[0].posts) == (len(expected), len(order))
    assert len(expected) > 8 and any(n > 1 for n in sizes.values())


# -- decisions, referral, reopening -------------------------------------------------------------------

def test_reasons_come_from_the_decisions_list(store):
    (pid,) = ids(store, post(1))
    with pytest.raises(ValueError, match="unknown reason"):
        store.decide([pid], "alice", "lure", "legitimate_employer", "", now=NOW)  # a reason of not_lure
    with pytest.raises(ValueError, match="unknown decision"):
        store.decide([pid], "alice", "delete", "other", "", now=NOW)
    assert store.get_post(pid).status == "new" and store.list_audit() == []
    review = store.record_review(pid, "alice", "lure", "Zalo lừa", reason="deposit_or_fee", now=NOW)
    assert (review.reason, review.note, review.created_at) == ("deposit_or_fee", "Zalo lừa", NOW)
    event_ = store.list_audit(limit=1)[0]
    assert event_.detail["reason"] == "deposit_or_fee" and event_.detail["via"] == "post"
    assert all(REASONS[d][-1] == "other" for d in REASONS)


def test_a_final_decision_is_only_changed_by_reopening_with_a_reason(store):
    (pid,) = ids(store, post(1))
    store.record_review(pid, "alice", "lure", "", reason="job_abroad_high_pay")
    for who in ("alice", "bob"):  # neither the reviewer nor anyone else flips it in one step
        with pytest.raises(DecisionRefused) as refused:
            store.record_review(pid, who, "not_lure", "", reason="legitimate_employer")
        assert refused.value.code == "final"
    assert store.get_post(pid).status == "confirmed"
    with pytest.raises(ValueError, match="unknown reason"):
        store.reopen([pid], "alice", "", "", now=NOW)
    reopened = store.reopen([pid], "alice", "wrong_decision", "công ty có giấy phép", now=NOW)
    assert reopened.status == "new" and reopened.post_ids == [pid]
    assert store.reopen([pid], "alice", "wrong_decision", "", now=NOW).skipped == {"not_final": [pid]}
    store.record_review(pid, "alice", "not_lure", "", reason="licensed_agency")
    view = store.get_post(pid)
    assert view.status == "dismissed"
    assert [(r.decision, r.reason) for r in view.reviews] == [
        ("lure", "job_abroad_high_pay"), ("reopen", "wrong_decision"), ("not_lure", "licensed_agency")]
    assert actions(store) == ["review.decision", "review.reopen", "review.decision"]


def test_needs_info_is_not_final(store):
    (pid,) = ids(store, post(1))
    store.record_review(pid, "alice", "needs_info", "", reason="foreign_language")
    store.record_review(pid, "alice", "lure", "", reason="task_scam")  # the same reviewer, later
    assert store.get_post(pid).status == "confirmed"


def test_referral_needs_a_second_different_reviewer(store):
    a, b = ids(store, post(1), post(2))
    store.record_review(a, "alice", "escalate", "đường dây", reason="organised_network")
    assert store.get_post(a).status == "referral_pending"
    own = store.confirm_referral([a], "alice", "", now=NOW)
    assert own.skipped == {"own_referral": [a]} and store.get_post(a).status == "referral_pending"
    with pytest.raises(DecisionRefused) as refused:  # no decision on top of a pending referral
        store.record_review(a, "bob", "lure", "", reason="task_scam")
    assert refused.value.code == "referral_pending"
    confirmed = store.confirm_referral([a], "bob", "xác nhận", now=NOW)
    assert confirmed.status == "escalated" and confirmed.post_ids == [a]
    assert store.get_post(a).status == "escalated"
    assert store.confirm_referral([a], "carol", "", now=NOW).skipped == {"not_referred": [a]}
    # Declined (here withdrawn by the referrer): back to the queue.
    store.record_review(b, "alice", "escalate", "", reason="victim_contact")
    declined = store.decline_referral([b], "alice", "decide_in_queue", "nhầm", now=NOW)
    assert declined.status == "new" and store.get_post(b).status == "new"
    trail = [(e.action, e.username, e.detail.get("status_after")) for e in reversed(store.list_audit(limit=50))]
    assert trail == [
        ("review.decision", "alice", "referral_pending"), ("review.referral_confirmed", "bob", "escalated"),
        ("review.decision", "alice", "referral_pending"), ("review.referral_declined", "alice", "new"),
    ]


def test_decision_and_its_audit_are_one_transaction(store):
    a, b, c = ids(store, post(1), post(2), post(3))
    store.record_review(c, "alice", "lure", "", reason="task_scam")

    def boom(*_args):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit storage down")

    event.listen(AuditEvent, "before_insert", boom)
    try:
        with pytest.raises(RuntimeError):
            store.decide([a, b], "alice", "lure", "task_scam", "", now=NOW, via="bulk")
        with pytest.raises(RuntimeError):
            store.reopen([c], "alice", "wrong_decision", "", now=NOW)
    finally:
        event.remove(AuditEvent, "before_insert", boom)
    assert store.get_post(a).reviews == [] and store.get_post(b).status == "new"
    assert store.get_post(c).status == "confirmed" and len(store.get_post(c).reviews) == 1


def test_bulk_decision_audits_each_post_and_the_whole(store):
    a, b, c = ids(store, post(1), post(2), post(3))
    store.record_review(c, "alice", "lure", "", reason="task_scam")
    result = store.decide([a, b, c, 999_999], "alice", "not_lure", "spam_or_duplicate", "", now=NOW, via="bulk",
                          context={"filter": {"source": "board-a"}})
    assert result.post_ids == [a, b] and result.skipped == {"final": [c], "missing": [999_999]}
    assert result.skipped_count == 2
    bulk = store.list_audit(limit=1)[0]
    assert bulk.action == "review.bulk"
    assert bulk.detail == {"decision": "not_lure", "reason": "spam_or_duplicate", "decided": 2,
                           "skipped": {"final": 1, "missing": 1}, "filter": {"source": "board-a"}}
    assert [e.detail["via"] for e in store.list_audit(limit=3)[1:]] == ["bulk", "bulk"]


def test_uncertain_decisions_go_first_into_the_training_labels(store):
    a, b, c = ids(store, post(1, score=0.9), post(2, score=0.55), post(3, score=0.45, is_lure=False))
    for pid, decision, reason in ((a, "lure", "task_scam"), (b, "not_lure", "legitimate_employer"),
                                  (c, "lure", "deposit_or_fee")):
        store.record_review(pid, "alice", decision, "", reason=reason)
    labels = list(store.review_labels())
    assert [(row.post_id, row.label, row.uncertain) for row in labels] == [
        (b, "legit", True), (c, "lure", True), (a, "lure", False)]


# -- claims ---------------------------------------------------------------------------------------------

def test_claims_keep_two_reviewers_apart_until_they_expire(store):
    a, b = ids(store, post(1), post(2))
    mine = store.claim([a, b], "alice", NOW, 900)
    assert mine.taken == [a, b] and mine.held_by_others == {} and mine.expires_at == NOW + timedelta(seconds=900)
    theirs = store.claim([a], "bob", NOW + timedelta(minutes=5), 900)
    assert theirs.taken == [] and theirs.held_by_others[a].username == "alice"
    refused = store.decide([a], "bob", "lure", "task_scam", "", now=NOW + timedelta(minutes=5))
    assert refused.skipped == {"claimed": [a]} and store.get_post(a).status == "new"
    with pytest.raises(DecisionRefused) as err:
        store.record_review(a, "bob", "lure", "", now=NOW + timedelta(minutes=5))
    assert err.value.code == "claimed"
    # Renewed by its holder; taken over by someone else once expired.
    assert store.claim([a], "alice", NOW + timedelta(minutes=10), 900).taken == [a]
    later = NOW + timedelta(minutes=26)
    assert store.claim([a], "bob", later, 900).taken == [a]
    assert store.live_claims([a, b], later)[a].username == "bob" and b not in store.live_claims([a, b], later)
    # A decision releases the claim; the queue shows who holds a post.
    page = store.queue_page(QueueFilter(), later)
    assert {r.post.id: (r.claim.username if r.claim else None) for r in page.rows} == {a: "bob", b: None}
    store.decide([a], "bob", "lure", "task_scam", "", now=later)
    assert store.live_claims([a], later) == {}
    assert store.release_claims([b], "bob") == 0 and store.release_claims([b]) == 1
    assert store.claim([424242], "alice", NOW, 60).taken == []  # no such post


# -- the post page, bounded ---------------------------------------------------------------------------

def test_json_list_prefix_reads_whole_elements_of_a_cut_list():
    whole = json.dumps([{"id": "a", "start": i} for i in range(5)])
    items, complete = json_list_prefix(whole, 10)
    assert [d["start"] for d in items] == [0, 1, 2, 3, 4] and complete
    items, complete = json_list_prefix(whole, 2)
    assert [d["start"] for d in items] == [0, 1] and not complete
    assert json_list_prefix(whole, 5)[1]  # exactly all of them
    cut = whole[: whole.index('"start": 3') + 4]
    items, complete = json_list_prefix(cut, 10)
    assert [d["start"] for d in items] == [0, 1, 2] and not complete
    assert json_list_prefix("", 5) == ([], True) and json_list_prefix("[]", 5) == ([], True)
    assert json_list_prefix("{}", 5) == ([], True)


def test_post_page_reads_a_huge_post_in_bounded_pieces(store):
    phrase = "Việc nhẹ lương cao. "
    title = "Tuyển gấp " * 100  # 1000 characters
    text = phrase * 50_000  # 1 MB
    offset = len(title) + 1
    signals = tuple(
        {"id": "high_pay", "label_vi": "Việc nhẹ lương cao", "label_en": "Easy work, high pay", "category": "x",
         "start": offset + i * len(phrase), "end": offset + i * len(phrase) + 18, "phrase": "Việc nhẹ lương cao",
         "weight": 1.0}
        for i in range(50_000)
    )
    (pid,) = ids(store, post(1, title=title, text=text, signals=signals, phone="+84912000001"))
    page = store.post_page(pid, text_cap=2000, title_cap=300)
    assert (len(page.post.title), page.title_length) == (300, 1000)
    assert page.post.text == text[:2000] and page.text_length == len(text) + len(" Mã 1.")
    assert page.text_truncated
    assert page.signals_total is None  # more than were read (the list is never parsed whole)
    # Only the signals that start in the shown text; each where the classifier put it.
    assert len(page.signals) == 2000 // len(phrase)
    assert all(s.start < offset + 2000 for s in page.signals)
    assert page.entities_total == 1 and page.post.phones == ["+84912000001"]
    assert store.post_text(pid) == (title, text + " Mã 1.")
    assert store.post_page(pid + 1, text_cap=10) is None


def test_versions_and_their_diff_pair(store):
    (pid,) = ids(store, post(1, text="Lương 10 triệu, làm ở Hà Nội."))
    store.upsert_posts([post(1, text="Lương 30 triệu, làm ở Campuchia.", day=1)])
    store.upsert_posts([post(1, text="Lương 30 triệu, làm ở Campuchia, bao vé.", day=2)])
    page = store.post_page(pid, text_cap=100)
    assert page.versions_total == 2 and [v.fetched_at for v in page.versions] == [T0 + timedelta(days=1), T0]
    older, newer = page.versions[1], page.versions[0]
    pair = store.post_version_pair(pid, older.id, 100)
    assert (pair.old_text, pair.new_text, pair.new_label) == (
        "Lương 10 triệu, làm ở Hà Nội. Mã 1.", "Lương 30 triệu, làm ở Campuchia. Mã 1.", str(newer.id))
    last = store.post_version_pair(pid, newer.id, 10)
    assert last.new_label == "current" and last.new_text == "Lương 30 t" and last.truncated
    assert store.post_version_pair(pid + 1, older.id, 100) is None


def test_related_posts_near_duplicates_and_shared_contacts(store):
    a, b, c, d = ids(store, post(1, text=DUP, phone="+84912000001"), post(2, text=DUP, day=1),
                     post(3, phone="+84912000001", day=2), post(4))
    page = store.post_page(a, text_cap=1000)
    related = store.related_posts(a, page.entities)
    assert [p.id for p in related.near_dups] == [b] and related.near_dups_total == 1
    assert [(p.id, p.via) for p in related.same_contact] == [(c, "phone:+84912000001")]
    assert related.same_contact_total == 1
    assert store.entity_post_counts([("phone", "+84912000001"), ("phone", "+84999")]) == {
        ("phone", "+84912000001"): 2, ("phone", "+84999"): 0}
    lonely = store.related_posts(d, [])
    assert (lonely.near_dups, lonely.same_contact, lonely.near_dups_total) == ([], [], 0)


def test_reviews_table_keeps_reason_and_uncertain(store):
    (pid,) = ids(store, post(1, score=0.5))
    store.record_review(pid, "alice", "lure", "", reason="task_scam")
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT reason, uncertain FROM reviews").one()
    assert (row[0], bool(row[1])) == ("task_scam", True)
    assert Review.__table__.c.reason.server_default is not None
