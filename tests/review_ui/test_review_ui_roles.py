"""Every route of the app × every role (and anonymous): who gets the page, who gets a 403 (audited
with the route and the role), who is sent to the login page. The admin routes have their table in
test_review_ui_accounts (ADMIN_ROUTES); this one has every other route, and
test_every_app_route_is_in_a_table fails when a route of the app is in neither."""

from __future__ import annotations

import gzip
import hashlib
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from review_ui_world import Clock, actions, build_app, csrf_of, log_in, open_world
from test_review_ui_accounts import ADMIN_ROUTES, _routes

from index.document import PostIn

ROLES = ("admin", "reviewer", "investigator", "operator")
USERS = {"ana": "admin", "alice": "reviewer", "ivan": "investigator", "olga": "operator"}
PUBLIC = "public"  # anyone, logged in or not
SIGNED_IN = ROLES  # any logged-in role
VIEW = ("admin", "reviewer", "investigator")
DECIDE = ("admin", "reviewer")
BODY = b"<html><body>ban goc</body></html>"
SHA = hashlib.sha256(BODY).hexdigest()

# (method, path template, who may, form of a POST). {post_id} is a flagged post, {version_id} its
# earlier version, {sha256} its snapshot.
ROUTES: list[tuple[str, str, tuple[str, ...] | str, dict]] = [
    ("GET", "/healthz", PUBLIC, {}),
    ("GET", "/favicon.ico", PUBLIC, {}),
    ("GET", "/login", PUBLIC, {}),
    ("POST", "/login", PUBLIC, {"username": "nobody", "password": "x"}),
    ("GET", "/login/totp", PUBLIC, {}),
    ("POST", "/login/totp", PUBLIC, {"code": "000000"}),
    ("POST", "/logout", PUBLIC, {}),
    ("GET", "/account/totp", SIGNED_IN, {}),
    ("POST", "/account/totp", SIGNED_IN, {"code": "000000"}),
    ("POST", "/account/totp/disable", SIGNED_IN, {"code": "000000"}),
    ("GET", "/", VIEW, {}),
    ("GET", "/search", VIEW, {}),
    ("GET", "/evidence/{sha256}", VIEW, {}),
    ("GET", "/posts/{post_id}", VIEW, {}),
    ("GET", "/posts/{post_id}/text", VIEW, {}),
    ("GET", "/posts/{post_id}/versions/{version_id}", VIEW, {}),
    ("POST", "/posts/{post_id}/decision", DECIDE, {"decision": "needs_info", "reason": "unclear_text"}),
    ("POST", "/posts/{post_id}/referral", DECIDE, {"action": "decline", "reason": "insufficient_evidence"}),
    ("POST", "/posts/{post_id}/reopen", DECIDE, {"reason": "quality_check"}),
    ("POST", "/posts/{post_id}/release", DECIDE, {}),
    ("POST", "/queue/bulk", DECIDE, {"decision": "lure", "reason": "task_scam", "scope": "filter"}),
    ("POST", "/queue/bulk/apply", DECIDE, {"decision": "lure", "reason": "task_scam", "scope": "filter",
                                           "expected": "1"}),
]
# Routes that are not pages of the app (mounted static files, the framework's own).
NOT_ROUTES = {("GET", "/static"), ("HEAD", "/static")}


def _post(clock: Clock, text: str) -> PostIn:
    return PostIn(source="board", url="https://ex.vn/1", canonical_url="https://ex.vn/1", title="Tuyển gấp",
                  text=text, posted_at=None, fetched_at=clock.now - timedelta(days=1), raw_sha256=SHA, score=0.9,
                  is_lure=True, threshold=0.5, model_version="m1", signals=[], entities=[], categories=["other"],
                  minor_risk=False, priority=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    store, search = open_world(root, USERS)
    clock = Clock()
    (pid,) = store.upsert_posts([_post(clock, "Việc nhẹ lương cao.")]).post_ids
    store.upsert_posts([_post(clock, "Việc nhẹ lương cao, bao vé.")])
    folder = root / "evidence" / SHA[:2] / SHA[2:4]
    folder.mkdir(parents=True)
    (folder / f"{SHA}.gz").write_bytes(gzip.compress(BODY))
    app = build_app(store, search, clock, evidence_dir=root / "evidence")
    version = store.post_page(pid, 100).versions[0].id
    return {"store": store, "app": app, "ids": {"post_id": pid, "version_id": version, "sha256": SHA}}


def test_every_app_route_is_in_a_table(world):
    found = {(method, route.path) for route in _routes(world["app"].routes)
             for method in getattr(route, "methods", None) or ("GET",)}
    found = {(m, p) for m, p in found if m != "HEAD"} - NOT_ROUTES
    tabled = {(m, p) for m, p, _, _ in ROUTES} | set(ADMIN_ROUTES)
    assert found - tabled == set(), "routes missing from the role table"
    assert tabled - found == set(), "the table names routes the app does not have"


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize(("method", "template", "allowed", "form"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_role_by_route(world, role, method, template, allowed, form):
    store = world["store"]
    client = TestClient(world["app"], base_url="http://127.0.0.1")
    if role != "anonymous":
        name = next(n for n, r in USERS.items() if r == role)
        assert log_in(client, name).status_code == 303
    token = csrf_of(client.get("/login").text if role == "anonymous" else client.get("/account/totp").text)
    path = template.format(**world["ids"])
    before = actions(store)
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    after = actions(store)[len(before):]
    if allowed == PUBLIC:  # no role needed (a wrong password is still a 401 of its own)
        assert response.status_code != 403 and "access_refused" not in after, response.status_code
    elif role == "anonymous":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert after == ["access_refused"]
    elif role in allowed:
        # Let through: the page, a redirect, or the route's own answer to this form (a wrong TOTP
        # code is a 400, a decision on a post that moved on a 409), never a refusal.
        assert response.status_code in (200, 303, 400, 409), (response.status_code, response.text[:300])
        assert "access_refused" not in after
        assert not response.headers.get("location", "").startswith("/login")
    else:
        assert response.status_code == 403
        assert after == ["access_refused"]
        refusal = store.list_audit(limit=1)[0]
        assert (refusal.detail["role"], refusal.detail["route"], refusal.detail["status"]) == (role, path, 403)
