"""Search backends behind one ABC (base.py), one registry (factory.py) and one table of search
fields (docfields.py): `open_search(settings, store_engine)` builds the configured backend."""

from index.search.base import (
    SearchBackend,
    SearchDoc,
    SearchHit,
    SearchPage,
    SearchUnavailable,
    Snippet,
)
from index.search.factory import BACKENDS, get_backend, open_search
from index.search.query import Query, QueryError, parse_query
from index.search.request import FACETS, SearchRequest

__all__ = [
    "BACKENDS",
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
    "open_search",
]
