"""The parsers of the other source kinds (telegram, feed, forum, import): hand-written fixture
folders (input, meta.json, expected.json written first), the real pages in ../shared/pages
(skipped where absent; counts, dates and short phrases pinned), and the kind detection."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawlers.parsers import feed, forum, telegram
from crawlers.parsers.export import read_export
from crawlers.parsers.kinds import detect_kind, parse_any
from flows.demo_site import kinds as site
from page_expectations import assert_page_matches

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crawlers" / "kinds"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").exists())
PAGES = Path(__file__).resolve().parents[3] / "shared" / "pages"
T0 = datetime(2026, 8, 9, 12, tzinfo=timezone.utc)


def _input(folder: Path) -> bytes:
    return next(folder.glob("input.*")).read_bytes()


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_fixture_folder(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    when = datetime.fromisoformat(meta["fetched_at"])
    if "error_contains" in expected:
        with pytest.raises(ValueError) as caught:
            parse_any(meta["url"], _input(folder), fetched_at=when, kind=meta["kind"])
        for phrase in expected["error_contains"]:
            assert phrase in str(caught.value)
        return
    got = parse_any(meta["url"], _input(folder), fetched_at=when, kind=meta["kind"]).to_json()
    assert_page_matches(got, expected)
    if expected.get("warning"):
        assert feed.parse_feed(meta["url"], _input(folder), fetched_at=when).warning


def test_kind_is_chosen_from_url_and_content() -> None:
    kinds = {folder.name: detect_kind(json.loads((folder / "meta.json").read_text())["url"], _input(folder))
             for folder in FOLDERS}
    assert {name: kind for name, kind in kinds.items()} == {
        "feed_atom_fulltext": "feed", "feed_rss_junk": "feed", "feed_sitemap_index": "feed", "feed_urlset": "feed",
        "forum_listing": "forum", "forum_thread_vbulletin": "forum", "forum_thread_xenforo": "forum",
        "telegram_channel": "telegram", "telegram_landing": "telegram",
    }
    job_page = b"<html><body><main><article><h1>Tuyen</h1><p>Mo ta</p></article></main></body></html>"
    assert detect_kind("https://vieclam.example.vn/viec-lam/1.html", job_page) == "classifieds"


# --- Telegram ------------------------------------------------------------------------------------


def test_channel_preview_of_the_local_site_pages_back_by_id() -> None:
    messages = site.make_messages(45)
    base = "http://127.0.0.1:9"
    newest = telegram.parse_channel(f"{base}/s/{site.CHANNEL}", site.channel_page(site.CHANNEL, base, messages, None),
                                    fetched_at=T0)
    assert [m.id for m in newest.messages] == list(range(26, 46))
    assert newest.older == f"{base}/s/{site.CHANNEL}?before=26"
    oldest = telegram.parse_channel(newest.older, site.channel_page(site.CHANNEL, base, messages, 6), fetched_at=T0)
    assert [m.id for m in oldest.messages] == [1, 2, 3, 4, 5] and oldest.older is None
    seventh = next(m for m in newest.messages if m.id == 28)
    assert seventh.photos == ["https://cdn.example.org/file/28.jpg"] and seventh.url == f"{base}/{site.CHANNEL}/28"


def test_unknown_username_page_is_not_a_channel() -> None:
    with pytest.raises(telegram.NotAChannel, match="no public preview"):
        telegram.parse_channel("https://t.me/khong_ton_tai", site.landing_page("khong_ton_tai", "https://t.me", False),
                               fetched_at=T0)


def test_view_counts() -> None:
    assert [telegram._count(v) for v in ("8.67M", "1,2K", "419", "", "abc")] == [8_670_000, 1200, 419, None, None]


def _real(name: str) -> bytes:
    path = PAGES / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path.read_bytes()


def test_real_channel_preview_gives_one_post_per_message() -> None:
    page = telegram.parse_channel("https://t.me/s/durov", _real("telegram/tme_s_durov_2026-08.html"), fetched_at=T0)
    assert page.channel == "durov" and len(page.messages) == 19 and page.skipped == 1  # one video-only message
    ids = [m.id for m in page.messages]
    assert ids[0] == 519 and ids[-1] == 539 and 530 not in ids and len(set(ids)) == 19
    assert page.older == "https://t.me/s/durov?before=519"
    first, last = page.messages[0], page.messages[-1]
    assert first.post_id == "durov/519" and first.url == "https://t.me/durov/519"
    assert first.posted_at == datetime(2026, 5, 20, 15, 38, 10, tzinfo=timezone.utc) and first.views == 8_670_000
    assert last.posted_at == datetime(2026, 8, 8, 21, 11, 14, tzinfo=timezone.utc)
    assert first.text.startswith("🤖 Your Telegram inbox can now run itself.")
    assert sum(m.edited for m in page.messages) == 4 and sum(bool(m.photos) for m in page.messages) == 2
    for m in page.messages:  # the preview's own words never reach a post
        for chrome in ("VIEW IN TELEGRAM", "Please open Telegram", "not supported in your browser", "subscribers"):
            assert chrome not in m.text
    dates = [m.posted_at for m in page.messages]
    assert dates == sorted(dates) and len(set(dates)) == 19  # each message its own date


def test_real_landing_page_is_refused_with_the_preview_address() -> None:
    with pytest.raises(telegram.NotAChannel, match=r"not a public channel preview .*https://t.me/s/durov"):
        parse_any("https://t.me/durov", _real("telegram/tme_durov_landing.html"), fetched_at=T0)


# --- feeds -----------------------------------------------------------------------------------------


def test_real_rss_feed_gives_its_entries_to_follow() -> None:
    result = feed.parse_feed("https://vnexpress.net/rss/tin-moi-nhat.rss", _real("vnexpress/rss_tin-moi-nhat_2017-04-19.xml"),
                             fetched_at=T0)
    assert result.kind == "rss" and len(result.entries) == 25 and result.posts() == []
    assert len(result.follow()) == 25 and all(u.startswith("http://") and "vnexpress.net" in u for u in result.follow())
    first = result.entries[0]
    assert first.posted_at == datetime(2017, 4, 19, 12, 45, 55, tzinfo=timezone.utc)
    assert first.title.startswith("Ủy ban Tài chính: Chi 65 tỷ đồng") and first.text == ""


def test_real_feed_excerpt_with_a_bad_ampersand_is_read_and_marked() -> None:
    result = parse_any("https://vnexpress.net/rss/the-gioi.rss", _real("vnexpress/rss_the-gioi_2025-02-06_1item.xml"),
                       fetched_at=T0)
    assert result.kind == "rss" and result.follow == ["https://vnexpress.net/israel-noi-got-my-roi-hoi-dong-nhan-quyen-lhq-4846612.html"]
    assert feed.parse_feed("https://vnexpress.net/rss/the-gioi.rss", _real("vnexpress/rss_the-gioi_2025-02-06_1item.xml"),
                           fetched_at=T0).warning


def test_html_is_not_a_feed() -> None:
    with pytest.raises(ValueError, match="not an RSS/Atom feed"):
        feed.parse_feed("https://x.example.vn/", "<html><body><p>Trang chủ</p></body></html>".encode(), fetched_at=T0)


def test_local_site_feeds_agree_with_their_generators() -> None:
    base = "http://127.0.0.1:9"
    assert len(feed.parse_feed(f"{base}/rss.xml", site.rss(base, range(1, 2001)), fetched_at=T0).follow()) == 2000
    atom = feed.parse_feed(f"{base}/atom.xml", site.atom(base, range(1, 6)), fetched_at=T0)
    assert len(atom.posts()) == 5 and atom.follow() == []
    urls = feed.parse_feed(f"{base}/sitemap-1.xml", site.urlset(base, range(1, 4), {2: "2026-06-01"}), fetched_at=T0)
    assert [e.lastmod for e in urls.entries] == ["2026-03-01", "2026-06-01", "2026-03-01"]


# --- forums ----------------------------------------------------------------------------------------


def test_real_xenforo_forum_page_gives_its_threads_and_next_page() -> None:
    page = forum.parse_forum("https://voz.vn/f/chuyen-tro-linh-tinh%E2%84%A2.17/", _real("voz/forum_view_f17_2026-01-10.html"),
                             fetched_at=T0)
    assert page.kind == "forum" and len(page.threads) == 23 and page.posts == []
    assert page.next == "https://voz.vn/f/chuyen-tro-linh-tinh%E2%84%A2.17/page-2"
    assert all("/t/" in t.url and t.latest for t in page.threads)
    first = page.threads[0]
    assert first.title == "[Vozer Father ver.2026] Hội những ông bố bỉm sữa"
    assert first.latest == "2026-01-10T14:31:03+0700" and first.last_page.endswith("/page-39")
    assert sum(t.last_page is not None for t in page.threads) == 14  # threads with more than one page


def test_local_forum_thread_pages_number_their_posts() -> None:
    threads = site.make_threads(1, posts_each=12)
    page = forum.parse_forum("http://127.0.0.1:9" + threads[0].path + "page-2", site.thread_page(threads[0], 2), fetched_at=T0)
    assert [p.external_id for p in page.posts] == ["1011", "1012"] and page.next is None
    assert all(p.author and p.posted_at and "/post-" in p.url for p in page.posts)


# --- imported exports --------------------------------------------------------------------------------


def test_export_lines_are_checked_one_by_one() -> None:
    good = {"url": "https://www.facebook.com/groups/1/posts/2", "text": "Tuyển gấp", "posted_at": "2026-05-01T08:30:00+07:00",
            "attachments": ["https://cdn.example.org/a.jpg", {"url": "https://cdn.example.org/b.mp4", "type": "video"}]}
    lines = [json.dumps(good), "", json.dumps({**good, "url": "javascript:alert(1)"}), "[1, 2]",
             json.dumps({**good, "text": ""}), json.dumps({**good, "posted_at": "2099-01-01T00:00:00Z"}),
             json.dumps({**good, "likes": 3}), "{broken"]
    data = "\n".join(lines).encode()
    export = read_export(data, source="fb", imported_at=T0)
    assert export.lines == 7 and len(export.posts) == 1
    assert [n for n, _ in export.bad] == [3, 4, 5, 6, 7, 8]
    reasons = dict(export.bad)
    assert reasons[3].startswith("url:") and reasons[5].startswith("text:") and "posted_at" in reasons[6]
    assert reasons[7].startswith("likes:") and "JSON" in reasons[8] and "JSON object" in reasons[4]
    post = export.posts[0]
    assert post["posted_at"] == "2026-05-01T01:30:00+00:00" and post["extra"]["line"] == 1
    assert post["extra"]["attachments"][1] == {"url": "https://cdn.example.org/b.mp4", "type": "video"}
    import hashlib

    assert post["sha256"] == hashlib.sha256(lines[0].encode()).hexdigest()
    assert post["extra"]["import_file_sha256"] == export.sha256 == hashlib.sha256(data).hexdigest()
