"""Sources (the boards, channels, feeds and forums operators register), the history of their
definitions, and their crawl runs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import CrawlRun, Post, PostVersion, Source, SourceVersion, utcnow
from index.rows import RunRow, SourceRow, SourceVersionRow, row_from, row_or_none


def upsert_source(s: Session, name: str, kind: str, start_url: str, schedule_cron: str | None = None,
                  definition: dict | None = None, action: str | None = None) -> SourceRow:
    """definition: crawlers.source.SourceDefinition as JSON (None: the start URL's default).

    A changed definition (or a new source) becomes the next version, kept in source_versions;
    saving the same definition again changes nothing there. `action` defaults to add or edit.
    """
    src = s.scalar(sa.select(Source).where(Source.name == name))
    new = src is None
    if new:
        src = Source(name=name, version=_last_version(s, name) + 1)
        s.add(src)
    changed = new or src.definition != definition or (src.kind, src.start_url, src.schedule_cron) != (
        kind, start_url, schedule_cron)
    src.kind, src.start_url, src.schedule_cron = kind, start_url, schedule_cron
    src.definition = definition
    if changed and not new:
        src.version = _last_version(s, name) + 1
    if changed:
        s.add(SourceVersion(source_name=name, version=src.version, action=action or ("add" if new else "edit"),
                            definition=definition))
    s.flush()
    return row_from(SourceRow, src)


def _last_version(s: Session, name: str) -> int:
    return s.scalar(sa.select(sa.func.max(SourceVersion.version)).where(SourceVersion.source_name == name)) or 0


def remove_source(s: Session, name: str) -> SourceRow | None:
    """Delete the source and its runs (its posts stay); its last definition stays in the history."""
    src = s.scalar(sa.select(Source).where(Source.name == name))
    if src is None:
        return None
    row = row_from(SourceRow, src)
    s.add(SourceVersion(source_name=name, version=_last_version(s, name) + 1, action="remove",
                        definition=src.definition))
    s.execute(sa.delete(CrawlRun).where(CrawlRun.source_id == src.id))
    s.delete(src)
    s.flush()
    return row


def source_history(s: Session, name: str) -> list[SourceVersionRow]:
    """Oldest first."""
    rows = s.scalars(sa.select(SourceVersion).where(SourceVersion.source_name == name).order_by(SourceVersion.version))
    return [row_from(SourceVersionRow, v) for v in rows]


def raw_hashes(s: Session, source: str) -> list[str]:
    """sha256 of every body a source's posts (current and superseded versions) were read from."""
    current = s.scalars(sa.select(Post.raw_sha256).where(Post.source == source))
    older = s.scalars(sa.select(PostVersion.raw_sha256).join(Post, Post.id == PostVersion.post_id)
                      .where(Post.source == source))
    return sorted(set(current) | set(older))


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
