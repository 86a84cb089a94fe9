"""What operators see at a glance (`lurewatch status`, the review UI's operations page): each
source with its last and next run, last result, broken or late; the index backlog, the queue,
and the alerts told today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from index.alerts import start_of_day
from index.rows import RunRow

from flows.health import source_health
from flows.wiring import Parts


@dataclass(frozen=True)
class SourceStatus:
    name: str
    kind: str
    schedule: str | None
    paused: bool
    last_run: RunRow | None
    next_run: datetime | None
    broken: str
    late: str


@dataclass(frozen=True)
class OperationsStatus:
    sources: list[SourceStatus]
    index_pending: int
    queue_size: int
    alerts_sent_today: int
    alerts_failed_today: int


def operations_status(parts: Parts, now: datetime | None = None) -> OperationsStatus:
    now = now or datetime.now(timezone.utc)
    store, settings = parts.store, parts.settings
    rows = []
    for source in store.list_sources():
        runs = store.list_runs(limit=5, source=source.name)
        health = source_health(source, runs, now, timezone=settings.schedule_timezone,
                               late_after_periods=settings.late_after_periods)
        rows.append(SourceStatus(source.name, source.kind, source.schedule_cron, source.paused,
                                 runs[0] if runs else None, health.next_run, health.broken, health.late))
    today = start_of_day(now, settings.schedule_timezone)
    return OperationsStatus(rows, store.pending_count(), store.queue_count(),
                            store.alert_count(today), store.alert_count(today, status="failed"))


def status_lines(status: OperationsStatus, tz: str) -> list[str]:
    zone = ZoneInfo(tz)

    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "-"

    lines = ["source\tschedule\tlast run\tresult\tnext run\thealth"]
    for s in status.sources:
        run = s.last_run
        result = "-" if run is None else f"{run.status} (+{run.posts_new} new, {run.flagged} flagged)"
        health = "; ".join(x for x in (f"BROKEN: {s.broken}" if s.broken else "", f"LATE: {s.late}" if s.late else "") if x)
        lines.append("\t".join([s.name, (s.schedule or "-") + (" (paused)" if s.paused else ""),
                                when(run.started_at if run else None), result,
                                "paused" if s.paused else when(s.next_run), health or "ok"]))
    lines.append(f"waiting for the index: {status.index_pending}; review queue: {status.queue_size}; "
                 f"alerts sent today: {status.alerts_sent_today}"
                 + (f" ({status.alerts_failed_today} failed)" if status.alerts_failed_today else ""))
    return lines
