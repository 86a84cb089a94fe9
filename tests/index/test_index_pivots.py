"""Entity pivots, near-duplicate clusters and networks, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from index.document import PostIn
from index.entity_keys import normalize_entity
from index.store import Store

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
LURE = (
    "Tuyển gấp 20 bạn nam nữ làm việc nhẹ lương cao tại Campuchia, bao ăn ở, bao vé máy bay, "
    "lương từ 25 đến 30 triệu mỗi tháng, không cần kinh nghiệm, không cần bằng cấp, được đào tạo "
    "miễn phí, làm việc trong văn phòng máy lạnh, xuất cảnh nhanh trong tuần, liên hệ ngay."
)
OTHER = "Cửa hàng cần tuyển nhân viên bán hàng part-time ở Quận 3, lương theo giờ, thứ hai đến thứ sáu."


def unique_text(n: int) -> str:
    """A text that shares no 5-char shingle family with another n (not a near-duplicate)."""
    return " ".join(f"w{n * 7919 + i * 104729:x}" for i in range(40))


def post(n: int, *, text: str | None = None, entities: tuple[tuple[str, str], ...] = (), day: int = 0) -> PostIn:
    return PostIn(
        source="fixture", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}",
        title=f"Tin {n}", text=unique_text(n) if text is None else f"{text} Mã tin {n}.", posted_at=None,
        fetched_at=T0 + timedelta(days=day), raw_sha256=f"{n:064x}", score=0.9, is_lure=True,
        threshold=0.5, model_version="m1", signals=[],
        entities=[{"kind": k, "value": v, "start": 0, "end": 1, "raw": v} for k, v in entities],
        categories=["abroad"], minor_risk=False, priority=1,
    )


def ids(store: Store, *posts: PostIn) -> list[int]:
    return store.upsert_posts(list(posts)).post_ids


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("phone", "0912 345 678", "+84912345678"),
        ("phone", "+84 912.345.678", "+84912345678"),
        ("phone", "84912345678", "+84912345678"),
        ("zalo", "zalo.me/0912345678", "+84912345678"),
        ("zalo", "Tuyen.Dung_VN", "tuyen.dung_vn"),
        ("telegram", "https://t.me/Tuyen_Dung", "@tuyen_dung"),
        ("telegram", "@Tuyen_Dung", "@tuyen_dung"),
        ("bank", "vcb: 0071 0012 3456", "VCB:007100123456"),
    ],
)
def test_normalize_entity(kind, raw, value):
    assert normalize_entity(kind, raw) == value
    assert normalize_entity(kind, value) == value  # idempotent on canonical values


def test_phones_written_differently_pivot_together(store):
    a, b, c = ids(
        store,
        post(1, entities=(("phone", "+84912345678"),), day=0),
        post(2, entities=(("phone", "0912 345 678"),), day=2),  # another producer, not canonical
        post(3, entities=(("phone", "+84987654321"),), day=1),
    )
    found = store.posts_by_entity("phone", "0912.345.678")
    assert [p.id for p in found] == [b, a]  # most recently seen first
    assert found[0].phones == ["+84912345678"]
    assert [p.id for p in store.posts_by_entity("phone", "0987 654 321")] == [c]
    assert store.posts_by_entity("phone", "0900000000") == []
    assert len(store.posts_by_entity("phone", "+84912345678", limit=1)) == 1


def test_entity_counts(store):
    a, _b, _c = ids(
        store,
        post(1, entities=(("phone", "+84912345678"), ("telegram", "@tuyendung"))),
        post(2, entities=(("phone", "+84912345678"),)),
        post(3, entities=(("phone", "+84912345678"), ("telegram", "@khac"))),
    )
    counts = [(c.kind, c.value, c.n_posts) for c in store.entity_counts(a)]
    assert counts == [("phone", "+84912345678", 3), ("telegram", "@tuyendung", 1)]


def test_near_duplicates_share_a_cluster(store):
    a, b, c = ids(store, post(1, text=LURE), post(2, text=OTHER), post(3, text=LURE.replace("25", "35")))
    assert store.network(b).post_ids == [b]
    # Folded: accents dropped by a reposter are still the same text.
    (d,) = ids(store, post(4, text="Tuyen gap 20 ban nam nu lam viec nhe luong cao tai Campuchia, bao an o, "
                          "bao ve may bay, luong tu 25 den 30 trieu moi thang, khong can kinh nghiem, "
                          "khong can bang cap, duoc dao tao mien phi, lam viec trong van phong may lanh, "
                          "xuat canh nhanh trong tuan, lien he ngay."))
    network = store.network(a)
    assert set(network.post_ids) == {a, c, d}
    assert {(x, y) for x, y, reason in network.edges if reason == "near_dup"} == {(a, c), (a, d)}
    assert b not in network.post_ids


def test_network_across_two_phones_and_a_near_dup(store):
    p1, p2, p3, p4, p5, p6 = ids(
        store,
        post(1, entities=(("phone", "+84912345678"), ("destination", "KH:Sihanoukville")), day=0),
        post(2, entities=(("phone", "0912345678"), ("phone", "0987654321")), day=3),
        post(3, text=LURE, entities=(("phone", "+84987654321"), ("zalo", "0911111111")), day=5),
        post(4, text=LURE.replace("20 bạn", "30 bạn")),  # no contact at all: linked by its text
        post(5, entities=(("phone", "+84911111111"),), day=9),  # same number as p3's Zalo: other kind
        post(6, entities=(("destination", "KH:Sihanoukville"),)),  # a shared place is no link
    )
    net = store.network(p1)
    assert net.post_ids[0] == p1 and set(net.post_ids) == {p1, p2, p3, p4}
    assert net.size == 4 and not net.truncated
    assert sorted(net.edges) == [
        (p1, p2, "phone:+84912345678"),
        (p2, p3, "phone:+84987654321"),
        (p3, p4, "near_dup"),
    ]
    assert net.post_ids.index(p4) > net.post_ids.index(p3) > net.post_ids.index(p2)  # breadth-first
    assert net.first_seen == T0 and net.last_seen == T0 + timedelta(days=5)
    assert p5 not in net.post_ids and p6 not in net.post_ids
    assert store.network(p5).post_ids == [p5] and store.network(p5).edges == []
    with pytest.raises(ValueError):
        store.network(p6 + 100)


def test_network_links_zalo_to_zalo(store):
    a, b = ids(
        store,
        post(1, entities=(("zalo", "0987654321"),)),
        post(2, entities=(("zalo", "zalo.me/84987654321"),)),
    )
    assert store.network(a).edges == [(a, b, "zalo:+84987654321")]


def test_network_cap_is_respected(store):
    many = ids(store, *[post(n, entities=(("phone", "+84912345678"),)) for n in range(12)])
    net = store.network(many[5], max_posts=4)
    assert net.size == 4 == len(net.post_ids) and net.truncated
    assert net.post_ids[0] == many[5]
    assert all(a in net.post_ids and b in net.post_ids for a, b, _ in net.edges)
    full = store.network(many[5], max_posts=500)
    assert full.size == 12 and not full.truncated
    assert len(full.edges) == 11  # a star around the shared phone, not 66 pairs


def test_search_docs_carry_filter_fields(store):
    (pid,) = ids(
        store,
        post(1, entities=(("phone", "+84912345678"), ("phone", "+84912345678"), ("zalo", "tuyendung"),
                          ("telegram", "@tuyen_dung"), ("bank", "VCB:0071001234"),
                          ("destination", "KH:Sihanoukville"), ("email", "a@b.vn"))),
    )
    store.record_review(pid, "alice", "escalate", "")  # a referral, until a second reviewer confirms it
    (doc,) = store.search_docs([pid, pid + 1000])
    assert doc.post_id == pid and doc.url == "https://ex.vn/1" and doc.status == "referral_pending"
    assert doc.phones == ("+84912345678",) and doc.zalos == ("tuyendung",)
    assert doc.telegrams == ("@tuyen_dung",) and doc.banks == ("VCB:0071001234",)
    assert doc.destinations == ("KH:Sihanoukville",)
    assert doc.categories == ("abroad",) and doc.is_lure and doc.priority == 1
    assert doc.first_seen == T0 and doc.model_version == "m1"
    assert store.search_docs([]) == []


def test_near_dup_index_catches_up_with_other_writers(store, db_url, open_store):
    (first,) = ids(store, post(1))  # this store builds its LSH now
    other = open_store(db_url)  # another process
    (lure,) = ids(other, post(2, text=LURE))
    (repost,) = ids(store, post(3, text=LURE.replace("Campuchia", "Myanmar")))
    assert set(store.network(repost).post_ids) == {lure, repost}
    assert first not in store.network(repost).post_ids
