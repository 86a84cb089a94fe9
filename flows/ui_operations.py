"""The review UI's operations page on the CLI's own code: `lurewatch status` (flows.status) for
the overview, flows.source_actions for pause, resume and run now, so the page answers with the
line the CLI prints and a refusal with the CLI's `error:` text."""

from __future__ import annotations

from collections.abc import Callable

from review_ui.operations import OperationRefused, OperationsOverview, SourceState

from flows.errors import LurewatchError
from flows.source_actions import pause_source, resume_source, run_source_now
from flows.status import operations_status
from flows.wiring import Parts


class FlowsOperations:
    """review_ui.operations.SourceOperations for this installation's parts."""

    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    def status(self) -> OperationsOverview:
        status = operations_status(self.parts)
        sources = [SourceState(s.name, s.kind, s.schedule, s.paused, s.last_run, s.next_run, s.broken, s.late)
                   for s in status.sources]
        return OperationsOverview(sources, status.index_pending, status.queue_size,
                                  status.alerts_sent_today, status.alerts_failed_today)

    def _act(self, action: Callable[[Parts, str], str], name: str) -> str:
        try:
            return action(self.parts, name)
        except LurewatchError as exc:
            raise OperationRefused(str(exc)) from None

    def pause(self, name: str) -> str:
        return self._act(pause_source, name)

    def resume(self, name: str) -> str:
        return self._act(resume_source, name)

    def run_now(self, name: str) -> str:
        return self._act(run_source_now, name)
