"""Search backends behind one ABC and a name registry.

Importing this package registers the built-in backends, so `get_backend(settings.search_backend,
engine=...)` works after `from index.search import get_backend`.
"""

from index.search.base import (
    SearchBackend,
    SearchDoc,
    SearchHit,
    SearchPage,
    SearchUnavailable,
    Snippet,
    get_backend,
    register,
)
from index.search.query import Query, QueryError, parse_query
from index.search.request import FACETS, SearchRequest
from index.search import sqlite_fts as _sqlite_fts  # noqa: F401  (registers "sqlite")
from index.search import opensearch as _opensearch  # noqa: F401  (registers "opensearch"; client imported lazily)
from index.search import elasticsearch as _elasticsearch  # noqa: F401  (registers "elasticsearch")

__all__ = [
    "FACETS",
    "Query",
    "QueryError",
    "SearchRequest",
    "parse_query",
    "SearchBackend",
    "SearchDoc",
    "SearchHit",
    "SearchPage",
    "SearchUnavailable",
    "Snippet",
    "get_backend",
    "register",
]
