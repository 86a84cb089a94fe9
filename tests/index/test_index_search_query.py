"""The query language, the structured request and the engine request bodies (pure functions)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from index.search import es_base
from index.search.base import SearchDoc
from index.search.query import QueryError, Range, format_filter, parse_query
from index.search.request import SearchRequest, decode_cursor, encode_cursor, resolve


def ts(*args: int) -> float:
    """Epoch seconds of a Vietnam (UTC+7) wall time."""
    from index.search.query import LOCAL_TZ

    return datetime(*args, tzinfo=LOCAL_TZ).timestamp()


def test_text_terms_are_folded_grouped_and_excluded():
    q = parse_query('Lương CAO "Đặt  cọc" -Dubai campuchia OR "myanmar xa" -"xuất khẩu"')
    assert q.required == ((("luong",),), (("cao",),), (("dat", "coc"),), (("campuchia",), ("myanmar", "xa")))
    assert q.excluded == (("dubai",), ("xuat", "khau"))
    assert q.positive_tokens == {"luong", "cao", "dat", "coc", "campuchia", "myanmar", "xa"}


def test_curly_quotes_make_phrases():
    assert parse_query("“lương cao”").required == ((("luong", "cao"),),)


def test_filters_are_normalised_and_ored_per_field():
    q = parse_query('source:a,b source:c phone:"0912 345 678" zalo:84987654321 telegram:Foo_Bar '
                    'bank:vcb:0123-456 bank:99887766 -status:Dismissed category:"a b"')
    assert q.filters == {
        "source": ("a", "b", "c"), "phone": ("+84912345678",), "zalo": ("+84987654321",),
        "telegram": ("@foo_bar",), "bank": ("VCB:0123456",), "bank_account": ("99887766",),
        "category": ("a b",),
    }
    assert q.excluded_filters == {"status": ("dismissed",)}
    assert not q.has_text and q.effective_sort == "newest"


def test_ranges_in_vietnam_days():
    q = parse_query("posted:2026-01-01..2026-01-31 since:2026-02 until:2026-02-10 score:0.5..0.9")
    assert q.ranges["posted"] == Range(lo=ts(2026, 1, 1), hi=ts(2026, 2, 1))
    assert q.ranges["first_seen"] == Range(lo=ts(2026, 2, 1), hi=ts(2026, 2, 11))
    assert q.ranges["score"] == Range(lo=0.5, hi=0.9, hi_inclusive=True)
    assert parse_query("score:>0.8").ranges["score"] == Range(lo=0.8, lo_inclusive=False)
    assert parse_query("score:<=0.3").ranges["score"] == Range(hi=0.3, hi_inclusive=True)
    # two bounds on one field intersect
    assert parse_query("score:>=0.2 score:<0.6").ranges["score"] == Range(lo=0.2, hi=0.6)


def test_sort_and_minor():
    q = parse_query("luong sort:score minor:true")
    assert q.sort == "score" and q.minor is True
    assert parse_query("-minor:true").minor is False
    assert parse_query("luong").effective_sort == "relevance"


@pytest.mark.parametrize("text, fragment", [
    ('luong "cao', "unbalanced quote at position 7"),
    ("luong OR", "OR at position 7 needs a word or phrase after it"),
    ("a OR -b", "cannot join an exclusion"),
    ("source:x OR b", "not filters"),
    ("phone:12345", "not a valid Vietnamese phone number (at position 1)"),
    ("zalo:123", "not a valid phone number"),
    ("telegram:a!", "not a Telegram handle"),
    ("bank:VCB:", "needs an account number"),
    ("status:open", "use one of new, needs_info, referral_pending, confirmed, dismissed, escalated"),
    ("score:0.8", "score:>=0.8"),
    ("score:nan..1", "not a number"),
    ("score:0.9..0.1", "empty range"),
    ("posted:yesterday", "not a date"),
    ("since:2026-02-30", "not a date"),
    ("sort:oldest", "relevance, score, newest"),
    ("minor:maybe", "true or false"),
    ("foo:bar", "unknown filter foo: at position 1"),
    ("x source:", "source: at position 3 needs a value"),
    ("-score:>0.5", "cannot be negated"),
    ("NOT x", "put a - before the word"),
    (" ".join(["w"] * 65), "too many terms"),
])
def test_malformed_queries_say_where(text, fragment):
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert fragment in err.value.message


def test_urls_and_punctuation_are_text():
    assert parse_query("https://vieclam.vn/tin-1").required == ((("https", "vieclam", "vn", "tin", "1"),),)
    assert parse_query("Hà Nội - Sài Gòn").required == ((("ha",),), (("noi",),), (("sai",),), (("gon",),))


def test_format_filter_round_trips():
    for name, value in (("source", "chợ tốt"), ("category", "fake-export-labour"), ("destination", "KH:Sihanoukville")):
        q = parse_query(format_filter(name, value))
        assert q.filters == {name: (value,)}
    assert format_filter("source", 'a"b') is None


def test_request_merges_structured_fields():
    req = SearchRequest(query="luong score:>=0.5", filters={"phone": ["0912345678"]}, exclude={"source": ["x"]},
                        score_max=0.9, seen_from=date(2026, 1, 1), seen_to=date(2026, 1, 31), minor=True, sort="newest")
    q = resolve(req)
    assert q.filters == {"phone": ("+84912345678",)} and q.excluded_filters == {"source": ("x",)}
    assert q.ranges["score"] == Range(lo=0.5, hi=0.9, hi_inclusive=True)
    assert q.ranges["first_seen"] == Range(lo=ts(2026, 1, 1), hi=ts(2026, 2, 1))
    assert q.minor is True and q.effective_sort == "newest"
    with pytest.raises(QueryError):
        resolve(SearchRequest(filters={"colour": ["red"]}))
    with pytest.raises(QueryError):
        resolve(SearchRequest(filters={"phone": ["123"]}))


def test_cursor_is_bound_to_its_query():
    q = parse_query("luong")
    cursor = encode_cursor(q, [-1.25, 42])
    assert decode_cursor(q, cursor, 2) == [-1.25, 42]
    with pytest.raises(QueryError, match="another query"):
        decode_cursor(parse_query("luong sort:score"), cursor, 2)
    with pytest.raises(QueryError):
        decode_cursor(q, cursor, 3)
    with pytest.raises(QueryError):
        decode_cursor(q, "%%%", 2)


# -- Elasticsearch/OpenSearch request bodies -----------------------------------------------------


def test_es_query_body():
    q = resolve(SearchRequest(query='"dat coc" campuchia OR lao -dubai source:fb -status:dismissed minor:true score:>=0.8'))
    body = es_base.query_clause(q)["bool"]
    phrase = body["must"][0]["bool"]["should"]
    assert phrase[0] == {"match_phrase": {"title_folded": {"query": "dat coc", "boost": es_base.TITLE_BOOST}}}
    assert phrase[1] == {"match_phrase": {"text_folded": {"query": "dat coc"}}}
    assert len(body["must"][1]["bool"]["should"]) == 2  # campuchia OR lao
    assert {"terms": {"source": ["fb"]}} in body["filter"]
    assert {"term": {"minor": True}} in body["filter"]
    assert {"range": {"score": {"gte": 0.8}}} in body["filter"]
    assert {"terms": {"status": ["dismissed"]}} in body["must_not"]
    assert es_base.query_clause(parse_query("")) == {"match_all": {}}


def test_es_search_body_sort_cursor_facets():
    q = parse_query("luong sort:newest")
    req = SearchRequest(query="luong sort:newest", size=10, facets=("source", "day"),
                        cursor=encode_cursor(q, [1767225600, 7]))
    body = es_base.search_body(q, req)
    assert body["sort"] == [{"first_seen": "desc"}, {"post_id": "desc"}]
    assert body["search_after"] == [1767225600, 7] and "from" not in body
    assert body["track_total_hits"] is True
    assert body["aggs"]["day"]["terms"]["order"] == [{"_key": "desc"}]
    assert body["aggs"]["source"]["terms"]["field"] == "source"


def test_es_documents_and_alias_switch():
    doc = SearchDoc(3, "Đặt cọc", "Lương CAO", "fb", 0.8, banks=("VCB:0123",),
                    first_seen=datetime(2026, 2, 14, 18, tzinfo=timezone.utc))
    src = es_base.doc_source(doc)
    assert src["title"] == "Đặt cọc" and src["title_folded"] == "dat coc" and src["text_folded"] == "luong cao"
    assert src["bank_accounts"] == ["0123"] and src["day"] == "2026-02-15" and "posted_at" not in src
    mapping = es_base.index_body()["mappings"]["properties"]
    assert set(src) <= set(mapping)
    assert es_base.next_index_name("lw", ["lw-v1", "lw-v3", "other-v9"]) == "lw-v4"
    switch = es_base.alias_switch_actions("lw", ["lw-v3"], "lw-v4")["actions"]
    assert switch == [{"remove": {"index": "lw-v3", "alias": "lw"}},
                      {"add": {"index": "lw-v4", "alias": "lw", "is_write_index": True}}]
    assert es_base.update_doc({"status": "confirmed", "minor_risk": 1}) == {"status": "confirmed", "minor": True}
    with pytest.raises(ValueError):
        es_base.update_doc({"text": "x"})
