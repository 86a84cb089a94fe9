"""Sources (the boards, channels, feeds and forums operators register), the history of their
definitions, and their pause (their crawl runs: index.runs)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import CrawlRun, Post, PostVersion, Source, SourceVersion
from index.rows import SourceRow, SourceVersionRow, row_from, row_or_none


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


def set_paused(s: Session, name: str, paused: bool) -> SourceRow | None:
    """None for an unknown source."""
    src = s.scalar(sa.select(Source).where(Source.name == name))
    if src is None:
        return None
    src.paused = paused
    s.flush()
    return row_from(SourceRow, src)
