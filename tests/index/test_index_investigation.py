"""Investigators' store functions on SQLite and PostgreSQL: entity pages, networks from an entity,
e-wallet and USDT entities end to end, cases (audited in their transaction), saved searches."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from classifier.entities import extract_entities
from index.cases import MAX_POSTS_PER_CASE, CaseError
from index.document import PostIn
from index.entity_keys import normalize_entity
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store
from index.sync import catch_up

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
USDT = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"


def post(n: int, *, source: str = "fb", entities: tuple[tuple[str, str], ...] = (), day: int = 0,
         text: str | None = None, status_lure: bool = True) -> PostIn:
    return PostIn(
        source=source, url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=f"Tin {n}",
        text=text or " ".join(f"w{n * 7919 + i * 104729:x}" for i in range(30)), posted_at=None,
        fetched_at=T0 + timedelta(days=day), raw_sha256=f"{n:064x}", score=0.9, is_lure=status_lure,
        threshold=0.5, model_version="m1", signals=[],
        entities=[{"kind": k, "value": v, "start": 0, "end": 1, "raw": v} for k, v in entities],
        categories=["abroad"], minor_risk=False, priority=1,
    )


def actions(store: Store) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in reversed(store.list_audit(limit=200))]


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("ewallet", "momo: 0987.654.321", "MOMO:+84987654321"),
    ("ewallet", "Zalo Pay:0912345678", "ZALOPAY:+84912345678"),
    ("ewallet", "viettel money:0912345678", "VIETTELPAY:+84912345678"),
    ("ewallet", "vnpay:123456789012", "VNPAY:123456789012"),
    ("usdt_trc20", f" {USDT} ", USDT),
])
def test_normalize_ewallet_and_usdt(kind, raw, value):
    assert normalize_entity(kind, raw) == value
    assert normalize_entity(kind, value) == value  # idempotent


@pytest.mark.parametrize("raw", ["0912345678", "momo:", ":0912345678"])
def test_an_ewallet_without_a_wallet_or_a_number_is_no_key(raw):
    assert normalize_entity("ewallet", raw) == ""


def test_classifier_wallets_reach_the_search_filters(tmp_path):
    """Real extraction -> store -> search document -> ewallet:/usdt: filters (sqlite)."""
    text = "Nạp qua Momo 0987.654.321 để nhận nhiệm vụ."
    ents = [{"kind": e.kind, "value": e.value, "start": e.start, "end": e.end, "raw": e.raw}
            for e in extract_entities(text) if e.kind == "ewallet"]
    assert [e["value"] for e in ents] == ["MOMO:+84987654321"]
    ents.append({"kind": "usdt_trc20", "value": USDT, "start": 0, "end": 1, "raw": USDT})
    url = f"sqlite:///{tmp_path}/lw.db"
    store = Store.open(get_index_settings(database_url=url))
    search = SqliteSearch(sa.create_engine(url))
    search.ensure_index()
    [pid, _] = store.upsert_posts([replace(post(1, text=text), entities=ents), post(2)]).post_ids
    catch_up(store, search)
    assert [h.post_id for h in search.search("ewallet:momo:0987654321").hits] == [pid]
    assert [h.post_id for h in search.search(f"usdt:{USDT}").hits] == [pid]
    assert search.search("ewallet:zalopay:0987654321").total == 0


def test_entity_summary_pages_and_co_entities(store):
    phone = "+84912345678"
    pids = store.upsert_posts([
        post(1, source="fb", entities=(("phone", phone), ("bank", "VCB:0123456789")), day=0),
        post(2, source="chotot", entities=(("phone", phone), ("bank", "VCB:0123456789")), day=3),
        post(3, source="fb", entities=(("phone", phone), ("ewallet", "MOMO:+84987654321")), day=5),
        post(4, source="fb", entities=(("phone", "+84999999999"),), day=1),
    ]).post_ids
    summary = store.entity_summary("phone", "0912 345 678")
    assert (summary.value, summary.n_posts) == (phone, 3)
    assert summary.first_seen == T0 and summary.last_seen == T0 + timedelta(days=5)
    assert summary.sources == [("fb", 2), ("chotot", 1)]
    assert summary.statuses == [("new", 3)]
    assert [p.id for p in store.posts_by_entity("phone", phone, limit=2)] == [pids[2], pids[1]]
    assert [p.id for p in store.posts_by_entity("phone", phone, limit=2, offset=2)] == [pids[0]]
    assert store.entity_post_ids("phone", phone) == [pids[2], pids[1], pids[0]]
    co = [(c.kind, c.value, c.n_posts) for c in store.co_entities("phone", phone)]
    assert co == [("bank", "VCB:0123456789", 2), ("ewallet", "MOMO:+84987654321", 1)]
    empty = store.entity_summary("phone", "0900000000")
    assert (empty.n_posts, empty.first_seen, empty.sources) == (0, None, [])


def test_network_from_an_entitys_posts_follows_wallets(store):
    pids = store.upsert_posts([
        post(1, entities=(("phone", "+84912345678"),)),
        post(2, entities=(("phone", "+84912345678"), ("ewallet", "MOMO:+84987654321"))),
        post(3, entities=(("ewallet", "MOMO:+84987654321"), ("usdt_trc20", USDT))),
        post(4, entities=(("usdt_trc20", USDT),)),
        post(5, entities=(("phone", "+84900000000"),)),
    ]).post_ids
    seeds = store.entity_post_ids("phone", "+84912345678")
    net = store.network(seeds)
    assert set(net.post_ids) == set(pids[:4]) and net.post_ids[:2] == seeds
    reasons = {r for _, _, r in net.edges}
    assert {"phone:+84912345678", "ewallet:MOMO:+84987654321", f"usdt_trc20:{USDT}"} <= reasons
    capped = store.network(seeds, max_posts=1)
    assert capped.truncated and capped.post_ids == seeds[:1]
    with pytest.raises(ValueError):
        store.network([pids[0], 10**9])


def test_posts_with_contacts_keep_the_given_order(store):
    pids = store.upsert_posts([post(1, entities=(("phone", "+84912345678"), ("usdt_trc20", USDT))),
                               post(2)]).post_ids
    rows = store.posts_with_contacts([pids[1], 10**9, pids[0]], ["phone", "usdt_trc20"])
    assert [(p.id, contacts) for p, contacts in rows] == [
        (pids[1], {}), (pids[0], {"phone": ["+84912345678"], "usdt_trc20": [USDT]})]


def test_case_life_each_change_audited(store):
    pids = store.upsert_posts([post(1), post(2), post(3)]).post_ids
    case = store.create_case("  Đường dây   Campuchia  ", "ivan")
    assert (case.title, case.status, case.n_posts) == ("Đường dây Campuchia", "open", 0)
    assert store.add_case_posts(case.id, [pids[0], pids[1], pids[0]], "ivan") == 2
    assert store.add_case_posts(case.id, [pids[1], pids[2]], "ana") == 1  # pids[1] already in
    store.add_case_note(case.id, "ivan", "Cùng số Zalo với vụ tháng trước.")
    assert store.set_case_status(case.id, "referred", "ivan").status == "referred"
    assert store.remove_case_post(case.id, pids[2], "ivan") is True
    assert store.remove_case_post(case.id, pids[2], "ivan") is False
    view = store.get_case(case.id)
    assert [p.post.id for p in view.posts] == pids[:2] and view.posts[0].added_by == "ivan"
    assert [n.text for n in view.notes] == ["Cùng số Zalo với vụ tháng trước."]
    assert [(e.action, e.username) for e in view.history] == [
        ("case.create", "ivan"), ("case.add_posts", "ivan"), ("case.add_posts", "ana"), ("case.note", "ivan"),
        ("case.status", "ivan"), ("case.remove_post", "ivan")]
    assert view.history[2].detail == {"post_ids": [pids[2]], "already_in_case": 1}
    assert view.history[4].detail == {"status_before": "open", "status_after": "referred"}
    listed = store.list_cases()
    assert [(c.id, c.n_posts) for c in listed] == [(case.id, 2)]
    assert store.list_cases(status="open") == []


def test_refused_case_changes_write_nothing(store):
    [pid] = store.upsert_posts([post(1)]).post_ids
    case = store.create_case("Vụ", "ivan")
    before = actions(store)
    for call, code in [
        (lambda: store.add_case_posts(case.id, [pid, 10**9], "ivan"), "unknown_post"),
        (lambda: store.add_case_posts(10**9, [pid], "ivan"), "unknown_case"),
        (lambda: store.set_case_status(case.id, "archived", "ivan"), "bad_status"),
        (lambda: store.add_case_note(case.id, "ivan", "   "), "empty_note"),
        (lambda: store.create_case("  ", "ivan"), "empty_title"),
    ]:
        with pytest.raises(CaseError) as err:
            call()
        assert err.value.code == code
    assert actions(store) == before
    assert store.get_case(case.id).posts == []


def test_a_case_has_a_bounded_number_of_posts(store, monkeypatch):
    import index.cases

    monkeypatch.setattr(index.cases, "MAX_POSTS_PER_CASE", 2)
    pids = store.upsert_posts([post(1), post(2), post(3)]).post_ids
    case = store.create_case("Vụ", "ivan")
    store.add_case_posts(case.id, pids[:2], "ivan")
    with pytest.raises(CaseError) as err:
        store.add_case_posts(case.id, pids[2:], "ivan")
    assert err.value.code == "too_many_posts" and MAX_POSTS_PER_CASE == 1000


def test_a_post_in_a_case_cannot_be_deleted(store):
    [pid] = store.upsert_posts([post(1)]).post_ids
    case = store.create_case("Vụ", "ivan")
    store.add_case_posts(case.id, [pid], "ivan")
    with pytest.raises(sa.exc.IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM posts WHERE id = :id"), {"id": pid})


def test_case_dossier_reads_posts_with_their_reviews(store):
    pids = store.upsert_posts([post(1, entities=(("phone", "+84912345678"),)), post(2)]).post_ids
    store.record_review(pids[0], "alice", "lure", "rõ ràng")
    case = store.create_case("Vụ", "ivan")
    store.add_case_posts(case.id, [pids[1], pids[0]], "ivan")
    dossier = store.case_dossier(case.id)
    assert [p.id for p in dossier.posts] == [pids[1], pids[0]]
    assert [(r.username, r.decision) for r in dossier.posts[1].reviews] == [("alice", "lure")]
    assert dossier.posts[1].entities[0].value == "+84912345678"
    assert dossier.added[pids[0]][0] == "ivan"
    assert store.case_dossier(10**9) is None


def test_saved_searches_are_per_user_and_audited(store):
    first = store.save_search("ivan", "Momo", "ewallet:momo:0987654321")
    store.save_search("ivan", "Momo", "ewallet:momo:0987654321 sort:newest")  # same name: replaced
    store.save_search("ana", "Momo", "x")
    mine = store.list_saved_searches("ivan")
    assert [(s.id, s.name, s.query) for s in mine] == [(first.id, "Momo", "ewallet:momo:0987654321 sort:newest")]
    assert store.delete_saved_search("ana", first.id) is False  # not hers
    assert store.delete_saved_search("ivan", first.id) is True
    assert store.list_saved_searches("ivan") == [] and len(store.list_saved_searches("ana")) == 1
    assert [a for a, _ in actions(store)] == ["saved_search.save"] * 3 + ["saved_search.delete"]
    with pytest.raises(ValueError):
        store.save_search("ivan", " ", "x")
