"""The backend conformance suite (tests/index/conformance.py) on every backend available here.

sqlite always runs (a real SQLite file per test). opensearch and elasticsearch run on the real
nodes of tests/engines (`opensearch_node`, `elasticsearch_node`: core + netty4 modules only, so
the shared mapping uses no analysis-common component and deletes need no reindex module), and
skip where a node cannot start (no JDK 21+, launcher not built). Indices get 0 replicas so a
single node is green.
"""

from __future__ import annotations

import itertools

import pytest
from conformance import Conformance

from index.engine import create_db_engine
from index.search import get_backend

_names = itertools.count()
# backend name -> (the tests/engines fixture of its engine, the client package it needs)
ENGINES = {
    "opensearch": ("opensearch_node", "opensearchpy"),
    "elasticsearch": ("elasticsearch_node", "elasticsearch"),
}


def _node_url(node: object) -> str:
    """The HTTP URL of whatever the engines fixture yields (a URL, or an object that has one)."""
    if isinstance(node, str):
        return node
    for attr in ("url", "http_url", "base_url"):
        if isinstance(getattr(node, attr, None), str):
            return getattr(node, attr)
    for attr in ("http_port", "port"):
        if isinstance(getattr(node, attr, None), int):
            return f"http://127.0.0.1:{getattr(node, attr)}"
    ports = getattr(node, "http_ports", None)
    if ports:
        return f"http://127.0.0.1:{ports[0]}"
    raise TypeError(f"cannot find the HTTP URL of {node!r}")


@pytest.fixture(params=["sqlite", "opensearch", "elasticsearch"])
def make_backend(request, tmp_path):
    if request.param == "sqlite":
        def build():
            backend = get_backend("sqlite", engine=create_db_engine(f"sqlite:///{tmp_path}/s{next(_names)}.db"))
            backend.ensure_index()
            return backend

        yield build
        return
    fixture, module = ENGINES[request.param]
    try:
        node = request.getfixturevalue(fixture)
    except pytest.FixtureLookupError as err:
        pytest.skip(f"no {fixture} fixture (tests/engines) in this run: {err}")
    pytest.importorskip(module)
    url = _node_url(node)
    created = []

    def build_os():
        backend = get_backend(request.param, hosts=[url], alias=f"lw-conf-{next(_names)}", refresh=True,
                              replicas=0)
        backend.ensure_index()
        created.append(backend)
        return backend

    yield build_os
    for backend in created:
        backend.drop_all()


class TestConformance(Conformance):
    pass
