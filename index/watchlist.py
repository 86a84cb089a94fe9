"""The watchlist: phones, Zalo, Telegram handles, bank accounts and e-wallets that alert when a
post carrying them is seen again (flows.alerts, rule `watchlist`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.entity_keys import normalize_entity
from index.models import EntityRow, Post, WatchEntry
from index.rows import WatchRow, row_from

WATCH_KINDS = ("phone", "zalo", "telegram", "bank", "ewallet")


def add_watch(s: Session, kind: str, value: str, note: str = "", added_by: str | None = None) -> WatchRow:
    """ValueError for an unknown kind or an empty value (IntegrityError when already listed)."""
    if kind not in WATCH_KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(WATCH_KINDS)}")
    key = normalize_entity(kind, value)
    if not key.strip(":@"):
        raise ValueError(f"empty {kind} value {value!r}")
    entry = WatchEntry(kind=kind, value=key, note=note, added_by=added_by)
    s.add(entry)
    s.flush()
    return row_from(WatchRow, entry)


def list_watch(s: Session) -> list[WatchRow]:
    return [row_from(WatchRow, w) for w in s.scalars(sa.select(WatchEntry).order_by(WatchEntry.kind, WatchEntry.value))]


def remove_watch(s: Session, kind: str, value: str) -> bool:
    done = s.execute(sa.delete(WatchEntry).where(WatchEntry.kind == kind,
                                                 WatchEntry.value == normalize_entity(kind, value)))
    return bool(done.rowcount)


def watch_hits(s: Session, seen_since: datetime) -> list[tuple[WatchRow, int]]:
    """(entry, post id) for every post stored or seen again since `seen_since` (its updated_at),
    after the entry was added,
    whose current version carries a watch-listed value."""
    rows = s.execute(
        sa.select(WatchEntry, EntityRow.post_id).distinct()
        .join(EntityRow, sa.and_(EntityRow.kind == WatchEntry.kind, EntityRow.value == WatchEntry.value))
        .join(Post, Post.id == EntityRow.post_id)
        .where(Post.updated_at >= seen_since, Post.updated_at >= WatchEntry.created_at)
        .order_by(EntityRow.post_id)
    )
    return [(row_from(WatchRow, entry), post_id) for entry, post_id in rows]
