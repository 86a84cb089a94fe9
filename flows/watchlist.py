"""Watchlist entries as operators type them ("MoMo 0912 345 678", "Vietcombank: 0123 456 789",
"@handle", "zalo.me/0912345678"): index.watchlist.watch_key makes them the values the entity
extractor stores (the review UI's watchlist page uses the same function); refusals become one
`error:` line."""

from __future__ import annotations

from index.rows import WatchRow
from index.store import Store
from index.watchlist import WatchError

from flows.errors import LurewatchError


def add_watch(store: Store, kind: str, value: str, note: str = "", added_by: str | None = None) -> WatchRow:
    try:
        return store.add_watch(kind, value, note, added_by)
    except WatchError as exc:
        raise LurewatchError(str(exc)) from None


def remove_watch(store: Store, kind: str, value: str) -> None:
    try:
        removed = store.remove_watch(kind, value)
    except WatchError as exc:
        raise LurewatchError(str(exc)) from None
    if not removed:
        raise LurewatchError(f"{kind} {value!r} is not on the watchlist")
