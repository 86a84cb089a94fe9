"""Backend conformance suite: the same assertions for every SearchBackend.

Used by tests/index/test_index_conformance.py, which subclasses `Conformance` and provides a
`make_backend` fixture returning a function that builds a fresh, empty, ready backend (for the
engines: one that refreshes after writes so a search sees them at once).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from index.search.base import SearchBackend, SearchDoc, SearchPage
from index.search.query import QueryError
from index.search.request import SearchRequest


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


USDT = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"  # a TRC-20 address (base58: case matters)
CORPUS = [
    SearchDoc(1, "Tuyển gấp", "Việc nhẹ lương cao ở Campuchia, bao ăn ở, không cần kinh nghiệm.", "fb", 0.95,
              categories=("abroad-casino/scam-compound",), destinations=("KH:Sihanoukville",),
              phones=("+84912345678",), first_seen=utc(2026, 1, 5, 10), posted_at=utc(2026, 1, 4, 3)),
    SearchDoc(2, "Xuất khẩu lao động Nhật", "Phải đặt cọc 50 triệu trước khi bay, liên hệ anh Đức.", "chotot",
              0.85, categories=("fake-export-labour",), phones=("+84912345678",), banks=("VCB:0123456789",),
              first_seen=utc(2026, 1, 10, 10), posted_at=utc(2026, 1, 9, 3)),
    SearchDoc(3, "Tin không dấu", "Can tuyen nguoi, dat coc truoc 10 trieu, lam o Dubai.", "chotot", 0.7,
              categories=("fake-export-labour",), destinations=("AE:Dubai",), zalos=("+84987654321",),
              ewallets=("ZALOPAY:+84912345678",),
              first_seen=utc(2026, 1, 20, 10)),
    SearchDoc(4, "Tuyển bán hàng", "Lương cơ bản 7 triệu, thưởng cao theo doanh số.", "fb", 0.2,
              status="dismissed", first_seen=utc(2026, 2, 1, 10)),
    # 18:00 UTC is 01:00 the next day in Vietnam: days and date filters are Vietnam days.
    SearchDoc(5, "Kế toán", "Công ty tuyển kế toán tổng hợp tại Hà Nội, lương thỏa thuận.", "vieclam", 0.05,
              first_seen=utc(2026, 2, 14, 18)),
    SearchDoc(6, "Tuyển người mẫu nhí", "Tuyển bé gái 14 tuổi làm người mẫu ảnh, liên hệ telegram @tuyenmau_vn",
              "tiktok", 0.9, minor_risk=True, categories=("minor-targeting",), telegrams=("@tuyenmau_vn",),
              first_seen=utc(2026, 2, 20, 10)),
    SearchDoc(7, "Cộng tác viên online", "Làm nhiệm vụ online, hoàn tiền 30%, chuyển khoản Techcombank 19031234567.",
              "fb", 0.8, categories=("online-task/CTV-scam", "fake-export-labour"), banks=("TCB:19031234567",),
              ewallets=("MOMO:+84987654321",), usdts=(USDT,), first_seen=utc(2026, 3, 1, 10)),
]
ALL = {d.post_id for d in CORPUS}
TEXTS = {d.post_id: d for d in CORPUS}


def ids(page: SearchPage) -> set[int]:
    return {h.post_id for h in page.hits}


def order(page: SearchPage) -> list[int]:
    return [h.post_id for h in page.hits]


def joined(snippet) -> str:
    return "".join(seg for seg, _ in snippet)


def marked(snippet) -> list[str]:
    return [seg for seg, hit in snippet if hit]


def bulk_docs(n: int, start: int = 1000) -> list[SearchDoc]:
    """n near-identical posts: equal relevance everywhere, so ties must break by post_id."""
    return [
        SearchDoc(start + i, f"Tin tuyển {i % 7}", "Tuyển lao động đi làm, lương tốt.", f"src{i % 3}",
                  round((i * 37 % 100) / 100, 2), first_seen=utc(2026, 1, 1 + i % 28, i % 24))
        for i in range(n)
    ]


class Conformance:
    @pytest.fixture
    def backend(self, make_backend) -> SearchBackend:
        b = make_backend()
        b.index_posts(CORPUS)
        return b

    def find(self, backend: SearchBackend, q: str, **kw) -> set[int]:
        page = backend.search(SearchRequest(query=q, size=100, **kw))
        assert page.total == len(page.hits)
        return ids(page)

    # -- text -----------------------------------------------------------------------------------

    def test_accent_free_both_ways(self, backend):
        assert self.find(backend, "luong cao") == {1, 4}
        for q in ("dat coc", "đặt cọc", "ĐẶT CỌC"):
            assert self.find(backend, q) == {2, 3}, q
        assert self.find(backend, "duc") == {2}  # Đức: đ folds to d
        assert self.find(backend, "Đubai") == {3}

    def test_phrase(self, backend):
        assert self.find(backend, '"luong cao"') == {1}
        assert self.find(backend, '"cao luong"') == set()

    def test_exclusion(self, backend):
        assert self.find(backend, "dat coc -dubai") == {2}
        assert self.find(backend, 'tuyen -"nguoi mau"') == {1, 3, 4, 5}
        assert self.find(backend, "-dubai") == ALL - {3}  # exclusion alone: everything else

    def test_or(self, backend):
        assert self.find(backend, "campuchia OR dubai") == {1, 3}
        assert self.find(backend, "campuchia OR dubai coc") == {3}
        assert self.find(backend, "campuchia OR dubai OR nhat") == {1, 2, 3}

    # -- filters --------------------------------------------------------------------------------

    @pytest.mark.parametrize("q, expected", [
        ("source:fb", {1, 4, 7}),
        ("source:fb,tiktok", {1, 4, 6, 7}),
        ("source:fb source:tiktok", {1, 4, 6, 7}),
        ("-source:fb", {2, 3, 5, 6}),
        ("phone:0912345678", {1, 2}),
        ('phone:"+84 912 345 678"', {1, 2}),
        ("phone:84912345678", {1, 2}),
        ("zalo:0987654321", {3}),
        ("telegram:tuyenmau_vn", {6}),
        ("telegram:@TUYENMAU_VN", {6}),
        ("bank:vcb:0123456789", {2}),
        ("bank:19031234567", {7}),
        ("ewallet:momo:0987.654.321", {7}),
        ("ewallet:MOMO:+84987654321", {7}),
        ('ewallet:"Zalo Pay:0912 345 678"', {3}),
        ("ewallet:momo:0987654321,zalopay:0912345678", {3, 7}),
        ("-ewallet:momo:0987654321", ALL - {7}),
        (f"usdt:{USDT}", {7}),
        (f"usdt:{USDT.lower()}", set()),
        ("category:fake-export-labour", {2, 3, 7}),
        ("category:fake-export-labour,minor-targeting", {2, 3, 6, 7}),
        ("status:dismissed", {4}),
        ("status:new", ALL - {4}),
        ("destination:KH:Sihanoukville", {1}),
        ("minor:true", {6}),
        ("minor:false", ALL - {6}),
        ("tuyen source:fb", {1, 4}),
        ("tuyen -category:minor-targeting", {1, 3, 4, 5}),
    ])
    def test_filter(self, backend, q, expected):
        assert self.find(backend, q) == expected

    def test_structured_filters_equal_typed_ones(self, backend):
        req = SearchRequest(filters={"phone": ["0912 345 678"], "source": ["chotot"]}, size=50)
        assert ids(backend.search(req)) == {2}
        req = SearchRequest(query="tuyen", exclude={"source": ["fb"]}, minor=False, size=50)
        assert ids(backend.search(req)) == {3, 5}

    # -- ranges ---------------------------------------------------------------------------------

    @pytest.mark.parametrize("q, expected", [
        ("score:>=0.8", {1, 2, 6, 7}),
        ("score:>0.8", {1, 2, 6}),
        ("score:0.7..0.9", {2, 3, 6, 7}),
        ("score:<0.2", {5}),
        ("score:..0.2", {4, 5}),
        ("posted:2026-01-04", {1}),
        ("posted:2026-01-01..2026-01-31", {1, 2}),
        ("posted:>2026-01-04", {2}),
        ("since:2026-02-01", {4, 5, 6, 7}),
        ("until:2026-01-10", {1, 2}),
        ("since:2026-01-10 until:2026-01-20", {2, 3}),
        ("since:2026-02-15 until:2026-02-15", {5}),  # 18:00 UTC on the 14th is the 15th in Vietnam
        ("since:2026-02 until:2026-02", {4, 5, 6}),
    ])
    def test_range(self, backend, q, expected):
        assert self.find(backend, q) == expected

    def test_structured_ranges(self, backend):
        from datetime import date

        req = SearchRequest(score_min=0.7, score_max=0.9, size=50)
        assert ids(backend.search(req)) == {2, 3, 6, 7}
        req = SearchRequest(seen_from=date(2026, 2, 15), seen_to=date(2026, 2, 20), size=50)
        assert ids(backend.search(req)) == {5, 6}

    # -- sorts ----------------------------------------------------------------------------------

    def test_sorts(self, backend):
        by_score = backend.search(SearchRequest(query="tuyen sort:score", size=50))
        assert order(by_score) == [1, 6, 3, 4, 5]
        newest = backend.search(SearchRequest(query="tuyen", sort="newest", size=50))
        assert order(newest) == [6, 5, 4, 3, 1]
        no_text = backend.search(SearchRequest(size=50))  # no text: newest first
        assert order(no_text) == [7, 6, 5, 4, 3, 2, 1]

    def test_relevance_title_first(self, backend):
        page = backend.search(SearchRequest(query="tuyen", size=50))
        assert page.total == 5
        # "tuyển" is in the titles of 1, 4 and 6 (6 twice more in its text).
        assert set(order(page)[:3]) == {1, 4, 6}
        scores = [h.score for h in page.hits]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0

    # -- facets ---------------------------------------------------------------------------------

    def test_facets_over_everything(self, backend):
        page = backend.search(SearchRequest(facets=("source", "category", "status", "destination", "day"), size=0))
        assert page.total == 7 and page.hits == []
        assert page.facets["source"] == [("fb", 3), ("chotot", 2), ("tiktok", 1), ("vieclam", 1)]
        assert page.facets["category"][0] == ("fake-export-labour", 3)
        assert dict(page.facets["category"]) == {
            "fake-export-labour": 3, "abroad-casino/scam-compound": 1, "minor-targeting": 1,
            "online-task/CTV-scam": 1,
        }
        assert page.facets["status"] == [("new", 6), ("dismissed", 1)]
        assert page.facets["destination"] == [("AE:Dubai", 1), ("KH:Sihanoukville", 1)]
        assert page.facets["day"] == [
            ("2026-03-01", 1), ("2026-02-20", 1), ("2026-02-15", 1), ("2026-02-01", 1),
            ("2026-01-20", 1), ("2026-01-10", 1), ("2026-01-05", 1),
        ]

    def test_facets_follow_the_query(self, backend):
        page = backend.search(SearchRequest(query="tuyen -status:dismissed", facets=("source", "category"), size=1))
        assert page.total == 4 and len(page.hits) == 1
        assert page.facets["source"] == [("chotot", 1), ("fb", 1), ("tiktok", 1), ("vieclam", 1)]
        assert dict(page.facets["category"]) == {
            "abroad-casino/scam-compound": 1, "fake-export-labour": 1, "minor-targeting": 1,
        }
        assert set(page.facets) == {"source", "category"}

    # -- highlights -----------------------------------------------------------------------------

    def test_highlights_in_original_text(self, backend):
        page = backend.search(SearchRequest(query="luong cao", size=10))
        hit = next(h for h in page.hits if h.post_id == 1)
        assert joined(hit.text) in TEXTS[1].text
        assert marked(hit.text) == ["lương", "cao"]
        hit = backend.search(SearchRequest(query="xuat khau", size=10)).hits[0]
        assert hit.post_id == 2
        assert marked(hit.title) == ["Xuất", "khẩu"]
        assert joined(hit.title) == "Xuất khẩu lao động Nhật"
        hit = backend.search(SearchRequest(query="duc", size=10)).hits[0]
        assert marked(hit.text) == ["Đức"]

    # -- paging ---------------------------------------------------------------------------------

    @pytest.mark.parametrize("sort", ["relevance", "score", "newest"])
    def test_deep_pagination_with_cursors(self, make_backend, sort):
        backend = make_backend()
        docs = bulk_docs(260)
        backend.index_posts(docs)
        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            page = backend.search(SearchRequest(query="tuyen", sort=sort, size=25, cursor=cursor))
            assert page.total == 260
            seen.extend(order(page))
            pages += 1
            cursor = page.next_cursor
            if cursor is None:
                break
            assert pages < 20
        assert len(seen) == len(set(seen)) == 260  # no duplicates, no gaps
        assert set(seen) == {d.post_id for d in docs}
        by_id = {d.post_id: d for d in docs}
        if sort == "score":
            keys = [(by_id[i].score, i) for i in seen]
            assert keys == sorted(keys, reverse=True)
        elif sort == "newest":
            keys = [(by_id[i].first_seen, i) for i in seen]
            assert keys == sorted(keys, reverse=True)

    def test_offset_pages_match_the_full_list(self, backend):
        full = backend.search("tuyen OR trieu", limit=50)
        assert full.total == len(full.hits) == 6
        page = backend.search("tuyen OR trieu", limit=2, offset=1)
        assert page.total == full.total
        assert order(page) == order(full)[1:3]

    def test_cursor_of_another_query_is_refused(self, backend):
        page = backend.search(SearchRequest(query="tuyen", size=1))
        assert page.next_cursor
        with pytest.raises(QueryError, match="another query"):
            backend.search(SearchRequest(query="tuyen sort:score", size=1, cursor=page.next_cursor))
        with pytest.raises(QueryError, match="cursor"):
            backend.search(SearchRequest(query="tuyen", size=1, cursor="garbage!"))

    # -- writes ---------------------------------------------------------------------------------

    def test_update_status_then_filter(self, backend):
        assert backend.update_fields(3, status="confirmed") is True
        assert self.find(backend, "status:confirmed") == {3}
        assert self.find(backend, "dat coc status:confirmed") == {3}  # text still indexed
        assert backend.update_fields(999, status="confirmed") is False
        with pytest.raises(ValueError):
            backend.update_fields(3, text="new text")
        assert backend.update_fields(3, score=0.1, categories=["other"])
        assert self.find(backend, "score:<0.15") == {3, 5}
        assert self.find(backend, "category:other") == {3}
        assert self.find(backend, "category:fake-export-labour") == {2, 7}

    def test_upsert_replaces(self, backend):
        backend.index_posts([SearchDoc(1, "Tuyển gấp", "Làm việc ở Myanmar, đặt cọc ít.", "fb", 0.9)])
        assert 1 not in self.find(backend, "campuchia")
        assert self.find(backend, "myanmar") == {1}
        assert self.find(backend, "dat coc") == {1, 2, 3}
        assert self.find(backend, "phone:0912345678") == {2}  # the new version has no phone
        assert backend.count() == 7

    def test_delete(self, backend):
        assert backend.count() == 7
        assert backend.delete([2, 3, 999]) == 2
        assert backend.count() == 5
        assert self.find(backend, "dat coc") == set()
        assert self.find(backend, "phone:0912345678") == {1}
        assert backend.delete([2]) == 0

    # -- errors ---------------------------------------------------------------------------------

    @pytest.mark.parametrize("q, where", [
        ('"luong cao', "position 1"),
        ("luong OR", "position 7"),
        ("OR luong", "position 1"),
        ("luong OR OR cao", "position 7"),
        ("title:luong", "title:"),
        ("phone:123", "phone:123"),
        ("score:high", "score:"),
        ("posted:2026-13-01", "posted:"),
        ("sort:oldest", "sort:oldest"),
        ("status:open", "status:open"),
        ("source:", "source:"),
        ("NOT dubai", "NOT"),
    ])
    def test_malformed_queries_raise_query_error(self, backend, q, where):
        with pytest.raises(QueryError) as err:
            backend.search(q)
        assert where in err.value.message

    @pytest.mark.parametrize("q", [
        "AND", "*", "-", "- -", "NEAR(luong cao)", "luong*", "^luong", "(luong", "luong)", "l'uong",
        "{luong cao}", "+luong", "\\", "\x00", "   ", "", "https://x.vn/a?b=c", "a:b:c//",
    ])
    def test_odd_but_valid_queries_never_reach_the_engine_as_syntax(self, backend, q):
        try:
            page = backend.search(q)
        except QueryError as err:  # a user error is fine, an engine error is not
            assert err.message
        else:
            assert page.total >= len(page.hits)

    # -- reindex --------------------------------------------------------------------------------

    def test_reindex_keeps_results(self, backend):
        before = [order(backend.search(SearchRequest(query=q, size=50))) for q in ("tuyen", "dat coc", "phone:0912345678")]
        name = backend.reindex(iter(CORPUS))
        assert isinstance(name, str) and name
        after = [order(backend.search(SearchRequest(query=q, size=50))) for q in ("tuyen", "dat coc", "phone:0912345678")]
        assert after == before
        assert backend.count() == 7
        second = backend.reindex(iter(CORPUS[:3]))
        assert second != name
        assert backend.count() == 3
        assert self.find(backend, "tuyen") == {1, 3}
        backend.index_posts([CORPUS[3]])  # writes go to the new index
        assert self.find(backend, "tuyen") == {1, 3, 4}
