"""Pure request/response helpers of the Elasticsearch/OpenSearch base (no engine needed)."""

from __future__ import annotations

import pytest

from index.search import es_base
from index.search.base import SearchUnavailable


def test_text_is_tokenized_in_python_like_the_query():
    # The engine's core "standard" analyzer then only splits at the spaces: "3.5", "a_b" and
    # "l'uong" become the same tokens as the query language makes of them.
    folded = es_base.folded_tokens("Lương 3.5 triệu, l'ương a_b ĐẶT-CỌC!")
    assert folded == "luong 3 5 trieu l uong a b dat coc"
    assert es_base.folded_tokens("  ...  ") == ""


def test_index_body_needs_no_analysis_module_and_takes_replicas():
    body = es_base.index_body()
    # analysis-common (pattern/whitespace tokenizers) is absent on a bare Elasticsearch node.
    assert "analysis" not in body["settings"] and "number_of_replicas" not in body["settings"]
    props = body["mappings"]["properties"]
    assert props["title_folded"]["analyzer"] == props["text_folded"]["analyzer"] == "standard"
    assert es_base.index_body(replicas=0)["settings"]["number_of_replicas"] == 0


def test_deletes_are_bulk_deletes_and_count_only_what_was_there():
    assert es_base.delete_operations("lw", [3, 5]) == [
        {"delete": {"_index": "lw", "_id": "3"}}, {"delete": {"_index": "lw", "_id": "5"}}]
    response = {"items": [{"delete": {"_id": "3", "status": 200, "result": "deleted"}},
                          {"delete": {"_id": "5", "status": 404, "result": "not_found"}}]}
    assert es_base.read_deleted(response) == 1
    refused = {"_id": "3", "status": 503, "error": {"type": "unavailable_shards_exception"}}
    failed = {"items": [{"delete": refused}]}
    with pytest.raises(es_base.BulkError) as err:
        es_base.read_deleted(failed)
    assert err.value.failed == 1
    assert es_base.bulk_failures_mean_unavailable(err.value.errors)  # so the backend says "unavailable"


@pytest.mark.parametrize("errors, unavailable", [
    ([{"index": {"status": 503}}, {"index": {"status": 429}}], True),
    ([{"index": {"status": 503}}, {"index": {"status": 400, "error": "mapper_parsing_exception"}}], False),
    ([], False),
])
def test_bulk_failures_are_unavailable_only_when_all_are_capacity_or_5xx(errors, unavailable):
    assert es_base.bulk_failures_mean_unavailable(errors) is unavailable


def test_hosts_from_a_list_or_a_comma_separated_string():
    assert es_base.parse_hosts("http://a:9200, http://b:9200,,") == ["http://a:9200", "http://b:9200"]
    assert es_base.parse_hosts(["http://a:9200"]) == ["http://a:9200"]
    with pytest.raises(ValueError, match="URL"):
        es_base.parse_hosts(" , ")


def test_search_unavailable_is_one_line():
    err = SearchUnavailable("Search is unavailable:\n  try again", "OpenSearch at http://x:\n refused")
    assert err.message == "Search is unavailable: try again"
    assert str(err) == "Search is unavailable: try again (OpenSearch at http://x: refused)"
