"""The registry of search backends: a name (settings.search_backend) -> its class.

One explicit table, no registration by import side effect. Each class builds itself from the
settings (`from_settings`, as Scrapy components have `from_crawler`); `get_backend` takes the
constructor's own arguments instead (tests, benchmarks).
"""

from __future__ import annotations

import sqlalchemy as sa

from index.search.base import SearchBackend
from index.search.elasticsearch import ElasticsearchSearch
from index.search.opensearch import OpenSearchSearch
from index.search.sqlite_fts import SqliteSearch
from index.settings import IndexSettings

# The engine clients are imported by the backends only when one is built: they are optional.
BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SqliteSearch,
    "opensearch": OpenSearchSearch,
    "elasticsearch": ElasticsearchSearch,
}


def backend_class(name: str) -> type[SearchBackend]:
    try:
        return BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown search backend {name!r}; known: {sorted(BACKENDS)}") from None


def get_backend(name: str, **kwargs: object) -> SearchBackend:
    return backend_class(name)(**kwargs)


def open_search(settings: IndexSettings, store_engine: sa.Engine) -> SearchBackend:
    """The backend the settings name, built from them."""
    return backend_class(settings.search_backend).from_settings(settings, store_engine)
