"""An unreachable search engine never takes the application down.

The opensearch and elasticsearch backends pointed at a closed port on 127.0.0.1: every call
raises SearchUnavailable with a one-line message (the UI shows it instead of a 500), a
malformed query is still the user's QueryError, and the ingest catch-up keeps the posts pending
in the store. With a dead node listed before a live one, the client goes on to the live node.
"""

from __future__ import annotations

import socket
from datetime import datetime, timezone

import pytest

from index.document import PostIn
from index.search import get_backend
from index.search.base import SearchDoc, SearchUnavailable
from index.search.query import QueryError
from index.search.request import SearchRequest
from index.settings import get_index_settings
from index.store import Store
from index.sync import catch_up

CLIENTS = {"opensearch": "opensearchpy", "elasticsearch": "elasticsearch"}
NODES = {"opensearch": "opensearch_node", "elasticsearch": "elasticsearch_node"}
DOCS = [SearchDoc(1, "Tuyển gấp", "Việc nhẹ lương cao ở Campuchia.", "fb", 0.9),
        SearchDoc(2, "Kế toán", "Tuyển kế toán tại Hà Nội.", "vieclam", 0.1)]


@pytest.fixture
def closed_url() -> str:
    """A 127.0.0.1 URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def unreachable(name: str, url: str):
    pytest.importorskip(CLIENTS[name])
    # Short timeouts: refused connections fail at once, and the test never waits long.
    return get_backend(name, hosts=url, alias="lw-down", timeout=2, max_retries=1)


def assert_one_line(err: SearchUnavailable, starts: str, url: str) -> None:
    assert err.message.startswith(starts), err.message
    assert "\n" not in err.message and "\n" not in str(err)
    assert "try again later" in err.message
    assert url in err.detail  # the logs say which engine was unreachable


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_every_call_raises_search_unavailable_with_a_one_line_message(name, closed_url):
    backend = unreachable(name, closed_url)
    with pytest.raises(SearchUnavailable) as err:
        backend.search("luong cao")
    assert_one_line(err.value, "Search is unavailable", closed_url)
    with pytest.raises(SearchUnavailable) as err:
        backend.index_posts(DOCS)
    assert_one_line(err.value, "Indexing is unavailable", closed_url)
    for call in (lambda: backend.search(SearchRequest(query="tuyen", facets=("source",))),
                 lambda: backend.update_fields(1, status="confirmed"), lambda: backend.delete([1]),
                 backend.count, backend.ensure_index, lambda: backend.reindex(DOCS)):
        with pytest.raises(SearchUnavailable):
            call()
    # The user's mistakes are still theirs, said before any I/O.
    with pytest.raises(QueryError, match="position 1"):
        backend.search('"luong cao')
    with pytest.raises(ValueError, match="cannot update"):
        backend.update_fields(1, text="x")


def post(n: int) -> PostIn:
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return PostIn(
        source="fb", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=f"Tuyển gấp {n}",
        text="Việc nhẹ lương cao ở Campuchia.", posted_at=None, fetched_at=now, raw_sha256=f"{n:064x}",
        score=0.9, is_lure=True, threshold=0.5, model_version="m1", signals=[], entities=[],
        categories=["abroad"], minor_risk=False, priority=1,
    )


def test_catch_up_keeps_posts_pending_while_the_engine_is_down_then_indexes_them(tmp_path, closed_url,
                                                                                 request):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path}/lw.db"))
    try:
        ids = store.upsert_posts([post(n) for n in range(3)]).post_ids
        result = catch_up(store, unreachable("opensearch", closed_url))
        assert (result.indexed, result.pending) == (0, 3)
        assert "Indexing is unavailable" in result.error
        assert store.pending_post_ids() == sorted(ids)

        # The engine is back (a live node): the same catch-up takes every pending post.
        node = request.getfixturevalue("opensearch_node")
        live = get_backend("opensearch", hosts=[node.url], alias="lw-down-back", refresh=True, replicas=0)
        try:
            result = catch_up(store, live)
            assert (result.indexed, result.pending, result.error) == (3, 0, "")
            assert {h.post_id for h in live.search("luong cao").hits} == set(ids)
        finally:
            live.drop_all()
    finally:
        store.engine.dispose()


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_a_dead_node_in_the_hosts_list_is_skipped(name, closed_url, request):
    pytest.importorskip(CLIENTS[name])
    node = request.getfixturevalue(NODES[name])
    # The dead node first, as one comma-separated string (the settings' LUREWATCH_SEARCH_URLS form).
    backend = get_backend(name, hosts=f"{closed_url},{node.url}", alias=f"lw-failover-{name}", refresh=True,
                          replicas=0, timeout=5, max_retries=3)
    assert backend.hosts == [closed_url, node.url]
    try:
        for _ in range(3):  # enough calls that the client's round robin meets the dead node
            backend.index_posts(DOCS)
            page = backend.search(SearchRequest(query="tuyen", facets=("source",)))
            assert page.total == 2
            assert page.facets["source"] == [("fb", 1), ("vieclam", 1)]
    finally:
        backend.drop_all()
