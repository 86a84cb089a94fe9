"""Crawl runs: opened one at a time per source, kept alive by a heartbeat, closed with their
counts; a run whose process died (no heartbeat) is marked crashed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import CrawlRun, Source, utcnow
from index.rows import RunRow, row_from

RUNNING, COMPLETED, FAILED, CRASHED = "running", "completed", "failed", "crashed"


class RunOverlap(RuntimeError):
    """Another live run of the same source holds it; the message is one line for an operator."""


def start_run(s: Session, source_name: str, *, live_after: datetime | None = None, worker: str | None = None,
              flow_run_id: str | None = None) -> int:
    """Open a run of a registered source; an unknown source is a wiring bug -> ValueError.

    With `live_after`, a running run of the same source whose heartbeat is newer refuses the new
    one (RunOverlap): two runs of one source never overlap. The source row is locked (SQLite's
    write transaction already serialises), so two openers cannot both pass the check."""
    source_id = s.scalar(sa.select(Source.id).where(Source.name == source_name).with_for_update())
    if source_id is None:
        raise ValueError(f"unknown source {source_name!r}: upsert_source it first")
    if live_after is not None:
        live = s.scalar(
            sa.select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == RUNNING,
                                      sa.func.coalesce(CrawlRun.heartbeat_at, CrawlRun.started_at) >= live_after)
        )
        if live is not None:
            raise RunOverlap(f"source {source_name!r} is already being crawled by run {live.id}"
                             f"{f' on {live.worker}' if live.worker else ''}")
    now = utcnow()
    run = CrawlRun(source_id=source_id, status=RUNNING, errors=[], stats={}, started_at=now, heartbeat_at=now,
                   worker=worker, flow_run_id=flow_run_id)
    s.add(run)
    s.flush()
    return run.id


def heartbeat(s: Session, run_id: int) -> bool:
    """False when the run is no longer running (marked crashed meanwhile, or finished)."""
    done = s.execute(sa.update(CrawlRun).where(CrawlRun.id == run_id, CrawlRun.status == RUNNING)
                     .values(heartbeat_at=utcnow()))
    return bool(done.rowcount)


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


def mark_crashed(s: Session, stale_before: datetime) -> list[RunRow]:
    """Running runs whose last heartbeat is older than `stale_before`: their process died."""
    rows = s.execute(
        sa.select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
        .where(CrawlRun.status == RUNNING,
               sa.func.coalesce(CrawlRun.heartbeat_at, CrawlRun.started_at) < stale_before)
    ).all()
    now = utcnow()
    for run, _ in rows:
        seen = run.heartbeat_at or run.started_at
        run.status, run.finished_at = CRASHED, now
        run.errors = [*run.errors, f"no heartbeat since {seen:%Y-%m-%d %H:%M:%S} UTC: the run's process died"]
    s.flush()
    return [row_from(RunRow, run, source=name) for run, name in rows]


def list_runs(s: Session, limit: int = 20, source: str | None = None) -> list[RunRow]:
    """Most recent first (of one source when given)."""
    stmt = sa.select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
    if source is not None:
        stmt = stmt.where(Source.name == source)
    rows = s.execute(stmt.order_by(CrawlRun.id.desc()).limit(limit))
    return [row_from(RunRow, run, source=name) for run, name in rows]


def get_run(s: Session, run_id: int) -> RunRow | None:
    row = s.execute(sa.select(CrawlRun, Source.name).join(Source, Source.id == CrawlRun.source_id)
                    .where(CrawlRun.id == run_id)).first()
    return None if row is None else row_from(RunRow, row[0], source=row[1])
