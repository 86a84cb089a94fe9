"""Vietnamese text normalisation and accent folding.

`normalize` makes equal-looking texts equal (NFC, one tone-mark placement, one kind of
space). `fold` makes accented and accent-free spellings equal for matching and search: it
composes to NFC first (a decomposed query folds like a precomposed one), and on NFC input (what
`normalize` and ingest give) it keeps the length, so spans found in the folded text are spans
in the original.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat

__all__ = ["normalize", "fold", "unify_tones", "canonical_phone", "BANKS", "EWALLETS"]

# Zero-width and invisible formatting characters that scammers use to split keywords.
_ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff]")
# Horizontal whitespace of any kind (tabs, NBSP, en/em spaces...) but not newlines.
_HSPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")

# Tone marks (combining, as they appear after NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old ("hoà", "thuý") vs new ("hòa", "thúy") placement in open syllables oa/oe/uy. Unified to
# the tone on the first vowel, but only when the syllable ends there ("hoàn", "thuyền" have one
# spelling) and not after q ("quý": qu is a consonant).
_OLD_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_])|(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])"
)


def _move_tone(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + m.group(3) + m.group(2)
    return m.group(4) + m.group(6) + m.group(5)


def unify_tones(text: str) -> str:
    """NFC with one tone placement: "hoà" → "hòa", "thuý" → "thúy", "uỳ" → "ùy"; "quý" kept."""
    text = unicodedata.normalize("NFD", text)
    text = _OLD_TONE.sub(_move_tone, text)
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> str:
    """NFC, unified tone placement, no zero-width chars, single spaces, newlines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = unify_tones(text)
    text = _HSPACE.sub(" ", text)
    text = _SPACE_AROUND_NL.sub("\n", text)
    text = _MANY_NL.sub("\n\n", text)
    return text.strip()


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low in "đð":  # đ/Đ, and Ð/ð (U+00D0/F0), which looks the same and is typed for it
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
    return base if len(base) == 1 else (low if low != ch else ch)


class _FoldTable(dict):
    """str.translate table that computes and caches each character's folded form lazily."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """NFC, then lowercase, strip diacritics, đ/Đ/Ð/ð→d, char by char: the same length as
    `text` when `text` is NFC (as `normalize` returns it)."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_FOLD_TABLE)


def canonical_phone(raw: str) -> str | None:
    """E.164 of a Vietnamese number written any usual way, or None if it is not valid.

    Every number that phonenumbers' metadata holds valid for Vietnam is accepted, in national
    ("024 3826 1234", "0206 3852 123", "1900 1234") and international ("+84 24 3826 1234",
    "0084…", "84 912 345 678", "+84 1900 1234") form: mobiles, landlines with 2- and 3-digit
    area codes, 1800/1900 numbers. Defined once here, like `fold`, because ingest, the store's
    pivots and search queries must all write a number the same way for "0912 345 678" to find
    "+84 912.345.678".
    """
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("84") and len(digits) >= 10:
        digits = "+" + digits  # national numbers start with 0 or 1: a leading 84 is the country
    if "+" in digits[1:] or not 8 <= len(digits.lstrip("+")) <= 13:
        return None
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


# Bank and e-wallet names as text (folded, lower case) -> the short code entities carry. Here with
# the other text helpers, because the extractor and the watchlist (index) both read them.
BANKS: dict[str, str] = {
    "vietcombank": "VCB", "vcb": "VCB", "techcombank": "TCB", "tcb": "TCB", "mbbank": "MB",
    "mb bank": "MB", "mb": "MB", "ngan hang quan doi": "MB", "bidv": "BIDV", "agribank": "AGRIBANK",
    "acb": "ACB", "vpbank": "VPBANK", "vp bank": "VPBANK", "tpbank": "TPBANK", "tp bank": "TPBANK",
    "sacombank": "SACOMBANK", "stb": "SACOMBANK", "vietinbank": "VIETINBANK", "viettinbank": "VIETINBANK",
    "hdbank": "HDBANK", "shb": "SHB", "ocb": "OCB", "msb": "MSB", "vib": "VIB", "seabank": "SEABANK",
    "eximbank": "EXIMBANK", "scb": "SCB", "ncb": "NCB", "abbank": "ABBANK", "lpbank": "LPBANK",
    "lienvietpostbank": "LPBANK", "bac a bank": "BACABANK", "nam a bank": "NAMABANK",
    "kienlongbank": "KIENLONGBANK", "pvcombank": "PVCOMBANK", "vietabank": "VIETABANK",
    "timo": "TIMO", "cake": "CAKE", "ubank": "UBANK", "oceanbank": "OCEANBANK",
}
EWALLETS: dict[str, str] = {
    "momo": "MOMO", "zalopay": "ZALOPAY", "zalo pay": "ZALOPAY", "viettelpay": "VIETTELPAY",
    "viettel pay": "VIETTELPAY", "viettel money": "VIETTELPAY", "shopeepay": "SHOPEEPAY",
    "shopee pay": "SHOPEEPAY", "vnpay": "VNPAY",
}
