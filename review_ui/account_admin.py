"""Account administration, for the admin pages and the `lurewatch users` CLI alike.

The store makes each change and audits it with the actor in one transaction (index.accounts,
index.sessions, index.throttle); this layer adds what needs the web package: the password policy
and hashing, and errors that carry an i18n key (`key`, `params`) for pages and an English
message (str) for the terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from index.accounts import ROLES, USERNAME_RULE, Actor, LastAdminError, valid_username
from index.rows import SessionRow, ThrottleRow, UserRow
from index.throttle import ACCOUNT, ADDRESS

from .account_parts import AccountParts
from .password_policy import MAX_LENGTH, PasswordRejected, check_password
from .web_sessions import address_group, session_limits


class AccountError(ValueError):
    """A refused account action: `key` is the i18n message, str() the English one."""

    def __init__(self, key: str, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.params = params or {}


@dataclass(frozen=True)
class UserSummary:
    user: UserRow
    sessions: int
    locked_until: datetime | None


def _from_password(exc: PasswordRejected) -> AccountError:
    return AccountError(f"password.{exc.code}", str(exc), {"min": exc.min_length, "max": MAX_LENGTH})


class AccountAdmin(AccountParts):
    # -- reading --------------------------------------------------------------------------

    def sessions(self, username: str | None = None) -> list[SessionRow]:
        """Live sessions only: the expired ones are purged first."""
        self.store.purge_sessions(self.clock(), session_limits(self.settings))
        return self.store.list_sessions(username)

    def locks(self) -> list[ThrottleRow]:
        return self.store.list_login_throttles(self.clock(), self.settings.login_failure_window_seconds)

    def overview(self) -> list[UserSummary]:
        sessions: dict[str, int] = {}
        for row in self.sessions():
            sessions[row.username] = sessions.get(row.username, 0) + 1
        now = self.clock()
        locked = {row.key: row.locked_until for row in self.locks()
                  if row.locked_until is not None and row.locked_until > now}
        return [UserSummary(u, sessions.get(u.username, 0), locked.get(f"{ACCOUNT}:{u.username}"))
                for u in self.store.list_users()]

    def user(self, username: str) -> UserRow:
        user = self.store.get_user(username)  # names from before validation stay reachable
        if user is None:
            raise AccountError("admin.error.unknown_user", f"no user {username[:80]!r}")
        return user

    # -- changing -------------------------------------------------------------------------

    def checked_password(self, username: str, password: str) -> str:
        """The argon2 hash of a password that passes the policy (else AccountError)."""
        try:
            check_password(password, username, self.settings.password_min_length)
        except PasswordRejected as exc:
            raise _from_password(exc) from None
        return self.passwords.hash(password)

    def add_user(self, actor: Actor, username: str, password: str, role: str) -> UserRow:
        if not valid_username(username):
            raise AccountError("admin.error.bad_username", f"invalid username {username[:80]!r}: {USERNAME_RULE}")
        self._check_role(role)
        hashed = self.checked_password(username, password)
        try:
            return self.store.add_user(username, hashed, role, actor)
        except ValueError as exc:
            raise AccountError("admin.error.exists", str(exc)) from None

    def set_active(self, actor: Actor, username: str, active: bool) -> UserRow:
        self.user(username)
        with _last_admin_guard():
            return self.store.set_user_active(username, active, actor)

    def set_role(self, actor: Actor, username: str, role: str) -> UserRow:
        self._check_role(role)
        self.user(username)
        with _last_admin_guard():
            return self.store.set_role(username, role, actor)

    def reset_password(self, actor: Actor, username: str, password: str) -> int:
        """Returns how many of the user's sessions ended (all of them)."""
        self.user(username)
        return self.store.set_password(username, self.checked_password(username, password), actor)

    def reset_totp(self, actor: Actor, username: str) -> int:
        self.user(username)
        return self.store.reset_totp(username, actor)

    def revoke_session(self, actor: Actor, session_id: int) -> SessionRow:
        try:
            return self.store.revoke_session(session_id, actor)
        except LookupError:
            raise AccountError("admin.error.unknown_session", f"no session {session_id}") from None

    def revoke_user_sessions(self, actor: Actor, username: str) -> int:
        self.user(username)
        return self.store.revoke_user_sessions(username, actor)

    def unlock_account(self, actor: Actor, username: str) -> bool:
        """Lift the lock of an account name (known or not: unknown names are counted too)."""
        return self.store.unlock_login(f"{ACCOUNT}:{username[:200]}", actor)

    def unlock_address(self, actor: Actor, address: str) -> bool:
        group = address_group(address)
        if group is None:
            raise AccountError("admin.error.bad_address", f"not an IP address: {address[:80]!r}")
        return self.store.unlock_login(f"{ADDRESS}:{group}", actor)

    def unlock_key(self, actor: Actor, key: str) -> bool:
        """A key as the locks list shows it ("account:NAME" or "address:IP")."""
        scope, _, value = key.partition(":")
        if scope == ACCOUNT:
            return self.unlock_account(actor, value)
        if scope == ADDRESS:
            return self.unlock_address(actor, value)
        raise AccountError("admin.error.bad_address", f"not a lock key: {key[:80]!r}")

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise AccountError("admin.error.unknown_role", f"unknown role {role!r}; choose one of {', '.join(sorted(ROLES))}")


@contextmanager
def _last_admin_guard() -> Iterator[None]:
    """LastAdminError from the store becomes an AccountError with its message key."""
    try:
        yield
    except LastAdminError as exc:
        raise AccountError("admin.error.last_admin", str(exc)) from None
