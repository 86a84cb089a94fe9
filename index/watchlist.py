"""The watchlist: phones, Zalo, Telegram handles, bank accounts and e-wallets that alert when a
post carrying them is seen again (flows.alerts, rule `watchlist`). Entries come as people type
them (the CLI, the review UI's watchlist page): `watch_key` turns "MoMo 0912 345 678" or
"Vietcombank: 0123 456 789" into the value the entity extractor stores. Every change is audited
in its own transaction (by None: the CLI)."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from classifier.text import BANKS, EWALLETS, canonical_phone, fold
from index.accounts import audit
from index.entity_keys import normalize_entity
from index.models import EntityRow, Post, WatchEntry
from index.rows import WatchRow, row_from

WATCH_KINDS = ("phone", "zalo", "telegram", "bank", "ewallet")
NOTE_MAX = 500
_NAME_THEN_NUMBER = re.compile(r"^\s*([^\d]+?)\s*([\d .+-]+)\s*$")


class WatchError(ValueError):
    """An entry the watchlist refuses; `code` names it for the UI (unknown_kind, bad_format,
    empty, already_listed, not_listed)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _coded(names: dict[str, str], raw: str) -> str:
    """A bank or wallet name as the extractor codes it ("Zalo Pay" -> ZALOPAY, "Ngân hàng Quân
    đội" -> MB); an unknown name is kept, squeezed and upper-cased."""
    squeezed = re.sub(r"\s+", "", fold(raw).lower())
    return next((code for name, code in names.items() if name.replace(" ", "") == squeezed),
                re.sub(r"\s+", "", raw).upper())


def watch_key(kind: str, value: str) -> str:
    """The stored value of a typed entry; WatchError for an unknown kind, a bank or wallet
    without its name and number, or nothing left."""
    if kind not in WATCH_KINDS:
        raise WatchError("unknown_kind", f"unknown kind {kind!r}; choose one of {', '.join(WATCH_KINDS)}")
    if kind in ("bank", "ewallet"):
        name, sep, number = value.partition(":")
        if not sep:
            match = _NAME_THEN_NUMBER.match(value)
            if match is None:
                example = "VCB:0123456789" if kind == "bank" else "MOMO:0912345678"
                raise WatchError("bad_format", f"write a {kind} as NAME:NUMBER, e.g. {example}")
            name, number = match.groups()
        if kind == "ewallet":  # the extractor's form: WALLET:<E.164 or digits>
            number = canonical_phone(number) or re.sub(r"[^0-9]", "", number)
        value = f"{_coded(BANKS if kind == 'bank' else EWALLETS, name)}:{number.strip()}"
    key = normalize_entity(kind, value)
    if not key.strip(":@"):
        raise WatchError("empty", f"empty {kind} value {value!r}")
    return key


def _target(kind: str, key: str) -> str:
    return f"watch:{kind}:{key}"[:300]


def add_watch(s: Session, kind: str, value: str, note: str = "", added_by: str | None = None) -> WatchRow:
    """WatchError (see watch_key); IntegrityError when already listed (Store says so)."""
    key = watch_key(kind, value)
    entry = WatchEntry(kind=kind, value=key, note=note.strip()[:NOTE_MAX], added_by=added_by)
    s.add(entry)
    s.flush()
    audit(s, added_by, "watchlist.add", _target(kind, key), {"note": entry.note})
    return row_from(WatchRow, entry)


def get_watch(s: Session, kind: str, value: str) -> WatchRow | None:
    """The entry of a stored value (as entity pages name it), or None."""
    entry = s.scalar(sa.select(WatchEntry).where(WatchEntry.kind == kind, WatchEntry.value == value))
    return None if entry is None else row_from(WatchRow, entry)


def list_watch(s: Session) -> list[WatchRow]:
    return [row_from(WatchRow, w) for w in s.scalars(sa.select(WatchEntry).order_by(WatchEntry.kind, WatchEntry.value))]


def remove_watch(s: Session, kind: str, value: str, removed_by: str | None = None) -> bool:
    key = watch_key(kind, value)
    done = s.execute(sa.delete(WatchEntry).where(WatchEntry.kind == kind, WatchEntry.value == key))
    if done.rowcount:
        audit(s, removed_by, "watchlist.remove", _target(kind, key))
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
