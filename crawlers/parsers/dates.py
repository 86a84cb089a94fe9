"""Dates of posts: ISO values, Vietnamese absolute and relative forms, resolved against the time
the page was fetched in Asia/Ho_Chi_Minh and returned in UTC.

dateparser (languages=["vi"]) is the engine for the written forms; "vừa xong" ("just now") is not
in its Vietnamese data, so it is mapped here.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)  # no Vietnamese job board before that
_FUTURE_SLACK = timedelta(days=1)  # clocks and "today 23:59" forms
_JUST_NOW = re.compile(r"^\s*(vừa xong|vừa mới|mới đây|ngay bây giờ|just now)\s*$", re.I)
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")

# Date expressions inside running text (the written forms a post carries near its title).
_UNITS = r"(?:giây|phút|giờ|tiếng|ngày|tuần|tháng|năm|seconds?|minutes?|hours?|days?|weeks?|months?|years?)"
_RELATIVE = (
    r"(?P<rel>\d{1,3}\s*" + _UNITS + r"\s*(?:trước|ago))"
    r"|(?P<yday>(?:hôm qua|hôm kia|yesterday)(?:\s*(?:lúc|,|at)?\s*\d{1,2}[:h]\d{2})?)"
    r"|(?P<now>vừa xong)"
)
RELATIVE_DATE = re.compile(_RELATIVE, re.I)  # the forms that change with the clock, not with the post
TEXT_DATE = re.compile(
    _RELATIVE +
    r"|(?P<dmy>(?:\d{1,2}[:h]\d{2}\s*(?:,|-|\|)?\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?:\s*(?:,|-|\||lúc)?\s*\d{1,2}[:h]\d{2})?)"
    r"|(?P<words>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})",
    re.I,
)
# The commonest written form, read without dateparser (a few milliseconds a call):
# [weekday,] dd/mm/yyyy [hh:mm[:ss]] or hh:mm dd/mm/yyyy, after parse_written's cleaning.
_NUMERIC_DMY = re.compile(
    r"^(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)\s*,?\s*)?"
    r"(?:(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*[,-]?\s*)?"
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:\s*[,-]?\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})(?::(?P<s2>\d{2}))?)?$",
    re.I,
)
# Labels that put a date in the future of the post: deadlines, expiry.
_NOT_POSTED = re.compile(r"(hạn|hết hạn|deadline|đến ngày|expire|kết thúc|sinh năm|ngày sinh)[^\n]{0,25}$", re.I)


def vietnam_time(fetched_at: datetime) -> datetime:
    aware = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=timezone.utc)
    return aware.astimezone(VIETNAM)


def _plausible(value: datetime, fetched_at: datetime) -> datetime | None:
    utc = value.astimezone(timezone.utc)
    if utc < _EARLIEST or utc > vietnam_time(fetched_at).astimezone(timezone.utc) + _FUTURE_SLACK:
        return None
    return utc


def parse_iso(value: str, fetched_at: datetime) -> datetime | None:
    """ISO 8601 (a date alone is midnight in Vietnam, no zone means Vietnam time) or epoch seconds/ms."""
    value = (value or "").strip()
    if not value:
        return None
    if _EPOCH.match(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return _plausible(datetime.fromtimestamp(seconds, timezone.utc), fetched_at)
    text = value.replace("Z", "+00:00") if value.endswith("Z") else value
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0700 -> +07:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), time())
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VIETNAM)
    return _plausible(parsed, fetched_at)


def parse_written(value: str, fetched_at: datetime) -> datetime | None:
    """'11 phút trước', 'hôm qua 08:16', 'Thứ Tư, 07/01/2015 | 22:34', 'ngày 2 tháng 11 năm 2023'."""
    value = (value or "").strip()
    if not value or len(value) > 120:
        return None
    local_now = vietnam_time(fetched_at)
    if _JUST_NOW.match(value):
        return local_now.astimezone(timezone.utc)
    cleaned = re.sub(r"\s*[|•·]\s*", " ", value).replace("lúc", " ")
    cleaned = re.sub(r"(\d{1,2})h(\d{2})", r"\1:\2", cleaned)
    cleaned = re.sub(r"\(?GMT\s*\+\s*7\)?", "", cleaned).strip()
    numeric = _numeric_dmy(cleaned)
    if numeric is not None:
        return _plausible(numeric, fetched_at)
    import dateparser  # imported on first use: loading its language data takes a moment

    settings = {
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
    }
    for languages in (["vi"], ["en"]):
        parsed = dateparser.parse(cleaned, languages=languages, settings=settings)
        if parsed is not None:
            return _plausible(parsed, fetched_at)
    return None


def _numeric_dmy(cleaned: str) -> datetime | None:
    """'07/01/2015 22:34' in Vietnam time, or None (not this form, or no such day: dateparser decides)."""
    m = _NUMERIC_DMY.match(cleaned)
    if m is None:
        return None
    hour, minute = (m["h1"], m["m1"]) if m["h1"] else (m["h2"] or 0, m["m2"] or 0)
    try:
        return datetime(int(m["year"]), int(m["month"]), int(m["day"]), int(hour), int(minute), int(m["s2"] or 0),
                        tzinfo=VIETNAM)
    except ValueError:
        return None


def parse_any(value: str, fetched_at: datetime) -> datetime | None:
    return parse_iso(value, fetched_at) or parse_written(value, fetched_at)


def find_in_text(text: str, fetched_at: datetime) -> datetime | None:
    """The first date expression in running text that is not a deadline or a birth date."""
    for match in TEXT_DATE.finditer(text or ""):
        before = text[max(0, match.start() - 40) : match.start()]
        if _NOT_POSTED.search(before):
            continue
        parsed = parse_written(match.group(0), fetched_at)
        if parsed is not None:
            return parsed
    return None


def iso_utc(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value else None
