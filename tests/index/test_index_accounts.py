"""Accounts, server-side sessions and login throttling in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from index.accounts import Actor, LastAdminError
from index.sessions import STAGE_FULL, STAGE_TOTP, SessionLimits, session_state, token_hash
from index.store import Store
from index.throttle import ACCOUNT, ADDRESS, ThrottleKey, ThrottlePolicy, backoff_delay, refusal_for
from index.rows import ThrottleRow

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
LIMITS = SessionLimits(idle_s=1800, absolute_s=8 * 3600, totp_stage_s=300, touch_s=60)
CLI = Actor("os:root", "cli", {"os_user": "root"})
POLICY = ThrottlePolicy(max_failures=5, lock_s=900, backoff_base_s=1.0, backoff_max_s=60, window_s=900)


def _users(store: Store) -> None:
    store.add_user("ana", "hash-a", "admin")
    store.add_user("binh", "hash-b", "reviewer")


def _session(store: Store, username: str, token: str, now: datetime = T0, stage: str = STAGE_FULL):
    return store.create_session(username, token_hash(token), stage, "127.0.0.1", "pytest", now)


def _actions(store: Store) -> list[tuple[str | None, str, str]]:
    return [(e.username, e.action, e.target) for e in reversed(store.list_audit(limit=200))]


# -- usernames ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["", "ab", "a" * 65, "with space", "new\nline", "<b>x</b>", "adмin", "ana/../x"])
def test_usernames_are_validated(store, bad):
    with pytest.raises(ValueError, match="3 to 64 characters"):
        store.add_user(bad, "h", "reviewer")
    assert store.list_users() == []


def test_good_usernames_are_kept(store):
    for name in ("abc", "nguyen.van_a-1", "X" * 64):
        store.add_user(name, "h", "reviewer")
    assert [u.username for u in store.list_users()] == ["X" * 64, "abc", "nguyen.van_a-1"]


# -- sessions -------------------------------------------------------------------------------

def test_the_database_keeps_only_the_hash_of_the_token(store):
    _users(store)
    _session(store, "binh", "secret-token")
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash FROM sessions")).scalar_one()
    assert stored == token_hash("secret-token") and "secret-token" not in stored
    live = store.resolve_session(token_hash("secret-token"), T0, LIMITS)
    assert live is not None and live.user.username == "binh" and live.session.ip == "127.0.0.1"
    assert store.resolve_session(token_hash("other-token"), T0, LIMITS) is None


def test_idle_timeout_lifetime_and_touch(store):
    _users(store)
    _session(store, "binh", "t1")
    # Busy within the idle timeout: last_seen moves on (written at most once a minute).
    now = T0
    for _ in range(20):
        now += timedelta(minutes=25)
        live = store.resolve_session(token_hash("t1"), now, LIMITS)
        if now - T0 >= timedelta(seconds=LIMITS.absolute_s):
            assert live is None  # the absolute lifetime ends it, however busy
            break
        assert live is not None
    else:
        pytest.fail("the session outlived its absolute lifetime")
    assert store.list_sessions() == []  # deleted, not only refused
    _session(store, "binh", "t2")
    assert store.resolve_session(token_hash("t2"), T0 + timedelta(minutes=31), LIMITS) is None


def test_session_state_is_pure_and_reads_the_stage():
    from index.rows import SessionRow

    row = SessionRow(1, "binh", "reviewer", STAGE_TOTP, T0, T0, "", "")
    assert session_state(row, True, T0 + timedelta(seconds=299), LIMITS) == "touch"
    assert session_state(row, True, T0 + timedelta(seconds=300), LIMITS) == "lifetime"
    assert session_state(row, False, T0, LIMITS) == "disabled"
    assert session_state(row, True, T0 + timedelta(seconds=10), LIMITS) == "ok"


def test_disable_role_password_and_totp_end_every_session_and_are_audited(store):
    _users(store)
    store.add_user("chi", "hash-c", "admin")
    changes = [
        # Disabled, then enabled in the same step (a disabled user gets no session to end).
        lambda: (store.set_user_active("binh", False, CLI), store.set_user_active("binh", True, CLI)),
        lambda: store.set_role("binh", "investigator", CLI),
        lambda: store.set_password("binh", "new-hash", CLI),
        lambda: store.reset_totp("binh", CLI),
    ]
    for n, change in enumerate(changes):
        _session(store, "binh", f"a{n}")
        _session(store, "binh", f"b{n}")
        _session(store, "ana", f"other{n}")
        change()
        assert store.resolve_session(token_hash(f"a{n}"), T0, LIMITS) is None
        assert store.resolve_session(token_hash(f"b{n}"), T0, LIMITS) is None
        assert store.resolve_session(token_hash(f"other{n}"), T0, LIMITS) is not None  # others untouched
    events = [e for e in store.list_audit(limit=50) if e.target == "user:binh"]
    assert [e.action for e in reversed(events)] == [
        "user.disable", "user.enable", "user.set_role", "user.reset_password", "user.totp_reset"]
    assert all(e.username == "os:root" and e.detail["via"] == "cli" and e.detail["os_user"] == "root"
               for e in events)
    assert events[-1].detail["sessions_ended"] == 2
    assert store.get_user("binh").role == "investigator" and store.get_user("binh").password_hash == "new-hash"


def test_a_disabled_users_session_is_refused_even_if_a_row_survived(store):
    _users(store)
    _session(store, "binh", "tok")
    with store.engine.begin() as conn:  # as if disabled behind the store's back
        conn.execute(sa.text("UPDATE users SET active = :no WHERE username = 'binh'"), {"no": False})
    assert store.resolve_session(token_hash("tok"), T0, LIMITS) is None
    with pytest.raises(LookupError):
        _session(store, "binh", "again")  # and no new session for them


def test_logout_revoke_and_revoke_all(store):
    _users(store)
    first = _session(store, "binh", "one")
    _session(store, "binh", "two")
    _session(store, "binh", "three")
    assert store.delete_session(token_hash("three")) == "binh"
    assert store.delete_session(token_hash("three")) is None
    assert store.revoke_session(first.id, CLI).username == "binh"
    with pytest.raises(LookupError):
        store.revoke_session(first.id, CLI)
    assert [s.ip for s in store.list_sessions("binh")] == ["127.0.0.1"]
    assert store.revoke_user_sessions("binh", CLI) == 1
    assert store.list_sessions() == []
    assert [a for _, a, _ in _actions(store)] == ["session.revoke", "session.revoke_all"]


def test_login_replaces_the_session_the_browser_came_with(store):
    _users(store)
    _session(store, "binh", "before")
    store.create_session("binh", token_hash("after"), STAGE_FULL, "", "", T0, replaces=token_hash("before"))
    assert store.resolve_session(token_hash("before"), T0, LIMITS) is None
    assert store.resolve_session(token_hash("after"), T0, LIMITS) is not None


def test_the_last_active_admin_cannot_be_disabled_or_demoted(store):
    _users(store)
    with pytest.raises(LastAdminError):
        store.set_user_active("ana", False, CLI)
    with pytest.raises(LastAdminError):
        store.set_role("ana", "reviewer", CLI)
    store.add_user("chi", "h", "admin")
    store.set_role("ana", "reviewer", CLI)  # another admin exists now
    assert store.get_user("ana").role == "reviewer"
    assert _actions(store)[-1] == ("os:root", "user.set_role", "user:ana")


def test_rehash_is_compare_and_set_and_keeps_sessions(store):
    _users(store)
    _session(store, "binh", "tok")
    assert store.rehash_password("binh", "hash-b", "hash-b2") is True
    assert store.rehash_password("binh", "hash-b", "hash-b3") is False  # changed meanwhile
    assert store.get_user("binh").password_hash == "hash-b2"
    assert store.resolve_session(token_hash("tok"), T0, LIMITS) is not None


def test_totp_steps_are_accepted_once(store):
    _users(store)
    enrol = _session(store, "binh", "enrol")
    _session(store, "binh", "elsewhere")
    store.set_totp_pending(enrol.id, "JBSWY3DPEHPK3PXP")
    assert store.enable_totp("binh", "JBSWY3DPEHPK3PXP", 100, Actor("binh", "ui"), keep_session_id=enrol.id) == 1
    user = store.get_user("binh")
    assert user.totp_enabled and user.totp_last_step == 100
    assert store.list_sessions("binh")[0].totp_pending is None
    assert store.accept_totp_step("binh", 100) is False  # the enrolment code itself
    assert store.accept_totp_step("binh", 101) is True
    assert store.accept_totp_step("binh", 101) is False  # a replay
    assert store.accept_totp_step("binh", 99) is False  # an older one


# -- throttling ------------------------------------------------------------------------------

def test_backoff_doubles_after_the_second_failure():
    assert [backoff_delay(n, POLICY) for n in range(1, 10)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_refusal_for_is_pure():
    fresh = ThrottleRow("account:x", 2, T0, None)
    assert refusal_for(fresh, ACCOUNT, POLICY, T0).reason == "backoff"
    assert refusal_for(fresh, ACCOUNT, POLICY, T0 + timedelta(seconds=1)) is None
    locked = ThrottleRow("account:x", 5, T0, T0 + timedelta(minutes=15))
    assert refusal_for(locked, ACCOUNT, POLICY, T0 + timedelta(minutes=14)).reason == "locked"
    assert refusal_for(locked, ACCOUNT, POLICY, T0 + timedelta(minutes=15)) is None
    stale = ThrottleRow("account:x", 4, T0, None)
    assert refusal_for(stale, ACCOUNT, POLICY, T0 + timedelta(seconds=900)) is None


def _keys(name: str = "binh", address: str = "10.0.0.1", policy: ThrottlePolicy = POLICY):
    return [ThrottleKey(ACCOUNT, name, policy), ThrottleKey(ADDRESS, address, policy)]


def test_fifth_failure_locks_and_the_lock_is_audited(store):
    no_wait = ThrottlePolicy(max_failures=5, lock_s=600, backoff_base_s=0, backoff_max_s=0, window_s=900)
    keys = [ThrottleKey(ACCOUNT, "binh", no_wait)]
    for n in range(5):
        assert store.reserve_login_attempt(keys, T0 + timedelta(seconds=n)) is None
        store.end_login_attempt(keys, False, False, {"address": "10.0.0.1"})
    refusal = store.reserve_login_attempt(keys, T0 + timedelta(seconds=10))
    assert refusal.reason == "locked" and refusal.until == T0 + timedelta(seconds=4 + 600)
    assert store.reserve_login_attempt(keys, T0 + timedelta(seconds=604)) is None  # the lock ran out
    locks = [e for e in store.list_audit(limit=20) if e.action == "login_locked"]
    assert len(locks) == 1 and locks[0].target == "account:binh" and locks[0].detail["failures"] == 5


def test_a_success_gives_the_reservation_back(store):
    keys = _keys()
    assert store.reserve_login_attempt(keys, T0) is None
    store.end_login_attempt(keys, False, False, {})
    assert store.reserve_login_attempt(keys, T0 + timedelta(seconds=1)) is None
    store.end_login_attempt(keys, True, True, {})  # a completed login: the account is forgotten
    rows = {r.key: r.failures for r in store.list_login_throttles(T0 + timedelta(seconds=2), 900)}
    assert rows == {"address:10.0.0.1": 1}


def test_unlock_lifts_a_lock_and_is_audited(store):
    keys = [ThrottleKey(ACCOUNT, "binh", POLICY)]
    for n in range(5):
        store.reserve_login_attempt(keys, T0 + timedelta(minutes=n))
        store.end_login_attempt(keys, False, False, {})
    assert store.reserve_login_attempt(keys, T0 + timedelta(minutes=6)).reason == "locked"
    assert store.unlock_login("account:binh", CLI) is True
    assert store.reserve_login_attempt(keys, T0 + timedelta(minutes=6)) is None
    assert _actions(store)[-1] == ("os:root", "login_unlocked", "account:binh")


def test_purge_forgets_what_is_no_longer_enforced(store):
    store.reserve_login_attempt(_keys("old"), T0)
    store.reserve_login_attempt(_keys("new", "10.0.0.2"), T0 + timedelta(seconds=899))
    assert store.purge_login_throttles(T0 + timedelta(seconds=900), 900) == 2  # old's account + address
    assert {r.key for r in store.list_login_throttles(T0 + timedelta(seconds=900), 900)} == {
        "account:new", "address:10.0.0.2"}


def test_parallel_attempts_cannot_pass_the_limit(store):
    """Fifty guesses sent at once: only max_failures of them are let through to a check."""
    no_wait = ThrottlePolicy(max_failures=5, lock_s=600, backoff_base_s=0, backoff_max_s=0, window_s=900)
    keys = [ThrottleKey(ACCOUNT, "binh", no_wait)]
    granted: list[bool] = []
    barrier = threading.Barrier(10)

    def guess() -> None:
        barrier.wait()
        for _ in range(5):
            granted.append(store.reserve_login_attempt(keys, T0) is None)

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(granted) == 50
    assert sum(granted) == 5
