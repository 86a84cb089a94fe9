"""Crawl health of one source from its recent runs: broken (its last run failed or crashed, or
it yielded nothing where it used to yield posts) or late (no run for longer than its schedule
allows). Pure: values in, a verdict out; `lurewatch status` and the alert rules share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from index.rows import RunRow, SourceRow

from flows.schedules import ScheduleError, parse_schedule

BAD_ENDINGS = ("failed", "crashed")


@dataclass(frozen=True)
class Health:
    broken: str = ""  # why, or ""
    late: str = ""
    next_run: datetime | None = None
    broken_run: int | None = None  # the run that shows it (alert key)


def _items(run: RunRow) -> int:
    return run.posts_new + run.posts_changed + run.posts_unchanged


def broken_reason(runs: list[RunRow]) -> tuple[str, int | None]:
    """runs: most recent first."""
    finished = [r for r in runs if r.status != "running"]
    if not finished:
        return "", None
    last = finished[0]
    if last.status in BAD_ENDINGS:
        why = (last.errors[-1] if last.errors else "no error recorded")[:300]
        return f"run {last.id} {last.status}: {why}", last.id
    if last.status == "completed" and _items(last) == 0:
        earlier = next((r for r in finished[1:] if r.status == "completed" and _items(r) > 0), None)
        if earlier is not None:
            return f"run {last.id} found no posts where run {earlier.id} found {_items(earlier)}", last.id
    return "", None


def source_health(source: SourceRow, runs: list[RunRow], now: datetime, *, timezone: str,
                  late_after_periods: float) -> Health:
    broken, broken_run = broken_reason(runs)
    if source.paused or not source.schedule_cron:
        return Health(broken=broken, broken_run=broken_run)
    try:
        schedule = parse_schedule(source.schedule_cron)
    except ScheduleError as exc:
        return Health(broken=f"invalid schedule: {exc}", broken_run=broken_run)
    last_start = runs[0].started_at if runs else source.created_at
    next_run = schedule.next_after(max(last_start, now - timedelta(days=366)), timezone)
    if next_run <= now:
        next_run = schedule.next_after(now, timezone)
    allowed = timedelta(seconds=schedule.period_seconds(timezone, now) * late_after_periods)
    late = ""
    if now - last_start > allowed:
        what = "last run started" if runs else "added"
        late = f"{what} {_ago(now - last_start)} ago; schedule {schedule.text}"
    return Health(broken=broken, late=late, next_run=next_run, broken_run=broken_run)


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"
