"""Logging in: the password step and the TOTP step, throttled per account and per address.

Every attempt is counted before anything is checked (index.throttle). A throttled attempt is
refused without looking at the password; an unknown account name costs one argon2 verification
against a dummy hash and is counted like a real one, so neither the answers nor their timing
tell whether an account exists. Refusals, failures and locks are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from index.accounts import valid_username
from index.rows import UserRow
from index.sessions import STAGE_FULL, STAGE_TOTP, token_hash
from index.throttle import ACCOUNT, ADDRESS, Refusal, ThrottleKey, ThrottlePolicy

from .account_parts import AccountParts
from .settings import UISettings
from .totp import matching_step
from .web_sessions import new_token, session_limits

NAME_MAX = 200


@dataclass(frozen=True)
class LoginResult:
    user: UserRow | None = None  # the password (or code) was right, for this active user
    wait_s: int | None = None  # throttled: nothing was checked; try again after this long


@dataclass(frozen=True)
class Client:
    address: str
    user_agent: str


def policies(settings: UISettings) -> tuple[ThrottlePolicy, ThrottlePolicy]:
    """(per account, per address)."""
    common = dict(
        lock_s=settings.login_lock_seconds,
        backoff_base_s=settings.login_backoff_base_seconds,
        backoff_max_s=settings.login_backoff_max_seconds,
        window_s=settings.login_failure_window_seconds,
    )
    return (ThrottlePolicy(max_failures=settings.login_max_failures, **common),
            ThrottlePolicy(max_failures=settings.login_address_max_failures, **common))


def account_key(username: str) -> str:
    return f"{ACCOUNT}:{username[:NAME_MAX]}"


class Logins(AccountParts):
    @cached_property
    def _policies(self) -> tuple[ThrottlePolicy, ThrottlePolicy]:
        return policies(self.settings)

    def _keys(self, username: str, client: Client) -> list[ThrottleKey]:
        account, address = self._policies
        return [ThrottleKey(ACCOUNT, username[:NAME_MAX], account), ThrottleKey(ADDRESS, client.address, address)]

    def _refused(self, refusal: Refusal, username: str, client: Client, route: str, now: datetime) -> LoginResult:
        wait = max(1, int((refusal.until - now).total_seconds() + 0.999))
        self.store.audit(None, "login_refused", f"user:{username[:NAME_MAX]}", {
            "status": 429, "route": route, "reason": refusal.reason, "scope": refusal.scope,
            "address": client.address, "wait_s": wait,
        })
        return LoginResult(wait_s=wait)

    def _failed(self, keys: list[ThrottleKey], username: str, client: Client, route: str, reason: str) -> LoginResult:
        detail = {"status": 401, "route": route, "address": client.address}
        self.store.audit(None, "login_failed", f"user:{username[:NAME_MAX]}", {**detail, "reason": reason})
        self.store.end_login_attempt(keys, False, False, detail)  # audits a lock this failure reached
        return LoginResult()

    def check_password(self, username: str, password: str, client: Client) -> LoginResult:
        now = self.clock()
        keys = self._keys(username, client)
        refusal = self.store.reserve_login_attempt(keys, now)
        if refusal is not None:
            return self._refused(refusal, username, client, "/login", now)
        user = self.store.get_user(username) if valid_username(username) else None
        if user is None:
            self.passwords.burn(password)  # same cost as a wrong password
            return self._failed(keys, username, client, "/login", "unknown_user")
        ok, new_hash = self.passwords.verify(password, user.password_hash)
        if not ok or not user.active:
            return self._failed(keys, username, client, "/login", "wrong_password" if not ok else "inactive")
        if new_hash is not None:  # argon2 parameters changed in settings: redo the hash now
            self.store.rehash_password(user.username, user.password_hash, new_hash)
        # With a second factor the login is not over: keep the account's count until the code.
        self.store.end_login_attempt(keys, True, not user.totp_enabled, {})
        return LoginResult(user=user)

    def check_totp(self, user: UserRow, code: str, client: Client) -> LoginResult:
        now = self.clock()
        keys = self._keys(user.username, client)
        refusal = self.store.reserve_login_attempt(keys, now)
        if refusal is not None:
            return self._refused(refusal, user.username, client, "/login/totp", now)
        step = matching_step(user.totp_secret, code, now) if user.totp_secret else None
        if step is None:
            return self._failed(keys, user.username, client, "/login/totp", "totp")
        if not self.store.accept_totp_step(user.username, step):
            return self._failed(keys, user.username, client, "/login/totp", "totp_replay")
        self.store.end_login_attempt(keys, True, True, {})
        return LoginResult(user=user)

    def start_session(self, user: UserRow, client: Client, second_factor_done: bool,
                      replaces: str | None) -> str | None:
        """A new session, full or (password only, second factor on) waiting for the code; returns
        the cookie token, or None when the user was disabled a moment ago. The token the browser
        came with is deleted: nothing fixed before login survives it."""
        now = self.clock()
        stage = STAGE_TOTP if user.totp_enabled and not second_factor_done else STAGE_FULL
        token = new_token()
        try:
            self.store.create_session(user.username, token_hash(token), stage, client.address,
                                      client.user_agent, now, replaces=token_hash(replaces) if replaces else None)
        except LookupError:
            return None
        if stage == STAGE_FULL:
            self.store.audit(user.username, "login", f"user:{user.username}", {
                "address": client.address, "user_agent": client.user_agent, "totp": user.totp_enabled,
            })
            # Housekeeping on a successful login: both tables stay as small as what is live.
            self.store.purge_sessions(now, session_limits(self.settings))
            self.store.purge_login_throttles(now, self.settings.login_failure_window_seconds)
        return token
