"""What the application needs from a search engine (the registry is index.search.factory)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field, make_dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Self

from index.search.docfields import ENTITY_ATTRS
from index.search.request import MAX_OFFSET, MAX_SIZE, SearchRequest

if TYPE_CHECKING:
    import sqlalchemy as sa

    from index.settings import IndexSettings

# Segments of the ORIGINAL text, in order; True marks a highlighted (matched) segment.
# "".join(seg for seg, _ in snippet) is always a substring of the original.
Snippet = list[tuple[str, bool]]


def _search_doc_class() -> type:
    """SearchDoc: the fields every post has, then one tuple per entity field of the table of
    search fields (destinations, phones, zalos, telegrams, banks), so that adding an entity
    filter there gives SearchDoc its attribute too."""
    common = [
        ("post_id", int),
        ("title", str),
        ("text", str),
        ("source", str),
        ("score", float),  # the lure score in [0, 1]
        ("url", str, field(default="")),
        ("is_lure", bool, field(default=False)),
        ("status", str, field(default="new")),  # one of docfields.STATUSES
        ("categories", tuple[str, ...], field(default=())),
        ("minor_risk", bool, field(default=False)),
        ("priority", int, field(default=0)),
        ("first_seen", datetime | None, field(default=None)),
        ("posted_at", datetime | None, field(default=None)),
        ("model_version", str, field(default="")),
    ]
    entities = [(attr, tuple[str, ...], field(default=())) for attr in ENTITY_ATTRS.values()]
    doc = "One post as every search backend indexes it; built from the store (Store.search_docs)."
    return make_dataclass("SearchDoc", common + entities, frozen=True, namespace={"__doc__": doc,
                          "__module__": __name__})


SearchDoc = _search_doc_class()


@dataclass(frozen=True)
class SearchHit:
    post_id: int
    score: float  # relevance, higher is better (not the lure score)
    title: Snippet
    text: Snippet


@dataclass(frozen=True)
class SearchPage:
    total: int  # exact number of matching documents
    hits: list[SearchHit]
    # facet -> [(value, exact count)], most frequent first ("day": newest day first)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    next_cursor: str | None = None  # pass as SearchRequest.cursor for the next page


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or cannot serve now (down, timed out, no shard copy).

    `message` is one line the UI shows instead of an error page; `detail` (engine, hosts, cause)
    is for logs. Writes that raise it leave posts pending in the store for the next catch-up.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        self.message = " ".join(message.split())
        self.detail = " ".join(detail.split())
        super().__init__(f"{self.message} ({self.detail})" if self.detail else self.message)


class SearchBackend(ABC):
    @classmethod
    @abstractmethod
    def from_settings(cls, settings: IndexSettings, store_engine: sa.Engine) -> Self:
        """The backend the settings describe (store_engine: the store's, for backends that share it)."""

    @abstractmethod
    def ensure_index(self) -> None:
        """Create the index if missing (idempotent)."""

    @abstractmethod
    def index_posts(self, docs: list[SearchDoc]) -> None:
        """Add or replace documents, keyed by post_id."""

    def search(self, query: str | SearchRequest, limit: int = 20, offset: int = 0) -> SearchPage:
        """Accent-insensitive search of the query language or a SearchRequest.

        A malformed query raises index.search.query.QueryError (a ValueError whose message is
        for the user); no user string ever reaches the engine as syntax.
        """
        if not isinstance(query, SearchRequest):
            size = max(0, min(int(limit), MAX_SIZE))
            query = SearchRequest(query=query or "", size=size, offset=max(0, min(int(offset), MAX_OFFSET)))
        return self.search_request(query)

    @abstractmethod
    def search_request(self, req: SearchRequest) -> SearchPage:
        """Filters, ranges, sort, facets, highlights, exact total, cursor for the next page."""

    @abstractmethod
    def update_fields(self, post_id: int, **fields: object) -> bool:
        """Change fields of one indexed post without its text (UPDATABLE_FIELDS); False if absent."""

    @abstractmethod
    def delete(self, post_ids: list[int]) -> int:
        """Remove posts from the index; returns how many were there."""

    @abstractmethod
    def count(self) -> int:
        """Number of indexed posts."""

    @abstractmethod
    def reindex(self, docs: Iterable[SearchDoc]) -> str:
        """Build a new index from `docs`, switch readers to it atomically, drop the old one.

        Returns the name of the new index. Searches keep working during the rebuild."""
