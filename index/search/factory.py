"""Build the configured search backend from settings (the registry picks the class by name)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from index.engine import create_db_engine
from index.search.base import SearchBackend, get_backend
from index.settings import IndexSettings


def _sqlite_options(settings: IndexSettings, store_engine: sa.Engine) -> dict:
    if settings.search_sqlite_url:
        return {"engine": create_db_engine(settings.search_sqlite_url)}
    if store_engine.dialect.name != "sqlite":
        raise ValueError(
            "the sqlite search backend needs LUREWATCH_SEARCH_SQLITE_URL when the store is not SQLite"
        )
    return {"engine": store_engine}


def _cluster_options(settings: IndexSettings, _store_engine: sa.Engine) -> dict:
    return {
        "hosts": settings.search_urls,
        "alias": settings.search_alias,
        "timeout": settings.search_timeout_s,
        "max_retries": settings.search_max_retries,
        "replicas": settings.search_replicas,
    }


# How each backend's constructor arguments come from settings.
_OPTIONS: dict[str, Callable[[IndexSettings, sa.Engine], dict]] = {
    "sqlite": _sqlite_options,
    "opensearch": _cluster_options,
    "elasticsearch": _cluster_options,
}


def open_search(settings: IndexSettings, store_engine: sa.Engine) -> SearchBackend:
    options = _OPTIONS.get(settings.search_backend)
    if options is None:
        raise ValueError(f"unknown search backend {settings.search_backend!r}; known: {sorted(_OPTIONS)}")
    return get_backend(settings.search_backend, **options(settings, store_engine))
