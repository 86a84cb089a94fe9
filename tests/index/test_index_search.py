"""SQLite FTS5 search over a real SQLite file: accent folding both ways, query syntax, snippets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from index.document import PostIn
from index.search import BACKENDS, SearchDoc, SearchPage, get_backend
from index.search.base import SearchBackend
from index.search.query import QueryError, parse_query
from index.search.sqlite_sql import to_fts5
from index.search.snippets import make_snippet
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store

DOCS = {
    "luong": ("Tuyển gấp", "Việc nhẹ lương cao ở Campuchia, bao ăn ở, không cần kinh nghiệm."),
    "coc": ("Xuất khẩu lao động Nhật", "Phải đặt cọc 50 triệu trước khi bay, liên hệ anh Đức."),
    "plain": ("Tin không dấu", "Can tuyen nguoi, dat coc truoc 10 trieu, lam o Dubai."),
    "words": ("Tuyển bán hàng", "Lương cơ bản 7 triệu, thưởng cao theo doanh số."),
    "legit": ("Kế toán", "Công ty tuyển kế toán tổng hợp tại Hà Nội, lương thỏa thuận."),
}


def make_post(n: int, key: str) -> PostIn:
    title, text = DOCS[key]
    return PostIn(
        source="fixture", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}",
        title=title, text=text, posted_at=None,
        fetched_at=datetime(2024, 5, 1, tzinfo=timezone.utc), raw_sha256="0" * 64,
        score=0.5, is_lure=True, threshold=0.5, model_version="m1", signals=[], entities=[],
        categories=[], minor_risk=False, priority=0,
    )


@pytest.fixture
def env(tmp_path):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path}/lw.db"))
    search = get_backend("sqlite", engine=store.engine)
    search.ensure_index()
    keys = list(DOCS)
    posts = [make_post(i, k) for i, k in enumerate(keys)]
    ids = store.upsert_posts(posts).post_ids
    search.index_posts([SearchDoc(pid, p.title, p.text, p.source, p.score) for pid, p in zip(ids, posts)])
    return store, search, dict(zip(keys, ids))


def found(page: SearchPage) -> set[int]:
    return {h.post_id for h in page.hits}


def joined(snippet) -> str:
    return "".join(seg for seg, _ in snippet)


def highlighted(snippet) -> list[str]:
    return [seg for seg, hit in snippet if hit]


def test_registry(tmp_path):
    from index.engine import create_db_engine

    engine = create_db_engine(f"sqlite:///{tmp_path}/r.db")
    assert isinstance(get_backend("sqlite", engine=engine), SqliteSearch)
    with pytest.raises(ValueError, match="unknown search backend 'no-such-engine'"):
        get_backend("no-such-engine")
    # One explicit table; every backend builds itself from settings.
    assert sorted(BACKENDS) == ["elasticsearch", "opensearch", "sqlite"]
    for cls in BACKENDS.values():
        assert issubclass(cls, SearchBackend) and not cls.__abstractmethods__  # from_settings too


def test_unaccented_query_finds_accented_text(env):
    _, search, ids = env
    page = search.search("luong cao")
    assert ids["luong"] in found(page)
    assert ids["legit"] not in found(page)  # "lương" alone is not enough, both words required


def test_dat_coc_both_ways(env):
    _, search, ids = env
    for query in ("dat coc", "đặt cọc", "ĐẶT CỌC"):
        page = search.search(query)
        assert found(page) == {ids["coc"], ids["plain"]}, query
        assert page.total == 2


def test_phrase_versus_words(env):
    _, search, ids = env
    # "Lương cơ bản ... thưởng cao": both words, not adjacent.
    assert {ids["luong"], ids["words"]} <= found(search.search("lương cao"))
    assert found(search.search('"lương cao"')) == {ids["luong"]}


def test_exclusion(env):
    _, search, ids = env
    assert found(search.search("dat coc -dubai")) == {ids["coc"]}
    assert found(search.search('tuyen -"xuat khau"')) >= {ids["luong"], ids["words"]}
    assert ids["coc"] not in found(search.search('tuyen -"xuat khau"'))
    assert search.search("-dubai").total == len(DOCS) - 1  # everything but the excluded


def test_or(env):
    _, search, ids = env
    assert found(search.search("campuchia OR dubai")) == {ids["luong"], ids["plain"]}
    assert found(search.search("campuchia OR dubai coc")) == {ids["plain"]}
    # lowercase "or" is just a word
    assert search.search("campuchia or dubai").total == 0


ALL_KEYS = set(DOCS)
LUONG = {"luong", "words", "legit"}  # every post with "lương" (or "luong") in it


@pytest.mark.parametrize("query, expected", [
    # Nothing searchable left: everything, as an empty query.
    ('AND', ALL_KEYS), ('*', ALL_KEYS), ('-', ALL_KEYS), ('- -', ALL_KEYS), ('\\', ALL_KEYS),
    ('\x00', ALL_KEYS), ('   ', ALL_KEYS), ('', ALL_KEYS),
    # FTS5 syntax is plain punctuation: the words around it are searched.
    ('luong*', LUONG), ('^luong', LUONG), ('(luong', LUONG), ('luong)', LUONG), ('+luong', LUONG),
    ('{luong cao}', {"luong", "words"}),
    ('NEAR(luong cao)', set()),  # the phrase "near luong" AND cao: no post says "near"
    ("l'uong", set()),  # the phrase "l uong"
    ('a"b"c', set()),  # a AND "b" AND c
    ('https://ex.vn/a?b=1', set()),  # a pasted URL is its words, not a filter
])
def test_odd_queries_are_plain_text(env, query, expected):
    _, search, ids = env
    page = search.search(query)
    assert found(page) == {ids[k] for k in expected}
    assert page.total == len(expected)


def test_fts5_operators_reach_the_engine_as_quoted_words():
    assert parse_query("NEAR(luong cao)").required == ((("near", "luong"),), (("cao",),))
    assert to_fts5(parse_query("luong* ^cao").required) == '"luong" AND "cao"'


@pytest.mark.parametrize("query, message", [
    ('"luong', "unbalanced quote at position 1"),
    ('-"', "unbalanced quote at position 2"),
    ('OR', "OR at position 1 needs a word or phrase before it"),
    ('luong AND OR', "OR at position 11 needs a word or phrase after it"),
    ('OR luong OR', "OR at position 1"),
    ('luong OR OR cao', "OR at position 7"),
    ('title:luong', "unknown filter title: at position 1"),
    ('NOT luong', "NOT at position 1"),
])
def test_malformed_queries_raise_query_error_with_position(env, query, message):
    _, search, _ = env
    with pytest.raises(QueryError) as err:
        search.search(query)
    assert message in err.value.message


def test_snippet_is_original_substring_with_accented_highlight(env):
    store, search, ids = env
    hit = next(h for h in search.search("luong cao").hits if h.post_id == ids["luong"])
    original = store.get_post(ids["luong"]).text
    assert joined(hit.text) in original
    assert highlighted(hit.text) == ["lương", "cao"]


def test_snippet_highlights_title(env):
    _, search, ids = env
    hit = search.search("xuat khau").hits[0]
    assert hit.post_id == ids["coc"]
    assert highlighted(hit.title) == ["Xuất", "khẩu"]
    assert joined(hit.title) == "Xuất khẩu lao động Nhật"


def test_title_match_ranks_first(env):
    _, search, ids = env
    # "tuyển" is in the titles of "luong" and "words", only in the text of "legit" and "plain".
    page = search.search("tuyen")
    assert page.total == 4
    assert {h.post_id for h in page.hits[:2]} == {ids["luong"], ids["words"]}
    assert page.hits[0].score >= page.hits[1].score >= page.hits[2].score


def test_pagination_and_exact_total(env):
    _, search, _ = env
    full = search.search("tuyen OR trieu")
    assert full.total == len(full.hits) >= 4
    page = search.search("tuyen OR trieu", limit=2, offset=1)
    assert page.total == full.total
    assert [h.post_id for h in page.hits] == [h.post_id for h in full.hits[1:3]]


def test_reindexing_replaces_the_document(env):
    store, search, ids = env
    pid = ids["luong"]
    search.index_posts([SearchDoc(pid, "Tuyển gấp", "Làm việc ở Myanmar, đặt cọc ít.", "fixture", 0.9)])
    assert pid not in found(search.search("campuchia"))
    assert pid in found(search.search("myanmar"))
    assert search.search("dat coc").total == 3
    # reindex twice more: still one document
    for _ in range(2):
        search.index_posts([SearchDoc(pid, "Tuyển gấp", "Làm việc ở Myanmar.", "fixture", 0.9)])
    assert search.search("myanmar").total == 1
    with store.engine.connect() as conn:
        docs = conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar()
        indexed = conn.exec_driver_sql("SELECT count(*) FROM search_fts_docsize").scalar()
    assert docs == indexed == len(DOCS)


def test_search_file_of_its_own_still_highlights_the_original(tmp_path):
    # The store may be PostgreSQL: the sqlite index keeps the original text itself.
    from index.engine import create_db_engine

    search = SqliteSearch(create_db_engine(f"sqlite:///{tmp_path}/only_search.db"))
    search.index_posts([SearchDoc(7, "Đặt cọc", "Đặt cọc ngay", "x", 0.1)])
    page = search.search("dat coc")
    assert page.total == 1 and page.hits[0].post_id == 7
    assert highlighted(page.hits[0].text) == ["Đặt", "cọc"]


def test_index_of_an_older_layout_is_rebuilt_empty(tmp_path):
    from index.engine import create_db_engine

    engine = create_db_engine(f"sqlite:///{tmp_path}/old.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE search_docs (post_id INTEGER PRIMARY KEY, title TEXT, text TEXT, source TEXT, score REAL)")
        conn.exec_driver_sql("INSERT INTO search_docs VALUES (1, 'a', 'b', 'c', 0.5)")
    search = SqliteSearch(engine)
    search.ensure_index()
    assert search.count() == 0  # `lurewatch reindex` refills it
    search.index_posts([SearchDoc(1, "Đặt cọc", "x", "s", 0.1, status="escalated")])
    assert search.search("status:escalated dat").total == 1


# -- pure parts ---------------------------------------------------------------------------------


def fts(text: str) -> str | None:
    q = parse_query(text)
    return to_fts5(q.required, q.excluded)


def test_query_builder_output():
    assert fts("Lương cao") == '"luong" AND "cao"'
    assert fts('"đặt cọc" -campuchia') == '("dat coc") NOT "campuchia"'
    assert fts("a OR b c") == '("a" OR "b") AND "c"'
    assert fts("AND * source:x") is None


def test_snippet_window_and_first_match():
    words = [f"từ{i}" for i in range(100)]
    text = " ".join(words[:60] + ["Lương"] + words[60:])
    snip = make_snippet(text, {"luong"})
    assert joined(snip) in text
    assert highlighted(snip) == ["Lương"]
    assert 25 <= len(joined(snip).split()) <= 31
    assert not joined(snip).startswith("từ0 ")  # centred on the match, not the start


def test_snippet_without_match_is_the_beginning():
    snip = make_snippet("Một hai ba bốn", {"khong"})
    assert snip == [("Một hai ba bốn", False)]
