"""The page parser on hand-written fixture folders (web-poet style: input.html, meta.json,
expected.json written by hand first), on pages rendered by the demo site, and its pure helpers."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlers.parsers import dates
from crawlers.parsers.html import decode_html
from crawlers.parsers.page import MAX_AUTHOR, MAX_ID, PageRules, parse_page
from crawlers.parsers.paging import find_next, page_number
from crawlers.parsers.html import parse_tree
from crawlers.parsers.urls import canonical_url, strip_tracking_params
from flows.demo_site import ADS
from page_expectations import assert_page_matches
from flows.demo_site.site import SITE_NAME, listing_path, page_count, render_detail, render_listing

BASE = "http://127.0.0.1:8765"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crawlers"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if (p / "expected.json").exists())
VN = timezone(timedelta(hours=7))
T0 = datetime(2026, 2, 10, 9, 30, tzinfo=VN)


def run_fixture(folder: Path) -> tuple[dict, dict]:
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    result = parse_page(meta["url"], (folder / "input.html").read_bytes(),
                        fetched_at=datetime.fromisoformat(meta["fetched_at"]), role=meta.get("role", "auto"))
    return result.to_json(), json.loads((folder / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_fixture_folder(folder: Path) -> None:
    got, expected = run_fixture(folder)
    assert_page_matches(got, expected)


def test_demo_listing_pages_give_every_ad_and_the_next_page() -> None:
    found, url, page = set(), BASE + listing_path(1), 1
    while url is not None:
        result = parse_page(url, render_listing(page, ADS), fetched_at=T0, role="listing")
        assert result.kind == "listing"
        found |= {canonical_url(u) for u in result.follow}
        url, page = result.next, page + 1
        assert page <= page_count(ADS) + 1
    assert found == {BASE + ad.path for ad in ADS}  # not the hidden /tin-an/ ad, not the PDF, no navigation


def test_listing_entries_change_with_the_card_not_with_the_page() -> None:
    """Each item's fingerprint is its own card's: an edit shown in one card changes that one only."""
    page = render_listing(1, ADS)
    before = parse_page(BASE + listing_path(1), page, fetched_at=T0, role="listing")
    assert set(before.entries) == set(before.follow) and len(set(before.entries.values())) == len(before.follow)
    shown = next(ad for ad in ADS if BASE + ad.path in before.follow)
    edited = [dataclasses.replace(ad, text="Lương 15 triệu. " + ad.text) if ad is shown else ad for ad in ADS]
    after = parse_page(BASE + listing_path(1), render_listing(1, edited), fetched_at=T0, role="listing")
    changed = [url for url in before.follow if before.entries[url] != after.entries[url]]
    assert changed == [BASE + shown.path]


def test_a_listing_entry_ignores_relative_ages_but_not_dates_or_salaries() -> None:
    def entries(age: str, salary: str = "8 triệu", posted: str = "15/01/2026") -> dict[str, str]:
        cards = "".join(f'<li><h3><a href="/viec-lam/kho-{n}/{n}.html">Kho {n}</a></h3><span>{salary} · {posted}'
                        f" · {age if n == 101 else 'hôm qua 08:16'}</span></li>" for n in range(101, 105))
        html = f"<html><body><ul>{cards}</ul></body></html>"
        return parse_page("https://b.vn/viec-lam", html, fetched_at=T0, role="listing").entries

    first = entries("2 giờ trước")
    assert len(first) == 4
    assert entries("5 giờ trước") == entries("vừa xong") == first
    assert entries("2 giờ trước", salary="12 triệu") != first
    assert entries("2 giờ trước", posted="16/01/2026") != first


@pytest.mark.parametrize("ad", [ADS[0], ADS[6], ADS[33]], ids=lambda ad: str(ad.id))
def test_demo_detail_page(ad) -> None:
    result = parse_page(BASE + ad.path + "?utm_source=x", render_detail(ad, BASE), fetched_at=T0)
    assert result.kind == "detail"
    post = result.posts[0]
    assert post.title == ad.title and post.url == BASE + ad.path
    assert post.posted_at == ad.posted_at.astimezone(timezone.utc)
    first = next(line for line in ad.text.split("\n") if line.strip())
    assert first.strip() in post.text
    for boilerplate in (SITE_NAME, "Trang chủ", "Chia sẻ", "Tin liên quan", "dataLayer"):
        assert boilerplate not in post.text
    assert post.fields_from["text"] == "trafilatura"


def test_item_url_pattern_and_text_cap_from_the_rules() -> None:
    rules = PageRules(item_url_pattern=r"/tin/10\d\d-", max_text_chars=200)
    listing = parse_page(BASE + listing_path(1), render_listing(1, ADS), fetched_at=T0, role="listing", rules=rules)
    assert listing.follow and all("/tin/10" in u for u in listing.follow)
    long_ad = max(ADS, key=lambda ad: len(ad.text))
    detail = parse_page(BASE + long_ad.path, render_detail(long_ad, BASE), fetched_at=T0, rules=rules)
    assert len(detail.posts[0].text) <= 200 and detail.posts[0].text_truncated


def test_field_selectors_fill_what_structured_data_lacks() -> None:
    html = "<html><body><div class='t'>Tin A</div><div class='b'>" + "Nội dung tin tuyển dụng. " * 10 + "</div>" \
           "<span class='d'>07/01/2015</span></body></html>"
    rules = PageRules(fields={"title": ".t", "text": ".b", "posted_at": ".d"})
    post = parse_page("https://x.example.vn/tin/1234", html, fetched_at=T0, role="detail", rules=rules).posts[0]
    assert post.title == "Tin A" and post.text.startswith("Nội dung tin")
    assert post.posted_at == datetime(2015, 1, 6, 17, tzinfo=timezone.utc)
    assert post.fields_from == {"title": "selector", "text": "selector", "posted_at": "selector", "external_id": "url"}


def test_soft_not_found_blocked_and_meta_refresh() -> None:
    gone = "<html><head><title>Không tìm thấy trang</title></head><body><h1>Lỗi</h1></body></html>"
    assert parse_page("https://x.vn/a", gone, fetched_at=T0).dropped == "not_found"
    wall = "<html><head><title>Just a moment...</title></head><body><div id='challenge-form'></div></body></html>"
    assert parse_page("https://x.vn/a", wall, fetched_at=T0).kind == "blocked"
    stub = '<html><head><meta http-equiv="refresh" content="0;url=https://x.vn/b"></head><body>…</body></html>'
    assert parse_page("https://x.vn/a", stub, fetched_at=T0).follow == ["https://x.vn/b"]
    js = ('<html><head><meta http-equiv="refresh" content="0;url=javascript:alert(1)"></head>'
          "<body><article><h1>Tuyển thợ</h1><p>" + "Tuyển thợ hàn lương cao. " * 5 + "</p></article></body></html>")
    result = parse_page("https://x.vn/tin/1234", js, fetched_at=T0)
    assert result.kind == "detail" and "Tuyển thợ hàn" in result.posts[0].text
    assert result.ignored_refresh == "javascript:alert(1)"


def test_windows_1258_combining_marks_come_out_nfc(cp1258) -> None:
    to_cp1258 = cp1258
    body = to_cp1258('<html><head><meta charset="windows-1258"></head><body><p>Tuyển thợ may</p></body></html>')
    assert "\u0309" in body.decode("cp1258")  # written with a combining hook above
    assert "Tuyển thợ may" in decode_html(body)
    assert "Tuyển thợ may" in decode_html(to_cp1258("<html><body><p>Tuyển thợ may, lương khá</p></body></html>"))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("vừa xong", datetime(2026, 2, 10, 2, 30, tzinfo=timezone.utc)),
        ("11 phút trước", datetime(2026, 2, 10, 2, 19, tzinfo=timezone.utc)),
        ("2 giờ trước", datetime(2026, 2, 10, 0, 30, tzinfo=timezone.utc)),
        ("hôm qua 08:16", datetime(2026, 2, 9, 1, 16, tzinfo=timezone.utc)),
        ("3 ngày trước", datetime(2026, 2, 7, 2, 30, tzinfo=timezone.utc)),
        ("07/01/2015", datetime(2015, 1, 6, 17, tzinfo=timezone.utc)),
        ("Thứ Tư, 07/01/2015 | 22:34", datetime(2015, 1, 7, 15, 34, tzinfo=timezone.utc)),
        ("ngày 2 tháng 11 năm 2023", datetime(2023, 11, 1, 17, tzinfo=timezone.utc)),
        ("2025-04-08", datetime(2025, 4, 7, 17, tzinfo=timezone.utc)),
        ("2026-01-10T08:16:00+0700", datetime(2026, 1, 10, 1, 16, tzinfo=timezone.utc)),
        ("1760764679", datetime(2025, 10, 18, 5, 17, 59, tzinfo=timezone.utc)),
        ("hạn chót", None),
        ("", None),
    ],
)
def test_dates_resolve_against_fetched_at_in_vietnam_and_come_out_utc(written: str, expected) -> None:
    assert dates.parse_any(written, T0) == expected


@pytest.mark.parametrize(
    "written",
    ["07/01/2015", "7.1.2015 22:34", "08:16, 29-02-2024", "Chủ nhật, 31/12/2025 - 10:05", "09/02/2026 22:34:56",
     "01/13/2020"],
)
def test_numeric_dates_read_without_dateparser_agree_with_it(written: str) -> None:
    import dateparser

    settings = {"RELATIVE_BASE": dates.vietnam_time(T0).replace(tzinfo=None), "TIMEZONE": "Asia/Ho_Chi_Minh",
                "RETURN_AS_TIMEZONE_AWARE": True, "DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past"}
    expected = dateparser.parse(written, languages=["vi"], settings=settings)
    assert expected is not None
    assert dates.parse_written(written, T0) == expected.astimezone(timezone.utc)


def test_a_stated_author_or_id_is_cut_to_a_sane_length() -> None:
    ld = json.dumps({"@type": "JobPosting", "title": "Tuyển kho", "description": "Mô tả công việc. " * 20,
                     "author": "A" * 5000, "identifier": "9" * 5000})
    html = f'<html><head><script type="application/ld+json">{ld}</script></head><body><h1>Tuyển kho</h1></body></html>'
    post = parse_page("https://ex.vn/tin/tuyen-kho", html, fetched_at=T0, role="detail").posts[0]
    assert post.author == "A" * MAX_AUTHOR and post.external_id == "9" * MAX_ID


def test_a_deadline_is_not_the_posting_date() -> None:
    assert dates.find_in_text("Hạn nộp hồ sơ: 08/05/2026. Đăng 2 giờ trước", T0) == datetime(
        2026, 2, 10, 0, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        ('<a data-href="https://b.vn/l?page=2" rel="next">›</a>', "https://b.vn/l", "https://b.vn/l?page=2"),
        ('<a href="/l?p=1">1</a><a href="/l?p=2">2</a>', "https://b.vn/l", "https://b.vn/l?p=2"),
        ('<a href="/l/trang-3">3</a><a href="/l/trang-2">2</a>', "https://b.vn/l", "https://b.vn/l/trang-2"),
        ('<a href="/l?page=1">Trang sau</a>', "https://b.vn/l?page=1", None),
        ('<a href="/l?page=3">Trang sau</a>', "https://b.vn/l?page=2", "https://b.vn/l?page=3"),
        ('<link rel="next" href="https://other.vn/l?page=2">', "https://b.vn/l", None),
    ],
)
def test_next_page(html: str, url: str, expected: str | None) -> None:
    assert find_next(parse_tree(f"<html><body>{html}</body></html>"), url, url) == expected


def test_page_number_reads_query_and_path_markers() -> None:
    assert page_number("https://b.vn/l?sort=new&page=4")[0] == 4
    assert page_number("https://b.vn/f/x.17/page-2")[0] == 2
    assert page_number("https://b.vn/l")[0] == 1


def test_strip_tracking_params_keeps_other_params() -> None:
    assert strip_tracking_params("http://x.vn/a?utm_source=z&id=3&UTM_Term=q") == "http://x.vn/a?id=3"


def test_parsers_import_neither_scrapy_nor_other_lurewatch_packages() -> None:
    code = (
        "import sys, crawlers.parsers.page, crawlers.source\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'flows', 'classifier', 'index', 'review_ui')]\n"
        "assert not bad, bad\n"
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
