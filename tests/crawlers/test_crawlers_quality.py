"""The parser quality gate on the real saved pages in ../shared/pages (skipped where absent).

Like the classifier's floors: item-link precision/recall per listing, next page found, date
right, share of real text and of template per detail page, each against a hand-made truth
(an item-URL regex, a count, a date, the CSS block holding the real post). The pages are read
at test time, never copied here. Lowering a floor is a deliberate, visible change.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from crawlers.parsers.html import decode_html, element_text, parse_tree
from crawlers.parsers.page import parse_page

_REPO = Path(__file__).resolve().parents[2]
# ../shared beside the clone (CI), or beside the folder of worktrees (a helper's worktree)
PAGES = next((p / "shared" / "pages" for p in (_REPO.parent, _REPO.parent.parent)
              if (p / "shared" / "pages" / "INDEX.jsonl").exists()), _REPO.parent / "shared" / "pages")
pytestmark = pytest.mark.skipif(not (PAGES / "INDEX.jsonl").exists(), reason="../shared/pages is not here")

# file -> (url, item-URL regex, distinct items on the page, next page or None)
LISTINGS = {
    "topcv/listing_ke-toan_p1_2025-10-18.html": (
        "https://www.topcv.vn/tim-viec-lam-ke-toan-cr392cb393",
        r"topcv\.vn/(viec-lam/[^/]+/\d+\.html|brand/[^/]+/tuyen-dung/.+-j\d+\.html)", 50,
        "https://www.topcv.vn/tim-viec-lam-ke-toan-cr392cb393?page=2"),
    "itviec/company_mb-bank_2026-04.html": (
        "https://itviec.com/companies/mb-bank", r"itviec\.com/it-jobs/.+-\d+$", 34, None),
    "vieclam24h/listing_tim-kiem-viec-lam-nhanh_2026-02.html": (
        "https://vieclam24h.vn/tim-kiem-viec-lam-nhanh", r"vieclam24h\.vn/[^/]+/.+id\d+\.html$", 30,
        "https://vieclam24h.vn/tim-kiem-viec-lam-nhanh?page=2"),
    "studentjob/listing_viec-lam_2026-02.html": (
        "https://studentjob.vn/viec-lam", r"studentjob\.vn/viec-lam/.+-job\d+$", 18, "https://studentjob.vn/viec-lam?p=2"),
    "chotot/listing_nhatot_mua-ban-bat-dong-san_2026-02.html": (
        "https://www.nhatot.com/mua-ban-bat-dong-san", r"nhatot\.com/[^/]+/\d+\.htm$", 25, None),
    "voz/forum_view_f17_2026-01-10.html": (
        "https://voz.vn/f/chuyen-tro-linh-tinh%E2%84%A2.17/", r"voz\.vn/t/[^/]+\.\d+/$", 23,
        "https://voz.vn/f/chuyen-tro-linh-tinh%E2%84%A2.17/page-2"),
}
# file -> (url, fetched_at, posted_at in UTC, CSS of the real post's blocks, a short phrase of the post)
DETAILS = {
    "topcv/detail_2114007_2026-04.html": (
        "https://www.topcv.vn/viec-lam/chuyen-vien-trien-khai-phan-mem-quan-ly-khach-san-oracle-opera-pms-opera-cloud-opera-pms-implementation-consultant-nhan-viec-ngay/2114007.html",
        "2026-04-25T12:00:00+07:00", "2026-04-07T17:00:00+00:00",
        ".job-description__item:not(.job-description__custom-form-job)", "Tối thiểu 2 năm kinh nghiệm"),
}
# the real post's blocks exclude the site's own form-like blocks (the location picker, how to apply)
DETAIL_REAL_BLOCKS = 4
DROPPED = {
    "itviec/notfound_404_2026-04.html": ("https://itviec.com/it-jobs/no-such-job", "not_found"),
    "studentjob/notfound_tuyen-dung.html": ("https://studentjob.vn/tuyen-dung", "not_found"),
}
FLOORS = {"precision": 0.9, "recall": 0.95, "next": 1.0, "date": 1.0, "real_text": 0.9, "template": 0.1}
T = datetime.fromisoformat("2026-04-25T12:00:00+07:00")


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def listing_report(name: str) -> dict:
    url, regex, count, next_page = LISTINGS[name]
    result = parse_page(url, (PAGES / name).read_bytes(), fetched_at=T)
    hits = [u for u in result.follow if re.search(regex, u)]
    return {"kind": result.kind, "follow": len(result.follow), "precision": len(hits) / max(1, len(result.follow)),
            "recall": len(set(hits)) / count, "next": float(result.next == next_page)}


def detail_report(name: str) -> dict:
    url, fetched_at, posted_at, css, phrase = DETAILS[name]
    body = (PAGES / name).read_bytes()
    result = parse_page(url, body, fetched_at=datetime.fromisoformat(fetched_at))
    post = result.posts[0]
    blocks = parse_tree(decode_html(body)).cssselect(css)
    real = _tokens("\n".join(element_text(b) for b in blocks[:DETAIL_REAL_BLOCKS]))
    got = _tokens(post.title + "\n" + post.text)
    shared = sum((real & got).values())
    return {"kind": result.kind, "date": float(post.posted_at is not None and post.posted_at.isoformat() == posted_at),
            "real_text": shared / sum(real.values()), "template": 1 - shared / sum(got.values()),
            "phrase": phrase in post.text, "chars": len(post.text), "text": post.text}


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing_items_and_next_page(name: str) -> None:
    report = listing_report(name)
    print(name, {k: v for k, v in report.items()})
    assert report["kind"] == "listing"
    assert report["precision"] >= FLOORS["precision"]
    assert report["recall"] >= FLOORS["recall"]
    assert report["next"] >= FLOORS["next"]


@pytest.mark.parametrize("name", sorted(DETAILS))
def test_detail_text_date_and_template_share(name: str) -> None:
    report = detail_report(name)
    print(name, {k: v for k, v in report.items() if k != "text"})
    assert report["kind"] == "detail" and report["phrase"]
    assert report["date"] >= FLOORS["date"]
    assert report["real_text"] >= FLOORS["real_text"]
    assert report["template"] <= FLOORS["template"]


@pytest.mark.parametrize("name", sorted(DROPPED))
def test_not_found_pages_are_dropped(name: str) -> None:
    url, reason = DROPPED[name]
    result = parse_page(url, (PAGES / name).read_bytes(), fetched_at=T)
    assert result.dropped == reason and result.posts == [] and result.follow == []


def test_topcv_redirect_stub_is_followed_on_its_own_site() -> None:
    result = parse_page("https://www.topcv.vn/tim-viec-lam-software-engineering",
                        (PAGES / "topcv/redirect_stub_meta-refresh.html").read_bytes(), fetched_at=T)
    assert result.kind == "redirect"
    assert result.follow == ["https://www.topcv.vn/tim-viec-lam-software-engineering-cr257cb258"]


def test_topcv_job_page_fields() -> None:
    name = "topcv/detail_2114007_2026-04.html"
    result = parse_page(DETAILS[name][0], (PAGES / name).read_bytes(), fetched_at=T)
    post = result.posts[0]
    assert post.title.startswith("Chuyên Viên Triển Khai Phần Mềm Quản Lý Khách Sạn Oracle")
    assert post.external_id == "2114007" and post.author == "CÔNG TY TNHH CÔNG NGHỆ THÔNG TIN PHÚC AN"
    assert post.fields_from["text"] == "json-ld" and post.fields_from["posted_at"] == "json-ld"
    assert "lừa đảo" not in post.text and "Báo cáo tin tuyển dụng" not in post.text
    assert 1500 < len(post.text) < 4000  # the ad, not the ~54,000 characters of the page


def test_topcv_job_page_is_not_flagged_by_the_default_classifier() -> None:
    from classifier.assess import load_assessor
    from classifier.settings import get_classifier_settings

    name = "topcv/detail_2114007_2026-04.html"
    post = parse_page(DETAILS[name][0], (PAGES / name).read_bytes(), fetched_at=T).posts[0]
    assessment = load_assessor(get_classifier_settings()).assess([f"{post.title}\n{post.text}"])[0]
    assert not assessment.is_lure, assessment.score
