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

from journey_steps import keyboard_decision_and_referral, new_page, sign_in  # noqa: E402
from review_ui_world import build_app, open_world, serving  # noqa: E402

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
    return new_page(browser, world["base_url"])


def _shot(page, shots: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = shots / f"journey_{name}.png"
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000, path
    return path


def test_login_queue_keyboard_decision_and_second_reviewer_confirmation(browser, world, shots):
    ids = world["ids"]
    rows, decided, referred = keyboard_decision_and_referral(
        browser, world["base_url"], world["store"], lambda page, name: _shot(page, shots, name))
    assert rows[0] == ids["minor"] and rows[1] == ids["first"]  # minor risk first
    assert (decided, referred) == (ids["first"], ids["second"])


def test_hostile_post_runs_nothing_and_a_long_post_is_capped(browser, world, shots):
    ids = world["ids"]
    context, page, dialogs, errors = _page(browser, world)
    sign_in(page, "bob")
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
