"""A source's schedule: a cron expression (in the schedule time zone) or an interval ("15m",
"2h", "1d", "90s"), checked when it is entered and turned into Prefect's schedule here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

_INTERVAL = re.compile(r"^(?:every\s+)?(\d+)\s*(s|m|h|d)$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_SECONDS = 60


class ScheduleError(ValueError):
    """The message says what is wrong, for the field it came from."""


@dataclass(frozen=True)
class Schedule:
    text: str
    cron: str | None = None
    interval_seconds: int | None = None

    def prefect_schedule(self, timezone: str):
        from prefect.schedules import Cron, Interval

        if self.cron is not None:
            return Cron(self.cron, timezone=timezone)
        return Interval(timedelta(seconds=self.interval_seconds or 0), timezone=timezone)

    def next_after(self, when: datetime, timezone: str) -> datetime:
        """The first run strictly after `when` (aware)."""
        if self.interval_seconds is not None:
            return when + timedelta(seconds=self.interval_seconds)
        local = when.astimezone(ZoneInfo(timezone)).replace(second=0, microsecond=0)
        return next(iter(CronSim(self.cron or "", local))).astimezone(when.tzinfo)

    def period_seconds(self, timezone: str, now: datetime) -> float:
        """Time between two runs around `now` (for lateness)."""
        if self.interval_seconds is not None:
            return float(self.interval_seconds)
        first = self.next_after(now, timezone)
        return (self.next_after(first, timezone) - first).total_seconds()


def parse_schedule(text: str) -> Schedule:
    """ScheduleError names the problem: '99 * * * *' -> 'bad minute'."""
    text = " ".join(text.split())
    match = _INTERVAL.match(text)
    if match:
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        if seconds < MIN_INTERVAL_SECONDS:
            raise ScheduleError(f"{text!r}: an interval is at least {MIN_INTERVAL_SECONDS} s")
        return Schedule(text, interval_seconds=seconds)
    if len(text.split()) != 5:
        raise ScheduleError(f"{text!r} is neither a cron expression of five fields ('0 */6 * * *') "
                            "nor an interval ('15m', '2h', '1d')")
    try:
        CronSim(text, datetime(2024, 1, 1))
    except CronSimError as exc:
        raise ScheduleError(f"{text!r}: {str(exc).lower()}") from None
    from prefect._internal.schemas.validators import validate_cron_string

    try:
        validate_cron_string(text)
    except ValueError as exc:
        raise ScheduleError(f"{text!r}: {exc}") from None
    return Schedule(text, cron=text)
