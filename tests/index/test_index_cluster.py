"""The opensearch backend on a real 3-node OpenSearch cluster (one replica) that loses a node.

Everything the application does goes through the backend, built as a deployment builds it:
every node's URL in `hosts`, retries on connection errors, sniffing off. The raw client is
used only to look at the cluster (where the primary is, health). The node holding the
primary shard is stopped mid-test, and the test shows that search (exact totals, a filter,
facets) and indexing (new posts searchable, update_fields) go on; the node is started again
before the test ends, since the cluster is shared by the whole session.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from index.search import get_backend
from index.search.base import SearchDoc
from index.search.request import SearchRequest

pytest.importorskip("opensearchpy")

SOURCES = ("chotot", "fb", "tiktok")
CATEGORIES = ("abroad-casino/scam-compound", "fake-export-labour", "online-task/CTV-scam", "minor-targeting")
T0 = datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
# The server-side wait goes in params; request_timeout is the client's own (longer).
WAIT = {"params": {"timeout": "90s"}, "request_timeout": 120}


def corpus(n: int) -> list[SearchDoc]:
    """n posts whose words, sources and categories vary with the id, so totals are known exactly."""
    docs = []
    for i in range(n):
        where = "Campuchia" if i % 5 == 0 else "Hà Nội"
        pay = "lương cao" if i % 2 == 0 else "lương thỏa thuận"
        docs.append(SearchDoc(
            post_id=1 + i, title=f"Tuyển gấp {i}", text=f"Việc nhẹ {pay} ở {where}, liên hệ ngay.",
            source=SOURCES[i % 3], score=round((i * 37 % 100) / 100, 2), categories=(CATEGORIES[i % 4],),
            first_seen=T0 + timedelta(hours=i),
        ))
    return docs


def expected_facets(docs: list[SearchDoc]) -> dict[str, list[tuple[str, int]]]:
    sources = Counter(d.source for d in docs)
    categories = Counter(c for d in docs for c in d.categories)
    ranked = lambda counts: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # noqa: E731
    return {"source": ranked(sources), "category": ranked(categories)}


def primary_node(client, alias: str) -> str:
    shards = client.cat.shards(index=alias, format="json")
    return next(s["node"] for s in shards if s["shard"] == "0" and s["prirep"] == "p")


def test_search_and_indexing_go_on_when_the_node_with_the_primary_stops(opensearch_cluster):
    backend = get_backend(
        "opensearch", hosts=opensearch_cluster.urls, alias=f"lw-cluster-{uuid.uuid4().hex[:8]}",
        refresh=True, replicas=1, timeout=30, max_retries=3,
    )
    client = backend.client  # only to look at the cluster
    docs = corpus(300)
    try:
        backend.index_posts(docs)
        health = client.cluster.health(index=backend.alias, wait_for_status="green", **WAIT)
        assert health["status"] == "green" and health["number_of_nodes"] == 3

        lures = [d for d in docs if "lương cao" in d.text]
        in_fb = [d for d in lures if d.source == "fb"]
        query = SearchRequest(query="luong cao", facets=("source", "category"), size=10)
        filtered = SearchRequest(query="luong cao source:fb", size=200)

        def check_search() -> None:
            page = backend.search(query)
            assert page.total == len(lures) == 150  # exact, not an estimate
            assert page.facets == expected_facets(lures)
            page = backend.search(filtered)
            assert page.total == len(in_fb) == 50
            assert {h.post_id for h in page.hits} == {d.post_id for d in in_fb}

        check_search()
        victim_name = primary_node(client, backend.alias)
        victim = int(victim_name.split()[-1])  # the launcher names nodes "Node 1" .. "Node 3"
        opensearch_cluster.stop_node(victim)
        try:
            # Right away, without waiting for the cluster: reads are served by the replica.
            check_search()

            new = [SearchDoc(1000 + i, f"Tuyển gấp Myanmar {i}", "Việc nhẹ lương cao ở Myanmar.", "fb", 0.9,
                             categories=(CATEGORIES[0],), first_seen=T0) for i in range(20)]
            backend.index_posts(new)  # needs a primary: the replica has been promoted
            page = backend.search(SearchRequest(query="myanmar", size=50))
            assert {h.post_id for h in page.hits} == {d.post_id for d in new} and page.total == 20
            assert backend.search(SearchRequest(query="luong cao", size=0)).total == 170

            assert backend.update_fields(7, status="confirmed") is True
            assert backend.update_fields(99_999, status="confirmed") is False
            assert {h.post_id for h in backend.search("status:confirmed").hits} == {7}
            assert backend.count() == 320
            assert primary_node(client, backend.alias) != victim_name
        finally:
            # The cluster is shared by the session: bring the node back for the tests that follow.
            opensearch_cluster.start_node(victim)
        health = client.cluster.health(index=backend.alias, wait_for_status="green", wait_for_nodes="3",
                                       **WAIT)
        assert not health["timed_out"] and health["number_of_nodes"] == 3
        assert backend.count() == 320
    finally:
        backend.drop_all()
