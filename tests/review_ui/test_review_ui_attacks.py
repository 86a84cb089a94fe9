"""Attacks on accounts and sessions, against the running UI: a real uvicorn on 127.0.0.1 driven
by httpx, each test with its own store and server. Real time throughout (no test clock)."""

from __future__ import annotations

import itertools
import re
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pyotp
import pytest
import sqlalchemy as sa
from review_ui_world import (
    FAST_ARGON2, PASSWORD, USERS, build_app, csrf_of, log_in, open_world, serving,
)

from index.accounts import Actor
from index.store import Store

REAL_ARGON2 = {"argon2_time_cost": 3, "argon2_memory_kib": 64 * 1024, "argon2_parallelism": 4}


class Target:
    def __init__(self, base_url: str, store: Store) -> None:
        self.base_url = base_url
        self.store = store

    def browser(self) -> httpx.Client:
        """A fresh cookie jar, as one more browser (or one more attacker)."""
        return httpx.Client(base_url=self.base_url, timeout=60, follow_redirects=False)

    def signed_in(self, username: str, password: str = PASSWORD) -> httpx.Client:
        client = self.browser()
        response = log_in(client, username, password)
        assert response.status_code == 303, response.text
        return client

    def audit(self, action: str) -> list:
        return [e for e in self.store.list_audit(limit=2000) if e.action == action]


@pytest.fixture()
def target(tmp_path) -> Iterator:
    """`with target(**settings) as ui:` a fresh store with one user per role, served by uvicorn."""
    worlds = itertools.count()

    @contextmanager
    def run(argon2: dict = FAST_ARGON2, **overrides) -> Iterator[Target]:
        store, search = open_world(tmp_path / f"world{next(worlds)}", argon2=argon2)
        with serving(build_app(store, search, None, **{**argon2, **overrides})) as base_url:
            yield Target(base_url, store)

    yield run


def _token(client: httpx.Client, path: str = "/account/totp") -> str:
    return csrf_of(client.get(path).text)


def test_replaying_a_cookie_saved_before_logout(target):
    with target() as ui:
        alice = ui.signed_in("alice")
        stolen = alice.cookies["lurewatch_session"]
        assert alice.get("/").status_code == 200
        assert alice.post("/logout", data={"csrf_token": _token(alice)}).status_code == 303
        attacker = ui.browser()
        attacker.cookies.set("lurewatch_session", stolen, domain="127.0.0.1")
        for path in ("/", "/search?q=viec+nhe+luong+cao", "/admin/users"):
            response = attacker.get(path)
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
            attacker.cookies.set("lurewatch_session", stolen, domain="127.0.0.1")
        assert ui.audit("search") == []  # nothing was searched under alice's name


def test_replaying_a_cookie_of_a_user_just_disabled(target):
    with target() as ui:
        victim = ui.signed_in("alice")
        assert victim.get("/").status_code == 200
        admin = ui.signed_in("ana")
        disabled = admin.post("/admin/users/alice/disable", data={"csrf_token": _token(admin, "/admin/users")})
        assert disabled.status_code == 303
        assert victim.get("/").status_code == 303


def test_brute_force_of_one_account(target):
    """The issue's attack: 50 wrong passwords in a row, then the right one."""
    with target(login_backoff_base_seconds=0.2, login_lock_seconds=3) as ui:
        attacker = ui.browser()
        token = csrf_of(attacker.get("/login").text)
        statuses = []
        started = time.monotonic()
        for n in range(50):
            response = attacker.post("/login", data={"username": "alice", "password": f"doan-mo-{n:04d}-xx",
                                                     "csrf_token": token})
            statuses.append(response.status_code)
        right = attacker.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token})
        elapsed = time.monotonic() - started
        checked = [e for e in ui.audit("login_failed") if e.target == "user:alice"]
        assert right.status_code == 429  # the right password straight after: refused unchecked
        assert len(checked) <= 5 and statuses.count(401) == len(checked)
        assert statuses.count(429) >= 45
        assert len(ui.audit("login_locked")) <= 1
        print(f"brute force: {statuses.count(401)} of 50 checked, {statuses.count(429)} refused in {elapsed:.1f}s")
        time.sleep(3.2)  # the lock (or back-off) runs out; the owner gets in
        assert log_in(ui.browser(), "alice").status_code == 303


def test_parallel_brute_force_cannot_slip_past_the_limit(target):
    """Fifty guesses at once from ten connections: the count is taken before any hash is checked."""
    with target(login_backoff_base_seconds=0.0, login_lock_seconds=60) as ui:
        token_jar = [ui.browser() for _ in range(10)]
        tokens = [csrf_of(c.get("/login").text) for c in token_jar]
        statuses: list[int] = []
        barrier = threading.Barrier(10)

        def guess(i: int) -> None:
            barrier.wait()
            for n in range(5):
                r = token_jar[i].post("/login", data={"username": "ivan", "password": f"song-song-{i}-{n}-xx",
                                                      "csrf_token": tokens[i]})
                statuses.append(r.status_code)

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        checked = [e for e in ui.audit("login_failed") if e.target == "user:ivan"]
        assert len(statuses) == 50
        assert statuses.count(401) == len(checked) == 5
        assert statuses.count(429) == 45
        print(f"parallel brute force: {statuses.count(401)} of 50 checked")


def test_password_spraying_from_one_address(target):
    with target(login_address_max_failures=10, login_lock_seconds=60) as ui:
        sprayer = ui.browser()
        token = csrf_of(sprayer.get("/login").text)
        names = [*USERS, *[f"staff{n:02d}" for n in range(20)]]
        statuses = [sprayer.post("/login", data={"username": name, "password": "Summer2026!!xx", "csrf_token": token}
                                 ).status_code for name in names]
        assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
        assert log_in(ui.browser(), "alice").status_code == 429  # every name, from this address
        assert ui.store.unlock_login("address:127.0.0.1", Actor("os:test", "cli"))  # an admin lifts it
        assert log_in(ui.browser(), "alice").status_code == 303


def _answer(response: httpx.Response) -> tuple[int, str]:
    body = re.sub(r'name="csrf_token" value="[^"]+"', "", response.text)
    return response.status_code, re.sub(r'name="username" value="[^"]*"', "", body)


def test_account_existence_by_answer_and_by_timing(target):
    with target(argon2=REAL_ARGON2, login_max_failures=1000, login_address_max_failures=1000,
                login_backoff_base_seconds=0.0) as ui:
        attacker = ui.browser()
        token = csrf_of(attacker.get("/login").text)
        answers: dict[str, set] = {"khong-co-ai": set(), "alice": set()}
        times: dict[str, list[float]] = {"alice": [], "khong-co-ai": []}
        for n in range(9):
            for name in sorted(answers, reverse=n % 2 == 1):  # alternate who goes first
                started = time.perf_counter()
                response = attacker.post("/login", data={"username": name, "password": f"doan-{n}-sai-roi",
                                                         "csrf_token": token})
                if n > 0:  # the first round warms up (the dummy hash is made on first use)
                    times[name].append(time.perf_counter() - started)
                answers[name].add(_answer(response))
        assert answers["alice"] == answers["khong-co-ai"] and len(answers["alice"]) == 1
        known, unknown = statistics.median(times["alice"]), statistics.median(times["khong-co-ai"])
        # Each pair ran back to back: their ratio cancels the load of a shared 2-core machine.
        ratio = statistics.median(u / k for u, k in zip(times["khong-co-ai"], times["alice"]))
        print(f"enumeration by timing: known {known:.3f}s, unknown {unknown:.3f}s, paired ratio {ratio:.2f}")
        assert 0.67 < ratio < 1.5  # without the dummy hash an unknown name answers ~50x faster


def test_session_fixation(target):
    with target() as ui:
        planted = "F" * 43
        victim = ui.browser()
        victim.cookies.set("lurewatch_session", planted, domain="127.0.0.1")
        assert log_in(victim, "alice").status_code == 303
        assert victim.cookies["lurewatch_session"] != planted
        attacker = ui.browser()
        attacker.cookies.set("lurewatch_session", planted, domain="127.0.0.1")
        assert attacker.get("/").status_code == 303


@pytest.mark.parametrize("cookie", [
    "A" * 43,  # well formed, names no session
    "eyJ1c2VybmFtZSI6ICJhbGljZSJ9.Z0s7aA.signature-of-the-old-signed-cookie",  # the old format
    "x" * 5000,
    "' OR 1=1 --",
])
def test_forged_session_cookies(target, cookie):
    with target() as ui:
        attacker = ui.browser()
        attacker.headers["Cookie"] = f"lurewatch_session={cookie}"
        response = attacker.get("/")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_stolen_database_row_is_no_cookie(target):
    with target() as ui:
        ui.signed_in("alice")
        with ui.store.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT token_hash FROM sessions")).scalar_one()
        attacker = ui.browser()
        attacker.cookies.set("lurewatch_session", stored, domain="127.0.0.1")
        assert attacker.get("/").status_code == 303


def test_csrf_and_privilege_escalation_on_admin_actions(target):
    with target() as ui:
        reviewer = ui.signed_in("alice")
        admin = ui.signed_in("ana")
        # An admin's browser posting without a token, or with another browser's token.
        for token in (None, _token(reviewer)):
            data = {"role": "admin"} | ({"csrf_token": token} if token else {})
            assert admin.post("/admin/users/alice/role", data=data).status_code == 403
        # The reviewer, with a valid token of their own, on every admin action.
        token = _token(reviewer)
        for path, form in [("/admin/users/alice/role", {"role": "admin"}), ("/admin/users/ana/disable", {}),
                           ("/admin/users/ana/password", {"password": "Chiem-quyen-quan-tri-2026"}),
                           ("/admin/locks/unlock", {"key": "account:alice"})]:
            assert reviewer.post(path, data={**form, "csrf_token": token}).status_code == 403, path
        assert reviewer.get("/admin/users").status_code == 403
        assert ui.store.get_user("alice").role == "reviewer" and ui.store.get_user("ana").active
        assert len(ui.audit("access_refused")) == 7


def test_totp_brute_force_and_replay(target):
    with target(login_max_failures=5, login_backoff_base_seconds=0.0, login_lock_seconds=60) as ui:
        alice = ui.signed_in("alice")
        page = alice.get("/account/totp").text
        secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', page).group(1)
        code = pyotp.TOTP(secret).now()
        assert alice.post("/account/totp", data={"code": code, "csrf_token": csrf_of(page)}).status_code == 303
        # Replay of the enrolment code by someone who knows the password.
        thief = ui.browser()
        assert log_in(thief, "alice").headers["location"].startswith("/login/totp")
        replay = thief.post("/login/totp", data={"code": code, "csrf_token": _token(thief, "/login/totp")})
        assert replay.status_code == 401
        statuses = [thief.post("/login/totp", data={"code": f"{n:06d}", "csrf_token": _token(thief, "/login/totp")}
                               ).status_code for n in range(6)]
        assert statuses.count(401) == 4 and statuses[-2:] == [429, 429]  # 1 replay + 4 guesses = 5
        assert thief.get("/").headers["location"] == "/login/totp"  # never past the second step


def test_secure_cookies_are_never_sent_over_plain_http(target):
    """Not bound to loopback: Secure cookies and HSTS. A client on plain HTTP keeps Secure cookies
    to itself, so not even the login form's token comes back: no session is set up in clear."""
    with target(host="0.0.0.0") as ui:
        browser = ui.browser()
        page = browser.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        anon = page.headers["set-cookie"]
        assert anon.startswith("__Host-lurewatch_anon=") and "Secure" in anon and "SameSite=strict" in anon
        response = log_in(browser, "alice")
        assert response.status_code == 403
        assert "lurewatch_session" not in response.headers.get("set-cookie", "")
        assert ui.store.list_sessions() == []


def test_open_redirects_after_login(target):
    with target() as ui:
        for evil in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"):
            response = log_in(ui.browser(), "alice", next_url=evil)
            assert response.status_code == 303 and response.headers["location"] == "/", evil
