"""The audit log as the admins' page reads it: filtered by user, action, target and date range,
newest first, in keyset pages (`before` = the last id shown), so page 1000 costs what page 1 does.

The log is append-only: nothing here writes, and migration 0032 makes the database refuse any
UPDATE or DELETE of audit_events (a trigger on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import AuditEvent
from index.rows import AuditRow, row_from

MAX_PAGE = 500


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None  # exactly this user ("-" for events without one: refused logins...)
    action: str | None = None  # exactly this action, or every action under a prefix ending in "."
    target: str | None = None  # targets starting with this ("post:12" also finds "post:123")
    at_from: datetime | None = None  # at >= this
    at_to: datetime | None = None  # at < this

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        conds: list[sa.ColumnElement[bool]] = []
        if self.username == "-":
            conds.append(AuditEvent.username.is_(None))
        elif self.username:
            conds.append(AuditEvent.username == self.username)
        if self.action and self.action.endswith("."):
            conds.append(AuditEvent.action.startswith(self.action, autoescape=True))
        elif self.action:
            conds.append(AuditEvent.action == self.action)
        if self.target:
            conds.append(AuditEvent.target.startswith(self.target, autoescape=True))
        if self.at_from is not None:
            conds.append(AuditEvent.at >= self.at_from)
        if self.at_to is not None:
            conds.append(AuditEvent.at < self.at_to)
        return conds


def audit_page(s: Session, f: AuditFilter, before: int | None = None, limit: int = 100) -> list[AuditRow]:
    """Up to `limit` events matching `f` with an id below `before`, newest first."""
    limit = max(1, min(limit, MAX_PAGE))
    conds = f.conditions()
    if before is not None:
        conds.append(AuditEvent.id < before)
    stmt = sa.select(AuditEvent).where(*conds).order_by(AuditEvent.id.desc()).limit(limit)
    return [row_from(AuditRow, e) for e in s.scalars(stmt)]


def audit_rows(s: Session, f: AuditFilter, limit: int, batch: int = MAX_PAGE) -> Iterator[AuditRow]:
    """Every event matching `f` (at most `limit`), newest first, read a keyset page at a time."""
    before: int | None = None
    left = limit
    while left > 0:
        rows = audit_page(s, f, before, min(batch, left))
        yield from rows
        if len(rows) < min(batch, left):
            return
        left -= len(rows)
        before = rows[-1].id


def audit_actions(s: Session, limit: int = 200) -> list[str]:
    """The actions the log holds, for the filter's list (read from the action index)."""
    return list(s.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action).limit(limit)))
