"""Prefect flows: crawl one source, ingest what it yielded, record the run."""

from dataclasses import dataclass

from prefect import flow, task
from prefect.cache_policies import NONE as NO_CACHE

from flows.crawl import CrawlError, CrawlOutput, definition_for, promote_state, read_items, run_crawl, state_file
from flows.ingest import IngestCounts, ingest_items
from flows.wiring import build_parts


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

    def line(self) -> str:
        text = (
            f"[{self.source}] run {self.run_id} {self.status}: pages fetched {self.pages_fetched}, "
            f"posts new {self.new} / changed {self.changed} / unchanged {self.unchanged}, "
            f"flagged {self.flagged}, dropped {self.dropped}, waiting for the index {self.index_pending}"
        )
        return f"{text} — {self.error}" if self.error else text


@task(retries=1, retry_delay_seconds=10, cache_policy=NO_CACHE)
def crawl_task(source, run_id: int) -> CrawlOutput:
    settings = build_parts().settings
    out_dir = settings.crawls_dir / f"{source.name}-{run_id:06d}"
    definition = definition_for(source.name, source.start_url, source.definition)
    return run_crawl(
        definition, out_dir, settings.evidence_dir, timeout=settings.crawl_timeout_seconds,
        state=state_file(settings.crawl_state_dir, source.name),
    )


@task(cache_policy=NO_CACHE)
def ingest_task(crawl: CrawlOutput) -> tuple[IngestCounts, int]:
    parts = build_parts()
    items, unreadable = read_items(crawl.items_path)
    counts = ingest_items(items, parts.assessor, parts.store, parts.search)
    return counts, unreadable


@flow(name="crawl-and-ingest", log_prints=True)
def crawl_and_ingest(source_name: str) -> RunSummary:
    parts = build_parts()
    source = parts.store.get_source(source_name)
    if source is None:
        raise ValueError(f"unknown source {source_name!r}; add it with `lurewatch sources add`")
    run_id = parts.store.start_run(source_name)
    try:
        crawl = crawl_task(source, run_id)
        counts, unreadable = ingest_task(crawl)
        promote_state(crawl, state_file(parts.settings.crawl_state_dir, source_name))
    except Exception as exc:  # the run says why it failed (a bug too: sync lets it through)
        error = str(exc) if isinstance(exc, CrawlError) else f"{type(exc).__name__}: {exc}"
        summary = RunSummary(source_name, run_id, "failed", 0, 0, 0, 0, 0, 0, error=error)
        _finish(parts.store, summary, stats={}, errors=[error])
        print(summary.line())
        raise
    dropped = sum(crawl.stats.get("dropped", {}).values()) + unreadable
    # A 304 is a stored post the site says is unchanged: counted here, never parsed or ingested.
    unchanged = counts.unchanged + int(crawl.stats.get("not_modified", 0))
    summary = RunSummary(
        source_name, run_id, "completed", crawl.pages_fetched,
        counts.new, counts.changed, unchanged, counts.flagged, dropped,
        index_pending=counts.index_pending, error=counts.index_error,
    )
    errors = list(crawl.stats.get("errors", [])) + ([counts.index_error] if counts.index_error else [])
    _finish(parts.store, summary, stats=crawl.stats, errors=errors)
    print(summary.line())
    return summary


def _finish(store, summary: RunSummary, *, stats: dict, errors: list[str]) -> None:
    store.finish_run(
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
