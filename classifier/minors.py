"""Minor risk: every explicit cue in a text that the people sought are children.

A cue is an age or age bracket below 18 ("12-15 tuổi", "lứa tuổi 12-15", "15t", "dưới 16
tuổi"), a school grade or school ("học sinh lớp 9", "THCS", "cấp 2"), a birth year that makes
the person under 18 at the post's date ("sinh năm 2010", "2k10"), or words that name children
("chưa đủ 18", "trẻ em", "vị thành niên", "mẫu nhí", "học sinh", "không cần CMND/CCCD": no
identity card, which Vietnamese children do not hold).

Not cues: children who are taught or cared for ("gia sư lớp 9", "chăm bé 5 tuổi", "dạy trẻ
em"), age floors that exclude minors ("dưới 18 tuổi không nhận", "tốt nghiệp THPT"), adults'
ranges ("18-25 tuổi"). Each cue has a stable id, a reason in Vietnamese and English and a
span into the given text (matched on `fold(text)`, which keeps offsets on NFC input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from classifier.text import fold

__all__ = ["MinorCue", "find_minor_cues", "ADULT_AGE"]

ADULT_AGE = 18
_AGE_UNIT = r"(?:tuoi|tuoy|t)(?![a-z0-9])"
_DASH = r"\s*(?:-|–|~|den|toi|->)\s*"
# Children who are the object of the job (taught, cared for, photographed by parents' consent
# is NOT here: "mẫu nhí" stays a cue).
_CARE = re.compile(
    r"(?:gia su|day|day kem|kem|giao vien|tro giang|giang day|cham|trong|giu|coi|don|dua don|"
    r"nuoi|bao mau|co giao|thay giao|phu huynh co con|cho con|cho be|lop hoc|hoc vien|tre tu|"
    r"tu van|tuyen sinh|du hoc|dao tao|su pham|nganh|giao duc|giao trinh|boi duong|on thi|luyen thi)"
    r"(?![a-z])[^.!?\n;]{0,40}$"
)
# An age limit that keeps minors out: "dưới 18 tuổi vui lòng không liên hệ", "không nhận dưới 18".
_EXCLUDES_AFTER = re.compile(r"^[^.!?\n;]{0,25}?(?:khong|ko|k|dung|cam|mien)\b")
_EXCLUDES_BEFORE = re.compile(r"(?:khong (?:nhan|tuyen)|cam|tren|tu du|it nhat)\s*$")

_AGE_RANGE = re.compile(
    rf"(?:(?P<cue>(?:lua|do|gioi han|trong do) tuoi|tuoi)\s*:?\s*(?:tu\s*)?)?(?<![\d.,/])"
    rf"(?P<lo>\d{{1,2}}){_DASH}(?P<hi>\d{{1,2}})(?![\d.,/])(?P<unit>\s*{_AGE_UNIT})?"
)
_AGE_UNDER = re.compile(
    rf"(?:duoi|chua toi|<)\s*(?P<n>\d{{1,2}})(?!\d)\s*(?P<unit>{_AGE_UNIT})?"
)
_AGE_FROM = re.compile(r"(?:do tuoi|tuoi)\s*:?\s*(?:tu|tren|it nhat|toi thieu)\s*(?:du\s*)?(?P<n>\d{1,2})(?![\d.,])")
_AGE_ONE = re.compile(rf"(?<![\d.,/:])(?P<n>\d{{1,2}})\s*{_AGE_UNIT}")
_GRADE = re.compile(
    r"(?P<who>hoc sinh|hs|nam sinh|nu sinh|em|chau|con|dang hoc|hoc)\s*(?:dang hoc\s*)?lop\s*(?P<n>\d{1,2})(?!\d)"
    r"|(?P<school>thcs|trung hoc co so|cap 2|cap hai|tieu hoc)(?![a-z])"
    r"|(?P<pupil>hoc sinh|nam sinh|nu sinh)\s*(?:truong\s*)?(?:thpt|trung hoc pho thong|cap 3|cap ba)(?![a-z])"
)
_BIRTH = re.compile(
    r"(?:sinh nam|nam sinh|sinh|sn|ns|doi)\s*:?\s*(?P<y1>(?:19|20)\d{2})(?:" + _DASH + r"(?P<y2>(?:19|20)\d{2}))?(?!\d)"
    r"|(?<![a-z0-9])2k(?P<k1>\d{1,2})(?:" + _DASH + r"2k(?P<k2>\d{1,2}))?(?![a-z0-9])"
)
_WORDS = (
    ("under_18_words", "nói rõ chưa đủ 18 tuổi", "says under 18",
     r"chua du (?:18|muoi tam|tuoi(?: (?:lao dong|truong thanh))?)|duoi tuoi (?:lao dong|truong thanh)"),
    ("children_words", "nhắm tới trẻ em / trẻ vị thành niên", "names children or minors",
     r"tre em|tre vi thanh nien|vi thanh nien|thieu nien|thieu nu|be gai|be trai"),
    ("child_model", "tuyển mẫu nhí", "child models", r"mau nhi|nguoi mau nhi|mau anh nhi|idol nhi"),
    ("pupils", "nhắm tới học sinh", "names school pupils", r"hoc sinh|hssv|hs ?- ?sv|hs ?sv"),
    ("no_id_card", "không cần CMND/CCCD (trẻ em chưa có)", "no identity card needed (children have none)",
     r"(?:khong|ko|k|chua) (?:can |co |yeu cau |doi hoi |can co )?(?:cmnd|cccd|cmt|can cuoc|chung minh nhan dan|the can cuoc)"),
)
_WORD_RES = tuple((cid, vi, en, re.compile(rf"(?<![a-z0-9])(?:{p})(?![a-z0-9])")) for cid, vi, en, p in _WORDS)


@dataclass(frozen=True)
class MinorCue:
    id: str  # stable: age_range, age_limit, age, school_grade, birth_year, and the _WORDS ids
    label_vi: str
    label_en: str
    start: int
    end: int
    phrase: str
    detail: str = ""  # e.g. "12-15", "lớp 9", "2010 → 15 tuổi (2025)"

    @property
    def reason_vi(self) -> str:
        return f"{self.label_vi}: «{self.phrase}»" + (f" ({self.detail})" if self.detail else "")

    @property
    def reason_en(self) -> str:
        return f"{self.label_en}: «{self.phrase}»" + (f" ({self.detail})" if self.detail else "")


def _cared_for(folded: str, start: int) -> bool:
    return bool(_CARE.search(folded[max(0, start - 60) : start]))


def _excluded(folded: str, start: int, end: int) -> bool:
    return bool(_EXCLUDES_AFTER.match(folded[end : end + 40]) or _EXCLUDES_BEFORE.search(folded[max(0, start - 20) : start]))


def _ages(folded: str) -> list[tuple[str, int, int, str]]:
    out = []
    taken: list[tuple[int, int]] = []
    for m in _AGE_RANGE.finditer(folded):
        if not (m.group("cue") or m.group("unit")):
            continue
        lo, hi = int(m.group("lo")), int(m.group("hi"))
        # "12-15 tuổi" names minors; "6-11 tuổi" is a child taught or cared for (below 12 needs
        # another cue: "mẫu nhí"), "18-25" adults.
        if 5 <= lo < ADULT_AGE and 12 <= hi <= 60 and lo <= hi:
            out.append(("age_range", m.start(), m.end(), f"{lo}-{hi}"))
        taken.append((m.start(), m.end()))
    for m in _AGE_UNDER.finditer(folded):
        n = int(m.group("n"))
        if m.group("unit"):
            if 12 < n <= ADULT_AGE and not _excluded(folded, m.start(), m.end()):
                out.append(("age_limit", m.start(), m.end(), f"< {n}"))
            taken.append((m.start(), m.end()))
    for m in _AGE_FROM.finditer(folded):
        if 12 <= int(m.group("n")) < ADULT_AGE:
            out.append(("age_limit", m.start(), m.end(), f">= {m.group('n')}"))
        taken.append((m.start(), m.end()))
    for m in _AGE_ONE.finditer(folded):
        if any(s <= m.start() < e for s, e in taken):
            continue
        n = int(m.group("n"))
        before = folded[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:tu|tren|it nhat|toi thieu|du)\s*$", before) and 15 <= n < ADULT_AGE:
            out.append(("age_limit", m.start(), m.end(), f">= {n}"))  # "từ 15 tuổi": minors accepted
        elif 12 <= n < ADULT_AGE and not re.search(r"(?:tren|hon|qua)\s*$", before):
            out.append(("age", m.start(), m.end(), str(n)))
    return out


def _birth_years(folded: str, ref: date) -> list[tuple[str, int, int, str]]:
    out = []
    for m in _BIRTH.finditer(folded):
        if m.group("y1"):
            years = [int(m.group("y1"))] + ([int(m.group("y2"))] if m.group("y2") else [])
        else:
            years = [2000 + int(m.group("k1"))] + ([2000 + int(m.group("k2"))] if m.group("k2") else [])
        youngest = ref.year - max(years)  # age reached in the post's year
        if 5 <= youngest < ADULT_AGE and max(years) <= ref.year:
            out.append(("birth_year", m.start(), m.end(), f"{max(years)} → {youngest} tuổi ({ref.year})"))
    return out


_LABELS = {
    "age_range": ("độ tuổi có người dưới 18", "age bracket includes under-18s"),
    "age_limit": ("giới hạn tuổi nhận người dưới 18", "age limit admits under-18s"),
    "age": ("tuổi dưới 18", "age under 18"),
    "school_grade": ("học sinh phổ thông (lớp/cấp học)", "school pupil (grade or school level)"),
    "birth_year": ("năm sinh cho thấy dưới 18 tuổi", "birth year makes them under 18"),
}


def find_minor_cues(text: str, *, folded: str | None = None, reference: date | None = None) -> list[MinorCue]:
    """Every explicit minor cue in `text`, by position. `reference` is the post's date (birth
    years are turned into an age at that date); today when not given."""
    folded = fold(text) if folded is None else folded
    ref = reference or date.today()
    found: list[tuple[str, int, int, str]] = []
    for cid, start, end, detail in _ages(folded) + _birth_years(folded, ref):
        if not _cared_for(folded, start):
            found.append((cid, start, end, detail))
    for m in _GRADE.finditer(folded):
        if m.group("n"):
            grade = int(m.group("n"))
            if not 1 <= grade <= 12 or _cared_for(folded, m.start()):
                continue
            found.append(("school_grade", m.start(), m.end(), f"lớp {grade}"))
        elif not _cared_for(folded, m.start()) and not re.search(r"tot nghiep\s*$", folded[max(0, m.start() - 14) : m.start()]):
            found.append(("school_grade", m.start(), m.end(), ""))
    for cid, vi, en, regex in _WORD_RES:
        for m in regex.finditer(folded):
            if not _cared_for(folded, m.start()):
                found.append((cid, m.start(), m.end(), ""))
    cues = []
    for cid, start, end, detail in sorted(found, key=lambda f: (f[1], -f[2], f[0])):
        if cues and start < cues[-1].end:  # one cue per stretch of text ("học sinh lớp 9")
            continue
        vi, en = _LABELS.get(cid) or next((v, e) for c, v, e, _ in _WORD_RES if c == cid)
        cues.append(MinorCue(cid, vi, en, start, end, text[start:end], detail))
    return cues
