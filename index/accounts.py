"""Accounts and the audit log: users are never deleted (the audit names them), only disabled.

Every change to an account is audited in the transaction that makes it, with the actor who
made it. Disabling a user, changing their password or role, or resetting their second factor
ends all their sessions in that same transaction, so the next request of any of their browsers
goes back to the login page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import AuditEvent, User, UserSession
from index.rows import AuditRow, UserRow, row_from, row_or_none

ROLES = frozenset({"admin", "reviewer", "investigator", "operator"})
# ASCII only: a Cyrillic "а" in "admin" must not make a second, look-alike account.
USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,64}")
USERNAME_RULE = "a username has 3 to 64 characters: letters a-z, digits, '.', '_' or '-'"


class LastAdminError(ValueError):
    """Disabling or demoting the last active admin would leave nobody to administer."""


@dataclass(frozen=True)
class Actor:
    """Who changes an account: a UI admin (via "ui") or a shell user (via "cli").

    `name` goes to the audit event's username; `via` and `extra` (the OS user, the address)
    to its detail."""

    name: str
    via: str
    extra: dict = field(default_factory=dict)

    def detail(self, **more: object) -> dict:
        return {"via": self.via, **self.extra, **more}


def check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLES)}")


def valid_username(username: str) -> bool:
    return USERNAME_RE.fullmatch(username) is not None


def check_username(username: str) -> None:
    if not valid_username(username):
        raise ValueError(f"invalid username {username[:80]!r}: {USERNAME_RULE}")


def add_user(s: Session, username: str, password_hash: str, role: str, actor: Actor | None = None) -> UserRow:
    """A duplicate name fails with IntegrityError (Store.add_user says so in a ValueError)."""
    check_username(username)
    check_role(role)
    user = User(username=username, password_hash=password_hash, role=role, active=True)
    s.add(user)
    s.flush()
    if actor is not None:
        audit(s, actor.name, "user.add", f"user:{username}", actor.detail(role=role))
    return row_from(UserRow, user)


def get_user(s: Session, username: str) -> UserRow | None:
    return row_or_none(UserRow, s.scalar(sa.select(User).where(User.username == username)))


def list_users(s: Session) -> list[UserRow]:
    return [row_from(UserRow, u) for u in s.scalars(sa.select(User).order_by(User.username))]


def _user(s: Session, username: str) -> User:
    user = s.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise LookupError(f"no user {username!r}")
    return user


def end_sessions(s: Session, user_id: int, keep_session_id: int | None = None) -> int:
    """Delete the user's sessions (all, or all but one); returns how many ended."""
    stmt = sa.delete(UserSession).where(UserSession.user_id == user_id)
    if keep_session_id is not None:
        stmt = stmt.where(UserSession.id != keep_session_id)
    return s.execute(stmt).rowcount or 0


def _guard_last_admin(s: Session, user: User) -> None:
    """Refuse to leave the installation without an active admin (nobody could fix it in the UI)."""
    if user.role != "admin" or not user.active:
        return
    others = s.scalar(
        sa.select(sa.func.count(User.id)).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise LastAdminError(f"{user.username!r} is the last active admin: add or enable another admin first")


def set_user_active(s: Session, username: str, active: bool, actor: Actor) -> UserRow:
    user = _user(s, username)
    ended = 0
    if not active:
        _guard_last_admin(s, user)
        ended = end_sessions(s, user.id)
    user.active = bool(active)
    s.flush()
    action = "user.enable" if active else "user.disable"
    audit(s, actor.name, action, f"user:{username}", actor.detail(sessions_ended=ended))
    return row_from(UserRow, user)


def set_role(s: Session, username: str, role: str, actor: Actor) -> UserRow:
    check_role(role)
    user = _user(s, username)
    before = user.role
    if role != "admin":
        _guard_last_admin(s, user)
    user.role = role
    ended = end_sessions(s, user.id)
    s.flush()
    detail = actor.detail(role_from=before, role_to=role, sessions_ended=ended)
    audit(s, actor.name, "user.set_role", f"user:{username}", detail)
    return row_from(UserRow, user)


def set_password(s: Session, username: str, password_hash: str, actor: Actor,
                 keep_session_id: int | None = None) -> int:
    """A new password (admin reset, or the user's own change keeping their current session);
    returns how many sessions ended."""
    user = _user(s, username)
    user.password_hash = password_hash
    ended = end_sessions(s, user.id, keep_session_id)
    action = "user.change_password" if actor.name == username else "user.reset_password"
    audit(s, actor.name, action, f"user:{username}", actor.detail(sessions_ended=ended))
    return ended


def rehash_password(s: Session, username: str, old_hash: str, new_hash: str) -> bool:
    """The same password hashed with new argon2 parameters, unless the hash changed meanwhile
    (a concurrent reset wins). Sessions stay: the password is the same."""
    done = s.execute(
        sa.update(User).where(User.username == username, User.password_hash == old_hash)
        .values(password_hash=new_hash)
    ).rowcount
    if done:
        audit(s, username, "user.rehash_password", f"user:{username}")
    return bool(done)


def enable_totp(s: Session, username: str, secret: str, step: int, actor: Actor,
                keep_session_id: int | None = None) -> int:
    """Turn the second factor on (its first code already checked at `step`); other sessions end."""
    user = _user(s, username)
    user.totp_secret = secret
    user.totp_last_step = step
    ended = end_sessions(s, user.id, keep_session_id)
    s.execute(sa.update(UserSession).where(UserSession.user_id == user.id).values(totp_pending=None))
    audit(s, actor.name, "user.totp_enable", f"user:{username}", actor.detail(sessions_ended=ended))
    return ended


def reset_totp(s: Session, username: str, actor: Actor, keep_session_id: int | None = None) -> int:
    """Remove the second factor (a lost phone: every session ends; the user's own choice: all
    but the one they made it in)."""
    user = _user(s, username)
    user.totp_secret = None
    user.totp_last_step = None
    ended = end_sessions(s, user.id, keep_session_id)
    audit(s, actor.name, "user.totp_reset", f"user:{username}", actor.detail(sessions_ended=ended))
    return ended


def accept_totp_step(s: Session, username: str, step: int) -> bool:
    """Record the time step of an accepted code; False when it (or a later one) was used already."""
    done = s.execute(
        sa.update(User)
        .where(User.username == username, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    ).rowcount
    return bool(done)


def audit(s: Session, username: str | None, action: str, target: str, detail: dict | None = None) -> None:
    s.add(AuditEvent(username=username, action=action, target=target, detail=dict(detail or {})))


def list_audit(s: Session, limit: int = 100) -> list[AuditRow]:
    """Most recent first."""
    return [row_from(AuditRow, e) for e in s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))]


def audit_count(s: Session) -> int:
    return s.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0
