"""The backend conformance suite (tests/index/conformance.py) on every backend available here.

sqlite always runs (a real SQLite file per test). opensearch runs when the `opensearch_node`
fixture of tests/engines is available (a real node), and skips otherwise.
"""

from __future__ import annotations

import itertools

import pytest
from conformance import Conformance

from index.engine import create_db_engine
from index.search import get_backend

_names = itertools.count()


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


@pytest.fixture(params=["sqlite", "opensearch"])
def make_backend(request, tmp_path):
    if request.param == "sqlite":
        def build():
            backend = get_backend("sqlite", engine=create_db_engine(f"sqlite:///{tmp_path}/s{next(_names)}.db"))
            backend.ensure_index()
            return backend

        yield build
        return
    try:
        node = request.getfixturevalue("opensearch_node")
    except pytest.FixtureLookupError as err:
        pytest.skip(f"no opensearch_node fixture (tests/engines) in this run: {err}")
    pytest.importorskip("opensearchpy")
    url = _node_url(node)
    created = []

    def build_os():
        backend = get_backend("opensearch", hosts=[url], alias=f"lw-conf-{next(_names)}", refresh=True)
        backend.ensure_index()
        created.append(backend)
        return backend

    yield build_os
    for backend in created:
        backend.drop_all()


class TestConformance(Conformance):
    pass
