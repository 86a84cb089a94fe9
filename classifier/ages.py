"""Ages and age limits in ads: "16-25 tuổi", "dưới 23t", "từ 18 tuổi", "15 đến 17 tuổi".

Works on folded text (best: the folded canonical text, where "23t" after an age limit already
reads "23 tuổi"). A bare number range ("18-25") is an age only after "tuổi"/"độ tuổi", so pay
ranges and dates are not taken for ages. "dưới N" is read as at most N-1, "không quá N" as at
most N, "trên N" as at least N (ads use it loosely for "N and over").
"""

from __future__ import annotations

import re

__all__ = ["find_ages", "age_value"]

_AGE_WORD = r"(?:tuoi|t)(?![a-z0-9])"
_CUE = r"(?:do tuoi|tuoi|gioi han tuoi)\s*:?\s*(?:tu\s*)?(?:du\s*)?"
_AGES = re.compile(
    # ranges: "16-25 tuổi", "từ 18 đến 30 tuổi", "tuổi 18-25", "độ tuổi: 18 - 25"
    rf"(?:(?P<cue1>{_CUE})|(?:tu\s+)?(?:du\s+)?)(?<!\d)(?P<lo>\d{{1,2}})\s*(?:-|–|~|den|toi|->)\s*"
    rf"(?:khong qua\s+)?(?P<hi>\d{{1,2}})(?!\d)"
    rf"(?P<unit1>\s*{_AGE_WORD})?"
    # lower or upper limits: "dưới 23 tuổi", "từ 18 tuổi", "trên 16t", "tuổi dưới 23"
    rf"|(?:(?P<cue2>{_CUE})|(?<![a-z]))(?P<op>duoi|chua du|chua toi|<|khong qua|toi da|tu|tren|>=?|it nhat|du)\s*(?P<n>\d{{1,2}})(?!\d)"
    rf"(?P<unit2>\s*{_AGE_WORD})?"
    # a single age: "16 tuổi"
    rf"|(?<![\d.,])(?P<one>\d{{1,2}})\s*tuoi(?![a-z])"
)


def age_value(low: int | None, high: int | None) -> str:
    """"16-25", "18-" (no upper end), "-22" (no lower end)."""
    return f"{'' if low is None else low}-{'' if high is None else high}"


def find_ages(folded: str) -> list[tuple[int, int, int | None, int | None]]:
    """(start, end, low, high) for each age or age limit in `folded`."""
    found = []
    for m in _AGES.finditer(folded):
        if m.group("lo"):
            if not (m.group("cue1") or m.group("unit1")):
                continue
            low, high = int(m.group("lo")), int(m.group("hi"))
            if not (5 <= low <= high <= 80):
                continue
        elif m.group("op"):
            if not (m.group("cue2") or m.group("unit2")):
                continue
            n, op = int(m.group("n")), m.group("op")
            if not 5 <= n <= 80:
                continue
            if op in ("duoi", "chua du", "chua toi", "<"):
                low, high = None, n - 1
            elif op in ("khong qua", "toi da"):
                low, high = None, n
            else:
                low, high = n, None
        else:
            low = high = int(m.group("one"))
            if not 5 <= low <= 80:
                continue
        found.append((m.start(), m.end(), low, high))
    return found
