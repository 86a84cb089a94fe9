"""Parser tests on pages rendered by the demo site, plus one hand-written page of another board."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import dataclasses
import pytest

from crawlers.parsers.classifieds import parse_detail, parse_iso_datetime, parse_listing
from crawlers.parsers.urls import canonical_url, strip_tracking_params
from flows.demo_site import ADS, HIDDEN_AD
from flows.demo_site.site import SITE_NAME, listing_path, page_count, render_detail, render_listing

BASE = "http://127.0.0.1:8765"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crawlers"
AD_PATHS = {ad.path for ad in ADS}


def _path(url: str) -> str:
    return urlsplit(url).path


def test_first_listing_page_links_ads_hidden_ad_and_pdf_but_no_navigation() -> None:
    listing = parse_listing(BASE + listing_path(1), render_listing(1, ADS))
    paths = [_path(u) for u in listing.detail_urls]
    assert len([p for p in paths if p in AD_PATHS]) == 10
    assert f"/tin-an/{HIDDEN_AD.id}.html" in paths
    assert "/files/bang-gia.pdf" in paths
    # header/footer/pagination/sidebar links are navigation, not ads
    for nav in ("/", "/admin/", "/dang-tin", "/viec-lam", "/canh-bao-lua-dao", "/dieu-khoan"):
        assert nav not in paths
    assert listing.next_url == BASE + listing_path(2)


def test_last_listing_page_has_no_next_page() -> None:
    last = page_count(ADS)
    listing = parse_listing(BASE + listing_path(last), render_listing(last, ADS))
    assert listing.next_url is None
    assert len(listing.detail_urls) == len(ADS) - 10 * (last - 1)


def test_every_ad_is_reachable_through_the_listing_pages() -> None:
    found: set[str] = set()
    url: str | None = BASE + listing_path(1)
    page = 1
    while url is not None:
        listing = parse_listing(url, render_listing(page, ADS))
        found |= {_path(u) for u in listing.detail_urls if _path(u) in AD_PATHS}
        url, page = listing.next_url, page + 1
    assert found == AD_PATHS


def test_listing_keeps_utm_tagged_link_once() -> None:
    listing = parse_listing(BASE + listing_path(1), render_listing(1, ADS))
    tagged = [u for u in listing.detail_urls if "utm_source=" in u]
    assert tagged, "the demo site tags some links with utm_*"
    assert len({canonical_url(u) for u in listing.detail_urls}) == len(listing.detail_urls)


@pytest.mark.parametrize("ad", [ADS[0], ADS[6], ADS[33], ADS[37]], ids=lambda ad: str(ad.id))
def test_detail_page_fields(ad) -> None:
    page = parse_detail(BASE + ad.path + "?utm_source=facebook", render_detail(ad, BASE))
    assert page.title == ad.title
    assert page.posted_at == ad.posted_at
    assert page.posted_at.utcoffset() == timedelta(hours=7)
    assert page.canonical_url == BASE + ad.path
    lines = page.text.split("\n")
    ad_lines = [line for line in ad.text.split("\n") if line.strip()]
    start = lines.index(ad_lines[0])
    assert lines[start : start + len(ad_lines)] == ad_lines  # paragraphs kept, in order
    for boilerplate in (SITE_NAME, "Trang chủ", "Chia sẻ", "Tin liên quan", "dataLayer", "Đăng ngày"):
        assert boilerplate not in page.text
    assert ad.title not in lines  # the title is a field of its own


def test_contact_lines_split_at_br() -> None:
    ad = next(a for a in ADS if a.phone and a.zalo)
    lines = parse_detail(BASE + ad.path, render_detail(ad, BASE)).text.split("\n")
    assert f"Điện thoại: {ad.phone}" in lines
    assert f"Zalo: {ad.zalo}" in lines


def test_markup_in_ad_text_comes_back_as_text() -> None:
    hostile = dataclasses.replace(ADS[0], title="<b>Tuyển</b> & <i>gấp</i>", text='<script>alert("x")</script> Lương 5 triệu')
    page = parse_detail(BASE + hostile.path, render_detail(hostile, BASE))
    assert page.title == "<b>Tuyển</b> & <i>gấp</i>"
    assert '<script>alert("x")</script> Lương 5 triệu' in page.text.split("\n")


def test_hand_written_page_of_another_board() -> None:
    html = (FIXTURES / "other_board_detail.html").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / "other_board_detail.expected.json").read_text(encoding="utf-8"))
    page = parse_detail(expected["url"], html)
    assert page.title == expected["title"]
    assert page.text == expected["text"]
    assert page.posted_at is not None and page.posted_at.isoformat() == expected["posted_at"]
    assert page.canonical_url == expected["canonical_url"]


def test_page_without_canonical_uses_its_own_url_without_utm() -> None:
    html = "<html><body><article><h1>Tiêu đề</h1><p>Nội dung tin.</p></article></body></html>"
    page = parse_detail("https://Board.example.vn/tin/9?utm_medium=x&b=2&a=1#top", html)
    assert page.canonical_url == "https://board.example.vn/tin/9?a=1&b=2"
    assert page.posted_at is None
    assert page.text == "Nội dung tin."


def test_strip_tracking_params_keeps_other_params() -> None:
    assert strip_tracking_params("http://x.vn/a?utm_source=z&id=3&UTM_Term=q") == "http://x.vn/a?id=3"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-01T08:00:00+07:00", datetime(2025, 3, 1, 8, tzinfo=timezone(timedelta(hours=7)))),
        ("2025-03-01T01:00:00Z", datetime(2025, 3, 1, 1, tzinfo=timezone.utc)),
        ("2025-03-01T08:00:00", datetime(2025, 3, 1, 8, tzinfo=timezone(timedelta(hours=7)))),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_parse_iso_datetime(raw: str, expected: datetime | None) -> None:
    assert parse_iso_datetime(raw) == expected


def test_parsers_import_neither_scrapy_nor_other_lurewatch_packages() -> None:
    import subprocess
    import sys

    code = (
        "import sys, crawlers.parsers.classifieds, crawlers.parsers.urls\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'flows', 'classifier', 'index', 'review_ui')]\n"
        "assert not bad, bad\n"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
