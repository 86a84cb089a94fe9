"""Sources (the boards operators register) and their crawl runs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import CrawlRun, Source, utcnow
from index.rows import RunRow, SourceRow, row_from, row_or_none


def upsert_source(s: Session, name: str, kind: str, start_url: str, schedule_cron: str | None = None,
                  definition: dict | None = None) -> SourceRow:
    """definition: crawlers.source.SourceDefinition as JSON (None: the start URL's default)."""
    src = s.scalar(sa.select(Source).where(Source.name == name))
    if src is None:
        src = Source(name=name)
        s.add(src)
    src.kind, src.start_url, src.schedule_cron = kind, start_url, schedule_cron
    src.definition = definition
    s.flush()
    return row_from(SourceRow, src)


def get_source(s: Session, name: str) -> SourceRow | None:
    return row_or_none(SourceRow, s.scalar(sa.select(Source).where(Source.name == name)))


def list_sources(s: Session) -> list[SourceRow]:
    return [row_from(SourceRow, x) for x in s.scalars(sa.select(Source).order_by(Source.name))]


def start_run(s: Session, source_name: str) -> int:
    """Open a run of a registered source; an unknown source is a wiring bug -> ValueError."""
    source_id = s.scalar(sa.select(Source.id).where(Source.name == source_name))
    if source_id is None:
        raise ValueError(f"unknown source {source_name!r}: upsert_source it first")
    run = CrawlRun(source_id=source_id, status="running", errors=[], stats={})
    s.add(run)
    s.flush()
    return run.id


def finish_run(s: Session, run_id: int, *, status: str, pages_fetched: int, posts_new: int, posts_changed: int,
               posts_unchanged: int, flagged: int, errors: list[str], stats: dict) -> None:
    run = s.get(CrawlRun, run_id)
    if run is None:
        raise ValueError(f"unknown crawl run {run_id}")
    run.finished_at = utcnow()
    run.status = status
    run.pages_fetched, run.flagged = pages_fetched, flagged
    run.posts_new, run.posts_changed, run.posts_unchanged = posts_new, posts_changed, posts_unchanged
    run.errors = list(errors)
    run.stats = dict(stats)


def list_runs(s: Session, limit: int = 20) -> list[RunRow]:
    """Most recent first."""
    rows = s.execute(
        sa.select(CrawlRun, Source.name)
        .join(Source, Source.id == CrawlRun.source_id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    return [row_from(RunRow, run, source=name) for run, name in rows]
