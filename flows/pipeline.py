"""The crawl-and-ingest flow: crawl one source, ingest what it yielded, record the run, alert.

The flow builds its parts once (flows.wiring) and hands them to each task. The run is opened in
the store before anything else (one live run per source), kept alive by a heartbeat, and closed
as completed or failed whatever went wrong; its figures become a Prefect artifact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from prefect import flow, task
from prefect.cache_policies import NONE as NO_CACHE

from flows.artifacts import publish, stats_rows
from flows.crawl import CrawlError, CrawlOutput, definition_for, promote_state, read_items, run_crawl, state_file
from flows.heartbeat import heartbeat, worker_identity
from flows.ingest import IngestCounts, ingest_items
from flows.wiring import Parts, build_parts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSummary:
    source: str
    run_id: int
    status: str
    pages_fetched: int
    new: int
    changed: int
    unchanged: int
    flagged: int
    dropped: int
    index_pending: int = 0
    error: str = ""
    alerts: int = 0

    def line(self) -> str:
        text = (
            f"[{self.source}] run {self.run_id} {self.status}: pages fetched {self.pages_fetched}, "
            f"posts new {self.new} / changed {self.changed} / unchanged {self.unchanged}, "
            f"flagged {self.flagged}, dropped {self.dropped}, waiting for the index {self.index_pending}"
        )
        text += f", alerts sent {self.alerts}" if self.alerts else ""
        return f"{text} — {self.error}" if self.error else text


@task(cache_policy=NO_CACHE)
def crawl_task(parts: Parts, source, run_id: int) -> CrawlOutput:
    settings = parts.settings
    out_dir = settings.crawls_dir / f"{source.name}-{run_id:06d}"
    definition = definition_for(source.name, source.start_url, source.definition)
    return run_crawl(
        definition, out_dir, settings.evidence_dir, timeout=settings.crawl_timeout_seconds,
        state=state_file(settings.crawl_state_dir, source.name),
    )


@task(cache_policy=NO_CACHE)
def ingest_task(parts: Parts, crawl: CrawlOutput) -> tuple[IngestCounts, int]:
    items, unreadable = read_items(crawl.items_path)
    counts = ingest_items(items, parts.assessor, parts.store, parts.search, batch=parts.settings.ingest_batch)
    return counts, unreadable


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return flow_run.get_id()


@flow(name="crawl-and-ingest", log_prints=True)
def crawl_and_ingest(source_name: str, retry: bool = True) -> RunSummary:
    """retry=False: one attempt (an operator at the terminal wants the error now)."""
    return run_source(build_parts(), source_name, retry=retry)


def run_source(parts: Parts, source_name: str, *, retry: bool = True) -> RunSummary:
    settings, store = parts.settings, parts.store
    source = store.get_source(source_name)
    if source is None:
        raise ValueError(f"unknown source {source_name!r}; see `lurewatch sources list`")
    live_after = datetime.now(timezone.utc) - timedelta(seconds=settings.run_stale_seconds)
    run_id = store.start_run(source_name, live_after=live_after, worker=worker_identity(settings.worker_name),
                             flow_run_id=_flow_run_id())
    delays = settings.retry_delays_seconds if retry else []
    with heartbeat(store, run_id, settings.heartbeat_seconds):
        try:
            crawl = crawl_task.with_options(retries=len(delays), retry_delay_seconds=delays)(parts, source, run_id)
            counts, unreadable = ingest_task(parts, crawl)
            promote_state(crawl, state_file(settings.crawl_state_dir, source_name))
        except BaseException as exc:  # any failure (a bug, Ctrl-C, a cancelled run) is recorded
            error = str(exc) if isinstance(exc, CrawlError) else f"{type(exc).__name__}: {exc}"
            summary = RunSummary(source_name, run_id, "failed", 0, 0, 0, 0, 0, 0, error=error)
            _finish(parts, summary, stats={}, errors=[error])
            print(summary.line())
            raise
    dropped = sum(crawl.stats.get("dropped", {}).values()) + unreadable
    errors = list(crawl.stats.get("errors", [])) + ([counts.index_error] if counts.index_error else [])
    # A 304 is a stored post the site says is unchanged: counted here, never parsed or ingested;
    # so is an item left unrequested because its listing entry is unchanged (crawlers.revisit).
    unchanged = counts.unchanged + int(crawl.stats.get("not_modified", 0)) + int(crawl.stats.get("revisit_skipped", 0))
    summary = RunSummary(
        source_name, run_id, "completed", crawl.pages_fetched,
        counts.new, counts.changed, unchanged, counts.flagged, dropped,
        index_pending=counts.index_pending, error=counts.index_error, alerts=_alert(parts),
    )
    _finish(parts, summary, stats=crawl.stats, errors=errors)
    print(summary.line())
    return summary


def _alert(parts: Parts) -> int:
    """Alerts right after ingest (minutes matter); a delivery problem never fails the crawl."""
    from flows.alerts import check_and_send

    try:
        return check_and_send(parts).sent
    except Exception as exc:
        log.warning("alerts after the crawl failed: %s", exc)
        return 0


def _finish(parts: Parts, summary: RunSummary, *, stats: dict, errors: list[str]) -> None:
    parts.store.finish_run(
        summary.run_id,
        status=summary.status,
        pages_fetched=summary.pages_fetched,
        posts_new=summary.new,
        posts_changed=summary.changed,
        posts_unchanged=summary.unchanged,
        flagged=summary.flagged,
        errors=errors,
        stats=stats,
    )
    figures = [("status", summary.status), ("pages fetched", str(summary.pages_fetched)),
               ("posts new", str(summary.new)), ("posts changed", str(summary.changed)),
               ("posts unchanged", str(summary.unchanged)), ("flagged", str(summary.flagged)),
               ("dropped", str(summary.dropped)), ("waiting for the index", str(summary.index_pending)),
               ("alerts sent", str(summary.alerts))]
    figures += [("error", e) for e in errors] + stats_rows(stats)
    publish(f"crawl-{summary.source}", f"{summary.source}: run {summary.run_id} {summary.status}", figures)
