"""Destinations: countries and the known scam-compound areas, matched accent-free.

`PLACES` is the data table: one row per place with its value ("KH" for a country,
"KH:Sihanoukville" for an area inside it), whether it is a known scam-compound area, and its
spellings (folded: lowercase, no accents, đ→d; a space also matches a hyphen or no separator
where the spelling says so). Short or common-word spellings carry a guard:

- "any": the spelling is unambiguous ("campuchia", "myawaddy", "dubai").
- "cue": only right after a travel word (sang, qua, đi, đến, tới, ở, tại, bên, nước, về),
  written with a capital in the original, and not followed by a capitalised word (that makes
  a Vietnamese place name) or by a word of its `not_before` list (an ordinary word) ("sang Cam" is Cambodia; "cam kết", "quả cam",
  "Cam Ranh", "Lào Cai", "Thái Bình", "thợ hàn", "chị Nga" are not).
- "accent": the original must carry these accents ("Lào"), or else satisfy "cue".
- "cpc": the abbreviation CPC, unless the text around it is about online ads (cost per click).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Place", "PLACES", "Destination", "find_destinations"]


@dataclass(frozen=True)
class Place:
    value: str  # "KH" or "KH:Sihanoukville"
    compound_area: bool
    spellings: tuple[str, ...]  # folded
    guard: str = "any"  # "any" | "cue" | "accent" | "cpc"
    accented: tuple[str, ...] = ()  # for guard "accent": original spellings that need no cue
    not_before: tuple[str, ...] = ()  # folded next words that cancel the match


PLACES: tuple[Place, ...] = (
    # Cambodia
    Place("KH", False, ("campuchia", "cam pu chia", "cambodia", "campuchea", "kampuchea",
                        "cambodge", "cao mien")),
    Place("KH", False, ("cpc",), guard="cpc"),
    Place("KH", False, ("cam",), guard="cue",
          not_before=("ket", "on", "nhan", "thay", "doan", "ranh", "chiu", "sanh", "ngot", "xanh",
                      "vat", "giac", "tu", "quyt", "thao", "sanh", "canh", "chua")),
    Place("KH:Bavet", True, ("bavet", "moc bai bavet")),
    Place("KH:Sihanoukville", True, ("sihanoukville", "sihanouk", "xi ha nuc", "xihanuc",
                                      "kampong som", "preah sihanouk", "sihanoukvill")),
    Place("KH:Poipet", True, ("poipet", "poi pet", "pai pet")),
    Place("KH:Koh Kong", True, ("koh kong", "ko kong")),
    Place("KH:Chrey Thom", True, ("chrey thom",)),
    Place("KH:Phnom Penh", False, ("phnom penh", "phnompenh", "nom penh", "nam vang")),
    Place("KH:Svay Rieng", False, ("svay rieng",)),
    # Myanmar
    Place("MM", False, ("myanmar", "mianma", "myanma", "mien dien", "burma")),
    Place("MM:Myawaddy", True, ("myawaddy", "myawadi", "mya wa di", "myawady")),
    Place("MM:KK Park", True, ("kk park", "kkpark")),
    Place("MM:Shwe Kokko", True, ("shwe kokko", "shwe koko", "shwekokko")),
    Place("MM:Tachileik", True, ("tachileik", "tachilek")),
    Place("MM:Laukkaing", True, ("laukkaing", "laukkai")),
    # Laos
    Place("LA", False, ("lao",), guard="accent", accented=("lào",),
          not_before=("cai", "dong", "xao", "ra", "vao", "tam", "luc", "dao", "nhao", "ai")),
    Place("LA", False, ("laos",)),
    Place("LA:Bokeo", True, ("bokeo",)),
    Place("LA:Bokeo", True, ("bo keo",), guard="accent", accented=("Bò Kẹo", "Bò kẹo", "BÒ KẸO")),
    Place("LA:Golden Triangle", True, ("tam giac vang", "golden triangle", "kings romans",
                                       "king romans")),
    # South-east Asia
    Place("PH", False, ("philippines", "philippine", "philipin", "philippin", "phi lip pin",
                        "philipines", "phillipines")),
    Place("PH", False, ("phi",), guard="cue", not_before=("cong", "hanh", "lo", "vu")),
    Place("PH:Manila", False, ("manila", "ma ni la")),
    Place("PH:Pampanga", True, ("pampanga",)),
    Place("TH", False, ("thai lan", "thailand")),
    Place("TH", False, ("thai",), guard="cue",
          not_before=("binh", "nguyen", "do", "hoa", "hoc", "ty", "tu", "duong", "son", "ha")),
    Place("TH:Mae Sot", False, ("mae sot", "mae xot")),
    Place("TH:Bangkok", False, ("bangkok", "bang coc")),
    Place("MY", False, ("malaysia", "malaixia", "ma lai xi a", "ma lai")),
    Place("MY:Kuala Lumpur", False, ("kuala lumpur",)),
    Place("SG", False, ("singapore", "xin ga po", "singapo")),
    Place("ID", False, ("indonesia", "in do ne xi a")),
    # East Asia
    Place("CN", False, ("trung quoc", "china")),
    Place("TW", False, ("dai loan", "taiwan")),
    Place("KR", False, ("han quoc", "korea", "nam han")),
    Place("KR", False, ("han",), guard="cue", not_before=("gan", "tieng", "xi", "che")),
    Place("JP", False, ("nhat ban", "japan")),
    Place("JP", False, ("nhat",), guard="cue", not_before=("tan", "le", "quang", "minh")),
    # Middle East
    Place("AE", False, ("uae", "cac tieu vuong quoc a rap", "tieu vuong quoc a rap")),
    Place("AE:Dubai", False, ("dubai", "du bai")),
    Place("AE:Abu Dhabi", False, ("abu dhabi",)),
    Place("SA", False, ("a rap saudi", "a rap xe ut", "saudi arabia", "saudi", "arap saudi")),
    Place("SA", False, ("a rap",), guard="accent", accented=("Ả Rập", "Ả rập", "ả rập", "Ả-rập")),
    Place("QA", False, ("qatar",)),
    Place("KW", False, ("kuwait", "co oet")),
    Place("IL", False, ("israel", "ixraen")),
    Place("TR", False, ("tho nhi ky", "turkey")),
    # Europe
    Place("RU", False, ("lien bang nga", "russia")),
    Place("RU", False, ("nga",), guard="cue", not_before=("son", "my", "nam", "bay", "tu")),
    Place("PL", False, ("ba lan",), guard="accent", accented=("Ba Lan", "BA LAN")),
    Place("PL", False, ("poland",)),
    Place("DE", False, ("chlb duc", "cong hoa lien bang duc", "germany")),
    Place("DE", False, ("duc",), guard="cue",
          not_before=("trong", "hoa", "pho", "linh", "co", "tho", "hue", "long", "giang",
                      "thang", "minh", "anh", "lap", "hanh", "ton", "thanh")),
    Place("RO", False, ("rumani", "romania", "ru ma ni", "rumania")),
    Place("BG", False, ("bulgaria", "bungari")),
    Place("HU", False, ("hungary", "hung ga ri")),
    Place("SK", False, ("slovakia", "slovakia")),
    Place("CZ", False, ("cong hoa sec", "czech")),
    Place("RS", False, ("serbia", "xec bi")),
    Place("GB", False, ("vuong quoc anh",)),  # not "anh quốc": "tiếng Anh quốc tế"
    # Further away
    Place("US", False, ("hoa ky",)),
    Place("US", False, ("my",), guard="cue", not_before=("pham", "thuat", "tho", "tam", "dinh")),
    Place("AU", False, ("australia",)),
    Place("AU", False, ("uc",), guard="cue"),
    Place("CA", False, ("canada",)),
)

_BY_SPELLING: dict[str, Place] = {}
for _place in PLACES:
    for _s in _place.spellings:
        _BY_SPELLING.setdefault(re.sub(r"[\s\-]+", " ", _s), _place)


def _trie_pattern(spellings: list[str]) -> str:
    """One regex for many spellings, factored by first letters so the engine fails fast."""
    trie: dict = {}
    for spelling in spellings:
        node = trie
        for ch in spelling:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        for ch in sorted((c for c in node if c), reverse=True):
            piece = r"[\s\-]*" if ch == " " else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


# Word bounds are checked in Python (a leading look-behind would slow every position down).
_PLACES_RE = re.compile(_trie_pattern(list(_BY_SPELLING)) + r"(?![a-z0-9]|\.[a-z])")
_GLUE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@./")
_TRAVEL_CUE = re.compile(r"(?<![a-z])(?:sang|qua|di|den|toi|o|tai|ben|nuoc|ve|xuat canh)\s+$")
_ADS_WORDS = re.compile(r"quang cao|\bads\b|\bcpm\b|\bctr\b|\bcpa\b|\bclick|marketing|adwords")


@dataclass(frozen=True)
class Destination:
    start: int
    end: int
    value: str
    compound_area: bool


def _capitalised(original: str, start: int) -> bool:
    return original[start : start + 1].isupper()


def _accepted(place: Place, folded: str, original: str, start: int, end: int) -> bool:
    if place.guard == "any":
        return True
    nxt = re.match(r"[\s\-]+([a-z]+)", folded[end : end + 16])
    if nxt and (nxt.group(1) in place.not_before or original[nxt.start(1) + end].isupper()):
        return False  # "cam kết"; a capitalised next word makes a name: "Cam Ranh", "Lào Cai"
    if place.guard == "cpc":
        window = folded[max(0, start - 60) : end + 60]
        return not _ADS_WORDS.search(window)
    if place.guard == "accent" and original[start:end] in place.accented:
        return True
    cue = _TRAVEL_CUE.search(folded, max(0, start - 14), start)
    return bool(cue) and _capitalised(original, start)


def find_destinations(folded: str, original: str) -> list[Destination]:
    """Destinations in `folded` (= fold(original), same length); spans index into both."""
    found = []
    for m in _PLACES_RE.finditer(folded):
        if m.start() and folded[m.start() - 1] in _GLUE:
            continue
        place = _BY_SPELLING.get(re.sub(r"[\s\-]+", " ", m.group()))
        if place is None:
            continue
        if _accepted(place, folded, original, m.start(), m.end()):
            found.append(Destination(m.start(), m.end(), place.value, place.compound_area))
    return found
