"""Undo the tricks scammers use to slip past keyword filters, as edits with rule ids.

Two passes, both returning `Edit`s (see classifier.offsets) rather than a new string so that
every rewritten character maps back to the original:
- `character_edits`: per-character disguises: keycap emoji digits (0️⃣), full-width and
  mathematical letters/digits (０９, 𝐳𝐚𝐥𝐨), circled digits (①, ❶), zero-width characters,
  exotic spaces, decomposed (NFD) letters and old tone placement (hoà → hòa, thuỷ → thủy).
- `spelling_edits`: word-level disguises: letters split by dots, dashes or spaces
  ("v.i.ệ.c n.h.ẹ", "l-ư-ơ-n-g"), leet and dotted spellings of a few keywords ("c4mpuchia",
  "Z@lo", "Za.lo", "tele.gram"), and phone numbers spelled in words ("không chín một…") but
  only right after a contact word (sđt, zalo, liên hệ, gọi…).
"""

from __future__ import annotations

import re
import unicodedata

from classifier.offsets import Edit
from classifier.text import fold, unify_tones

__all__ = ["character_edits", "spelling_edits", "LEET_KEYWORDS", "DIGIT_WORDS"]

_ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\ufe0e\ufe0f"
_ODD_SPACE = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t"
_DINGBAT_DIGITS = {
    **{0x2776 + i: str(i + 1) for i in range(9)}, 0x277F: "10",
    **{0x2780 + i: str(i + 1) for i in range(9)}, 0x2789: "10",
    **{0x278A + i: str(i + 1) for i in range(9)}, 0x2793: "10",
    0x24FF: "0", 0x24EA: "0",
}
_SPECIAL = (
    rf"\u20e3{_ZERO_WIDTH}{_ODD_SPACE}\uff01-\uff5e\u2460-\u24ff\u2776-\u2793\U0001d400-\U0001d7ff"
)
_CHARS = re.compile(
    r"(?P<keycap>[0-9#*][\ufe0e\ufe0f]?\u20e3)"
    rf"|(?P<zw>[{_ZERO_WIDTH}]+)"
    rf"|(?P<space>[{_ODD_SPACE}])"
    r"|(?P<compat>[\uff01-\uff5e\u2460-\u24ff\u2776-\u2793\U0001d400-\U0001d7ff]+)"
)
# Cheap tests first (a character class up front lets the regex engine skip ahead fast).
_CHARS_GATE = re.compile(rf"[{_SPECIAL}]")
# A combining mark (NFD text) or an old tone placement at a syllable end ("hoà", "thuỷ").
_TONE_HIT = re.compile(r"[\u0300-\u036f]|[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ](?!\w)|[uU][ỳýỷỹỵỲÝỶỸỴ](?!\w)")


def _word_around(text: str, i: int) -> tuple[int, int]:
    start, end = i, i
    while start > 0 and (text[start - 1].isalnum() or unicodedata.combining(text[start - 1])):
        start -= 1
    while end < len(text) and (text[end].isalnum() or unicodedata.combining(text[end])):
        end += 1
    return start, end


def _compat(chunk: str) -> str:
    return "".join(_DINGBAT_DIGITS.get(ord(c)) or unicodedata.normalize("NFKC", c) for c in chunk)


def character_edits(text: str) -> list[Edit]:
    edits = []
    if _CHARS_GATE.search(text):
        for m in _CHARS.finditer(text):
            kind, raw = m.lastgroup, m.group()
            if kind == "keycap":
                edits.append(Edit(m.start(), m.end(), raw[0], "keycap_digit"))
            elif kind == "zw":
                edits.append(Edit(m.start(), m.end(), "", "zero_width"))
            elif kind == "space":
                edits.append(Edit(m.start(), m.end(), " ", "space"))
            else:
                edits.append(Edit(m.start(), m.end(), _compat(raw), "compat_char"))
    seen_end = -1
    for m in _TONE_HIT.finditer(text):
        if m.start() < seen_end:
            continue
        start, end = _word_around(text, m.start())
        seen_end = end
        word = text[start:end]
        if not any(e.start < end and start < e.end for e in edits):
            edits.append(Edit(start, end, unify_tones(word), "tone"))
    return edits


# --- letters split by separators -------------------------------------------------------------
_L = r"[^\W\d_]"
# Same separator throughout; at least 3 letters with . - _ * · •, at least 4 with spaces.
_SPLIT = re.compile(
    rf"(?<![\w@/.\-])(?:{_L}(?P<sep>[.\-_*·•])(?:{_L}(?P=sep))+{_L}"
    rf"|{_L}(?: {_L}){{3,}})(?![\w@]|[.\-]\w)"
)

# --- leet / dotted keywords -------------------------------------------------------------------
LEET_KEYWORDS = (
    "campuchia", "cambodia", "sihanoukville", "myanmar", "telegram", "facebook", "whatsapp",
    "poipet", "bavet", "tiktok", "casino", "zalo", "tele", "momo", "usdt", "viber",
)
_LEET = {"a": "a@4áà", "e": "e3", "i": "i1!|", "o": "o0ø", "s": "s5$", "t": "t7",
         "g": "g9", "b": "b8", "l": "l1|", "z": "z2"}


def _leet_pattern(word: str) -> str:
    classes = []
    for ch in word:
        variants = _LEET.get(ch, ch)
        classes.append("[" + re.escape(variants + variants.upper()) + "]")
    return r"[.\-_*]?".join(classes)


_LEET_RE = re.compile(
    r"(?<![\w@./])(?:" + "|".join(_leet_pattern(w) for w in LEET_KEYWORDS) + r")(?![\w@]|[.\-]\w)"
)


_LEET_FULL = {w: re.compile(_leet_pattern(w)) for w in LEET_KEYWORDS}
_PLAIN = frozenset(LEET_KEYWORDS)


def _leet_word(raw: str) -> str | None:
    """The keyword `raw` disguises, or None when it is just the keyword (or mostly digits)."""
    if raw.lower() in _PLAIN:
        return None
    letters = sum(c.isalpha() for c in raw)
    if letters * 2 < len(raw):
        return None
    for word, pattern in _LEET_FULL.items():
        if pattern.fullmatch(raw):
            return word
    return None


# --- phone numbers spelled in words ---------------------------------------------------------
DIGIT_WORDS = {
    "khong": "0", "mot": "1", "hai": "2", "ba": "3", "bon": "4", "tu": "4", "nam": "5",
    "lam": "5", "sau": "6", "bay": "7", "bey": "7", "tam": "8", "chin": "9", "linh": "0",
}
_DW = "(?:" + "|".join(sorted(DIGIT_WORDS, key=len, reverse=True)) + ")"
_SPELLED_PHONE = re.compile(
    r"(?:sdt|so dien thoai|dien thoai|zalo|zl|lien he|lh|goi|hotline|call|phone)\W{0,3}(?:la\s+)?"
    rf"(?P<num>khong(?:[\s,.\-]+{_DW}){{8,10}})(?![a-z])"
)


_SPLIT_GATE = re.compile(r"[a-z][.\-_*·•][a-z][.\-_*·•][a-z]|[a-z] [a-z] [a-z] [a-z]")
_LEET_GATE = re.compile(r"[a-z][@0-9$|!.\-_*ø][a-z0-9]")


def spelling_edits(text: str, folded: str | None = None) -> list[Edit]:
    folded = fold(text) if folded is None else folded
    edits = []
    if _SPLIT_GATE.search(folded):
        for m in _SPLIT.finditer(text):
            joined = re.sub(r"[\s.\-_*·•]", "", m.group())
            edits.append(Edit(m.start(), m.end(), joined, "split_letters"))
    if _LEET_GATE.search(folded):
        for m in _LEET_RE.finditer(text):
            word = _leet_word(m.group())
            if word:
                edits.append(Edit(m.start(), m.end(), word, "leet"))
    if "khong" in folded:
        for m in _SPELLED_PHONE.finditer(folded):
            digits = "".join(DIGIT_WORDS[w] for w in re.findall(r"[a-z]+", m.group("num")))
            edits.append(Edit(m.start("num"), m.end("num"), digits, "spelled_digits"))
    return edits
