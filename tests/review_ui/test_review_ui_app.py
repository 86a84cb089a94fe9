"""The review web app end to end: real Store on a temp SQLite file, real FTS search, TestClient."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from index.document import PostIn, SignalIn
from index.search.base import SearchDoc
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store
from review_ui.app import create_app
from review_ui.i18n import CATALOGUE
from review_ui.passwords import hash_password, verify_password
from review_ui.settings import get_ui_settings

PASSWORD = "đúng-mật-khẩu-123"
XSS = "<script>alert(1)</script>"
LURE_TITLE = "Tuyển gấp việc nhẹ lương cao tại Campuchia"
LURE_TEXT = "Bao vé máy bay, không cần kinh nghiệm.\nLiên hệ Zalo 0912345678, đặt cọc 2 triệu."
LURE_BODY = "<html><body><p>Tuyển gấp việc nhẹ lương cao</p></body></html>".encode("utf-8")
LURE_SHA = hashlib.sha256(LURE_BODY).hexdigest()
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _post(title: str, text: str, *, is_lure: bool, phrase: str | None, url: str, sha: str,
          minor: bool = False) -> PostIn:
    combined = title + "\n" + text
    signals, entities = [], []
    if phrase:
        start = combined.index(phrase)
        signals.append({"id": "high_pay_easy_work", "label": "Việc nhẹ lương cao",
                        "category": "job_abroad", "start": start, "end": start + len(phrase),
                        "phrase": phrase, "weight": 2.0})
    if "0912345678" in combined:
        start = combined.index("0912345678")
        entities.append({"kind": "phone", "value": "+84912345678", "start": start,
                         "end": start + 10, "raw": "0912345678"})
    return PostIn(
        source="test-board", url=url, canonical_url=url, title=title, text=text,
        posted_at=None, fetched_at=datetime(2026, 11, 1, 3, 0, tzinfo=timezone.utc),
        raw_sha256=sha, score=0.93 if is_lure else 0.05, is_lure=is_lure, threshold=0.5,
        model_version="test-model-1", signals=signals, entities=entities,
        categories=["job_abroad"] if is_lure else [], minor_risk=minor,
        priority=3 if is_lure else 0,
    )


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per module


@pytest.fixture()
def world(tmp_path: Path, password_hash: str):
    db_url = f"sqlite:///{tmp_path / 'lurewatch.db'}"
    store = Store.open(get_index_settings(database_url=db_url))
    search = SqliteSearch(sa.create_engine(db_url))
    search.ensure_index()
    posts = [
        _post(LURE_TITLE, LURE_TEXT, is_lure=True, phrase="việc nhẹ lương cao",
              url="https://jobs.example.vn/tin/1", sha=LURE_SHA),
        _post("Tuyển nhân viên bán hàng tại Hà Nội", "Lương theo thoả thuận, làm giờ hành chính.",
              is_lure=False, phrase=None, url="https://jobs.example.vn/tin/2", sha="b" * 64),
        _post(XSS + " tuyển người mẫu", "Tuyển người mẫu ảnh, " + XSS + " nhận tiền ngay.",
              is_lure=True, phrase="nhận tiền ngay", url="https://jobs.example.vn/tin/3",
              sha="c" * 64, minor=True),
    ]
    result = store.upsert_posts(posts)
    ids = dict(zip(("lure", "legit", "xss"), result.post_ids))
    search.index_posts(store.search_docs(result.post_ids))
    store.mark_indexed(result.post_ids)
    store.add_user("alice", password_hash, "reviewer")
    store.add_user("olga", password_hash, "operator")

    evidence_dir = tmp_path / "evidence"
    folder = evidence_dir / LURE_SHA[0:2] / LURE_SHA[2:4]
    folder.mkdir(parents=True)
    (folder / f"{LURE_SHA}.gz").write_bytes(gzip.compress(LURE_BODY))
    (folder / f"{LURE_SHA}.json").write_text(json.dumps({
        "sha256": LURE_SHA, "url": "https://jobs.example.vn/tin/1",
        "fetched_at": "2026-11-01T03:00:00+00:00", "http_status": 200,
        "headers": {"Content-Type": "text/html; charset=windows-1258"},
    }))

    settings = get_ui_settings(secret_key="test-secret-key-not-for-production",
                               evidence_dir=evidence_dir)
    app = create_app(settings, store, search)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield {"client": client, "store": store, "ids": ids, "db_url": db_url, "search": search}


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str = "alice", password: str = PASSWORD,
          next_url: str = "/"):
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next_url,
              "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def actions(store: Store) -> list[str]:
    return [event.action for event in store.list_audit(limit=500)]


# -- passwords, auth ---------------------------------------------------------------------------

def test_password_hash_round_trip():
    hashed = hash_password("bí mật")
    assert hashed.startswith("$argon2")
    assert verify_password("bí mật", hashed)
    assert not verify_password("bi mat", hashed)
    assert not verify_password("bí mật", "not-a-hash")


def test_healthz_needs_no_login(world):
    response = world["client"].get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_redirect_to_login_with_next(world):
    client = world["client"]
    for path in ("/", f"/posts/{world['ids']['lure']}", "/search?q=luong", f"/evidence/{LURE_SHA}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2F"), path


def test_wrong_password_is_refused_with_401_and_no_session(world):
    client, store = world["client"], world["store"]
    response = login(client, password="sai-mat-khau")
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    unknown = login(client, username="mallory")
    assert unknown.status_code == 401
    failed = [e for e in store.list_audit(limit=50) if e.action == "login_failed"]
    assert {e.detail["reason"] for e in failed} == {"wrong_password", "unknown_user"}
    assert "login" not in actions(store)


def test_inactive_user_cannot_log_in(world):
    with sa.create_engine(world["db_url"]).begin() as conn:
        conn.execute(sa.text("UPDATE users SET active = 0 WHERE username = 'alice'"))
    response = login(world["client"])
    assert response.status_code == 401
    assert world["client"].get("/", follow_redirects=False).status_code == 303


def test_login_redirects_to_local_next_only(world):
    client = world["client"]
    response = login(client, next_url=f"/posts/{world['ids']['lure']}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/posts/{world['ids']['lure']}"
    assert "login" in actions(world["store"])
    client.cookies.clear()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = login(client, next_url=evil)
        assert response.status_code == 303
        assert response.headers["location"] == "/", evil
        client.cookies.clear()


def test_session_cookie_is_httponly_strict_and_plain_on_loopback(world):
    response = login(world["client"])
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lurewatch_session=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower()  # served over plain HTTP on 127.0.0.1
    assert "strict-transport-security" not in response.headers


def test_post_when_logged_out_goes_to_login_and_records_nothing(world):
    client, ids = world["client"], world["ids"]
    token = csrf_of(client.get("/login").text)
    response = client.post(f"/posts/{ids['lure']}/decision",
                           data={"decision": "lure", "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert world["store"].get_post(ids["lure"]).reviews == []


def test_login_without_csrf_is_403(world):
    client = world["client"]
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(world):
    client = world["client"]
    login(client)
    page = client.get("/")
    response = client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    assert "logout" in actions(world["store"])


# -- queue, post page, decisions --------------------------------------------------------------

def test_queue_lists_flagged_posts_only(world):
    client, ids = world["client"], world["ids"]
    login(client)
    page = client.get("/")
    assert page.status_code == 200
    assert f'href="/posts/{ids["lure"]}"' in page.text
    assert f'href="/posts/{ids["xss"]}"' in page.text
    assert f'href="/posts/{ids["legit"]}"' not in page.text
    assert "Tuyển nhân viên bán hàng" not in page.text
    assert "+84912345678" in page.text  # phones column
    assert "test-board" in page.text
    assert re.search(r"Số tin chờ: <strong>2</strong>", page.text)


def test_post_page_highlights_phrase_and_entities(world):
    client, ids = world["client"], world["ids"]
    login(client)
    page = client.get(f"/posts/{ids['lure']}")
    assert page.status_code == 200
    assert '<mark class="signal" title="Việc nhẹ lương cao">việc nhẹ lương cao</mark>' in page.text
    assert '<mark class="entity" title="Số điện thoại">0912345678</mark>' in page.text  # the kind, translated
    assert 'href="/entities/phone/%2B84912345678"' in page.text
    assert f'<iframe class="snapshot" sandbox src="/evidence/{LURE_SHA}"' in page.text
    assert 'rel="noopener noreferrer"' in page.text
    assert "test-model-1" in page.text
    assert "job_abroad" in page.text
    audit = [e for e in world["store"].list_audit(limit=50) if e.action == "view_post"]
    assert audit and audit[0].target == f"post:{ids['lure']}" and audit[0].username == "alice"


def test_signal_labels_follow_the_viewers_language(world):
    client, store = world["client"], world["store"]
    title = "Tuyển gấp đi Campuchia"
    signal = SignalIn("abroad_destination", "nơi đến rủi ro cao ở nước ngoài", "high-risk destination abroad",
                      "abroad-casino/scam-compound", 13, 22, "Campuchia", 0.7)
    post = replace(_post(title, "Bao vé máy bay.", is_lure=True, phrase=None, url="https://jobs.example.vn/tin/9",
                         sha="d" * 64), signals=(signal,))
    (pid,) = store.upsert_posts([post]).post_ids
    login(client)
    english = client.get(f"/posts/{pid}?lang=en").text
    assert '<mark class="signal" title="high-risk destination abroad">Campuchia</mark>' in english
    assert "<strong>high-risk destination abroad</strong>" in english
    vietnamese = client.get(f"/posts/{pid}?lang=vi").text
    assert '<mark class="signal" title="nơi đến rủi ro cao ở nước ngoài">Campuchia</mark>' in vietnamese


def test_unknown_post_is_404(world):
    login(world["client"])
    assert world["client"].get("/posts/999999").status_code == 404


def test_decision_is_recorded_and_shown_with_the_username(world):
    client, ids, store = world["client"], world["ids"], world["store"]
    login(client)
    page = client.get(f"/posts/{ids['lure']}")
    response = client.post(
        f"/posts/{ids['lure']}/decision",
        data={"decision": "lure", "reason": "job_abroad_high_pay", "note": "Lừa sang Campuchia",
              "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/posts/{ids['lure']}"
    page = client.get(f"/posts/{ids['lure']}")
    assert '<span class="reviewer">alice</span>' in page.text
    assert "Lừa sang Campuchia" in page.text
    assert "Đã xác nhận lừa đảo" in page.text  # status confirmed
    assert store.get_post(ids["lure"]).status == "confirmed"
    assert f'href="/posts/{ids["lure"]}"' not in client.get("/").text  # left the queue
    assert "review.decision" in actions(store)
    # The decision reached the search index at once: status: filters see it, nothing pending.
    assert [h.post_id for h in world["search"].search("status:confirmed").hits] == [ids["lure"]]
    assert store.pending_count() == 0


def test_post_without_csrf_is_403_and_records_nothing(world):
    client, ids, store = world["client"], world["ids"], world["store"]
    login(client)
    for token in (None, "forged-token"):
        data = {"decision": "not_lure", "note": "x"}
        if token:
            data["csrf_token"] = token
        response = client.post(f"/posts/{ids['lure']}/decision", data=data, follow_redirects=False)
        assert response.status_code == 403
    assert store.get_post(ids["lure"]).reviews == []


def test_unknown_decision_is_400(world):
    client, ids = world["client"], world["ids"]
    login(client)
    token = csrf_of(client.get(f"/posts/{ids['lure']}").text)
    response = client.post(f"/posts/{ids['lure']}/decision",
                           data={"decision": "delete", "csrf_token": token})
    assert response.status_code == 400
    assert world["store"].get_post(ids["lure"]).status == "new"


def test_operator_cannot_review(world):
    client, ids = world["client"], world["ids"]
    login(client, username="olga")
    assert client.get(f"/posts/{ids['lure']}").status_code == 403
    token = csrf_of(client.get("/search").text)
    response = client.post(f"/posts/{ids['lure']}/decision",
                           data={"decision": "lure", "csrf_token": token})
    assert response.status_code == 403
    assert world["store"].get_post(ids["lure"]).reviews == []


# -- search --------------------------------------------------------------------------------------

def test_search_without_accents_finds_the_accented_post(world):
    client, ids, store = world["client"], world["ids"], world["store"]
    login(client)
    page = client.get("/search", params={"q": "luong cao"})
    assert page.status_code == 200
    assert f'href="/posts/{ids["lure"]}"' in page.text
    assert "<mark>lương</mark> <mark>cao</mark>" in page.text  # original accents, highlighted
    events = [e for e in store.list_audit(limit=50) if e.action == "search"]
    assert events and events[0].detail["query"] == "luong cao"


def test_malformed_search_query_renders(world):
    login(world["client"])
    page = world["client"].get("/search", params={"q": '"unbalanced AND ('})
    assert page.status_code == 400  # the user's mistake, explained on the page; not a 500
    assert "unbalanced quote at position 1" in page.text
    assert 'value="&#34;unbalanced AND ("' in page.text  # the query stays in the box to fix it


def test_search_facets_link_to_the_query_with_the_filter_added(world):
    client, ids = world["client"], world["ids"]
    login(client)
    page = client.get("/search", params={"q": "tuyen"})
    assert page.status_code == 200
    source = world["store"].get_post(ids["lure"]).source
    assert f'href="/search?q=tuyen+source%3A{source}"' in page.text
    narrowed = client.get("/search", params={"q": f"tuyen source:{source}"})
    assert narrowed.status_code == 200 and f'href="/posts/{ids["lure"]}"' in narrowed.text


# -- hostile content ------------------------------------------------------------------------------

def test_scraped_script_is_escaped_on_every_page(world):
    client, ids = world["client"], world["ids"]
    login(client)
    pages = [
        client.get("/"),
        client.get(f"/posts/{ids['xss']}"),
        client.get("/search", params={"q": "nguoi mau"}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert XSS not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "SAMEORIGIN"
        assert page.headers["referrer-policy"] == "no-referrer"
    # The minor-risk post carries its badge on the post page.
    assert "Nguy cơ nhắm tới người dưới 18 tuổi (ưu tiên)" in pages[1].text


# -- evidence ------------------------------------------------------------------------------------

def test_evidence_is_served_decompressed_in_a_sandbox(world):
    client = world["client"]
    login(client)
    response = client.get(f"/evidence/{LURE_SHA}")
    assert response.status_code == 200
    assert response.content == LURE_BODY
    assert response.headers["content-type"] == "text/html; charset=windows-1258"
    csp = response.headers["content-security-policy"]
    assert csp.startswith("sandbox; default-src 'none'")
    assert "script-src" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    events = [e for e in world["store"].list_audit(limit=50) if e.action == "view_evidence"]
    assert events and events[0].target == f"evidence:{LURE_SHA}"


@pytest.mark.parametrize("bad", ["abc", "g" * 64, "A" * 64, "a" * 63, "a" * 65, "..%2F..%2Fetc%2Fpasswd"])
def test_bad_or_missing_sha_is_404(world, bad):
    login(world["client"])
    assert world["client"].get(f"/evidence/{bad}").status_code == 404


def test_missing_evidence_file_is_404(world):
    login(world["client"])
    assert world["client"].get(f"/evidence/{'d' * 64}").status_code == 404


# -- language ------------------------------------------------------------------------------------

def test_vietnamese_by_default_english_on_request_and_remembered(world):
    client = world["client"]
    login(client)
    assert "Hàng chờ" in client.get("/").text
    page = client.get("/", params={"lang": "en"})
    assert "Flagged posts awaiting review" in page.text
    assert '<html lang="en">' in page.text
    assert "Flagged posts awaiting review" in client.get("/").text  # cookie remembers it
    assert "Tin bị gắn cờ chờ xét duyệt" in client.get("/", params={"lang": "vi"}).text


def test_catalogues_have_the_same_keys():
    assert set(CATALOGUE["vi"]) == set(CATALOGUE["en"])
    assert all(CATALOGUE["vi"].values()) and all(CATALOGUE["en"].values())


def test_static_css_is_served(world):
    response = world["client"].get("/static/app.css")
    assert response.status_code == 200
    assert "mark" in response.text


def test_language_switch_link_keeps_the_query(world):
    client = world["client"]
    login(client)
    page = client.get("/search", params={"q": "dat coc"})
    assert 'href="/search?q=dat+coc&amp;lang=en"' in page.text


def test_only_http_urls_become_links():
    from review_ui.security import is_http_url, safe_next

    assert is_http_url("https://jobs.example.vn/tin/1")
    assert is_http_url("http://example.vn")
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil", "", None):
        assert not is_http_url(bad), bad
    assert safe_next("/posts/1?lang=en") == "/posts/1?lang=en"
    for bad in ("https://evil", "//evil", "/\\evil", "evil", "/x\r\nSet-Cookie: a=b", None):
        assert safe_next(bad) == "/", bad


def test_queue_shows_posts_waiting_for_the_index(world):
    client, ids, store = world["client"], world["ids"], world["store"]
    login(client)
    assert "index-pending" not in client.get("/").text  # everything indexed
    store.mark_pending([ids["lure"], ids["xss"]])
    page = client.get("/")
    assert "index-pending" in page.text
    assert re.search(r"chưa vào chỉ mục tìm kiếm.*?<strong>2</strong>", page.text)


def test_search_engine_down_is_a_page_not_a_500(world, tmp_path):
    """The cluster backend pointed at a closed port: search says so, the queue and decisions work."""
    import socket

    from index.search.opensearch import OpenSearchSearch

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store, ids = world["store"], world["ids"]
    down = OpenSearchSearch(hosts=[f"http://127.0.0.1:{port}"], timeout=1, max_retries=0)
    settings = get_ui_settings(secret_key="test-secret-key-not-for-production", evidence_dir=tmp_path)
    with TestClient(create_app(settings, store, down), base_url="http://127.0.0.1") as client:
        login(client)
        page = client.get("/search", params={"q": "luong cao"})
        assert page.status_code == 503
        # Said as an outage, never as the user's mistake.
        assert "Máy tìm kiếm đang ngừng hoạt động" in page.text and "Truy vấn chưa đúng" not in page.text
        assert client.get("/").status_code == 200
        post_page = client.get(f"/posts/{ids['lure']}")
        decided = client.post(
            f"/posts/{ids['lure']}/decision",
            data={"decision": "escalate", "reason": "trafficking_suspected", "note": "",
                  "csrf_token": csrf_of(post_page.text)},
            follow_redirects=False,
        )
    assert decided.status_code == 303
    assert store.get_post(ids["lure"]).status == "referral_pending"  # until a second reviewer confirms
    assert ids["lure"] in store.pending_post_ids()  # indexed when the engine is back


def test_minor_risk_reasons_are_marked_and_listed_in_the_viewers_language(world):
    client, store = world["client"], world["store"]
    title, text = "Tuyển mẫu nhí", "Nhận bé 12-15 tuổi."
    start = (title + "\n" + text).index("12-15 tuổi")
    cue = SignalIn("age_range", "Độ tuổi: «12-15 tuổi»", "Age range: «12-15 tuổi»", "minor", start, start + 10,
                   "12-15 tuổi", 0.0)
    post = replace(_post(title, text, is_lure=False, phrase=None, url="https://jobs.example.vn/tin/12", sha="e" * 64),
                   minor_risk=True, priority=3, minor_cues=(cue,))
    (pid,) = store.upsert_posts([post]).post_ids
    login(client)
    assert f'href="/posts/{pid}"' in client.get("/").text  # queued although it is not flagged
    english = client.get(f"/posts/{pid}?lang=en").text
    assert '<mark class="minor" title="Age range: «12-15 tuổi»">12-15 tuổi</mark>' in english
    assert "<li>Age range: «12-15 tuổi»</li>" in english
    assert "<li>Độ tuổi: «12-15 tuổi»</li>" in client.get(f"/posts/{pid}?lang=vi").text
