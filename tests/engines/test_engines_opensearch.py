"""The real OpenSearch engines the backend tests run on: one node, and three nodes that lose one."""

import opensearchpy
from opensearchpy import OpenSearch

DOC = {"title": "Tuyển gấp việc nhẹ lương cao ở Campuchia", "phone": "0912345678"}


def test_single_node_indexes_refreshes_and_searches(opensearch_node):
    client = OpenSearch(hosts=[opensearch_node.url])
    assert client.info()["version"]["number"] == opensearch_node.version
    # The client's major version must equal the server's (DESIGN.md).
    assert opensearchpy.VERSION[0] == opensearch_node.major_version

    client.indices.create(index="smoke-single", body={"mappings": {"properties": {"phone": {"type": "keyword"}}}})
    client.index(index="smoke-single", id="p1", body=DOC)
    client.indices.refresh(index="smoke-single")

    found = client.search(index="smoke-single", body={"query": {"match": {"title": "lương cao"}}})
    assert [hit["_id"] for hit in found["hits"]["hits"]] == ["p1"]
    assert found["hits"]["hits"][0]["_source"] == DOC
    by_phone = client.search(index="smoke-single", body={"query": {"term": {"phone": "0912345678"}}})
    assert by_phone["hits"]["total"]["value"] == 1
    assert client.cluster.health(index="smoke-single")["status"] == "green"


# opensearch-py takes a `timeout=` keyword as its own HTTP timeout: the server's goes in params.
WAIT = {"params": {"timeout": "90s"}, "request_timeout": 120}


def _health(client, nodes):
    return client.cluster.health(index="smoke-replica", wait_for_status="yellow", wait_for_nodes=str(nodes), **WAIT)


def test_cluster_with_one_replica_keeps_searching_and_indexing_after_a_node_stops(opensearch_cluster):
    # One client over every node, as a deployment would configure it: a dead node is retried elsewhere.
    client = OpenSearch(hosts=opensearch_cluster.urls, max_retries=5, retry_on_timeout=True)
    client.indices.create(
        index="smoke-replica", body={"settings": {"number_of_shards": 3, "number_of_replicas": 1}}
    )
    health = client.cluster.health(index="smoke-replica", wait_for_status="green", **WAIT)
    assert health["status"] == "green" and health["number_of_nodes"] == 3
    for i in range(30):
        client.index(index="smoke-replica", id=f"before-{i}", body={"n": i, **DOC})
    client.indices.refresh(index="smoke-replica")

    # Stop the node that holds the primary of shard 0, so a replica must be promoted.
    shards = client.cat.shards(index="smoke-replica", format="json")
    victim_name = next(s["node"] for s in shards if s["shard"] == "0" and s["prirep"] == "p")
    victim = int(victim_name.split()[-1])  # the launcher names nodes "Node 1" .. "Node 3"
    opensearch_cluster.stop_node(victim)
    try:
        health = _health(client, 2)
        assert not health["timed_out"]
        assert health["number_of_nodes"] == 2
        assert health["status"] in ("yellow", "green")

        assert client.count(index="smoke-replica")["count"] == 30
        for i in range(10):
            client.index(index="smoke-replica", id=f"after-{i}", body={"n": 100 + i, **DOC})
        client.indices.refresh(index="smoke-replica")
        assert client.count(index="smoke-replica")["count"] == 40
        found = client.search(index="smoke-replica", body={"query": {"range": {"n": {"gte": 100}}}, "size": 20})
        assert sorted(hit["_id"] for hit in found["hits"]["hits"]) == sorted(f"after-{i}" for i in range(10))
        new_primary = next(
            s["node"] for s in client.cat.shards(index="smoke-replica", format="json")
            if s["shard"] == "0" and s["prirep"] == "p"
        )
        assert new_primary != victim_name
    finally:
        # The cluster is shared by the session: bring the node back for the tests that follow.
        opensearch_cluster.start_node(victim)
    assert _health(client, 3)["number_of_nodes"] == 3
