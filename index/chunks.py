"""Long id lists in bounded pieces: IN (...) lists stay far below every database's bound-parameter limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_CHUNK = 500
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def unique(items: Sequence[T]) -> list[T]:
    """The items without repeats, first occurrence kept."""
    return list(dict.fromkeys(items))
