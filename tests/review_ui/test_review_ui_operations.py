"""The operations page of an app built without flows (create_app's default SourceOperations):
sources and their last runs read from the store, every action refused as a notice and audited.
The page on the CLI's own actions is tested in tests/flows/test_flows_ui_operations.py."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from review_ui_world import USERS, Clock, actions, build_app, csrf_of, log_in, open_world

from review_ui.operations import NOT_AVAILABLE


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, USERS)
    store.upsert_source("board", "classifieds", "https://board.example.vn/", schedule_cron="0 6 * * *")
    run = store.start_run("board")
    store.finish_run(run, status="completed", pages_fetched=2, posts_new=7, posts_changed=1, posts_unchanged=0,
                     flagged=3, errors=[], stats={})
    client = TestClient(build_app(store, search, Clock()), base_url="http://127.0.0.1")
    landed = log_in(client, "olga")  # asked for "/" (the queue, not theirs): the operations page
    assert landed.status_code == 303 and landed.headers["location"] == "/operations"
    return {"store": store, "client": client}


def test_an_operator_lands_on_the_operations_page_and_sees_sources_from_the_store(world):
    olga = world["client"]
    page = olga.get("/operations")
    assert page.status_code == 200
    assert 'data-source="board"' in page.text and "+7 mới" in page.text and "3 bị gắn cờ" in page.text
    assert "Tiến trình này chỉ đọc được kho dữ liệu" in page.text  # no health computed here
    assert 'class="brand" href="/operations"' in page.text and 'href="/search"' not in page.text


def test_actions_are_refused_as_a_notice_and_audited(world):
    store, olga = world["store"], world["client"]
    answer = olga.post("/operations/sources/board/pause", data={"csrf_token": csrf_of(olga.get("/operations").text)})
    assert answer.status_code == 400 and "Không thực hiện được:" in answer.text and "not available in this process" in answer.text
    assert store.get_source("board").paused is False
    assert actions(store)[-1] == "source.pause"
    assert store.list_audit(limit=1)[0].detail == {"refused": NOT_AVAILABLE}
