"""Shared by the review UI's account tests: a store with one user per role, an app with fast
argon2 and its own clock, form helpers, and a real uvicorn on 127.0.0.1 (port 0)."""

from __future__ import annotations

import contextvars
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store
from review_ui.app import create_app
from review_ui.passwords import Argon2Params, Passwords
from review_ui.settings import get_ui_settings

PASSWORD = "Đèn-đỏ-ở-ngã-tư-Phan-Thiết"
SECRET = "accounts-test-secret-not-for-production"
# Cheap argon2 for tests that log in often; the timing test uses the real defaults.
FAST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 8192, "argon2_parallelism": 1}
# No back-off, generous address limit: tests that are not about throttling never meet it.
NO_THROTTLE = {"login_backoff_base_seconds": 0.0, "login_address_max_failures": 1000}
USERS = {"ana": "admin", "alice": "reviewer", "ivan": "investigator", "olga": "operator"}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SERVER_START_S = 30


class Clock:
    """The app's clock, moved on by the test (sessions and locks expire without sleeping)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def open_world(root: Path, users: dict[str, str] = USERS, argon2: dict | None = None) -> tuple[Store, SqliteSearch]:
    db_url = f"sqlite:///{root / 'lurewatch.db'}"
    store = Store.open(get_index_settings(database_url=db_url))
    search = SqliteSearch(sa.create_engine(db_url))
    search.ensure_index()
    params = argon2 or FAST_ARGON2
    hashed = Passwords(Argon2Params(params["argon2_time_cost"], params["argon2_memory_kib"],
                                    params["argon2_parallelism"])).hash(PASSWORD)
    for name, role in users.items():
        store.add_user(name, hashed, role)
    return store, search


def build_app(store: Store, search: SqliteSearch, clock=None, **overrides):  # type: ignore[no-untyped-def]
    settings = get_ui_settings(secret_key=SECRET, **{**FAST_ARGON2, **NO_THROTTLE, **overrides})
    return create_app(settings, store, search, **({"clock": clock} if clock else {}))


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def log_in(client, username: str, password: str = PASSWORD, next_url: str = "/"):  # type: ignore[no-untyped-def]
    """The login form as a browser sends it (any httpx-like client)."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "next": next_url,
                                       "csrf_token": csrf_of(page.text)}, follow_redirects=False)


def actions(store: Store, limit: int = 500) -> list[str]:
    return [event.action for event in reversed(store.list_audit(limit=limit))]


@contextmanager
def serving(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real uvicorn on 127.0.0.1 in a thread; yields its base URL, stops it on exit."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # our own socket: no race for a "free" port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    # The server thread runs in a copy of the caller's context, so settings the test set for
    # itself (a Prefect API URL through temporary_settings, say) hold in the app too.
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(server.run,), kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_S
    while not server.started:  # uvicorn offers no start event; bounded poll of its flag
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
