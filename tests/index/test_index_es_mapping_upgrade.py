"""An OpenSearch/Elasticsearch index made before a search field was added to the table
(docfields) takes the new fields when the application starts: ensure_index puts them into the
mapping in place, so documents that carry them are not refused (dynamic: strict)."""

from __future__ import annotations

import itertools

import pytest
from test_index_conformance import ENGINES, _node_url

from index.search import get_backend
from index.search.base import SearchDoc
from index.search.es_base import alias_switch_actions, index_body, index_name

_names = itertools.count()


@pytest.mark.parametrize("name", ["opensearch", "elasticsearch"])
def test_an_older_index_gets_the_new_fields(request, name):
    fixture, module = ENGINES[name]
    pytest.importorskip(module)
    url = _node_url(request.getfixturevalue(fixture))
    alias = f"lw-upgrade-{next(_names)}"
    old = get_backend(name, hosts=[url], alias=alias, refresh=True, replicas=0)
    body = index_body(0)
    for field in ("ewallets", "usdts"):  # as the index was before these rows existed
        del body["mappings"]["properties"][field]
    old._send_create_index(index_name(alias, 1), body)
    old._send_update_aliases(alias_switch_actions(alias, [], index_name(alias, 1)))
    try:
        current = get_backend(name, hosts=[url], alias=alias, refresh=True, replicas=0)
        current.ensure_index()
        current.index_posts([SearchDoc(1, "Nạp tiền", "qua Momo", "fb", 0.9, ewallets=("MOMO:+84987654321",)),
                             SearchDoc(2, "Khác", "không", "fb", 0.1)])
        assert [h.post_id for h in current.search("ewallet:momo:0987654321").hits] == [1]
        current.ensure_index()  # a second start changes nothing
        assert current.count() == 2
    finally:
        old.drop_all()
