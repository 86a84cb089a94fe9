"""Sources: the boards operators register (their crawl runs: index.runs)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import Source
from index.rows import SourceRow, row_from, row_or_none


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


def set_paused(s: Session, name: str, paused: bool) -> SourceRow | None:
    """None for an unknown source."""
    src = s.scalar(sa.select(Source).where(Source.name == name))
    if src is None:
        return None
    src.paused = paused
    s.flush()
    return row_from(SourceRow, src)


def remove_source(s: Session, name: str) -> SourceRow | None:
    """Delete the source and its runs (its posts stay)."""
    src = s.scalar(sa.select(Source).where(Source.name == name))
    if src is None:
        return None
    row = row_from(SourceRow, src)
    s.delete(src)
    s.flush()
    return row
