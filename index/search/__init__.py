"""Search backends behind one ABC and a name registry.

Importing this package registers the built-in backends, so `get_backend(settings.search_backend,
engine=...)` works after `from index.search import get_backend`.
"""

from index.search.base import (
    SearchBackend,
    SearchDoc,
    SearchHit,
    SearchPage,
    Snippet,
    get_backend,
    register,
)
from index.search import sqlite_fts as _sqlite_fts  # noqa: F401  (registers "sqlite")

__all__ = [
    "SearchBackend",
    "SearchDoc",
    "SearchHit",
    "SearchPage",
    "Snippet",
    "get_backend",
    "register",
]
