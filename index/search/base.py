"""What the application needs from a search engine, and the registry that picks one by name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

# Segments of the ORIGINAL text, in order; True marks a highlighted (matched) segment.
# "".join(seg for seg, _ in snippet) is always a substring of the original.
Snippet = list[tuple[str, bool]]


@dataclass(frozen=True)
class SearchDoc:
    post_id: int
    title: str
    text: str
    source: str
    score: float


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


class SearchBackend(ABC):
    @abstractmethod
    def ensure_index(self) -> None:
        """Create the index if missing (idempotent)."""

    @abstractmethod
    def index_posts(self, docs: list[SearchDoc]) -> None:
        """Add or replace documents, keyed by post_id."""

    @abstractmethod
    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchPage:
        """Accent-insensitive search; any user string is accepted (never a syntax error)."""


_BACKENDS: dict[str, type[SearchBackend]] = {}
B = TypeVar("B", bound=type[SearchBackend])


def register(name: str) -> Callable[[B], B]:
    """Class decorator: make a backend available to get_backend under `name`."""

    def decorate(cls: B) -> B:
        known = _BACKENDS.get(name)
        if known is not None and known is not cls:
            raise ValueError(f"search backend {name!r} already registered by {known.__qualname__}")
        _BACKENDS[name] = cls
        return cls

    return decorate


def get_backend(name: str, **kwargs: object) -> SearchBackend:
    try:
        cls = _BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown search backend {name!r}; known: {sorted(_BACKENDS)}") from None
    return cls(**kwargs)


def registered_backends() -> list[str]:
    return sorted(_BACKENDS)
