"""Login throttling per key ("account:NAME", "address:IP"): exponential back-off, then a lock.

An attempt is counted BEFORE its password is checked (reserve_attempt): fifty requests sent at
once cannot all slip past the limit while their hashes are being verified. A right password
gives the reservation back (end_attempt). Unknown account names are counted like real ones, so
the answers never tell whether an account exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.accounts import Actor, audit
from index.models import LoginThrottle
from index.rows import ThrottleRow, row_from

ACCOUNT = "account"
ADDRESS = "address"
# PostgreSQL advisory lock that serialises reservations ("thrt" in ASCII); SQLite's write
# transaction (BEGIN IMMEDIATE) already does.
_PG_THROTTLE_LOCK = 0x74687274


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int  # the Nth failure locks the key
    lock_s: float  # for this long
    backoff_base_s: float  # after the 2nd failure wait this long, then twice as long each time
    backoff_max_s: float
    window_s: float  # failures older than this (and no lock) are forgotten


@dataclass(frozen=True)
class ThrottleKey:
    scope: str  # ACCOUNT or ADDRESS
    value: str
    policy: ThrottlePolicy

    @property
    def key(self) -> str:
        return f"{self.scope}:{self.value}"


@dataclass(frozen=True)
class Refusal:
    reason: str  # "locked" or "backoff"
    scope: str
    until: datetime


def backoff_delay(failures: int, policy: ThrottlePolicy) -> float:
    """Seconds to wait after `failures` failures: none after the first (a typo), then doubling."""
    if failures < 2:
        return 0.0
    return min(policy.backoff_base_s * 2 ** (failures - 2), policy.backoff_max_s)


def is_stale(row: ThrottleRow, policy: ThrottlePolicy, now: datetime) -> bool:
    """Nothing left to enforce: any lock is over and the failures are older than the window."""
    if row.locked_until is not None and row.locked_until > now:
        return False
    if row.locked_until is not None:
        return True  # a lock that ran out starts the count afresh
    return now - row.last_failure_at >= timedelta(seconds=policy.window_s)


def refusal_for(row: ThrottleRow | None, scope: str, policy: ThrottlePolicy, now: datetime) -> Refusal | None:
    """Why an attempt must wait now (pure), or None when it may go ahead."""
    if row is None or is_stale(row, policy, now):
        return None
    if row.locked_until is not None:
        return Refusal("locked", scope, row.locked_until)
    if row.failures >= policy.max_failures:  # counted attempts still being checked
        return Refusal("locked", scope, row.last_failure_at + timedelta(seconds=policy.lock_s))
    ready = row.last_failure_at + timedelta(seconds=backoff_delay(row.failures, policy))
    if ready > now:
        return Refusal("backoff", scope, ready)
    return None


def _serialise(s: Session) -> None:
    if s.get_bind().dialect.name == "postgresql":
        s.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_THROTTLE_LOCK})


def _rows(s: Session, keys: Sequence[ThrottleKey]) -> dict[str, LoginThrottle]:
    names = [k.key for k in keys]
    return {row.key: row for row in s.scalars(sa.select(LoginThrottle).where(LoginThrottle.key.in_(names)))}


def reserve_attempt(s: Session, keys: Sequence[ThrottleKey], now: datetime) -> Refusal | None:
    """Refuse (nothing counted) or count one more failure on every key ahead of the check."""
    _serialise(s)
    rows = _rows(s, keys)
    for k in keys:
        row = rows.get(k.key)
        current = row_from(ThrottleRow, row) if row is not None else None
        refusal = refusal_for(current, k.scope, k.policy, now)
        if refusal is not None:
            return refusal
    for k in keys:
        row = rows.get(k.key)
        if row is None:
            row = LoginThrottle(key=k.key, failures=0, last_failure_at=now)
            s.add(row)
        elif is_stale(row_from(ThrottleRow, row), k.policy, now):
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= k.policy.max_failures:
            row.locked_until = now + timedelta(seconds=k.policy.lock_s)
    s.flush()
    return None


def end_attempt(s: Session, keys: Sequence[ThrottleKey], succeeded: bool, forget_account: bool,
                audit_detail: dict) -> list[str]:
    """Settle a reserved attempt. A failure keeps its count; a lock it reached is audited
    ("login_locked"). A success gives the count back, and `forget_account` (a completed login)
    clears the account's failures. Returns the keys this failure locked."""
    _serialise(s)
    rows = _rows(s, keys)
    locked = []
    for k in keys:
        row = rows.get(k.key)
        if row is None:
            continue
        if not succeeded:
            if row.failures == k.policy.max_failures and row.locked_until is not None:
                locked.append(k.key)
                audit(s, None, "login_locked", k.key,
                      {**audit_detail, "scope": k.scope, "failures": row.failures,
                       "until": row.locked_until.isoformat()})
            continue
        if forget_account and k.scope == ACCOUNT:
            s.delete(row)
            continue
        row.failures = max(row.failures - 1, 0)
        if row.failures < k.policy.max_failures:
            row.locked_until = None
    return locked


def unlock(s: Session, key: str, actor: Actor) -> bool:
    """Lift a lock and forget the failures of one key; audited even when there was none."""
    gone = s.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key)).rowcount
    audit(s, actor.name, "login_unlocked", key, actor.detail(was_counted=bool(gone)))
    return bool(gone)


def list_throttles(s: Session, now: datetime, window_s: float) -> list[ThrottleRow]:
    """Keys locked now or with recent failures, locked first."""
    recent = now - timedelta(seconds=window_s)
    rows = s.scalars(
        sa.select(LoginThrottle)
        .where(sa.or_(LoginThrottle.locked_until > now,
                      sa.and_(LoginThrottle.locked_until.is_(None), LoginThrottle.last_failure_at > recent)))
        .order_by(LoginThrottle.locked_until.is_(None), LoginThrottle.last_failure_at.desc())
    )
    return [row_from(ThrottleRow, r) for r in rows]


def purge_throttles(s: Session, now: datetime, window_s: float) -> int:
    """Forget keys with nothing left to enforce (bounded table, whatever names are tried)."""
    recent = now - timedelta(seconds=window_s)
    stmt = sa.delete(LoginThrottle).where(
        sa.or_(LoginThrottle.locked_until <= now,
               sa.and_(LoginThrottle.locked_until.is_(None), LoginThrottle.last_failure_at <= recent))
    )
    return s.execute(stmt).rowcount or 0
