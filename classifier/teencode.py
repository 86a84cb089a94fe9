"""Ad teencode and abbreviations, as a documented table of rewrite rules.

`TEENCODE_RULES` is the contract other modules (signals) may rely on: after
`classifier.canonical.canonical_text`, every spelling listed in a rule's `examples` reads as its
`expansion`. Rules are deliberately narrow: a wrong expansion that makes a real job ad look like
a lure is worse than a missed one, so ambiguous short forms only expand in a context that
settles them ("k" is "không" before a verb, "nghìn" after a number, and nothing elsewhere).
Each rule has a pattern over the text (case as written; Vietnamese letters with or without
accents), an optional `accept` check on the match and its surroundings, and the group to
replace (0 = the whole match).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from classifier.offsets import Edit
from classifier.text import fold

__all__ = ["TeencodeRule", "TEENCODE_RULES", "teencode_edits", "teencode_table"]

# A token boundary that also protects URLs, handles, e-mails and codes ("t.me/ctv_x", "@ko").
_B = r"(?<![\w@./:#&=+\-])"
_E = r"(?![\w@]|[./:\-]\w)"

# Words that make "k"/"kh" a negation: "k cần", "kh có", "k mất phí", "k dc"... (folded).
_NEG_NEXT = frozenset(
    "can co phai biet mat yeu doi coc gioi kinh duoc dc dc lo thu nhan ton bat nen he "
    "bao ai sao muon lam di cho tinh ap qua sot kip dung hieu ro chiu".split()
)
# Money cue before a number: "lương 10-15t" is millions, not an age.
_MONEY_BEFORE = re.compile(r"(?:luong|thu nhap|tn|lg|kiem|thuong|hoa hong|phi|coc|gia)\W{0,3}[\w ]{0,12}$")
# After "nv": which of nhân viên / nhiệm vụ (folded words).
_NV_TASK_BEFORE = frozenset({"lam", "nhan", "thanh", "giao", "moi", "cac", "1", "mot", "them"})
_NV_STAFF_BEFORE = frozenset({"tuyen", "can", "la", "tri", "nhung", "ban"})
_NV_STAFF_AFTER = re.compile(
    r"\s+(?:ban hang|kinh doanh|van phong|kho|phuc vu|sale|cskh|tu van|giao hang|it\b|"
    r"marketing|ke toan|le tan|bao ve|tap vu|thu ngan|pha che|bep|chinh thuc|part|full|"
    r"parttime|fulltime|nu|nam)"
)


def _next_word(folded: str, end: int) -> str:
    m = re.match(r"\s+([a-z]+)", folded[end : end + 24])
    return m.group(1) if m else ""


def _prev_word(folded: str, start: int) -> str:
    m = re.search(r"([a-z0-9]+)\s+$", folded[max(0, start - 24) : start])
    return m.group(1) if m else ""


def _negation(folded: str, m: re.Match[str]) -> bool:
    """"k"/"kh" as "không": before a verb, or as a question tag ("được k?", "làm k")."""
    if _next_word(folded, m.end()) in _NEG_NEXT:
        return True
    tail = folded[m.end() : m.end() + 3]
    return bool(_prev_word(folded, m.start())) and (tail == "" or tail[0] in "?!.\n" or tail.startswith(" ?"))


def _nv(folded: str, m: re.Match[str]) -> str | None:
    if _NV_STAFF_AFTER.match(folded, m.end()):
        return "nhân viên"
    prev = _prev_word(folded, m.start())
    if prev in _NV_TASK_BEFORE:  # "làm nv" without a job title after it is a task
        return "nhiệm vụ"
    return "nhân viên" if prev in _NV_STAFF_BEFORE else None


_NUMBER_BEFORE = re.compile(r"(\d+)\s?$")


def _thousand(folded: str, m: re.Match[str]) -> bool:
    if m.group().strip() == "k":
        return True
    number = _NUMBER_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
    return (number is not None and int(number.group(1)) >= 10) or m.string[m.end() : m.end() + 1] == "/"


def _age_t(folded: str, m: re.Match[str]) -> bool:
    return not _MONEY_BEFORE.search(folded[max(0, m.start() - 30) : m.start()])


@dataclass(frozen=True)
class TeencodeRule:
    id: str
    expansion: str  # what the short form reads as (documentation; `replace` may decide per match)
    examples: tuple[str, ...]  # spellings the rule rewrites, in context
    description: str
    pattern: str
    group: int = 0
    # Extra check on (folded whole text, match); False keeps the text as it is.
    accept: Callable[[str, re.Match[str]], bool] | None = None
    # Per-match replacement (None: keep the text); default: `expansion`.
    replace: Callable[[str, re.Match[str]], str | None] | None = None
    # Cheap test on the folded text: substrings (any must occur) or a regex; None = always run.
    gate: tuple[str, ...] | str | None = None
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern))
        if isinstance(self.gate, str):
            object.__setattr__(self, "_gate_re", re.compile(self.gate))

    def may_apply(self, folded: str) -> bool:
        gate = self.gate
        if gate is None:
            return True
        if isinstance(gate, str):
            return self._gate_re.search(folded) is not None  # type: ignore[attr-defined]
        for g in gate:
            # A gate " k " also matches "k " at the very start and " k" at the very end.
            if g in folded:
                return True
            if g[0] == " " and folded.startswith(g[1:]) or g[-1] == " " and folded.endswith(g[:-1]):
                return True
        return False


TEENCODE_RULES: tuple[TeencodeRule, ...] = (
    TeencodeRule("khong", "không", ("ko", "Ko", "k0", "hok", "khg", "khum", "kô"),
                 "unambiguous spellings of 'không' ('Ko' before a capitalised name is kept: Ko Kong)",
                 rf"{_B}(?:k[oO0]|K[oO0](?!\s+[A-ZĐ])|[kK]ô|hok|khg|khum){_E}",
                 gate=("ko", "k0", "hok", "khg", "khum")),
    TeencodeRule("k_khong", "không", ("k cần", "k có", "được k?"),
                 "'k' as 'không' only before a verb or as a question tag (not '500k')",
                 rf"(?<![\w@./:#&=+\-\d])(?<!\d )k{_E}", accept=_negation,
                 gate=(" k ", " k?", " k.", " k,", " k!", "\nk ")),
    TeencodeRule("kh_khong", "không", ("kh cần", "kh có"),
                 "'kh' as 'không' only before a verb (uppercase 'KH' is khách hàng: kept)",
                 rf"{_B}kh{_E}", accept=_negation,
                 gate=(" kh ", "\nkh ")),
    TeencodeRule("luong", "lương", ("lg 15tr", "lg cao", "Lg: 8-10tr"),
                 "'lg' as 'lương' only before pay words or a number (not the brand LG)",
                 rf"{_B}[lL]g{_E}(?=\s*:?\s*(?:\d|cao|cứng|cung|tháng|thang|khủng|khung|upto|up to|từ|tu\b|thỏa|thoả|thoa|tt\b|cơ bản|co ban))",
                 gate=("lg",)),
    TeencodeRule("trieu", " triệu", ("15tr", "15 tr", "15 củ", "1tr5"),
                 "'tr'/'củ' after a number is triệu (million)",
                 r"(?<=\d)\s?(?:tr|Tr|TR|củ)(?![^\W\d_])",
                 gate=r"tr(?<=[0-9]tr)|tr(?<=[0-9] tr)|cu(?<=[0-9]cu)|cu(?<=[0-9] cu)"),
    TeencodeRule("nghin", " nghìn", ("500k", "500K", "200 k"),
                 "'k' right after a number is nghìn (thousand); capital K after one digit is "
                 "kept (4K video) unless a period follows (5K/ngày)",
                 r"(?<=\d)\s?[kK](?![^\W\d_])", accept=_thousand,
                 gate=r"k(?<=[0-9]k)|k(?<=[0-9] k)"),
    TeencodeRule("cong_ty", "công ty", ("cty", "Cty", "CTY"), "company",
                 rf"{_B}(?:[cC][tT][yY]){_E}",
                 gate=("cty",)),
    TeencodeRule("xkld", "xuất khẩu lao động", ("XKLĐ", "xkld", "XK LĐ"), "labour export",
                 rf"{_B}(?:[xX][kK]\s?[lL][đĐdD]){_E}",
                 gate=("xk",)),
    TeencodeRule("ctv", "cộng tác viên", ("CTV", "ctv"), "collaborator (commission work)",
                 rf"{_B}(?:[cC][tT][vV]){_E}",
                 gate=("ctv",)),
    TeencodeRule("lien_he", "liên hệ", ("LH", "lh", "Lh"), "contact",
                 rf"{_B}(?:[lL][hH]){_E}",
                 gate=("lh",)),
    TeencodeRule("inbox", "inbox", ("ib", "IB", "inb", "ibx"), "send a private message",
                 rf"{_B}(?:[iI][bB]|[iI]nb|ibx){_E}",
                 gate=("ib",)),
    TeencodeRule("sdt", "số điện thoại", ("sdt", "sđt", "SĐT"), "phone number",
                 rf"{_B}(?:[sS][dđDĐ][tT]){_E}",
                 gate=("sdt",)),
    TeencodeRule("dien_thoai", "điện thoại", ("ĐT: 0912…", "dt 0912…"),
                 "'đt' as phone only when a phone number follows (not 'dt 50m2' = diện tích)",
                 rf"{_B}(?:[dđDĐ][tT]){_E}(?=\s*[:.]?\s*(?:\+84|0)\d)",
                 gate=("dt",)),
    TeencodeRule("duoc", "được", ("dc", "đc"), "'dc'/'đc' lowercase only (ĐC is địa chỉ)",
                 rf"{_B}[dđ]c{_E}",
                 gate=("dc",)),
    TeencodeRule("voi", "với", ("đi vs em", "làm vs mình"), "'vs' lowercase after a lowercase word ('MU vs Chelsea' is kept)",
                 rf"(?<=[a-zà-ỹđ] )vs{_E}",
                 gate=("vs",)),
    TeencodeRule("gi", "gì", ("làm j", "cần j"), "'j' lowercase after a word",
                 rf"(?<=[a-zà-ỹđ] )j{_E}",
                 gate=(" j ", " j?", " j.", " j,", "\nj ")),
    TeencodeRule("nguoi", "người", ("mọi ng", "ng lớn"), "'ng' lowercase only (Ng. is Nguyễn)",
                 rf"{_B}ng{_E}",
                 gate=(" ng ", " ng,", " ng.", " ng?", "\nng ")),
    TeencodeRule("moi_nguoi", "mọi người", ("mn",), "everyone", rf"{_B}mn{_E}",
                 gate=("mn",)),
    TeencodeRule("nv", "nhân viên | nhiệm vụ", ("tuyển nv", "nv bán hàng", "làm nv", "nhận nv"),
                 "'nv' is nhân viên (staff) or nhiệm vụ (task) by its neighbours, else kept",
                 rf"{_B}(?:nv|NV|Nv){_E}", replace=_nv,
                 gate=("nv",)),
    TeencodeRule("kinh_nghiem", "kinh nghiệm", ("cần kn", "ko cần kn", "có kn"),
                 "'kn' after cần/có/chưa",
                 rf"{_B}(?:cần|can|có|co|chưa|chua|cầu|cau) (kn|KN|exp){_E}", group=1,
                 gate=("kn", "exp")),
    TeencodeRule("thu_nhap", "thu nhập", ("tn: 15tr", "TN từ 10tr"),
                 "'tn' as income only before a number or pay word",
                 rf"{_B}(?:tn|TN|Tn){_E}(?=\s*:?\s*(?:\d|từ|tu\b|cao|upto))",
                 gate=("tn",)),
    TeencodeRule("tuoi", " tuổi", ("dưới 23t", "18-25t", "trên 16t"),
                 "'t' after an age limit is tuổi (not after a pay word: '10-15t lương' is kept)",
                 r"(?:dưới|duoi|trên|tren|đủ|\d\s?[-–~]\s?|đến |den |tới )\s?\d{1,2}(\s?[tT])(?![\w@])",
                 group=1, accept=_age_t,
                 gate=r"t(?<=[0-9]t)|t(?<=[0-9] t)"),
)


def teencode_table() -> list[dict[str, str]]:
    """The rules as plain rows (id, expansion, examples, description) for docs and signals."""
    return [
        {"id": r.id, "expansion": r.expansion, "examples": ", ".join(r.examples),
         "description": r.description}
        for r in TEENCODE_RULES
    ]


def teencode_edits(text: str, folded: str | None = None) -> list[Edit]:
    """Edits expanding every teencode form in `text` (not applied; may overlap)."""
    folded = fold(text) if folded is None else folded
    edits: list[Edit] = []
    for rule in TEENCODE_RULES:
        if not rule.may_apply(folded):
            continue
        for m in rule.regex.finditer(text):
            if rule.accept is not None and not rule.accept(folded, m):
                continue
            replacement = rule.replace(folded, m) if rule.replace else rule.expansion
            if replacement is None:
                continue
            start, end = m.span(rule.group)
            edits.append(Edit(start, end, replacement, rule.id))
    return edits
