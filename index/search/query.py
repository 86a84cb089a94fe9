"""The query language of the search page and the CLI: text -> a typed `Query`. Pure functions.

Syntax (terms are ANDed; everything textual is folded: no accents, đ→d, lowercase):

    luong cao                 both words, anywhere in title or text
    "viec nhe luong cao"      a phrase (also “curly quotes”)
    -dubai  -"xuat khau"      exclude a word or a phrase
    campuchia OR myanmar      either (OR binds two words/phrases; chains: a OR b OR c)
    source:chotot             keyword filters: source status category destination phone zalo
    phone:0912345678          telegram bank ewallet usdt; repeated or comma-separated values are ORed
    ewallet:momo:0912345678   an e-wallet (name:number); usdt:T... a TRC-20 address (case kept)
    source:a,b  -status:dismissed   (source:a OR source:b); a leading - negates a filter
    minor:true                minor-risk posts only (false: only the others)
    score:>=0.8  score:0.5..0.9  score:<0.3     lure score ranges (inclusive "..")
    posted:2026-01-01..2026-02-01  posted:>=2026-01   dates of posting (days are Vietnam days)
    since:2026-01-01  until:2026-02-01          first seen by lurewatch (inclusive days)
    sort:relevance|score|newest

A malformed query raises `QueryError` whose message names the token and its position; no user
string ever reaches an engine as syntax.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from classifier.text import canonical_phone, fold

from index.entity_keys import normalize_entity
from index.search.docfields import FIELD, FILTERS, LOCAL_TZ, RANGES, STATUSES, TYPED_FILTERS

# Token characters as FTS5's unicode61 tokenizer sees them: letters and digits; everything
# else (punctuation, "_", "*", quotes) separates tokens.
TOKEN = re.compile(r"[^\W_]+")

Phrase = tuple[str, ...]  # folded tokens

SORTS = ("relevance", "score", "newest")
# Keyword filters as the user writes them (index.search.docfields); "bank_account" is the digits
# of a bank value given without its bank code (bank:0123456789).
KEYWORD_FIELDS = TYPED_FILTERS
FILTER_FIELDS = FILTERS
RANGE_FIELDS = RANGES
# The query language's own words: minor:, score:/posted: ranges, since:/until: (first_seen), sort:.
KNOWN_PREFIXES = (*KEYWORD_FIELDS, "minor", "score", "posted", "since", "until", "sort")
MAX_TERMS = 64

_QUOTES_OPEN = '"“”„'
_QUOTES_CLOSE = '"“”'
_FIELD = re.compile(r"([A-Za-z_]+):")
_TELEGRAM = re.compile(r"@?[a-z][a-z0-9_]{2,31}")
_EXAMPLES = {"ewallet": "ewallet:momo:0912345678"}


class QueryError(ValueError):
    """A query the user must fix; `message` is shown to them as is."""

    def __init__(self, message: str, position: int | None = None, token: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.token = token


@dataclass(frozen=True)
class Range:
    """Bounds on a number (dates are epoch seconds); None is open. Half-open by default."""

    lo: float | None = None
    hi: float | None = None
    lo_inclusive: bool = True
    hi_inclusive: bool = False

    def intersect(self, other: Range | None) -> Range:
        if other is None:
            return self
        lo, lo_inc = _tighter(self.lo, self.lo_inclusive, other.lo, other.lo_inclusive, max)
        hi, hi_inc = _tighter(self.hi, self.hi_inclusive, other.hi, other.hi_inclusive, min)
        return Range(lo, hi, lo_inc, hi_inc)

    def contains(self, value: float) -> bool:
        if self.lo is not None and (value < self.lo or (value == self.lo and not self.lo_inclusive)):
            return False
        if self.hi is not None and (value > self.hi or (value == self.hi and not self.hi_inclusive)):
            return False
        return True


def _tighter(a, a_inc, b, b_inc, pick):  # type: ignore[no-untyped-def]
    if a is None:
        return b, b_inc
    if b is None or a == b:
        return a, (a_inc and b_inc) if b is not None else a_inc
    return (a, a_inc) if pick(a, b) == a else (b, b_inc)


@dataclass(frozen=True)
class Query:
    # Conjunction of disjunctions: ((a,), (b, c)) means a AND (b OR c); each item is a phrase.
    required: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()
    # field -> accepted values (any of them); fields are ANDed.
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded_filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    minor: bool | None = None
    ranges: dict[str, Range] = field(default_factory=dict)  # keys from RANGE_FIELDS
    sort: str | None = None  # None: relevance with text, newest without

    @property
    def has_text(self) -> bool:
        return bool(self.required)

    @property
    def positive_tokens(self) -> set[str]:
        """Folded tokens worth highlighting."""
        return {tok for group in self.required for phrase in group for tok in phrase}

    @property
    def effective_sort(self) -> str:
        sort = self.sort or "relevance"
        return "newest" if sort == "relevance" and not self.has_text else sort

    def fingerprint(self) -> str:
        """Stable id of what the query selects and how it is sorted (cursors are bound to it)."""
        parts = (
            self.required, self.excluded, sorted(self.filters.items()),
            sorted(self.excluded_filters.items()), self.minor, sorted(self.ranges.items()),
            self.effective_sort,
        )
        return hashlib.sha1(repr(parts).encode()).hexdigest()[:12]


def tokens(text: str) -> Phrase:
    return tuple(TOKEN.findall(fold(text)))


# -- values ------------------------------------------------------------------------------------


def normalize_value(name: str, raw: str, position: int | None = None) -> tuple[str, str]:
    """(field, canonical value) for a keyword filter; the field may change (bank -> bank_account)."""
    value = raw.strip()
    if not value:
        raise QueryError(f"{name}: needs a value", position, f"{name}:")
    if name == "status":
        value = value.lower()
        if value not in STATUSES:
            raise QueryError(
                f"status:{raw} is not a status; use one of {', '.join(STATUSES)}", position, raw
            )
    elif name == "phone":
        phone = canonical_phone(value)
        if phone is None:
            raise QueryError(f"phone:{raw} is not a valid Vietnamese phone number", position, raw)
        value = phone
    elif name == "zalo":
        compact = re.sub(r"[\s.\-]", "", value)
        if compact.lstrip("+").isdigit():
            phone = canonical_phone(compact)
            if phone is None:
                raise QueryError(f"zalo:{raw} is not a valid phone number", position, raw)
            value = phone
        else:
            value = value.lower()
    elif name == "telegram":
        value = value.lower()
        if not _TELEGRAM.fullmatch(value):
            raise QueryError(f"telegram:{raw} is not a Telegram handle (@name)", position, raw)
        value = value if value.startswith("@") else "@" + value
    elif name in ("bank", "bank_account"):
        code, _, account = value.rpartition(":")
        digits = re.sub(r"[\s.\-]", "", account)
        if not digits.isdigit():
            raise QueryError(f"bank:{raw} needs an account number (bank:VCB:0123456789)", position, raw)
        if not code:
            return "bank_account", digits
        return "bank", f"{code.strip().upper()}:{digits}"
    elif FIELD[name].entity:  # any other entity field: its value as the store keeps it
        value = normalize_entity(FIELD[name].entity, value)
        if not value:
            raise QueryError(f"{name}:{raw} is not a valid {name} value (e.g. {_EXAMPLES.get(name, name)})",
                             position, raw)
    return name, value


def _number(raw: str, name: str, position: int | None) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise QueryError(f"{name}: {raw!r} is not a number", position, raw) from None
    if not math.isfinite(value):
        raise QueryError(f"{name}: {raw!r} is not a number", position, raw)
    return value


def _instant(raw: str, name: str, position: int | None) -> tuple[float, float]:
    """(start, end) in epoch seconds of a day, a month or an exact ISO time (end == start)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            first = date.fromisoformat(raw + "-01")
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return _day_start(first), _day_start(nxt)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
            return _day_start(day), _day_start(day + timedelta(days=1))
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise QueryError(
            f"{name}: {raw!r} is not a date (use YYYY-MM-DD, YYYY-MM or an ISO time)", position, raw
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.timestamp(), moment.timestamp()


def _day_start(day: date) -> float:
    return datetime.combine(day, time(), LOCAL_TZ).timestamp()


def parse_range(raw: str, name: str, position: int | None = None) -> Range:
    """`>=x`, `>x`, `<=x`, `<x`, `a..b` (inclusive), `a..`, `..b`; dates also as a bare day."""
    is_date = name != "score"
    label = "posted" if name == "posted" else name

    def point(text: str) -> tuple[float, float]:
        if is_date:
            return _instant(text, label, position)
        value = _number(text, label, position)
        return value, value

    m = re.fullmatch(r"(>=|<=|>|<)(.+)", raw)
    if m:
        op, text = m.groups()
        start, end = point(text)
        whole_day = end > start
        if op == ">=":
            return Range(lo=start)
        if op == ">":
            return Range(lo=end, lo_inclusive=whole_day) if whole_day else Range(lo=start, lo_inclusive=False)
        if op == "<":
            return Range(hi=start)
        return Range(hi=end) if whole_day else Range(hi=start, hi_inclusive=True)
    if ".." in raw:
        lo_text, _, hi_text = raw.partition("..")
        if not lo_text and not hi_text:
            raise QueryError(f"{label}:.. needs at least one bound", position, raw)
        lo = point(lo_text)[0] if lo_text else None
        if hi_text:
            start, end = point(hi_text)
            hi, hi_inc = (end, False) if end > start else (start, True)
        else:
            hi, hi_inc = None, False
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"{label}:{raw} is an empty range (start after end)", position, raw)
        return Range(lo=lo, hi=hi, hi_inclusive=hi_inc)
    if is_date:
        start, end = point(raw)
        return Range(lo=start, hi=end) if end > start else Range(lo=start, hi=start, hi_inclusive=True)
    raise QueryError(
        f"score:{raw} needs a comparison or a range, e.g. score:>=0.8 or score:0.5..0.9", position, raw
    )


def parse_bool(raw: str, name: str, position: int | None = None) -> bool:
    value = raw.strip().lower()
    if value in ("true", "yes", "1", "co", "có"):
        return True
    if value in ("false", "no", "0", "khong", "không"):
        return False
    raise QueryError(f"{name}:{raw} must be true or false", position, raw)


def parse_sort(raw: str, position: int | None = None) -> str:
    value = raw.strip().lower()
    if value not in SORTS:
        raise QueryError(f"sort:{raw} is not a sort; use one of {', '.join(SORTS)}", position, raw)
    return value


def format_filter(name: str, value: str) -> str | None:
    """The query-language form of one filter (quoted when needed), for links that add it."""
    if '"' in value:
        return None  # not expressible; callers skip such links
    if not value or any(c.isspace() or c in _QUOTES_OPEN or c == "," for c in value):
        return f'{name}:"{value}"'
    return f"{name}:{value}"


# -- the parser ---------------------------------------------------------------------------------


@dataclass
class _Builder:
    required: list[list[Phrase]] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)
    minor: bool | None = None
    ranges: dict[str, Range] = field(default_factory=dict)
    sort: str | None = None
    terms: int = 0

    def add_filter(self, name: str, raw: str, negated: bool, position: int | None) -> None:
        target = self.excluded_filters if negated else self.filters
        parts = [raw] if name in ("bank",) else raw.split(",")
        for part in parts:
            field_name, value = normalize_value(name, part, position)
            values = target.setdefault(field_name, [])
            if value not in values:
                values.append(value)

    def add_range(self, name: str, rng: Range) -> None:
        self.ranges[name] = rng.intersect(self.ranges.get(name))

    def build(self) -> Query:
        return Query(
            required=tuple(tuple(g) for g in self.required),
            excluded=tuple(self.excluded),
            filters={k: tuple(v) for k, v in self.filters.items()},
            excluded_filters={k: tuple(v) for k, v in self.excluded_filters.items()},
            minor=self.minor,
            ranges=dict(self.ranges),
            sort=self.sort,
        )


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """Content of the quoted string opening at `start`, and the index after its closing quote."""
    end = start + 1
    while end < len(text) and text[end] not in _QUOTES_CLOSE:
        end += 1
    if end >= len(text):
        raise QueryError(
            f"unbalanced quote at position {start + 1}: close the phrase with \"", start, text[start]
        )
    return text[start + 1 : end], end + 1


def _read_word(text: str, start: int) -> int:
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in _QUOTES_OPEN:
        end += 1
    return end


def parse_query(text: str) -> Query:
    """Parse the query language (see the module doc); raises QueryError on a malformed query."""
    b = _Builder()
    text = text or ""
    # ("term", phrase, negated, pos) | ("or", None, False, pos); filters are applied at once.
    items: list[tuple[str, Phrase | None, bool, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        pos = i
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        if text[i] in _QUOTES_OPEN:
            content, i = _read_quoted(text, i)
            phrase = tokens(content)
            if phrase:
                items.append(("term", phrase, negated, pos))
            continue
        m = _FIELD.match(text, i)
        if m and m.end() < n and not text[m.end()].isspace():
            name = m.group(1).lower()
            value_at = m.end()
            if text[value_at] in _QUOTES_OPEN:
                value, end = _read_quoted(text, value_at)
            else:
                end = _read_word(text, value_at)
                value = text[value_at:end]
            if name in KNOWN_PREFIXES:
                _apply_field(b, name, value, negated, pos)
                items.append(("filter", None, negated, pos))
                i = end
                continue
            if not value.startswith("//"):  # a pasted URL (https://...) is text, not a filter
                raise QueryError(
                    f"unknown filter {m.group(1)}: at position {pos + 1}; "
                    f"known: {', '.join(p + ':' for p in KNOWN_PREFIXES)}",
                    pos, m.group(0),
                )
        elif m and (m.end() >= n or text[m.end()].isspace()) and m.group(1).lower() in KNOWN_PREFIXES:
            raise QueryError(f"{m.group(0)} at position {pos + 1} needs a value", pos, m.group(0))
        end = _read_word(text, i)
        word = text[i:end]
        i = end
        if not negated and word == "OR":
            items.append(("or", None, False, pos))
            continue
        if not negated and word == "AND":  # AND is implicit
            continue
        if not negated and word == "NOT":
            raise QueryError(
                f"NOT at position {pos + 1}: put a - before the word to exclude (-dubai)", pos, word
            )
        phrase = tokens(word)
        if phrase:
            items.append(("term", phrase, negated, pos))
    _combine(b, items)
    return b.build()


def _apply_field(b: _Builder, name: str, value: str, negated: bool, pos: int) -> None:
    try:
        _apply_field_at(b, name, value, negated, pos)
    except QueryError as err:
        if "position" in err.message:
            raise
        raise QueryError(f"{err.message} (at position {pos + 1})", pos, err.token) from None


def _apply_field_at(b: _Builder, name: str, value: str, negated: bool, pos: int) -> None:
    if negated and name not in KEYWORD_FIELDS and name != "minor":
        raise QueryError(f"-{name}: cannot be negated (at position {pos + 1})", pos, name)
    if name in KEYWORD_FIELDS:
        b.add_filter(name, value, negated, pos)
    elif name == "minor":
        flag = parse_bool(value, name, pos)
        b.minor = (not flag) if negated else flag
    elif name == "score":
        b.add_range("score", parse_range(value, "score", pos))
    elif name == "posted":
        b.add_range("posted", parse_range(value, "posted", pos))
    elif name == "since":
        start, _ = _instant(value, "since", pos)
        b.add_range("first_seen", Range(lo=start))
    elif name == "until":
        start, end = _instant(value, "until", pos)
        b.add_range("first_seen", Range(hi=end) if end > start else Range(hi=start, hi_inclusive=True))
    elif name == "sort":
        b.sort = parse_sort(value, pos)


def _combine(b: _Builder, items: list[tuple[str, Phrase | None, bool, int]]) -> None:
    """Fold the flat list of terms and ORs into AND-of-ORs, checking every OR has two sides."""
    for k, (kind, phrase, negated, pos) in enumerate(items):
        if kind == "filter":
            continue
        if kind == "or":
            before = items[k - 1] if k > 0 else None
            after = items[k + 1] if k + 1 < len(items) else None
            for side, label in ((before, "before"), (after, "after")):
                if side is None or side[0] == "or":
                    raise QueryError(
                        f"OR at position {pos + 1} needs a word or phrase {label} it", pos, "OR"
                    )
                if side[0] == "filter":
                    raise QueryError(
                        f"OR at position {pos + 1} joins words or phrases, not filters "
                        "(write source:a,b for either source)", pos, "OR",
                    )
                if side[2]:
                    raise QueryError(
                        f"OR at position {pos + 1} cannot join an exclusion (-word)", pos, "OR"
                    )
            continue
        assert phrase is not None
        b.terms += 1
        if b.terms > MAX_TERMS:
            raise QueryError(f"too many terms (more than {MAX_TERMS}) at position {pos + 1}", pos)
        if negated:
            b.excluded.append(phrase)
        elif k > 0 and items[k - 1][0] == "or":
            b.required[-1].append(phrase)
        else:
            b.required.append([phrase])
