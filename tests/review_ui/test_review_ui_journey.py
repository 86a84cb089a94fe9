"""The reviewers' journey in a real headless Chromium against a real uvicorn on 127.0.0.1:
login → queue → keyboard decision → referral by keyboard → a second reviewer confirms it; and
a crawled post whose title and text carry <script> and onerror= runs nothing on any of it.

A screenshot of each page is kept under $LUREWATCH_SCREENSHOTS (else the test's tmp_path), named
journey_NN_<page>.png. Skips where /usr/bin/chromium or playwright is absent.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (CI: apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
expect = sync_api.expect

from review_ui_world import PASSWORD, build_app, open_world, serving  # noqa: E402

from index.document import PostIn  # noqa: E402

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
HOSTILE_TITLE = 'Tuyển gấp <script>window.__pwned = 1; alert("t")</script> người mẫu'
HOSTILE_TEXT = 'Nhận tiền ngay <img src=x onerror="window.__pwned = 2; alert(1)"> gọi 0987654321.'
SNAPSHOT = b"<html><body><h1>Ban goc</h1><script>alert('snap')</script></body></html>"
SNAPSHOT_SHA = hashlib.sha256(SNAPSHOT).hexdigest()


def _post(n: int, title: str, text: str, *, score: float, minor: bool = False, sha: str | None = None,
          days: int = 0) -> PostIn:
    url = f"https://vieclam.example.vn/tin/{n}"
    combined = f"{title}\n{text}"
    signals = []
    if "việc nhẹ lương cao" in combined:
        at = combined.index("việc nhẹ lương cao")
        signals.append({"id": "high_pay_easy_work", "label_vi": "Việc nhẹ lương cao", "label_en": "Easy work, high pay",
                        "category": "abroad-casino/scam-compound", "start": at, "end": at + 18,
                        "phrase": "việc nhẹ lương cao", "weight": 2.0})
    return PostIn(source="vieclam", url=url, canonical_url=url, title=title, text=text, posted_at=None,
                  fetched_at=T0 + timedelta(days=days), raw_sha256=sha or f"{n:064x}", score=score, is_lure=True,
                  threshold=0.5, model_version="m1", signals=signals, entities=[],
                  categories=["abroad-casino/scam-compound"], minor_risk=minor, priority=4 if minor else 1)


POSTS = {
    "minor": _post(1, "Tuyển nữ 16 tuổi việc nhẹ lương cao", "Bao ăn ở, đi ngay.", score=0.97, minor=True),
    "first": _post(2, "Việc nhẹ lương cao tại Campuchia", "Lương 30 triệu, bao vé máy bay.", score=0.95,
                   sha=SNAPSHOT_SHA, days=3),
    "second": _post(3, "Tuyển CTV online chốt đơn", "Nạp tiền nhận hoa hồng 30%.", score=0.93, days=2),
    "hostile": _post(4, HOSTILE_TITLE, HOSTILE_TEXT, score=0.91, days=1),
    "long": _post(5, "Tin rất dài", "việc nhẹ lương cao. " * 20_000, score=0.7),
}


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("LUREWATCH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("journey")
    store, search = open_world(root, {"alice": "reviewer", "bob": "reviewer"})
    ids = dict(zip(POSTS, store.upsert_posts(list(POSTS.values())).post_ids))
    search.index_posts(store.search_docs(list(ids.values())))
    store.mark_indexed(list(ids.values()))
    folder = root / "evidence" / SNAPSHOT_SHA[:2] / SNAPSHOT_SHA[2:4]
    folder.mkdir(parents=True)
    (folder / f"{SNAPSHOT_SHA}.gz").write_bytes(gzip.compress(SNAPSHOT))
    (folder / f"{SNAPSHOT_SHA}.json").write_text(json.dumps({"sha256": SNAPSHOT_SHA, "http_status": 200,
                                                             "headers": {"Content-Type": "text/html"}}))
    app = build_app(store, search, post_text_cap=5000, evidence_dir=root / "evidence")
    with serving(app) as base_url:
        yield {"base_url": base_url, "store": store, "ids": ids}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser, world):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=world["base_url"], locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, dialogs, errors


def _log_in(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("header .who strong")).to_have_text(name)


def _shot(page, shots: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = shots / f"journey_{name}.png"
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000, path


def _row_ids(page) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(x) for x in page.locator("table.queue tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-post'))")]


def test_login_queue_keyboard_decision_and_second_reviewer_confirmation(browser, world, shots):
    store, ids = world["store"], world["ids"]
    context, page, dialogs, errors = _page(browser, world)
    page.goto("/login")
    _shot(page, shots, "01_login")
    _log_in(page, "alice")
    expect(page.locator("h1")).to_have_text("Tin bị gắn cờ chờ xét duyệt")
    rows = _row_ids(page)
    assert rows[0] == ids["minor"] and rows[1] == ids["first"]  # minor risk first
    expect(page.locator("table.queue tbody tr").first).to_have_class(re.compile(r"\bcurrent\b"))
    _shot(page, shots, "02_queue")

    page.keyboard.press("?")
    expect(page.locator("#keys-help")).to_be_visible()
    _shot(page, shots, "03_keys_help")
    page.keyboard.press("Escape")
    expect(page.locator("#keys-help")).to_be_hidden()

    # j moves to the second row; 1 opens the decision dialog on it with "lure" and a reason.
    page.keyboard.press("j")
    expect(page.locator(f"tr[data-post='{ids['first']}']")).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("1")
    dialog = page.locator("#decide-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=decision][value=lure]")).to_be_checked()
    expect(dialog.locator("select.reason")).to_have_value("job_abroad_high_pay")
    expect(dialog.locator(".row-title")).to_have_text(POSTS["first"].title)
    page.keyboard.press("n")
    page.keyboard.type("Lừa sang Campuchia")
    _shot(page, shots, "04_decision_dialog")
    page.locator("#decide-dialog select.reason").focus()
    page.keyboard.press("Enter")  # recorded through htmx: only the queue table is swapped
    expect(page.locator("#queue-table .notice.decided")).to_have_text("Đã ghi nhận cho 1 tin.")
    expect(page.locator(f"tr[data-post='{ids['first']}']")).to_have_count(0)
    assert store.get_post(ids["first"]).status == "confirmed"
    review = store.get_post(ids["first"]).reviews[-1]
    assert (review.username, review.reason, review.note) == ("alice", "job_abroad_high_pay", "Lừa sang Campuchia")
    # The cursor stayed at the same position: now the next post.
    expect(page.locator(f"tr[data-post='{ids['second']}']")).to_have_class(re.compile(r"\bcurrent\b"))
    _shot(page, shots, "05_queue_after_decision")

    # 3 refers the current post to investigation: it waits for a second reviewer.
    page.keyboard.press("3")
    expect(page.locator("#decide-dialog select.reason")).to_have_value("trafficking_suspected")
    expect(page.locator("#decide-dialog textarea[name=note]")).to_have_value("")  # not the last row's note
    page.locator("#decide-dialog select.reason").select_option("organised_network")
    page.locator("#decide-dialog select.reason").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"tr[data-post='{ids['second']}']")).to_have_count(0)
    assert store.get_post(ids["second"]).status == "referral_pending"

    page.goto(f"/posts/{ids['second']}")
    expect(page.locator("section.referral .own-referral")).to_have_text("Cần một người xét duyệt khác xác nhận.")
    expect(page.locator("form.referral-confirm")).to_have_count(0)
    assert dialogs == [] and errors == []
    context.close()

    context, page, dialogs, errors = _page(browser, world)
    _log_in(page, "bob")
    page.locator("header a[href='/?tab=escalations']").click()
    expect(page.locator("nav.tabs a.current")).to_contain_text("Chuyển điều tra")
    expect(page.locator(f"tr[data-post='{ids['second']}'] .badge.status")).to_have_text(
        "Chờ người thứ hai xác nhận chuyển điều tra")
    _shot(page, shots, "06_escalations")
    page.locator(f"tr[data-post='{ids['second']}'] a[href='/posts/{ids['second']}']").click()
    expect(page.locator("section.referral")).to_contain_text("Đề nghị bởi alice")
    _shot(page, shots, "07_referral_to_confirm")
    page.locator("form.referral-confirm textarea[name=note]").fill("Đồng ý chuyển")
    page.locator("form.referral-confirm button[type=submit]").click()
    expect(page.locator("dd.status")).to_have_text("Đã chuyển điều tra")
    expect(page.locator("ol.reviews li[data-decision=confirm_referral] .reviewer")).to_have_text("bob")
    _shot(page, shots, "08_referral_confirmed")
    assert store.get_post(ids["second"]).status == "escalated"
    assert dialogs == [] and errors == []
    context.close()


def test_hostile_post_runs_nothing_and_a_long_post_is_capped(browser, world, shots):
    ids = world["ids"]
    context, page, dialogs, errors = _page(browser, world)
    _log_in(page, "bob")
    row = page.locator(f"tr[data-post='{ids['hostile']}'] a")
    expect(row).to_contain_text("<script>window.__pwned = 1")
    expect(page.locator("table.queue tbody tr").first).to_have_class(re.compile(r"\bcurrent\b"))  # keys.js is on
    page.keyboard.press("?")  # the page's own script runs (the keyboard), the scraped one never
    expect(page.locator("#keys-help")).to_be_visible()
    page.keyboard.press("Escape")
    row.click()
    expect(page.locator("article.post h1")).to_contain_text('<script>window.__pwned = 1; alert("t")</script>')
    expect(page.locator(".text")).to_contain_text('<img src=x onerror="window.__pwned = 2; alert(1)">')
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    _shot(page, shots, "09_hostile_post")
    page.goto(f"/posts/{ids['long']}")
    expect(page.locator("p.text-cut")).to_contain_text("Chỉ hiển thị 5000 / 400000 ký tự đầu.")
    expect(page.locator("ul.signals li")).to_have_count(1)
    _shot(page, shots, "10_long_post_capped")
    page.goto(f"/posts/{ids['first']}")
    expect(page.locator(".integrity.ok")).to_be_visible()
    frame = page.frame_locator("iframe.snapshot")
    expect(frame.locator("h1")).to_have_text("Ban goc")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == [] and errors == []
    context.close()
