"""The managers' and admins' pages through the app (TestClient, real SQLite store): the dashboard's
numbers, charts and definitions, the audit page's filters, pages and CSV export (each audited),
and creating an account from the admin page. Roles are checked in the role × route tables."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from investigation_world import SPECS, post_in
from test_review_ui_accounts import _routes
from review_ui_world import USERS, Clock, actions, build_app, csrf_of, log_in, open_world

from review_ui.csv_export import BOM

HOSTILE_SOURCE = '<img src=x onerror="alert(1)">nguồn'
NEW_PASSWORD = "Mưa-rào-trên-sông-Cà-Ty-2026"


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, USERS)
    posts = {spec.key: post_in(spec) for spec in SPECS}  # four lures and one legitimate ad
    posts["xkld"] = replace(posts["xkld"], categories=["fake-export-labour"])
    legit = posts["legit"]
    posts["odd"] = replace(legit, url=legit.url + "-2", canonical_url=legit.canonical_url + "-2", source=HOSTILE_SOURCE,
                           raw_sha256="e" * 64)
    result = store.upsert_posts(list(posts.values()))
    ids = dict(zip(posts, result.post_ids))
    store.decide([ids["campuchia"]], "alice", "lure", "task_scam", "Lừa <b>đi</b> Campuchia", now=Clock()())
    app = build_app(store, search, Clock())
    return {"store": store, "app": app, "ids": ids}


def client_for(world, username: str) -> TestClient:
    client = TestClient(world["app"], base_url="http://127.0.0.1")
    assert log_in(client, username).status_code == 303
    return client


def term(html: str, name: str) -> str:
    match = re.search(rf'data-term="{name}">(.*?)</dd>', html, re.S)
    assert match, name
    return match.group(1).strip()


# -- the dashboard ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", sorted(USERS))
def test_every_role_sees_the_dashboard(world, username):
    page = client_for(world, username).get("/dashboard")
    assert page.status_code == 200 and "Tổng quan tiếp nhận và xử lý tin" in page.text
    assert 'href="/dashboard"' in page.text  # the nav link


def test_dashboard_numbers_charts_and_definitions(world):
    store = world["store"]
    page = client_for(world, "ana").get("/dashboard")
    html = page.text
    # Six posts received and classified, four to review (the lures), one of them resolved.
    assert [term(html, t) for t in ("received", "classified", "to_review", "triaged", "resolved", "pending")] == [
        "6", "6", "4", "1", "1", "3"]
    assert re.search(r'data-goal="classify">.*?<strong>100\.0%</strong>.*?\(đạt\)', html, re.S)
    assert re.search(r'data-goal="resolve">.*?<strong>25\.0%</strong>.*?\(chưa đạt\)', html, re.S)
    assert term(html, "minor").endswith(">0</a>")
    assert "ngày" in term(html, "oldest")  # the oldest waiting post came in on 4 October
    # Server-drawn SVG, the hostile source name escaped in it; the category of the export-labour ad.
    assert html.count("<svg") == 3 and "<script" not in html.split("<main>")[1]
    assert '<img src=x onerror' not in html and "&lt;img src=x onerror=" in html
    assert re.search(r'data-label="fake-export-labour" data-received="1" data-resolved="0"', html)
    assert 'data-label="facebook-groups" data-received="1" data-resolved="1"' in html
    # The definitions, in the viewer's language.
    assert "tin cần xử lý đã có quyết định cuối cùng" in html
    assert actions(store)[-1] == "view_dashboard"
    english = client_for(world, "olga").get("/dashboard?lang=en&weeks=8")
    assert "Share resolved" in english.text and "The last 8 weeks" in english.text
    assert "posts to review with a final decision" in english.text
    assert english.text.count('<tr data-week="') == 8
    assert store.list_audit(limit=1)[0].detail == {"weeks": 8}
    assert client_for(world, "olga").get("/dashboard?weeks=99").status_code == 422


# -- the audit page -----------------------------------------------------------------------------------

def test_audit_page_filters_and_pages(world):
    store = world["store"]
    for n in range(120):
        store.audit("ivan", "view_post", f"post:{1000 + n}")
    admin = client_for(world, "ana")
    first = admin.get("/audit?user=ivan&action=view_post")
    assert first.status_code == 200
    shown = [int(x) for x in re.findall(r'<tr data-event="(\d+)"', first.text)]
    assert len(shown) == 100 and shown == sorted(shown, reverse=True)
    older = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1).replace("&amp;", "&")
    second = admin.get(older)
    rest = [int(x) for x in re.findall(r'<tr data-event="(\d+)"', second.text)]
    assert len(rest) == 20 and max(rest) < min(shown) and 'rel="next"' not in second.text
    decision = admin.get("/audit?user=alice&action=review.decision")
    assert re.findall(r'data-action="([^"]+)"', decision.text) == ["review.decision"]
    assert f"post:{world['ids']['campuchia']}" in decision.text
    assert "&#34;reason&#34;: &#34;task_scam&#34;" in decision.text  # the detail, escaped, Vietnamese kept
    assert "Lừa &lt;b&gt;đi&lt;/b&gt; Campuchia" in decision.text
    assert len(re.findall(r"<tr data-event=", admin.get("/audit?target=post:100").text)) == 10  # post:1000..1009
    # The store stamps events with the real clock; the page reads dates as days in Vietnam (UTC+7),
    # whose day starts at 17:00 UTC: "today" is taken there, not in the machine's zone.
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    assert "<tr data-event=" in admin.get(f"/audit?from={today}&to={today}").text
    assert "<tr data-event=" not in admin.get("/audit?to=2020-01-01").text
    assert admin.get("/audit?from=hôm-qua").status_code == 400
    viewed = store.list_audit(limit=1)[0]
    assert (viewed.action, viewed.detail["filter"]) == ("view_audit", {"to": "2020-01-01"})


def test_audit_export_is_utf8_with_bom_and_is_itself_audited(world):
    store = world["store"]
    store.audit("ivan", "search", "=HYPERLINK(\"http://x\")", {"query": "việc nhẹ lương cao"})
    admin = client_for(world, "ana")
    response = admin.get("/audit/export.csv?user=ivan")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["id", "at", "username", "action", "target", "detail"]
    assert [(r[2], r[3]) for r in rows[1:]] == [("ivan", "search")]
    assert rows[1][4].startswith("'=")  # a formula is text in a spreadsheet
    assert "việc nhẹ lương cao" in rows[1][5]
    event = store.list_audit(limit=1)[0]
    assert (event.username, event.action, event.detail["rows"], event.detail["filter"]) == (
        "ana", "export.audit_csv", 1, {"user": "ivan"})


def test_no_route_changes_the_audit_log(world):
    audit_routes = [(m, r.path) for r in _routes(world["app"].routes) if r.path.startswith("/audit")
                    for m in r.methods]
    assert {p for _, p in audit_routes} == {"/audit", "/audit/export.csv"}
    assert {m for m, _ in audit_routes} <= {"GET", "HEAD"}  # nothing edits or deletes an event


# -- creating an account ------------------------------------------------------------------------------

def test_an_admin_creates_an_account_and_sees_the_result(world):
    store = world["store"]
    admin = client_for(world, "ana")
    token = csrf_of(admin.get("/admin/users").text)
    created = admin.post("/admin/users", data={"username": "nam.nguyen", "role": "investigator",
                                               "password": NEW_PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/admin/users?done=add&user=nam.nguyen"
    page = admin.get(created.headers["location"])
    assert "Đã tạo tài khoản nam.nguyen." in page.text and 'data-user="nam.nguyen"' in page.text
    assert store.get_user("nam.nguyen").role == "investigator"
    event = next(e for e in store.list_audit(limit=10) if e.action == "user.add")
    assert (event.username, event.target, event.detail["via"]) == ("ana", "user:nam.nguyen", "ui")
    newcomer = TestClient(world["app"], base_url="http://127.0.0.1")
    assert log_in(newcomer, "nam.nguyen", NEW_PASSWORD).status_code == 303
    assert newcomer.get("/cases").status_code == 200

    for form, message in (
        ({"username": "tuan", "role": "reviewer", "password": "ngắn"}, "Mật khẩu phải có ít nhất"),
        ({"username": "nam.nguyen", "role": "reviewer", "password": NEW_PASSWORD}, "Tên đăng nhập đã tồn tại."),
        ({"username": "Đức", "role": "reviewer", "password": NEW_PASSWORD}, "Tên đăng nhập dài 3–64 ký tự"),
        ({"username": "tuan", "role": "boss", "password": NEW_PASSWORD}, "Vai trò không hợp lệ."),
    ):
        refused = admin.post("/admin/users", data={**form, "csrf_token": token})
        assert refused.status_code == 400 and message in refused.text, form
        assert f'name="username" value="{form["username"]}"' in refused.text  # kept for the next try
        assert NEW_PASSWORD not in refused.text
    assert store.get_user("tuan") is None
    roles = admin.get("/admin/users?lang=en").text
    assert all(f'data-role="{r}"' in roles for r in ("admin", "reviewer", "investigator", "operator"))
    assert "The operations page" in roles


def test_dashboard_figures_are_reused_for_a_minute(world, monkeypatch):
    from review_ui.routes import dashboard

    client = client_for(world, "ana")
    assert term(client.get("/dashboard").text, "resolved") == "1"
    world["store"].decide([world["ids"]["task"]], "alice", "not_lure", "news_or_warning", "", now=Clock()())
    again = client.get("/dashboard").text
    assert term(again, "resolved") == "1" and "cập nhật mỗi phút" in again  # the same figures, said so
    monkeypatch.setattr(dashboard, "DASHBOARD_TTL_S", -1.0)  # a minute later
    assert term(client.get("/dashboard").text, "resolved") == "2"
    assert actions(world["store"]).count("view_dashboard") == 3  # every view audited, cached or not
