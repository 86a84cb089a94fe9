"""Accounts and the audit log: users are never deleted (the audit names them), only disabled."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from index.models import AuditEvent, User
from index.rows import AuditRow, UserRow, row_from, row_or_none

ROLES = frozenset({"admin", "reviewer", "investigator", "operator"})


def check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLES)}")


def add_user(s: Session, username: str, password_hash: str, role: str) -> UserRow:
    """A duplicate name fails with IntegrityError (Store.add_user says so in a ValueError)."""
    check_role(role)
    user = User(username=username, password_hash=password_hash, role=role, active=True)
    s.add(user)
    s.flush()
    return row_from(UserRow, user)


def get_user(s: Session, username: str) -> UserRow | None:
    return row_or_none(UserRow, s.scalar(sa.select(User).where(User.username == username)))


def list_users(s: Session) -> list[UserRow]:
    return [row_from(UserRow, u) for u in s.scalars(sa.select(User).order_by(User.username))]


def set_user_active(s: Session, username: str, active: bool) -> UserRow:
    user = s.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise ValueError(f"no user {username!r}")
    user.active = bool(active)
    s.flush()
    return row_from(UserRow, user)


def audit(s: Session, username: str | None, action: str, target: str, detail: dict | None = None) -> None:
    s.add(AuditEvent(username=username, action=action, target=target, detail=dict(detail or {})))


def list_audit(s: Session, limit: int = 100) -> list[AuditRow]:
    """Most recent first."""
    return [row_from(AuditRow, e) for e in s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))]


def audit_count(s: Session) -> int:
    return s.scalar(sa.select(sa.func.count(AuditEvent.id))) or 0
