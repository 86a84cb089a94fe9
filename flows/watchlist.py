"""Watchlist entries as operators type them: "MoMo 0912 345 678", "Vietcombank: 0123 456 789",
"@handle", "zalo.me/0912345678" -> the values the entity extractor stores (index.entity_keys)."""

from __future__ import annotations

import re

from classifier.entities import BANKS, EWALLETS, canonical_phone
from index.rows import WatchRow
from index.store import Store
from index.watchlist import WATCH_KINDS

from flows.errors import LurewatchError


def _coded(names: dict[str, str], raw: str) -> str:
    """A bank or wallet name as the extractor codes it ("zalo pay" -> ZALOPAY); unknown: upper-cased."""
    squeezed = re.sub(r"\s+", "", raw.strip().lower())
    return next((code for name, code in names.items() if name.replace(" ", "") == squeezed),
                re.sub(r"\s+", "", raw).upper())


def watch_value(kind: str, value: str) -> str:
    if kind not in WATCH_KINDS:
        raise LurewatchError(f"unknown kind {kind!r}; choose one of {', '.join(WATCH_KINDS)}")
    if kind in ("bank", "ewallet"):
        name, sep, number = value.partition(":")
        if not sep:
            match = re.match(r"^\s*([^\d]+?)\s*([\d .+-]+)\s*$", value)
            if match is None:
                raise LurewatchError(f"write a {kind} as NAME:NUMBER, e.g. {'VCB:0123456789' if kind == 'bank' else 'MOMO:0912345678'}")
            name, number = match.groups()
        if kind == "ewallet":  # the extractor's form: WALLET:<E.164 or digits>
            number = canonical_phone(number) or re.sub(r"[^0-9]", "", number)
        return f"{_coded(BANKS if kind == 'bank' else EWALLETS, name)}:{number.strip()}"
    return value


def add_watch(store: Store, kind: str, value: str, note: str = "", added_by: str | None = None) -> WatchRow:
    try:
        return store.add_watch(kind, watch_value(kind, value), note, added_by)
    except ValueError as exc:
        raise LurewatchError(str(exc)) from None


def remove_watch(store: Store, kind: str, value: str) -> None:
    if not store.remove_watch(kind, watch_value(kind, value)):
        raise LurewatchError(f"{kind} {value!r} is not on the watchlist")
