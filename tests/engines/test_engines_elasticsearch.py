"""The real Elasticsearch 8 node the elasticsearch backend is tested on."""

import elasticsearch
from elasticsearch import Elasticsearch

DOC = {"title": "Tuyển gấp việc nhẹ lương cao ở Campuchia", "phone": "0912345678"}


def test_elasticsearch_node_indexes_refreshes_searches_and_aggregates(elasticsearch_node):
    # The client's major version must equal the server's (DESIGN.md).
    assert elasticsearch.__versionstr__.split(".")[0] == str(elasticsearch_node.major_version) == "8"
    client = Elasticsearch(elasticsearch_node.url)
    client.indices.create(
        index="smoke-es",
        settings={"number_of_shards": 1, "number_of_replicas": 0},
        mappings={"properties": {"title": {"type": "text"}, "phone": {"type": "keyword"}}},
    )
    client.index(index="smoke-es", id="p1", document=DOC)
    client.indices.refresh(index="smoke-es")

    found = client.search(
        index="smoke-es",
        query={"match": {"title": "lương cao"}},
        aggs={"phones": {"terms": {"field": "phone"}}},
        highlight={"fields": {"title": {}}},
    )
    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["p1"]
    assert found["hits"]["hits"][0]["_source"] == DOC
    assert found["aggregations"]["phones"]["buckets"] == [{"key": "0912345678", "doc_count": 1}]
    assert "<em>lương</em>" in found["hits"]["hits"][0]["highlight"]["title"][0]
    assert client.cluster.health(index="smoke-es")["status"] == "green"
