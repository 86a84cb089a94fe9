"""Alerts told: one row per (key, channel, recipient), so each key reaches a recipient once
(claimed before it is sent, then marked sent or failed); and the cursor of the alert rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.chunks import chunks, unique
from index.models import Alert, OpState, utcnow
from index.rows import AlertRow, row_from

SENT, FAILED, SENDING = "sent", "failed", "sending"


def sent_keys(s: Session, keys: Sequence[str], channel: str, recipient: str) -> set[str]:
    """The keys already told to this recipient on this channel (a failed delivery is not told)."""
    found: set[str] = set()
    for chunk in chunks(unique(keys)):
        found.update(s.scalars(sa.select(Alert.key).where(
            Alert.key.in_(chunk), Alert.channel == channel, Alert.recipient == recipient, Alert.status == SENT)))
    return found


def claim_alert(s: Session, *, key: str, rule: str, channel: str, recipient: str, subject: str, payload: dict,
                post_id: int | None = None, source: str | None = None, stale_before: datetime | None = None) -> bool:
    """Take the right to tell `key` to this recipient: True for one caller only, so two checks
    running at once never tell it twice. A failed attempt, or a claim older than `stale_before`
    (its process died), can be taken again."""
    row = s.scalar(sa.select(Alert).where(Alert.key == key, Alert.channel == channel, Alert.recipient == recipient)
                   .with_for_update())
    if row is None:
        row = Alert(key=key, channel=channel, recipient=recipient, attempts=0, error="")
        s.add(row)
    elif not (row.status == FAILED or (row.status == SENDING and stale_before and row.created_at < stale_before)):
        return False
    row.rule, row.subject, row.payload, row.status = rule, subject, payload, SENDING
    row.post_id, row.source, row.created_at = post_id, source, utcnow()
    s.flush()
    return True


def finish_alert(s: Session, *, key: str, channel: str, recipient: str, status: str, attempts: int, error: str = "",
                 digest_id: str | None = None) -> AlertRow:
    row = s.scalar(sa.select(Alert).where(Alert.key == key, Alert.channel == channel, Alert.recipient == recipient))
    if row is None:
        raise ValueError(f"alert {key!r} to {channel}:{recipient} was never claimed")
    row.status, row.error, row.digest_id = status, error, digest_id
    row.attempts += attempts
    row.created_at = utcnow()
    s.flush()
    return row_from(AlertRow, row)


def list_alerts(s: Session, limit: int = 50, since: datetime | None = None) -> list[AlertRow]:
    """Most recent first."""
    stmt = sa.select(Alert).order_by(Alert.id.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(Alert.created_at >= since)
    return [row_from(AlertRow, a) for a in s.scalars(stmt)]


def start_of_day(now: datetime, tz: str) -> datetime:
    """Midnight of `now`'s day in `tz`, as aware UTC: what "alerts sent today" counts from."""
    local = now.astimezone(ZoneInfo(tz))
    return datetime.combine(local.date(), time(0), tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def alert_count(s: Session, since: datetime, status: str = SENT) -> int:
    return s.scalar(sa.select(sa.func.count(Alert.id)).where(Alert.created_at >= since, Alert.status == status)) or 0


def get_state(s: Session, key: str) -> dict | None:
    row = s.get(OpState, key)
    return None if row is None else dict(row.value)


def set_state(s: Session, key: str, value: dict) -> None:
    row = s.get(OpState, key)
    if row is None:
        s.add(OpState(key=key, value=value))
    else:
        row.value = value
    s.flush()
