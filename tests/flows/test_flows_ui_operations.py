"""The review UI's operations page as `lurewatch up` builds it (flows.app_factory: the CLI's own
source actions), over a real store: with no Prefect server the store changes and the page says
so in the CLI's words; inside the Prefect test harness the deployment follows and a run is
queued. Every action is audited with its line; a refusal is a notice, never a 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from markupsafe import escape

from index.models import Source

from review_ui.passwords import Argon2Params, Passwords

from flows.app_factory import build_ui_app, ui_settings
from flows.deployments import prefect_client, read_source_deployment
from flows.settings import get_flow_settings
from flows.source_actions import NOT_RUNNING, source_saved
from flows.wiring import build_parts

PASSWORD = "Gió-Lào-thổi-qua-Phan-Thiết-2026"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def parts(tmp_path):
    parts = build_parts(get_flow_settings(var_dir=tmp_path / "var"))
    hashed = Passwords(Argon2Params.from_settings(ui_settings(parts))).hash(PASSWORD)
    for name, role in {"olga": "operator", "rita": "reviewer"}.items():
        parts.store.add_user(name, hashed, role)
    return parts


def signed_in(parts, username: str) -> TestClient:
    client = TestClient(build_ui_app(parts), base_url="http://127.0.0.1")
    token = CSRF.search(client.get("/login").text).group(1)
    done = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/operations",
                                       "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303, done.text[:300]
    return client


def token(client: TestClient, path: str = "/operations") -> str:
    return CSRF.search(client.get(path).text).group(1)


def audited(store, action: str):
    return next(e for e in store.list_audit(limit=50) if e.action == action)


@pytest.fixture
def no_prefect(unused_port):
    """Whatever Prefect server this test session started, this test talks to none."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{unused_port}/api"}):
        yield


def finished_run(store, source: str, status: str, new: int, errors: list[str], stats: dict) -> int:
    run = store.start_run(source)
    store.finish_run(run, status=status, pages_fetched=3, posts_new=new, posts_changed=1, posts_unchanged=0,
                     flagged=1, errors=errors, stats=stats)
    return run


def test_without_a_prefect_server_a_pause_changes_the_store_and_the_page_says_so(parts, no_prefect):
    store = parts.store
    store.upsert_source("board", "classifieds", "https://board.example.vn/", schedule_cron="0 6 * * *")
    store.upsert_source("feed", "rss", "https://feed.example.vn/rss", schedule_cron="*/30 * * * *")
    finished_run(store, "board", "completed", 4, [], {"item_scraped_count": 4})
    failed = finished_run(store, "feed", "failed", 0, ["HTTP 503 from feed.example.vn"],
                          {"downloader/response_status_count/503": 3, "<b>x</b>": "<script>alert(1)</script>"})
    store.claim_alert(key="score:post:1", rule="score", channel="webhook", recipient="https://hook.example.vn/",
                      subject="Tuyển gấp đi Campuchia", payload={})
    store.finish_alert(key="score:post:1", channel="webhook", recipient="https://hook.example.vn/",
                       status="sent", attempts=1)
    client = signed_in(parts, "olga")

    page = client.get("/operations")
    assert page.status_code == 200
    html = page.text
    assert "Vận hành thu thập" in html and 'href="/operations"' in html and 'href="/search"' not in html
    assert 'data-source="board"' in html and 'data-source="feed"' in html
    assert f"run {failed} failed: HTTP 503 from feed.example.vn" in html  # broken, with its reason
    assert "Tuyển gấp đi Campuchia" in html and "webhook: https://hook.example.vn/" in html and "Đã gửi" in html
    assert audited(store, "view_operations").username == "olga"

    paused = client.post("/operations/sources/board/pause", data={"csrf_token": token(client)})
    assert paused.status_code == 200
    line = f"source 'board' paused; {NOT_RUNNING}"
    assert store.get_source("board").paused is True
    assert str(escape(line)) in paused.text and "ops-result" in paused.text
    event = audited(store, "source.pause")
    assert (event.username, event.target, event.detail) == ("olga", "source:board", {"result": line})

    resumed = client.post("/operations/sources/board/resume", data={"csrf_token": token(client), "back": "source"})
    assert resumed.status_code == 200 and store.get_source("board").paused is False
    assert "source &#39;board&#39; resumed; the Prefect server is not running" in resumed.text
    assert 'data-run="' in resumed.text  # answered on the source's own page

    run = client.post("/operations/sources/board/run", data={"csrf_token": token(client)})
    assert run.status_code == 400 and "ops-refused" in run.text
    assert "does not answer: start `lurewatch up`, or crawl here with `lurewatch crawl board`" in run.text
    assert "does not answer" in audited(store, "source.run").detail["refused"]

    assert client.post("/operations/sources/nope/pause", data={"csrf_token": token(client)}).status_code == 404
    assert client.post("/operations/sources/board/pause", data={"csrf_token": "forged"}).status_code == 403
    assert store.get_source("board").paused is False  # the forged form changed nothing


def test_a_sources_page_lists_its_runs_with_errors_and_stats_escaped(parts, no_prefect):
    store = parts.store
    store.upsert_source("feed", "rss", "https://feed.example.vn/rss", schedule_cron="*/30 * * * *")
    first = finished_run(store, "feed", "completed", 5, [], {"item_scraped_count": 5})
    failed = finished_run(store, "feed", "failed", 0, ["HTTP 503 <img src=x onerror=alert(1)>"],
                          {"<b>key</b>": "<script>alert(1)</script>"})
    client = signed_in(parts, "olga")
    page = client.get("/operations/sources/feed")
    assert page.status_code == 200
    assert f'data-run="{failed}"' in page.text and f'data-run="{first}"' in page.text
    assert page.text.index(f'data-run="{failed}"') < page.text.index(f'data-run="{first}"')  # newest first
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text and "item_scraped_count" in page.text
    assert audited(store, "view_source_runs").target == "source:feed"
    assert client.get("/operations/sources/nope").status_code == 404


def test_the_page_shows_a_source_late_when_its_schedule_passed_without_a_run(parts, no_prefect):
    store = parts.store
    store.upsert_source("old-board", "classifieds", "https://old.example.vn/", schedule_cron="*/5 * * * *")
    with store.engine.begin() as conn:  # added three hours ago, never run since
        conn.execute(sa.update(Source).where(Source.name == "old-board")
                     .values(created_at=datetime.now(timezone.utc) - timedelta(hours=3, minutes=5)))
    html = signed_in(parts, "olga").get("/operations?lang=en").text
    assert "LATE:" in html and "added 3 h ago; schedule */5 * * * *" in html
    assert "Never run" in html


def test_a_reviewer_is_refused_the_operations_page_and_its_actions(parts, no_prefect):
    parts.store.upsert_source("board", "classifieds", "https://board.example.vn/", schedule_cron="0 6 * * *")
    client = signed_in(parts, "rita")
    assert client.get("/operations").status_code == 403
    csrf = token(client, "/")
    assert client.post("/operations/sources/board/pause", data={"csrf_token": csrf}).status_code == 403
    assert parts.store.get_source("board").paused is False
    assert 'href="/operations"' not in client.get("/").text


def test_with_a_prefect_server_the_deployment_follows_and_run_now_queues_a_flow_run(prefect_harness, parts):
    store = parts.store
    row = store.upsert_source("ui-board", "classifieds", "https://ui.example.vn/", schedule_cron="0 7 * * *")
    source_saved(parts, row)
    client = signed_in(parts, "olga")
    paused = client.post("/operations/sources/ui-board/pause", data={"csrf_token": token(client)})
    assert "source &#39;ui-board&#39; paused; its deployment follows at once" in paused.text
    run = client.post("/operations/sources/ui-board/run", data={"csrf_token": token(client)})
    assert run.status_code == 200 and "queued for a worker (flow run " in run.text
    with prefect_client(parts.settings) as prefect:
        deployment = read_source_deployment(prefect, "ui-board")
        assert deployment.paused is True
        runs = [r for r in prefect.read_flow_runs() if r.deployment_id == deployment.id]
    assert len(runs) == 1 and str(runs[0].id) in audited(store, "source.run").detail["result"]
