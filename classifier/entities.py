"""Entities an investigator pivots on, with spans into the ORIGINAL text and canonical values.

Extraction runs on the canonical text (classifier.canonical: disguises undone, teencode
expanded) and maps every span back, so "0️⃣9️⃣1️⃣2️⃣…" or "Z@lo: 09.12.34.56.78" give their
exact original spans. Kinds and values:

| kind         | value                                   | example source                      |
|--------------|-----------------------------------------|-------------------------------------|
| phone        | E.164 ("+84912345678")                  | 0912 345 678, 84912345678, keycaps  |
| zalo         | E.164 of the number, or link id         | zalo: 0912…, zalo.me/84…, zalo.me/g/x |
| telegram     | "@handle", or "t.me/+invite"            | tele: @abc, t.me/abc                |
| facebook     | "facebook.com/<path>" (lowercase)       | fb.com/groups/123, facebook.com/x   |
| tiktok       | "@handle" or "vm.tiktok.com/<code>"     | tiktok.com/@abc                     |
| email        | lowercase address                       | HR@Example.vn                       |
| bank         | "<BANK>:<digits>"                       | STK 1903… Techcombank               |
| ewallet      | "<WALLET>:<E.164 or digits>"            | Momo 0912…                          |
| usdt_trc20   | the address (base58check verified)      | T… (34 chars)                       |
| money        | `Money.value` ("15000000 VND/month")    | 15tr/tháng, 500k/ngày, 2000$        |
| age          | "min-max", open ends allowed ("18-")    | 16-25 tuổi, dưới 23t, từ 18 tuổi    |
| destination  | "KH" or "KH:Sihanoukville"              | Campuchia, sang Cam, Bavet          |

`flags` adds facts about a mention: "compound_area" (a known scam-compound place) and
"obfuscated" (the original was disguised: keycaps, leet, split letters, spelled digits).
A number given as a Zalo contact yields both a "phone" and a "zalo" entity with the same value;
their spans may overlap.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


from classifier.ages import age_value, find_ages
from classifier.canonical import CanonicalText, cached_canonical_text
from classifier.gazetteer import find_destinations
from classifier.money import Money, find_money, parse_money
from classifier.text import BANKS, EWALLETS, canonical_phone

__all__ = ["Entity", "extract_entities", "canonical_phone", "money_of", "BANKS", "EWALLETS"]


@dataclass(frozen=True)
class Entity:
    kind: str
    value: str
    start: int
    end: int
    raw: str
    flags: tuple[str, ...] = ()

    @property
    def compound_area(self) -> bool:
        return "compound_area" in self.flags

    @property
    def obfuscated(self) -> bool:
        return "obfuscated" in self.flags


def money_of(entity: Entity) -> Money:
    """The structured amount of a "money" entity (see Money.vnd_per_month)."""
    return parse_money(entity.value)


# --- phones ----------------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?:(?:\(?\+\s?84\)?|\(?84\)?|0)(?:[ .\-]{0,2}[0-9]){8,10}"
    r"|1[89]00(?:[ .\-]?\d){4,6})(?!\w)"  # 1800/1900 hotlines
)
_DIGIT_RUN = re.compile(r"[0-9](?:[ .\-]{0,2}[0-9]){7}")


def _glued(text: str, start: int) -> bool:
    """Is a number candidate at `start` the tail of a longer token ("ab0912…", "15.0912…")?"""
    if start == 0:
        return False
    before = text[start - 1]
    return before.isalnum() or before in "+_" or (before == "." and start > 1 and text[start - 2].isdigit())




# --- chat apps, social links, e-mail (on folded canonical text) ------------------------------
_ZALO_LINK = re.compile(r"zalo\.me\s?/\s?((?:g/)?[a-z0-9_.]{3,40})")
_ZALO_LABEL = re.compile(r"\b(?:zalo|zl)\b[^\d\n@]{0,25}?(\+?\d(?:[ .\-]{0,2}\d){8,11})(?!\d)")
_TG_LINK = re.compile(r"\b(?:t|telegram)\.me/(\+[a-z0-9_\-]{6,40}|joinchat/[a-z0-9_\-]{6,40}|[a-z][a-z0-9_]{4,31})")
_TG_LABEL = re.compile(r"\b(?:telegram|tele|tg)\b[^@\n]{0,25}?@([a-z][a-z0-9_]{4,31})")
_FACEBOOK = re.compile(
    r"(?<![\w.])(?:https?://)?(?:www\.|m\.|web\.|mbasic\.|vi-vn\.)?(facebook\.com|fb\.com|fb\.me|fb\.watch)"
    r"/([^\s<>\"'()\[\]{}|]+)"
)
_TIKTOK = re.compile(r"(?<![\w.])(?:https?://)?(?:(vm|vt)\.|www\.|m\.)?tiktok\.com/(@[\w.]+|[a-z0-9]{5,20})")
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}")

# --- money transfer ----------------------------------------------------------------------------
# Bank and wallet names -> codes: classifier.text.BANKS / EWALLETS ("mb" only in capitals: MB is
# also megabyte).


def _code(names: dict[str, str], raw: str) -> str:
    """Code of a matched name, whatever its spacing ("MB Bank", "mbbank", "zalo  pay")."""
    squeezed = re.sub(r"\s+", "", raw)
    return next(code for name, code in names.items() if name.replace(" ", "") == squeezed)


def _alternation(names: dict[str, str]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s?") for n in sorted(names, key=len, reverse=True))


_ACCOUNT = r"\d(?:[ \-]?\d){7,18}"
_ACCOUNT_CUE = r"(?:stk|so tk|so tai khoan|tai khoan|tk|account|acc|ck|chuyen khoan)"
_NOT_AMOUNT = r"(?!\s*(?:trieu|nghin|ngan|dong|vnd|d\b|k\b|usd|\$|%))(?!\d|[.,]\d)"
_BANK_FIRST = re.compile(
    rf"(?P<bank>{_alternation(BANKS)})(?![a-z0-9])"
    # "Vietcombank: 0123…", "VCB stk 0123…", "Techcombank (Nguyen Van A) 1903…"
    # or a holder's name between dashes: "MB Bank - Nguyen Van A - 0912…"
    rf"[\s:.\-–,]*(?:(?:\([^)\d\n]{{0,30}}\)|[^\d\n\-–:(,;]{{2,30}}?\s?[-–])[\s:.\-–,]*)?"
    rf"(?:{_ACCOUNT_CUE}\b[^\d\n]{{0,15}}?)?"
    rf"(?P<num>{_ACCOUNT}){_NOT_AMOUNT}"
)
_NUMBER_FIRST = re.compile(
    rf"{_ACCOUNT_CUE}\s*:?\s*(?P<num>{_ACCOUNT}){_NOT_AMOUNT}[\s,:\-–(]*(?:ngan hang|nh|bank)?\s*"
    rf"(?P<bank>{_alternation(BANKS)})(?![a-z0-9])"
)
_EWALLET = re.compile(
    rf"(?P<wallet>{_alternation(EWALLETS)})(?![a-z0-9])[^\d\n]{{0,20}}?"
    r"(?P<num>\+?\d(?:[ .\-]{0,2}\d){7,11})(?!\d)"
)
_TRC20 = re.compile(r"T[1-9A-HJ-NP-Za-km-z]{33}(?![A-Za-z0-9])")
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _trc20_ok(address: str) -> bool:
    """Base58check with the TRON 0x41 prefix (rejects random 34-letter words)."""
    n = 0
    for ch in address:
        n = n * 58 + _B58.index(ch)
    raw = n.to_bytes(25, "big") if n.bit_length() <= 200 else b""
    if len(raw) != 25 or raw[0] != 0x41:
        return False
    check = hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4]
    return check == raw[21:]


def _word_start(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _bank_ok(m: re.Match[str], text: str) -> bool:
    if not _word_start(text, m.start("bank")):
        return False
    return m.group("bank") != "mb" or text[m.start("bank") : m.end("bank")] == "MB"


class _Collector:
    """Entities found on the canonical text, stored with their original spans."""

    def __init__(self, ct: CanonicalText) -> None:
        self.ct = ct
        self.items: dict[tuple[str, str, int, int], Entity] = {}

    def add(self, kind: str, value: str, start: int, end: int, flags: tuple[str, ...] = ()) -> None:
        ostart, oend = self.ct.to_original(start, end)
        if self.ct.changed and self.ct.obfuscated(ostart, oend):
            flags = flags + ("obfuscated",)
        raw = self.ct.original[ostart:oend]
        self.items.setdefault((kind, value, ostart, oend), Entity(kind, value, ostart, oend, raw, flags))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a number span to its digits, keeping a leading "+" or "(+84)"."""
    while start < end and not (text[start].isdigit() or text[start] in "+("):
        start += 1
    if text[start : start + 1] == "(" and ")" not in text[start:end]:
        start += 1
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return start, end


def extract_entities(text: str, *, folded: str | None = None) -> list[Entity]:
    """All entities in `text`, ordered by position; spans index into `text`.

    `folded` is accepted for compatibility and unused: the canonical text is memoised
    (`cached_canonical_text`) and shared with the model's text view."""
    ct = cached_canonical_text(text)
    canon, low = ct.text, ct.folded
    digit_run = _DIGIT_RUN.search(low) is not None  # phones, accounts, wallets need 8+ digits
    out = _Collector(ct)

    for m in _PHONE.finditer(canon) if digit_run else ():
        if _glued(canon, m.start()):
            continue
        value = canonical_phone(m.group())
        if value:
            out.add("phone", value, *_trim(canon, m.start(), m.end()))
    if "zalo" in low or "zl" in low:
        for m in _ZALO_LINK.finditer(low):
            ident = m.group(1).rstrip(".")
            value = canonical_phone(ident) if ident.isdigit() else None
            out.add("zalo", value or ident, m.start(), m.start(1) + len(ident))
        for m in _ZALO_LABEL.finditer(low) if digit_run else ():
            value = canonical_phone(m.group(1))
            if value:
                out.add("zalo", value, m.start(), m.end())
                out.add("phone", value, m.start(1), m.end(1))
    if ".me/" in low:
        for m in _TG_LINK.finditer(low):
            ident = m.group(1)
            value = "@" + ident if ident[0].isalpha() else "t.me/" + ident
            out.add("telegram", value, m.start(), m.end())
    if "@" in low:
        for m in _TG_LABEL.finditer(low):
            out.add("telegram", "@" + m.group(1), m.start(), m.end())
    if "fb" in low or "facebook" in low:
        for m in _FACEBOOK.finditer(low):
            path = m.group(2).rstrip(".,;:!?")
            if path.startswith("profile.php"):
                path = re.sub(r"&.*", "", path)
            else:
                path = path.split("?")[0].rstrip("/")
            domain = "facebook.com" if m.group(1) in ("facebook.com", "fb.com") else m.group(1)
            if path:
                out.add("facebook", f"{domain}/{path}", m.start(), m.start(2) + len(m.group(2).rstrip(".,;:!?")))
    if "tiktok" in low:
        for m in _TIKTOK.finditer(low):
            ident = canon[m.start(2) : m.end(2)]
            value = ident.lower() if ident.startswith("@") else f"{m.group(1) or 'vm'}.tiktok.com/{ident}"
            out.add("tiktok", value.rstrip("."), m.start(), m.end())
    if "@" in low:
        for m in _EMAIL.finditer(low):
            out.add("email", m.group(), m.start(), m.end())

    for m in _BANK_FIRST.finditer(low) if digit_run else ():
        if _bank_ok(m, canon):
            bank = _code(BANKS, m.group("bank"))
            out.add("bank", f"{bank}:{re.sub(r'[^0-9]', '', m.group('num'))}", m.start(), m.end())
    for m in _NUMBER_FIRST.finditer(low) if digit_run else ():
        if _bank_ok(m, canon):
            bank = _code(BANKS, m.group("bank"))
            out.add("bank", f"{bank}:{re.sub(r'[^0-9]', '', m.group('num'))}", m.start(), m.end())
    for m in _EWALLET.finditer(low) if digit_run else ():
        if not _word_start(low, m.start()):
            continue
        wallet = _code(EWALLETS, m.group("wallet"))
        number = canonical_phone(m.group("num")) or re.sub(r"[^0-9]", "", m.group("num"))
        out.add("ewallet", f"{wallet}:{number}", m.start(), m.end())
    for m in _TRC20.finditer(canon):
        if not (m.start() and canon[m.start() - 1].isalnum()) and _trc20_ok(m.group()):
            out.add("usdt_trc20", m.group(), m.start(), m.end())

    for start, end, money in find_money(low, canon):
        out.add("money", money.value, start, end)
    for start, end, lo, hi in find_ages(low) if "tuoi" in low else ():
        out.add("age", age_value(lo, hi), start, end)
    for d in find_destinations(low, canon):
        out.add("destination", d.value, d.start, d.end, ("compound_area",) if d.compound_area else ())

    return sorted(out.items.values(), key=lambda e: (e.start, e.end, e.kind))
