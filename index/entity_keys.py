"""Canonical entity values: the same function at ingest and at pivot time, so "0912 345 678",
"+84 912.345.678" and "84912345678" all find the posts stored under "+84912345678".

The classifier already emits canonical values; applying this again at ingest is idempotent
and makes values from any other producer comparable too.
"""

from __future__ import annotations

import re

from classifier.text import canonical_phone

# Kinds whose shared values link posts into one network (e-mail and destination do not:
# a destination like "KH:Sihanoukville" is shared by unrelated posts). A shared MoMo number or
# USDT address is as strong a link as a shared bank account.
LINK_KINDS = ("phone", "zalo", "telegram", "bank", "ewallet", "usdt_trc20")
# Kinds an investigator pivots on (an entity page each); money and age are facts of one ad, not contacts.
CONTACT_KINDS = (*LINK_KINDS, "facebook", "tiktok", "email", "destination")
_NOT_DIGIT = re.compile(r"[^\d+]")
_SPACES = re.compile(r"\s+")
_TG_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/", re.IGNORECASE)
_ZALO_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:chat\.)?zalo\.me/", re.IGNORECASE)
# The classifier's wallet codes (classifier.entities.EWALLETS) are the names squeezed and upper-cased,
# except this one.
_WALLET_ALIASES = {"VIETTELMONEY": "VIETTELPAY"}


def normalize_entity(kind: str, value: str) -> str:
    """The value under which an entity of `kind` is stored and looked up."""
    value = value.strip()
    if kind == "phone":
        return canonical_phone(value) or _SPACES.sub("", value)
    if kind == "zalo":
        ident = _ZALO_PREFIX.sub("", value).strip().rstrip(".")
        if _NOT_DIGIT.sub("", ident) and not re.search(r"[a-zA-Z_]", ident):
            return canonical_phone(ident) or _SPACES.sub("", ident)
        return ident.lower()
    if kind == "telegram":
        handle = _TG_PREFIX.sub("", value).strip().lstrip("@").lower()
        return "@" + handle if handle else ""
    if kind == "bank":
        bank, sep, account = value.partition(":")
        if not sep:
            return _SPACES.sub("", value).upper()
        return f"{_SPACES.sub('', bank).upper()}:{re.sub(r'[^0-9A-Za-z]', '', account)}"
    if kind == "ewallet":  # "<WALLET>:<E.164 or digits>"; "" without a wallet name or a number
        wallet, _, number = value.partition(":")
        wallet = _SPACES.sub("", wallet).upper()
        digits = _NOT_DIGIT.sub("", number)
        if not wallet or not digits.strip("+"):
            return ""
        return f"{_WALLET_ALIASES.get(wallet, wallet)}:{canonical_phone(digits) or digits.lstrip('+')}"
    if kind == "usdt_trc20":  # base58: case matters, never fold it
        return _SPACES.sub("", value)
    if kind == "email":
        return value.lower()
    return value
