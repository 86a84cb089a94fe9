"""Server-side login sessions: the cookie carries a random token, the row only its sha256.

A session ends when its row is gone: logout, revocation, a disabled user or a changed password
or role (index.accounts), an idle timeout or the absolute lifetime (SessionLimits). Times come
in as arguments so one clock (the app's) decides every expiry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.accounts import Actor, audit, end_sessions
from index.models import User, UserSession
from index.rows import SessionRow, UserRow, row_from

STAGE_FULL = "full"
STAGE_TOTP = "totp"  # password accepted, the second factor still due
IP_MAX = 64
USER_AGENT_MAX = 300


@dataclass(frozen=True)
class SessionLimits:
    idle_s: float  # ends after this long without a request
    absolute_s: float  # ends this long after login, however busy
    totp_stage_s: float  # a half-done login (password but no code yet) lasts this long
    touch_s: float = 60.0  # last_seen is written at most this often (not on every request)


@dataclass(frozen=True)
class LiveSession:
    session: SessionRow
    user: UserRow


def token_hash(token: str) -> str:
    """What the database keeps of a cookie token (a leaked table gives no usable cookie)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_state(row: SessionRow, user_active: bool, now: datetime, limits: SessionLimits) -> str:
    """ "ok", "touch" (ok, and last_seen is due a write) or why it ended: "idle", "lifetime",
    "disabled"."""
    if not user_active:
        return "disabled"
    lifetime = limits.totp_stage_s if row.stage == STAGE_TOTP else limits.absolute_s
    if now - row.created_at >= timedelta(seconds=lifetime):
        return "lifetime"
    if now - row.last_seen >= timedelta(seconds=limits.idle_s):
        return "idle"
    if now - row.last_seen >= timedelta(seconds=limits.touch_s):
        return "touch"
    return "ok"


def _row(session: UserSession, user: User) -> SessionRow:
    return row_from(SessionRow, session, username=user.username, role=user.role)


def create_session(s: Session, username: str, token_digest: str, stage: str, ip: str, user_agent: str,
                   now: datetime, replaces: str | None = None) -> SessionRow:
    """A new session for an active user; `replaces` (a token hash) is deleted in the same
    transaction, so a login never keeps the token the browser came with (no fixation)."""
    if replaces is not None:
        s.execute(sa.delete(UserSession).where(UserSession.token_hash == replaces))
    user = s.scalar(sa.select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise LookupError(f"no active user {username!r}")
    session = UserSession(
        token_hash=token_digest, user_id=user.id, stage=stage, created_at=now, last_seen=now,
        ip=ip[:IP_MAX], user_agent=user_agent[:USER_AGENT_MAX],
    )
    s.add(session)
    s.flush()
    return _row(session, user)


def find_session(s: Session, token_digest: str) -> LiveSession | None:
    found = s.execute(
        sa.select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_digest)
    ).first()
    if found is None:
        return None
    session, user = found
    return LiveSession(_row(session, user), row_from(UserRow, user))


def touch_session(s: Session, session_id: int, now: datetime) -> None:
    s.execute(sa.update(UserSession).where(UserSession.id == session_id).values(last_seen=now))


def delete_session(s: Session, token_digest: str) -> str | None:
    """Logout: the session's row goes; returns whose it was (None: there was none)."""
    found = s.execute(
        sa.select(UserSession.id, User.username).join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_digest)
    ).first()
    if found is None:
        return None
    s.execute(sa.delete(UserSession).where(UserSession.id == found.id))
    return found.username


def list_sessions(s: Session, username: str | None = None) -> list[SessionRow]:
    """Newest activity first."""
    stmt = sa.select(UserSession, User).join(User, User.id == UserSession.user_id)
    if username is not None:
        stmt = stmt.where(User.username == username)
    stmt = stmt.order_by(UserSession.last_seen.desc(), UserSession.id.desc())
    return [_row(session, user) for session, user in s.execute(stmt)]


def revoke_session(s: Session, session_id: int, actor: Actor) -> SessionRow:
    found = s.execute(
        sa.select(UserSession, User).join(User, User.id == UserSession.user_id).where(UserSession.id == session_id)
    ).first()
    if found is None:
        raise LookupError(f"no session {session_id}")
    row = _row(*found)
    s.execute(sa.delete(UserSession).where(UserSession.id == session_id))
    audit(s, actor.name, "session.revoke", f"session:{session_id}", actor.detail(user=row.username, ip=row.ip))
    return row


def revoke_user_sessions(s: Session, username: str, actor: Actor) -> int:
    user = s.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"no user {username!r}")
    ended = end_sessions(s, user.id)
    audit(s, actor.name, "session.revoke_all", f"user:{username}", actor.detail(sessions_ended=ended))
    return ended


def set_totp_pending(s: Session, session_id: int, secret: str | None) -> None:
    s.execute(sa.update(UserSession).where(UserSession.id == session_id).values(totp_pending=secret))


def purge_sessions(s: Session, now: datetime, limits: SessionLimits) -> int:
    """Delete sessions past their idle timeout or lifetime (they are refused anyway)."""
    idle_before = now - timedelta(seconds=limits.idle_s)
    born_before = now - timedelta(seconds=limits.absolute_s)
    stage_before = now - timedelta(seconds=limits.totp_stage_s)
    stmt = sa.delete(UserSession).where(sa.or_(
        UserSession.last_seen <= idle_before,
        UserSession.created_at <= born_before,
        sa.and_(UserSession.stage == STAGE_TOTP, UserSession.created_at <= stage_before),
    ))
    return s.execute(stmt).rowcount or 0
