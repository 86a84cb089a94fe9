"""Amounts of money in ads ("15tr", "30-50 triệu/tháng", "500k/ngày", "1.500 USD", "2000$").

`find_money` reads the folded canonical text (where "15tr" already reads "15 triệu" and "500k"
"500 nghìn"; a "k" that teencode left alone, as in "4K video", is not money) and returns `Money` values: a low-high range in one currency
with the period when the ad states it. `Money.value` is the canonical string stored as the
entity value ("15000000-20000000 VND/month"); `parse_money` reads it back, and
`Money.vnd_per_month()` turns it into VND per month where the period is known.

The exchange rates and working-time factors below are APPROXIMATE (rates of 2024-2025, rounded)
and only serve to compare offers ("is 2000 USD a month for unskilled work implausible?"),
never as financial figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Money", "find_money", "parse_money", "VND_PER_UNIT", "MONTH_FACTOR"]

# Approximate VND for one unit of each currency (2024-2025, rounded).
VND_PER_UNIT: dict[str, float] = {
    "VND": 1.0, "USD": 25_000.0, "USDT": 25_000.0, "EUR": 27_000.0, "SAR": 6_700.0,
    "AED": 6_800.0, "MYR": 5_600.0, "JPY": 170.0, "KRW": 18.5, "TWD": 780.0, "CNY": 3_500.0,
    "THB": 720.0, "PHP": 440.0,
}
# Periods per month, assuming 26 working days of 8 hours (approximate, for comparison only).
MONTH_FACTOR: dict[str, float] = {
    "month": 1.0, "day": 26.0, "hour": 208.0, "week": 4.33, "year": 1 / 12,
}

_NUM = r"[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]+)?"
# Folded unit spellings → (currency, multiplier). Order matters only within the regex.
_UNITS: dict[str, tuple[str, float]] = {
    "trieu": ("VND", 1e6), "ty": ("VND", 1e9), "ti": ("VND", 1e9),
    "nghin": ("VND", 1e3), "ngan": ("VND", 1e3),
    "vnd": ("VND", 1.0), "dong": ("VND", 1.0), "d": ("VND", 1.0),
    "usdt": ("USDT", 1.0), "usd": ("USD", 1.0), "$": ("USD", 1.0), "do la": ("USD", 1.0),
    "do": ("USD", 1.0), "dollar": ("USD", 1.0), "euro": ("EUR", 1.0), "eur": ("EUR", 1.0),
    "€": ("EUR", 1.0), "riyal": ("SAR", 1.0), "rial": ("SAR", 1.0), "sar": ("SAR", 1.0),
    "aed": ("AED", 1.0), "dirham": ("AED", 1.0), "rm": ("MYR", 1.0), "ringgit": ("MYR", 1.0),
    "yen": ("JPY", 1.0), "man": ("JPY", 1e4), "won": ("KRW", 1.0), "baht": ("THB", 1.0),
    "bath": ("THB", 1.0), "ndt": ("CNY", 1.0), "nhan dan te": ("CNY", 1.0), "te": ("CNY", 1.0),
    "peso": ("PHP", 1.0), "dai te": ("TWD", 1.0), "twd": ("TWD", 1.0),
}
# Folded units that are also ordinary words: accepted only when the original spelling is one
# of these ("15 độ" is a temperature, "15d" may be days).
_STRICT_UNITS = {"d": ("đ",), "do": ("đô",), "te": ("tệ",), "ty": ("tỷ", "tỉ"), "ti": ("tỉ",),
                 "man": ("man",)}
_UNIT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_PERIODS = {"ngay": "day", "thang": "month", "th": "month", "tuan": "week", "nam": "year",
            "gio": "hour", "h": "hour", "ca": "shift", "don": "task", "nhiem vu": "task",
            "nv": "task", "lan": "task"}
_PERIOD = "|".join(sorted(_PERIODS, key=len, reverse=True))
_MONEY = re.compile(
    rf"(?P<a>{_NUM})(?:\s*(?P<aunit>{_UNIT})(?![a-z])(?:\s*(?:dong|vnd)(?![a-z]))?)?"
    rf"(?:\s*(?:-|–|~|den|toi|->)\s*(?P<b>{_NUM}))?(?:\s*(?P<unit>{_UNIT})(?![a-z]))?(?P<frac>[0-9](?![0-9]))?"
    r"(?:\s*(?:dong|vnd|d)(?![a-z]))?"
    rf"(?:\s*(?:/|mot|1|moi|hang|per|tren)\s*(?P<period>{_PERIOD})(?![a-z]))?"
)
# "$2000", "USD 1.500": the currency written first.
_PREFIXED = re.compile(rf"(?:\$|usd ?)(?P<a>{_NUM})(?![0-9])")
_NOT_MONEY_AFTER = re.compile(r"\s*(?:nguoi|luot|view|like|follow|sub|buoc|km|m2|san pham|ban)\b")
_MONTH_BEFORE = re.compile(r"(?:luong|thu nhap)\s*(?:thang|hang thang|moi thang)\W{0,3}(?:tu\s*)?$")


@dataclass(frozen=True)
class Money:
    low: float
    high: float
    currency: str  # ISO-like code, "USDT" for the stablecoin
    period: str | None  # "month" | "day" | "hour" | "week" | "year" | "shift" | "task" | None

    @property
    def value(self) -> str:
        amount = _fmt(self.low) if self.low == self.high else f"{_fmt(self.low)}-{_fmt(self.high)}"
        return f"{amount} {self.currency}" + (f"/{self.period}" if self.period else "")

    def vnd_per_month(self) -> tuple[float, float] | None:
        """(low, high) in VND per month, or None when the period or currency is unknown."""
        factor = MONTH_FACTOR.get(self.period or "")
        rate = VND_PER_UNIT.get(self.currency)
        if factor is None or rate is None:
            return None
        return self.low * rate * factor, self.high * rate * factor


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.2f}".rstrip("0")


def _number(raw: str) -> float:
    """Vietnamese number: dots/commas in groups of three are thousands, else a decimal point."""
    parts = re.split(r"[.,]", raw)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) > 2:  # "1.500.000,50"
        return float("".join(parts[:-1]) + "." + parts[-1])
    return float(raw.replace(",", "."))


def _unit_ok(unit: str | None, original: str, at: int) -> bool:
    if unit is None or unit not in _STRICT_UNITS:
        return True
    return original[at : at + 4].lower().startswith(_STRICT_UNITS[unit])


def find_money(folded: str, original: str | None = None) -> list[tuple[int, int, Money]]:
    """(start, end, Money) for each amount with a unit in `folded` (= fold(original))."""
    original = folded if original is None else original
    found = []
    for m in _MONEY.finditer(folded):
        if m.start() and (folded[m.start() - 1].isalnum() or folded[m.start() - 1] in ".,_"):
            continue  # the tail of a longer token or number
        unit = m.group("unit") or m.group("aunit")
        if unit is None:
            continue
        if not _unit_ok(m.group("unit"), original, m.start("unit")) or not _unit_ok(
            m.group("aunit"), original, m.start("aunit")
        ):
            continue
        if unit in ("nghin", "ngan") and not m.group("period") and _NOT_MONEY_AFTER.match(folded, m.end()):
            continue
        currency, mult = _UNITS[unit]
        a_mult = _UNITS[m.group("aunit")][1] if m.group("aunit") else mult
        low = _number(m.group("a")) * a_mult
        high = _number(m.group("b")) * mult if m.group("b") else low
        if m.group("frac") and mult >= 1e6 and not m.group("b"):  # "1tr5" = 1.5 triệu
            low = high = low + int(m.group("frac")) * mult / 10
        elif m.group("frac"):
            continue  # "15 triệu5" in some other form: not understood, not guessed
        if low <= 0 or high < low:
            continue
        period = _PERIODS.get(m.group("period") or "")
        if period is None and _MONTH_BEFORE.search(folded, max(0, m.start() - 30), m.start()):
            period = "month"
        end = m.end()
        while end > m.start() and folded[end - 1] == " ":
            end -= 1
        found.append((m.start(), end, Money(low, high, currency, period)))
    if "$" in folded or "usd" in folded:
        taken = [(s, e) for s, e, _ in found]
        for m in _PREFIXED.finditer(folded):
            if not any(s <= m.start("a") < e for s, e in taken):
                amount = _number(m.group("a"))
                found.append((m.start(), m.end(), Money(amount, amount, "USD", None)))
        found.sort(key=lambda f: f[0])
    return found


_VALUE = re.compile(r"(?P<low>[\d.]+)(?:-(?P<high>[\d.]+))? (?P<cur>[A-Z]+)(?:/(?P<period>\w+))?")


def parse_money(value: str) -> Money:
    """Inverse of `Money.value` (for consumers that only have the entity's value)."""
    m = _VALUE.fullmatch(value)
    if not m:
        raise ValueError(f"not a money value: {value!r}")
    low = float(m.group("low"))
    high = float(m.group("high")) if m.group("high") else low
    return Money(low, high, m.group("cur"), m.group("period"))
