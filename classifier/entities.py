"""Contact entities (phones, Zalo, Telegram, e-mail) with spans into the original text.

Investigators pivot on these values, so they are canonical: phones in E.164, Zalo ids that are
phone numbers in E.164 too (other Zalo ids lowercased), Telegram handles as "@handle",
e-mails lowercased. A number given as a Zalo contact yields both a "phone" and a "zalo"
entity with the same value; their spans may overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from classifier.text import fold

__all__ = ["Entity", "extract_entities", "canonical_phone"]


@dataclass(frozen=True)
class Entity:
    kind: str  # "phone" | "zalo" | "telegram" | "email"
    value: str
    start: int
    end: int
    raw: str


# VN numbers written with spaces, dots or dashes the matcher misses; 84... without "+" is how
# Zalo ids of phone numbers are written.
_PHONE_FALLBACK = re.compile(r"(?<![\w+])(?:\+\s?84|84|0)(?:[ .\-]?\d){9}(?![\w])")
_ZALO_LINK = re.compile(r"zalo\.me\s?/\s?((?:g/)?[a-z0-9_.]{3,40})")
# "zalo: 0912...", "zalo ID :8490...", "add zalo e: 0912", "zl 0912..."
_ZALO_LABEL = re.compile(r"\b(?:zalo|zl)\b(?:\s*(?:id|e|em|a|anh))?\s*[:.\-]?\s*\(?\s*(\+?\d[\d .\-]{7,16}\d)")
_TG_LINK = re.compile(r"\b(?:t|telegram)\.me/([a-z][a-z0-9_]{4,31})")
_TG_LABEL = re.compile(r"\b(?:telegram|tele|tg)\b\s*[:.\-]?\s*@([a-z][a-z0-9_]{4,31})")
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}")


def canonical_phone(raw: str) -> str | None:
    """E.164 of a Vietnamese number written any usual way, or None if it is not valid."""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("84") and len(digits) == 11:
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to start at a digit or '+' and end at a digit."""
    while start < end and not (text[start].isdigit() or text[start] == "+"):
        start += 1
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return start, end


def _phones(text: str) -> list[Entity]:
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for m in PhoneNumberMatcher(text, "VN", leniency=Leniency.VALID):
        start, end = _trim(text, m.start, m.end)
        value = phonenumbers.format_number(m.number, PhoneNumberFormat.E164)
        if not value.startswith("+84"):
            continue
        found.append(Entity("phone", value, start, end, text[start:end]))
        taken.append((start, end))
    for m in _PHONE_FALLBACK.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        value = canonical_phone(m.group())
        if value:
            found.append(Entity("phone", value, m.start(), m.end(), m.group()))
    return found


def extract_entities(text: str, *, folded: str | None = None) -> list[Entity]:
    """All contact entities in `text`, ordered by position; spans index into `text`.

    `folded` may pass `fold(text)` when the caller already has it."""
    folded = fold(text) if folded is None else folded
    entities = _phones(text)
    for m in _ZALO_LINK.finditer(folded):
        ident = m.group(1).rstrip(".")
        value = canonical_phone(ident) if ident.isdigit() else None
        end = m.start(1) + len(ident)
        entities.append(Entity("zalo", value or ident, m.start(), end, text[m.start() : end]))
    for m in _ZALO_LABEL.finditer(folded):
        value = canonical_phone(m.group(1))
        if value:
            entities.append(Entity("zalo", value, m.start(), m.end(), text[m.start() : m.end()]))
    for pattern in (_TG_LINK, _TG_LABEL):
        for m in pattern.finditer(folded):
            entities.append(
                Entity("telegram", "@" + m.group(1), m.start(), m.end(), text[m.start() : m.end()])
            )
    for m in _EMAIL.finditer(folded):
        entities.append(Entity("email", m.group(), m.start(), m.end(), text[m.start() : m.end()]))
    unique = {(e.kind, e.value, e.start, e.end): e for e in entities}
    return sorted(unique.values(), key=lambda e: (e.start, e.end, e.kind))
