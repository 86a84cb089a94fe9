"""Sessions, throttling, passwords, TOTP and the admin routes of the review UI (TestClient over
a real Store on a temp SQLite file; the app's clock is moved by the test)."""

from __future__ import annotations

import re
import statistics
import time

import pyotp
import pytest
from fastapi.testclient import TestClient

from review_ui_world import (
    PASSWORD, USERS, Clock, actions, build_app, csrf_of, log_in, open_world,
)

from index.sessions import token_hash

NEW_PASSWORD = "Mưa-rào-trên-sông-Cà-Ty-2026"
# Routes of the admin pages: (method, path template). test_every_admin_route_is_in_the_table
# keeps this list equal to the app's.
ADMIN_ROUTES = [
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("GET", "/admin/sessions"),
    ("POST", "/admin/users/{username}/disable"),
    ("POST", "/admin/users/{username}/enable"),
    ("POST", "/admin/users/{username}/role"),
    ("POST", "/admin/users/{username}/password"),
    ("POST", "/admin/users/{username}/totp-reset"),
    ("POST", "/admin/users/{username}/revoke-sessions"),
    ("POST", "/admin/sessions/{session_id}/revoke"),
    ("POST", "/admin/locks/unlock"),
]
# What each POST route changes when an admin calls it: its form and the audit action it writes.
ADMIN_FORMS = {
    "/admin/users": ({"username": "newcomer", "role": "reviewer", "password": NEW_PASSWORD}, "user.add"),
    "/admin/users/{username}/disable": ({}, "user.disable"),
    "/admin/users/{username}/enable": ({}, "user.enable"),
    "/admin/users/{username}/role": ({"role": "investigator"}, "user.set_role"),
    "/admin/users/{username}/password": ({"password": NEW_PASSWORD}, "user.reset_password"),
    "/admin/users/{username}/totp-reset": ({}, "user.totp_reset"),
    "/admin/users/{username}/revoke-sessions": ({}, "session.revoke_all"),
    "/admin/sessions/{session_id}/revoke": ({}, "session.revoke"),
    "/admin/locks/unlock": ({"key": "account:victim"}, "login_unlocked"),
}


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, {**USERS, "victim": "reviewer", "ana2": "admin"})
    clock = Clock()

    def client(**overrides) -> TestClient:
        base = "https://127.0.0.1" if overrides.get("host") not in (None, "127.0.0.1") else "http://127.0.0.1"
        return TestClient(build_app(store, search, clock, **overrides), base_url=base)

    return {"store": store, "search": search, "clock": clock, "client": client}


def signed_in(world, username: str, **overrides) -> TestClient:
    client = world["client"](**overrides)
    response = log_in(client, username)
    assert response.status_code == 303, response.text
    return client


def session_cookie(client: TestClient) -> str:
    return client.cookies["lurewatch_session"]


def token_from(client: TestClient, path: str = "/") -> str:
    return csrf_of(client.get(path).text)


# -- logout, revocation, expiry ---------------------------------------------------------------------

def test_a_cookie_saved_before_logout_is_refused_after_it(world):
    client = signed_in(world, "alice")
    saved = session_cookie(client)
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": token_from(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert "lurewatch_session=" in response.headers["set-cookie"]  # cleared in the browser too
    for path in ("/", "/search?q=luong"):
        client.cookies.set("lurewatch_session", saved, domain="127.0.0.1")  # the saved copy, again
        replay = client.get(path, follow_redirects=False)
        assert replay.status_code == 303, path
        assert replay.headers["location"].startswith("/login?next=%2F"), path
        assert 'lurewatch_session=""' in replay.headers["set-cookie"]  # told to drop it
    assert world["store"].list_sessions("alice") == []
    refused = [e for e in world["store"].list_audit(limit=20) if e.action == "access_refused"]
    assert refused[0].detail == {"status": 401, "method": "GET", "route": "/search", "role": None,
                                 "reason": "invalid_session", "address": "testclient"}
    assert "search" not in actions(world["store"])  # nothing ran under alice's name


def test_disabling_a_user_ends_their_open_session_within_one_request(world):
    victim = signed_in(world, "victim")
    assert victim.get("/").status_code == 200
    admin = signed_in(world, "ana")
    token = token_from(admin, "/admin/users")
    done = admin.post("/admin/users/victim/disable", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin/users?done=disable&user=victim"
    nxt = victim.get("/", follow_redirects=False)
    assert nxt.status_code == 303 and nxt.headers["location"].startswith("/login")
    assert log_in(victim, "victim").status_code == 401  # and cannot log in again
    event = next(e for e in world["store"].list_audit(limit=20) if e.action == "user.disable")
    assert (event.username, event.target, event.detail["via"], event.detail["sessions_ended"]) == (
        "ana", "user:victim", "ui", 1)


@pytest.mark.parametrize(("path", "form"), [
    ("/admin/users/victim/role", {"role": "investigator"}),
    ("/admin/users/victim/password", {"password": NEW_PASSWORD}),
    ("/admin/users/victim/revoke-sessions", {}),
])
def test_role_and_password_changes_end_the_users_sessions(world, path, form):
    victim = signed_in(world, "victim")
    admin = signed_in(world, "ana")
    response = admin.post(path, data={**form, "csrf_token": token_from(admin, "/admin/users")},
                          follow_redirects=False)
    assert response.status_code == 303
    assert victim.get("/", follow_redirects=False).status_code == 303


def test_idle_timeout_and_absolute_lifetime(world):
    clock = world["clock"]
    client = signed_in(world, "alice")
    clock.advance(29 * 60)
    assert client.get("/").status_code == 200  # active within the idle timeout
    clock.advance(30 * 60 + 1)
    assert client.get("/", follow_redirects=False).status_code == 303  # idle too long
    client = signed_in(world, "alice")
    minutes = 0
    while client.get("/", follow_redirects=False).status_code == 200 and minutes < 24 * 60:
        clock.advance(20 * 60)  # a request every 20 minutes: never idle
        minutes += 20
    assert minutes == 8 * 60  # ended by the absolute lifetime (8 h), not before


def test_login_replaces_any_session_cookie_the_browser_came_with(world):
    client = world["client"]()
    planted = "A" * 43  # a well-formed token an attacker chose
    client.cookies.set("lurewatch_session", planted, domain="127.0.0.1")
    assert log_in(client, "alice").status_code == 303
    assert session_cookie(client) != planted
    assert world["store"].resolve_session(token_hash(planted), world["clock"](), _limits()) is None
    # An attacker's own live session planted in the victim's browser is replaced (deleted) too.
    attacker = signed_in(world, "olga")
    victim = world["client"]()
    victim.cookies.set("lurewatch_session", session_cookie(attacker), domain="127.0.0.1")
    assert log_in(victim, "alice").status_code == 303
    assert session_cookie(victim) != session_cookie(attacker)
    assert attacker.get("/search", follow_redirects=False).status_code == 303


def _limits():
    from review_ui.settings import get_ui_settings
    from review_ui.web_sessions import session_limits

    return session_limits(get_ui_settings(secret_key="x"))


# -- throttling ------------------------------------------------------------------------------------

def test_sixth_wrong_password_is_refused_unchecked_then_the_lock_runs_out(world):
    client = world["client"](login_lock_seconds=120)
    for n in range(5):
        world["clock"].advance(5)
        assert log_in(client, "alice", "sai-mat-khau-%d" % n).status_code == 401
    world["clock"].advance(5)  # 30 s after the first: six in a minute
    sixth = log_in(client, "alice", PASSWORD)  # even the right password is not checked
    assert sixth.status_code == 429
    assert "Quá nhiều lần đăng nhập không thành công" in sixth.text
    assert 1 <= int(sixth.headers["retry-after"]) <= 120
    store = world["store"]
    assert actions(store)[-3:] == ["login_failed", "login_locked", "login_refused"]
    refused = store.list_audit(limit=1)[0]
    assert refused.detail["reason"] == "locked" and refused.detail["scope"] == "account"
    assert refused.detail["status"] == 429 and refused.detail["route"] == "/login"
    world["clock"].advance(120)
    assert log_in(client, "alice", PASSWORD).status_code == 303
    assert client.get("/").status_code == 200


def test_backoff_doubles_between_failures(world):
    client = world["client"](login_backoff_base_seconds=10, login_address_max_failures=1000)
    assert log_in(client, "alice", "sai-1-sai-1-sai").status_code == 401  # a typo: no wait
    assert log_in(client, "alice", "sai-2-sai-2-sai").status_code == 401
    early = log_in(client, "alice", PASSWORD)
    assert early.status_code == 429 and early.headers["retry-after"] == "10"
    world["clock"].advance(10)
    assert log_in(client, "alice", "sai-3-sai-3-sai").status_code == 401
    world["clock"].advance(10)
    assert log_in(client, "alice", PASSWORD).status_code == 429  # now 20 s
    world["clock"].advance(10)
    assert log_in(client, "alice", PASSWORD).status_code == 303


def test_one_address_guessing_many_accounts_is_locked(world):
    client = world["client"](login_address_max_failures=8)
    for n in range(8):
        assert log_in(client, f"user{n:03d}", "sai-mat-khau-dai").status_code == 401
    assert log_in(client, "alice", PASSWORD).status_code == 429  # the address is locked
    refused = world["store"].list_audit(limit=1)[0]
    assert refused.detail["scope"] == "address"
    admin_client = world["client"]()  # same "testclient" address, after an admin lifts it
    world["store"].unlock_login("address:testclient", _cli_actor())
    assert log_in(admin_client, "alice").status_code == 303


def _cli_actor():
    from index.accounts import Actor

    return Actor("os:test", "cli", {"os_user": "test"})


def _answer(response) -> tuple[int, str]:
    """Status and page, without what differs by design: the echoed name and the form token."""
    body = re.sub(r'name="csrf_token" value="[^"]+"', "", response.text)
    body = re.sub(r'name="username" value="[^"]*"', "", body)
    return response.status_code, body


def test_answers_do_not_tell_whether_an_account_exists(world):
    client = world["client"]()
    known = [_answer(log_in(client, "alice", f"sai-mat-khau-{n}")) for n in range(6)]
    unknown = [_answer(log_in(client, "alice-not-here", f"sai-mat-khau-{n}")) for n in range(6)]
    assert known == unknown
    assert [status for status, _ in known] == [401] * 5 + [429]  # the unknown name is locked too


def test_timing_does_not_tell_whether_an_account_exists(tmp_path):
    """With the real argon2 parameters: an unknown name costs one verification like a real one."""
    store, search = open_world(tmp_path, {"alice": "reviewer"}, argon2={
        "argon2_time_cost": 3, "argon2_memory_kib": 64 * 1024, "argon2_parallelism": 4})
    app = build_app(store, search, None, argon2_time_cost=3, argon2_memory_kib=64 * 1024,
                    argon2_parallelism=4, login_max_failures=1000)
    known, unknown = [], []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = csrf_of(client.get("/login").text)
        for n in range(9):  # interleaved, first one then the other, so load hits both alike
            pair = [("alice", known), ("nobody-here", unknown)]
            for name, times in pair if n % 2 == 0 else pair[::-1]:
                started = time.perf_counter()
                response = client.post("/login", data={"username": name, "password": f"sai-{n}-sai-mat-khau",
                                                       "csrf_token": token})
                if n > 0:  # the first round warms up (the dummy hash is made on first use)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 401
    # Each pair ran back to back: their ratio cancels the load of a shared 2-core machine.
    ratio = statistics.median(u / k for u, k in zip(unknown, known))
    print(f"login time: known {statistics.median(known):.3f}s, unknown {statistics.median(unknown):.3f}s, ratio {ratio:.2f}")
    assert 0.67 < ratio < 1.5, (statistics.median(known), statistics.median(unknown))


# -- passwords -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "message"), [
    ("ngắn-quá", "Mật khẩu phải có ít nhất 12 ký tự."),
    (" " * 16, "Mật khẩu không được chỉ gồm khoảng trắng."),
    ("Victim-is-my-name-2026", "Mật khẩu không được chứa tên đăng nhập."),
    ("Password2024!", "Mật khẩu quá phổ biến hoặc quá dễ đoán."),
    ("MậtKhẩu123456", "Mật khẩu quá phổ biến hoặc quá dễ đoán."),
])
def test_admin_password_reset_applies_every_rule(world, password, message):
    admin = signed_in(world, "ana")
    victim = signed_in(world, "victim")
    before = world["store"].get_user("victim").password_hash
    response = admin.post("/admin/users/victim/password",
                          data={"password": password, "csrf_token": token_from(admin, "/admin/users")})
    assert response.status_code == 400
    assert message in response.text
    assert world["store"].get_user("victim").password_hash == before
    assert victim.get("/").status_code == 200  # a refused reset ends nothing


def test_changed_argon2_parameters_rehash_at_login(world):
    store = world["store"]
    old = store.get_user("alice").password_hash
    assert "$m=8192,t=1,p=1$" in old
    client = world["client"](argon2_time_cost=2, argon2_memory_kib=16384)
    assert log_in(client, "alice").status_code == 303
    new = store.get_user("alice").password_hash
    assert "$m=16384,t=2,p=1$" in new
    assert client.get("/").status_code == 200  # the session made at that login lives on
    assert "user.rehash_password" in actions(store)
    assert log_in(world["client"](argon2_time_cost=2, argon2_memory_kib=16384), "alice").status_code == 303


# -- TOTP ----------------------------------------------------------------------------------------

def _enrol(world, client: TestClient) -> str:
    page = client.get("/account/totp")
    assert page.status_code == 200
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert "otpauth://totp/LureWatch:" in page.text
    assert client.get("/account/totp").text.count(secret) >= 1  # the same secret until confirmed
    code = pyotp.TOTP(secret).at(world["clock"]())
    response = client.post("/account/totp", data={"code": code, "csrf_token": csrf_of(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    return secret


def test_totp_enrolment_and_login(world):
    clock, store = world["clock"], world["store"]
    other = signed_in(world, "alice")
    client = signed_in(world, "alice")
    bad = client.post("/account/totp", data={"code": "000000", "csrf_token": token_from(client, "/account/totp")})
    assert bad.status_code == 400 and "Mã không đúng" in bad.text
    secret = _enrol(world, client)
    assert store.get_user("alice").totp_enabled
    assert other.get("/", follow_redirects=False).status_code == 303  # other sessions ended
    assert client.get("/").status_code == 200  # the one that enrolled lives on
    client.post("/logout", data={"csrf_token": token_from(client)})

    response = log_in(client, "alice", next_url="/search")
    assert response.status_code == 303 and response.headers["location"] == "/login/totp?next=%2Fsearch"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login/totp"  # half a login reads nothing
    page = client.get("/login/totp?next=%2Fsearch")
    wrong = client.post("/login/totp", data={"code": "123456", "next": "/search", "csrf_token": csrf_of(page.text)})
    assert wrong.status_code == 401 and "Mã không đúng hoặc đã được dùng." in wrong.text
    clock.advance(30)
    code = pyotp.TOTP(secret).at(clock())
    half = session_cookie(client)
    ok = client.post("/login/totp", data={"code": code, "next": "/search", "csrf_token": csrf_of(wrong.text)},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/search"
    assert session_cookie(client) != half  # a new token for the full session
    assert client.get("/").status_code == 200

    # The same code again (another browser that saw it): refused as a replay.
    thief = world["client"]()
    assert log_in(thief, "alice").status_code == 303
    replay = thief.post("/login/totp", data={"code": code, "csrf_token": token_from(thief, "/login/totp")})
    assert replay.status_code == 401
    reasons = [e.detail.get("reason") for e in store.list_audit(limit=30) if e.action == "login_failed"]
    assert "totp_replay" in reasons and "totp" in reasons
    assert [e.detail["totp"] for e in store.list_audit(limit=30) if e.action == "login"][0] is True


def test_totp_codes_are_throttled_like_passwords(world):
    client = world["client"](login_max_failures=3)
    user_client = signed_in(world, "alice")
    _enrol(world, user_client)
    assert log_in(client, "alice").status_code == 303
    form = {"csrf_token": token_from(client, "/login/totp")}
    statuses = [client.post("/login/totp", data={**form, "code": f"{n:06d}"}).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_admins_must_enrol_when_the_setting_says_so(world):
    admin = signed_in(world, "ana", totp_required_for_admins=True)
    for path in ("/", "/admin/users"):
        response = admin.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/account/totp", path
    assert "Tài khoản quản trị phải bật xác thực hai bước" in admin.get("/account/totp").text
    reviewer = signed_in(world, "alice", totp_required_for_admins=True)
    assert reviewer.get("/").status_code == 200  # only admins
    _enrol(world, admin)
    assert admin.get("/admin/users").status_code == 200
    page = admin.get("/account/totp")
    assert "account/totp/disable" not in page.text  # no way to turn it off again


def test_the_user_may_turn_totp_off_with_a_code(world):
    client = signed_in(world, "alice")
    secret = _enrol(world, client)
    world["clock"].advance(30)
    response = client.post("/account/totp/disable", follow_redirects=False, data={
        "code": pyotp.TOTP(secret).at(world["clock"]()), "csrf_token": token_from(client, "/account/totp")})
    assert response.status_code == 303
    assert not world["store"].get_user("alice").totp_enabled
    assert client.get("/").status_code == 200


# -- cookies and headers ---------------------------------------------------------------------------

def test_secure_cookies_and_hsts_when_not_on_loopback(world):
    client = world["client"](host="0.0.0.0")
    page = client.get("/login")
    anon = page.headers["set-cookie"]
    assert anon.startswith("__Host-lurewatch_anon=") and "secure" in anon.lower()
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    response = log_in(client, "alice")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-lurewatch_session=")
    for flag in ("secure", "httponly", "samesite=strict", "path=/"):
        assert flag in cookie.lower(), flag
    assert "domain=" not in cookie.lower()
    assert client.get("/").status_code == 200
    plain = world["client"](host="0.0.0.0", cookie_secure=False)  # behind nothing: the operator's call
    assert "secure" not in log_in(plain, "alice").headers["set-cookie"].lower()


# -- audit of refusals -----------------------------------------------------------------------------

def test_refusals_are_audited_with_route_and_role(world):
    store = world["store"]
    anonymous = world["client"]()
    anonymous.get("/admin/users", follow_redirects=False)
    reviewer = signed_in(world, "alice")
    assert reviewer.get("/admin/users").status_code == 403
    assert reviewer.post("/admin/users/ana/disable", data={"csrf_token": "forged"}).status_code == 403
    refused = [e for e in reversed(store.list_audit(limit=50)) if e.action == "access_refused"]
    assert [(e.username, e.detail["status"], e.detail["route"], e.detail["role"], e.detail["reason"])
            for e in refused] == [
        (None, 401, "/admin/users", None, "no_session"),
        ("alice", 403, "/admin/users", "reviewer", "role"),
        ("alice", 403, "/admin/users/ana/disable", "reviewer", "role"),
    ]
    token = token_from(reviewer)
    assert reviewer.post("/logout", data={"csrf_token": "x" + token}).status_code == 403
    csrf = store.list_audit(limit=1)[0]
    assert (csrf.action, csrf.detail["reason"], csrf.detail["role"]) == ("access_refused", "csrf", "reviewer")


# -- the role × route table of the admin pages -------------------------------------------------------

def _routes(routes):  # type: ignore[no-untyped-def]
    """Every route, also inside routers that FastAPI keeps as included-router objects."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)
        elif hasattr(route, "path"):
            yield route


def test_every_admin_route_is_in_the_table(world):
    app = world["client"]().app
    found = {(method, route.path) for route in _routes(app.routes) if route.path.startswith("/admin")
             for method in getattr(route, "methods", ())}
    assert found == set(ADMIN_ROUTES)


@pytest.mark.parametrize("role", ["anonymous", *sorted(set(USERS.values()))])
@pytest.mark.parametrize(("method", "template"), ADMIN_ROUTES)
def test_role_by_admin_route(world, role, method, template):
    store = world["store"]
    victim_session = signed_in(world, "victim")
    session_id = store.list_sessions("victim")[0].id
    path = template.format(username="victim", session_id=session_id)
    if role == "anonymous":
        client = world["client"]()
        token = csrf_of(client.get("/login").text)
    else:
        name = next(n for n, r in USERS.items() if r == role)
        client = signed_in(world, name)
        token = token_from(client, "/account/totp")
    before = actions(store)
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        form, _ = ADMIN_FORMS[template]
        response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    after = actions(store)[len(before):]

    if role == "anonymous":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert after == ["access_refused"]
    elif role != "admin":
        assert response.status_code == 403
        assert after == ["access_refused"]
        assert store.list_audit(limit=1)[0].detail["role"] == role
    elif method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code == 303, response.text
        _, action = ADMIN_FORMS[template]
        assert after == [action]  # every admin action audited, by the admin, from the UI
        event = store.list_audit(limit=1)[0]
        assert event.username == "ana" and event.detail["via"] == "ui"
    if role != "admin" or method == "GET":  # a refusal changes nothing
        assert victim_session.get("/").status_code == 200
        assert store.get_user("victim").active and store.get_user("victim").role == "reviewer"


def test_admin_pages_show_users_sessions_and_locks(world):
    store = world["store"]
    client = world["client"](login_max_failures=2)
    for _ in range(2):
        log_in(client, "victim", "sai-mat-khau-dai")
    admin = signed_in(world, "ana")
    users = admin.get("/admin/users")
    assert users.status_code == 200
    assert 'data-user="victim"' in users.text and "Người xét duyệt" in users.text
    assert "account:victim" in users.text  # the lock, with its unlock form
    sessions = admin.get("/admin/sessions")
    own = store.list_sessions("ana")[0]
    assert f'data-session="{own.id}"' in sessions.text and "testclient" in sessions.text
    english = admin.get("/admin/users?lang=en")
    assert "User accounts" in english.text and "Temporary login locks" in english.text
    allowed = admin.post("/admin/users/ana2/disable", data={"csrf_token": token_from(admin, "/admin/users")},
                         follow_redirects=False)
    assert allowed.status_code == 303  # ana is still an admin, so ana2 may go
    last = admin.post("/admin/users/ana/disable", data={"csrf_token": token_from(admin, "/admin/users")})
    assert last.status_code == 400 and "The last active admin cannot be disabled" in last.text  # English chosen above
    missing = admin.post("/admin/users/nobody/enable", data={"csrf_token": token_from(admin, "/admin/users")})
    assert missing.status_code == 404


def test_no_session_for_a_user_disabled_between_the_check_and_the_session(world):
    from review_ui.logins import Client

    client = world["client"]()
    store = world["store"]
    checked = store.get_user("victim")  # the password was right a moment ago...
    store.set_user_active("victim", False, _cli_actor())  # ...then an admin disabled the account
    assert client.app.state.logins.start_session(checked, Client("127.0.0.1", "x"), False, None) is None
    assert store.list_sessions("victim") == []
