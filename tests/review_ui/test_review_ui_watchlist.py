"""The watchlist page and the entity page's "watch this" over a real Store (TestClient): entries
typed as people write them are stored as the extractor's values (the CLI's function), each
change audited with who made it; refusals are shown, not raised."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from investigation_world import BANK, PHONE, populate
from review_ui_world import USERS, Clock, build_app, csrf_of, log_in, open_world


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, USERS)
    populate(store, search, tmp_path / "evidence")

    def client(username: str) -> TestClient:
        c = TestClient(build_app(store, search, Clock(), evidence_dir=tmp_path / "evidence"), base_url="http://127.0.0.1")
        assert log_in(c, username).status_code == 303
        return c

    return {"store": store, "client": client}


def token(client: TestClient, path: str = "/watchlist") -> str:
    return csrf_of(client.get(path).text)


def audit_of(store, action: str):
    return [(e.username, e.target) for e in reversed(store.list_audit(limit=100)) if e.action == action]


def test_entries_typed_as_written_are_listed_as_stored_and_audited(world):
    store, ivan = world["store"], world["client"]("ivan")
    page = ivan.get("/watchlist")
    assert page.status_code == 200 and "Danh sách theo dõi" in page.text and "Chưa theo dõi thông tin nào." in page.text
    added = ivan.post("/watchlist", data={"csrf_token": token(ivan), "kind": "bank", "value": "Vietcombank 0123 456 789",
                                          "note": "đường dây XKLĐ"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/watchlist?done=added"
    ivan.post("/watchlist", data={"csrf_token": token(ivan), "kind": "ewallet", "value": "MoMo 0987 654 321"})
    assert [(w.kind, w.value, w.added_by) for w in store.list_watch()] == [
        ("bank", BANK, "ivan"), ("ewallet", "MOMO:+84987654321", "ivan")]
    listed = ivan.get("/watchlist?done=added").text
    assert "Đã thêm vào danh sách theo dõi." in listed and "đường dây XKLĐ" in listed
    assert f'href="/entities/bank/{quote(BANK, safe="")}"' in listed  # each entry leads to its entity page
    assert audit_of(store, "watchlist.add") == [("ivan", f"watch:bank:{BANK}"), ("ivan", "watch:ewallet:MOMO:+84987654321")]
    assert audit_of(store, "view_watchlist")[0] == ("ivan", "watchlist")

    removed = ivan.post("/watchlist/remove", data={"csrf_token": token(ivan), "kind": "bank", "value": BANK},
                        follow_redirects=False)
    assert removed.status_code == 303 and [w.kind for w in store.list_watch()] == ["ewallet"]
    assert audit_of(store, "watchlist.remove") == [("ivan", f"watch:bank:{BANK}")]


@pytest.mark.parametrize(("form", "status", "message"), [
    ({"kind": "fax", "value": "123"}, 400, "Loại thông tin không hợp lệ."),
    ({"kind": "bank", "value": "chuyển khoản"}, 400, "TÊN:SỐ"),
    ({"kind": "telegram", "value": "@"}, 400, "Giá trị trống."),
    ({"kind": "phone", "value": "0912 345 678"}, 409, "đã có trong danh sách"),  # listed below as +84912345678
])
def test_refused_entries_are_shown_with_their_reason_and_keep_the_form(world, form, status, message):
    store, ivan = world["store"], world["client"]("ivan")
    store.add_watch("phone", PHONE)
    answer = ivan.post("/watchlist", data={"csrf_token": token(ivan), **form})
    assert answer.status_code == status and message in answer.text
    assert f'value="{form["value"]}"' in answer.text
    assert len(store.list_watch()) == 1


def test_removing_what_is_not_listed_is_404_and_forged_forms_change_nothing(world):
    store, ivan = world["store"], world["client"]("ivan")
    answer = ivan.post("/watchlist/remove", data={"csrf_token": token(ivan), "kind": "phone", "value": "0999 999 999"})
    assert answer.status_code == 404 and "không có trong danh sách" in answer.text
    assert ivan.post("/watchlist", data={"csrf_token": "forged", "kind": "phone", "value": PHONE}).status_code == 403
    store.add_watch("phone", PHONE)
    assert ivan.post("/watchlist/remove", data={"kind": "phone", "value": PHONE}).status_code == 403
    assert [w.value for w in store.list_watch()] == [PHONE]


def test_watch_this_on_an_entity_page_marks_it_watched_and_comes_back(world):
    store, ivan = world["store"], world["client"]("ivan")
    path = f"/entities/phone/{quote(PHONE, safe='')}"
    page = ivan.get(path).text
    assert "Theo dõi thông tin này" in page and "tag watched" not in page
    done = ivan.post("/watchlist", data={"csrf_token": csrf_of(page), "kind": "phone", "value": PHONE, "next": path},
                     follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == path
    page = ivan.get(path + "?lang=en").text
    assert 'class="tag watched"' in page and ">Watched<" in page and "Stop watching" in page
    assert store.get_watch("phone", PHONE).added_by == "ivan"
    ivan.post("/watchlist/remove", data={"csrf_token": csrf_of(page), "kind": "phone", "value": PHONE, "next": path})
    assert store.get_watch("phone", PHONE) is None


def test_reviewers_see_the_mark_but_neither_the_button_nor_the_page(world):
    store, alice = world["store"], world["client"]("alice")
    store.add_watch("phone", PHONE, added_by="ivan")
    page = alice.get(f"/entities/phone/{quote(PHONE, safe='')}").text
    assert 'class="tag watched"' in page and "Bỏ theo dõi" not in page and 'href="/watchlist"' not in page
    assert alice.get("/watchlist").status_code == 403
    assert 'href="/watchlist"' in world["client"]("ivan").get("/").text
