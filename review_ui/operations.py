"""What the operations page needs from whoever runs the sources: their state at a glance and
the three actions (pause, resume, run now). The review UI imports only `index`, so the real
implementation (on the CLI's own functions: flows.ui_operations) is handed to create_app; on
its own the app reads the store and refuses every action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from index.alerts import start_of_day
from index.rows import RunRow
from index.store import Store

NOT_AVAILABLE = "not available in this process: the review UI of `lurewatch up` can do it, or the CLI (`lurewatch sources ...`)"


@dataclass(frozen=True)
class SourceState:
    name: str
    kind: str
    schedule: str | None
    paused: bool
    last_run: RunRow | None
    next_run: datetime | None  # None: paused, unscheduled, or not known here
    broken: str = ""  # why, or ""
    late: str = ""


@dataclass(frozen=True)
class OperationsOverview:
    sources: list[SourceState]
    index_pending: int
    queue_size: int
    alerts_sent_today: int
    alerts_failed_today: int
    health_known: bool = True  # False: broken/late and next runs were not computed (store only)


class OperationRefused(Exception):
    """An action that did not happen; its one line (the CLI's `error:` text) is shown."""


class SourceOperations(Protocol):
    def status(self) -> OperationsOverview: ...

    def pause(self, name: str) -> str: ...

    def resume(self, name: str) -> str: ...

    def run_now(self, name: str) -> str: ...


class StoreOnlyOperations:
    """The default: sources and their last runs from the store; no health, no actions."""

    def __init__(self, store: Store, tz: str = "Asia/Ho_Chi_Minh") -> None:
        self.store = store
        self.tz = tz

    def status(self) -> OperationsOverview:
        rows = []
        for source in self.store.list_sources():
            runs = self.store.list_runs(limit=1, source=source.name)
            rows.append(SourceState(source.name, source.kind, source.schedule_cron, source.paused,
                                    runs[0] if runs else None, None))
        today = start_of_day(datetime.now(timezone.utc), self.tz)
        return OperationsOverview(rows, self.store.pending_count(), self.store.queue_count(),
                                  self.store.alert_count(today), self.store.alert_count(today, status="failed"),
                                  health_known=False)

    def pause(self, name: str) -> str:
        raise OperationRefused(NOT_AVAILABLE)

    def resume(self, name: str) -> str:
        raise OperationRefused(NOT_AVAILABLE)

    def run_now(self, name: str) -> str:
        raise OperationRefused(NOT_AVAILABLE)
