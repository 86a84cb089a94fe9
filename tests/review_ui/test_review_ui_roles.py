"""Every route of the app x every role (reviewer, investigator, operator, admin, anonymous), from
one table. The admin pages' rows live in test_review_ui_accounts.ADMIN_ROUTES (their actions are
checked there); every other route is here. A route the table does not name fails the test.

For each row: anonymous callers are sent to the login page (401 audited), a role not listed
gets a 403 (audited with the role), a listed role gets one of the row's statuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from investigation_world import PHONE, populate
from review_ui_world import USERS, Clock, actions, build_app, csrf_of, log_in, open_world
from test_review_ui_accounts import ADMIN_ROUTES, _routes

ROLES = ("reviewer", "investigator", "operator", "admin")
ANY = ROLES  # any signed-in role
VIEW = ("admin", "reviewer", "investigator")
DECIDE = ("admin", "reviewer")
INVESTIGATE = ("admin", "investigator")
PUBLIC = None  # no login needed


@dataclass(frozen=True)
class Row:
    roles: tuple[str, ...] | None  # who may call it; PUBLIC: anyone
    ok: tuple[int, ...] = (200,)  # statuses of an allowed call
    form: dict = field(default_factory=dict)
    query: str = ""


TABLE: dict[tuple[str, str], Row] = {
    # -- login, account (issue 13) ------------------------------------------------------------------
    ("GET", "/healthz"): Row(PUBLIC),
    ("GET", "/login"): Row(PUBLIC, (200, 303)),
    ("POST", "/login"): Row(PUBLIC, (401,), {"username": "nobody", "password": "x"}),
    ("GET", "/login/totp"): Row(PUBLIC, (303,)),  # without a half-done login: back to /login
    ("POST", "/login/totp"): Row(PUBLIC, (303,), {"code": "000000"}),
    ("POST", "/logout"): Row(PUBLIC, (303,)),
    ("GET", "/account/totp"): Row(ANY),
    ("POST", "/account/totp"): Row(ANY, (400,), {"code": "000000"}),
    ("POST", "/account/totp/disable"): Row(ANY, (303, 400)),
    # -- reviewers (queue, posts, evidence) --------------------------------------------------------------
    ("GET", "/"): Row(VIEW),
    ("GET", "/posts/{post_id}"): Row(VIEW),
    ("POST", "/posts/{post_id}/decision"): Row(DECIDE, (303,), {"decision": "escalate"}),
    ("GET", "/evidence/{sha256}"): Row(VIEW, (200,)),
    # -- investigators (issue 11b) -------------------------------------------------------------------------
    ("GET", "/search"): Row(VIEW, query="q=tuyen"),
    ("GET", "/search/export.csv"): Row(INVESTIGATE, query="q=tuyen"),
    ("POST", "/search/saved"): Row(VIEW, (303,), {"name": "Tuyển", "q": "tuyen"}),
    ("POST", "/search/saved/{search_id}/delete"): Row(VIEW, (303, 404)),  # 404: another user's
    ("GET", "/entities/{kind}/{value:path}"): Row(VIEW),
    ("GET", "/network"): Row(VIEW, query=f"kind=phone&value={quote(PHONE, safe='')}"),
    ("GET", "/cases"): Row(INVESTIGATE),
    ("POST", "/cases"): Row(INVESTIGATE, (303,), {"title": "Vụ mới"}),
    ("POST", "/cases/add-posts"): Row(INVESTIGATE, (303,), {"case_id": "{case_id}", "post_id": "{post_id}"}),
    ("GET", "/cases/{case_id}"): Row(INVESTIGATE),
    ("POST", "/cases/{case_id}/status"): Row(INVESTIGATE, (303,), {"status": "closed"}),
    ("POST", "/cases/{case_id}/notes"): Row(INVESTIGATE, (303,), {"text": "Ghi chú"}),
    ("POST", "/cases/{case_id}/posts/{post_id}/remove"): Row(INVESTIGATE, (303,)),
    ("GET", "/cases/{case_id}/dossier.zip"): Row(INVESTIGATE),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    store, search = open_world(root, USERS)
    evidence = root / "evidence"
    ids = populate(store, search, evidence)
    case = store.create_case("Vụ có sẵn", "ivan")
    store.add_case_posts(case.id, [ids["campuchia"]], "ivan")
    saved = store.save_search("ivan", "Có sẵn", "tuyen")
    post = store.get_post(ids["campuchia"])
    args = {"post_id": ids["campuchia"], "case_id": case.id, "search_id": saved.id, "sha256": post.raw_sha256,
            "kind": "phone", "value:path": quote(PHONE, safe="")}
    app = build_app(store, search, Clock(), evidence_dir=evidence)
    return {"store": store, "app": app, "args": args}


def fill(template: str, args: dict) -> str:
    for name, value in args.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def test_every_route_of_the_app_is_in_a_table(world):
    found = {(method, route.path) for route in _routes(world["app"].routes)
             for method in getattr(route, "methods", None) or ()}
    assert found - set(TABLE) - set(ADMIN_ROUTES) == set(), "routes missing from the role table"
    assert set(TABLE) - found == set(), "the table names routes the app does not have"


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
@pytest.mark.parametrize(("method", "template"), sorted(TABLE))
def test_role_by_route(world, role, method, template):
    row, store, args = TABLE[(method, template)], world["store"], world["args"]
    client = TestClient(world["app"], base_url="http://127.0.0.1")
    if role != "anonymous":
        name = next(n for n, r in USERS.items() if r == role)
        assert log_in(client, name).status_code == 303
    token = csrf_of(client.get("/login" if role == "anonymous" else "/account/totp").text)
    path = fill(template, args) + (f"?{row.query}" if row.query else "")
    before = len(actions(store))
    if method == "GET":
        response = client.get(path, follow_redirects=False)
    else:
        form = {k: fill(v, args) for k, v in row.form.items()}
        response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    new = actions(store)[before:]

    if row.roles is PUBLIC:
        assert response.status_code in row.ok, response.text[:300]
    elif role == "anonymous":
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        assert new == ["access_refused"]
    elif role not in row.roles:
        assert response.status_code == 403
        assert new == ["access_refused"] and store.list_audit(limit=1)[0].detail["role"] == role
    else:
        assert response.status_code in row.ok, response.text[:300]
        assert "access_refused" not in new
