"""Every route of the app x every role (reviewer, investigator, operator, admin, anonymous), from
one table. The admin pages' rows live in test_review_ui_accounts.ADMIN_ROUTES (their actions are
checked there); every other route is here. A route the table does not name fails the test.

For each row: anonymous callers are sent to the login page (401 audited), a role not listed
gets a 403 (audited with the role), a listed role is let through (ALLOWED_STATUS).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from investigation_world import PHONE, SPECS, populate, post_in
from review_ui_world import USERS, Clock, actions, build_app, csrf_of, log_in, open_world
from test_review_ui_accounts import ADMIN_ROUTES, _routes

ROLES = ("reviewer", "investigator", "operator", "admin")
ANY = ROLES  # any signed-in role
VIEW = ("admin", "reviewer", "investigator")
DECIDE = ("admin", "reviewer")
INVESTIGATE = ("admin", "investigator")
ADMIN = ("admin",)  # pages outside /admin (the audit log); /admin's are in ADMIN_ROUTES
OPERATE = ("admin", "operator")
PUBLIC = None  # no login needed


# (method, path template, who may, form of a POST), the same shape as 11a's table; statuses an
# allowed call may get are ALLOWED_STATUS, queries of GET routes that need one are QUERY.
# {post_id} is a flagged post, {case_id} an open case holding it, {search_id} a saved search of
# ivan's, {sha256} a stored snapshot; {kind}/{value:path} a phone shared by four posts.
ROUTES: list[tuple[str, str, tuple[str, ...] | None, dict]] = [
    # -- login, account (issue 13) ------------------------------------------------------------------
    ("GET", "/healthz", PUBLIC, {}),
    ("GET", "/favicon.ico", PUBLIC, {}),
    ("GET", "/login", PUBLIC, {}),
    ("POST", "/login", PUBLIC, {"username": "nobody", "password": "x"}),
    ("GET", "/login/totp", PUBLIC, {}),
    ("POST", "/login/totp", PUBLIC, {"code": "000000"}),
    ("POST", "/logout", PUBLIC, {}),
    ("GET", "/account/totp", ANY, {}),
    ("POST", "/account/totp", ANY, {"code": "000000"}),
    ("POST", "/account/totp/disable", ANY, {}),
    # -- reviewers (queue, posts, evidence) ---------------------------------------------------------
    ("GET", "/", VIEW, {}),
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
    ("GET", "/evidence/{sha256}", VIEW, {}),
    # -- investigators (issue 11b) ------------------------------------------------------------------
    ("GET", "/search", VIEW, {}),
    ("GET", "/search/export.csv", INVESTIGATE, {}),
    ("POST", "/search/saved", VIEW, {"name": "Tuyển", "q": "tuyen"}),
    ("POST", "/search/saved/{search_id}/delete", VIEW, {}),  # 404 for another user's
    ("GET", "/entities/{kind}/{value:path}", VIEW, {}),
    ("GET", "/network", VIEW, {}),
    ("GET", "/cases", INVESTIGATE, {}),
    ("POST", "/cases", INVESTIGATE, {"title": "Vụ mới"}),
    ("POST", "/cases/add-posts", INVESTIGATE, {"case_id": "{case_id}", "post_id": "{post_id}"}),
    ("GET", "/cases/{case_id}", INVESTIGATE, {}),
    ("POST", "/cases/{case_id}/status", INVESTIGATE, {"status": "closed"}),
    ("POST", "/cases/{case_id}/notes", INVESTIGATE, {"text": "Ghi chú"}),
    ("POST", "/cases/{case_id}/posts/{post_id}/remove", INVESTIGATE, {}),
    ("GET", "/cases/{case_id}/dossier.zip", INVESTIGATE, {}),
    # -- managers (issue 11c) -----------------------------------------------------------------------
    ("GET", "/dashboard", ANY, {}),
    ("GET", "/audit", ADMIN, {}),
    ("GET", "/audit/export.csv", ADMIN, {}),
    # -- operators (issue 11c): the app's own read-only operations refuse actions (400) -----------
    ("GET", "/operations", OPERATE, {}),
    ("GET", "/operations/sources/{name}", OPERATE, {}),
    ("POST", "/operations/sources/{name}/pause", OPERATE, {}),
    ("POST", "/operations/sources/{name}/resume", OPERATE, {}),
    ("POST", "/operations/sources/{name}/run", OPERATE, {}),
    # -- the watchlist (issue 11c): a second add is 409, removing what is not listed 404 ----------
    ("GET", "/watchlist", INVESTIGATE, {}),
    ("POST", "/watchlist", INVESTIGATE, {"kind": "phone", "value": "0912 000 111"}),
    ("POST", "/watchlist/remove", INVESTIGATE, {"kind": "phone", "value": "0999 999 999"}),
]
QUERY = {"/search": "q=tuyen", "/search/export.csv": "q=tuyen", "/network": f"kind=phone&value={quote(PHONE, safe='')}"}
# What a call that is let through may answer: the page, a redirect, a refused form of its own
# (a wrong password 401, a wrong TOTP code 400, a decision on a post that moved on 409), another
# user's saved search 404.
ALLOWED_STATUS = (200, 303, 400, 401, 404, 409)
# Routes that are not pages of the app (mounted static files, the framework's own).
NOT_ROUTES = {("GET", "/static"), ("HEAD", "/static")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    store, search = open_world(root, USERS)
    evidence = root / "evidence"
    ids = populate(store, search, evidence)
    case = store.create_case("Vụ có sẵn", "ivan")
    store.add_case_posts(case.id, [ids["campuchia"]], "ivan")
    saved = store.save_search("ivan", "Có sẵn", "tuyen")
    store.upsert_source("board", "classifieds", "https://board.example.vn/", schedule_cron="0 6 * * *")
    campuchia = next(spec for spec in SPECS if spec.key == "campuchia")
    first = post_in(campuchia)
    store.upsert_posts([replace(first, text=first.text + " Liên hệ ngay.")])  # an earlier version to diff
    post = store.get_post(ids["campuchia"])
    args = {"post_id": ids["campuchia"], "case_id": case.id, "search_id": saved.id, "sha256": post.raw_sha256,
            "kind": "phone", "value:path": quote(PHONE, safe=""), "name": "board",
            "version_id": store.post_page(ids["campuchia"], 100).versions[0].id}
    app = build_app(store, search, Clock(), evidence_dir=evidence)
    return {"store": store, "app": app, "args": args}


def fill(template: str, args: dict) -> str:
    for name, value in args.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def test_every_route_of_the_app_is_in_a_table(world):
    found = {(method, route.path) for route in _routes(world["app"].routes)
             for method in getattr(route, "methods", None) or ("GET",)}
    found = {(m, p) for m, p in found if m != "HEAD"} - NOT_ROUTES
    tabled = {(m, p) for m, p, _, _ in ROUTES} | set(ADMIN_ROUTES)
    assert found - tabled == set(), "routes missing from the role table"
    assert tabled - found == set(), "the table names routes the app does not have"


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize(("method", "template", "allowed", "form"), ROUTES, ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_role_by_route(world, role, method, template, allowed, form):
    store, args = world["store"], world["args"]
    client = TestClient(world["app"], base_url="http://127.0.0.1")
    if role != "anonymous":
        name = next(n for n, r in USERS.items() if r == role)
        assert log_in(client, name).status_code == 303
    token = csrf_of(client.get("/login" if role == "anonymous" else "/account/totp").text)
    path = fill(template, args) + (f"?{QUERY[template]}" if template in QUERY else "")
    before = len(actions(store))
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        fields = {k: fill(v, args) for k, v in form.items()}
        response = client.post(path, data={**fields, "csrf_token": token}, follow_redirects=False)
    new = actions(store)[before:]

    if allowed is PUBLIC:
        assert response.status_code != 403 and "access_refused" not in new, response.status_code
    elif role == "anonymous":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert new == ["access_refused"]
    elif role not in allowed:
        assert response.status_code == 403
        assert new == ["access_refused"]
        refusal = store.list_audit(limit=1)[0]
        assert (refusal.detail["role"], refusal.detail["status"]) == (role, 403)
    else:
        assert response.status_code in ALLOWED_STATUS, response.text[:300]
        assert "access_refused" not in new
        assert not response.headers.get("location", "").startswith("/login")
