"""`python -m crawlers.run` for each source kind against flows.demo_site.kinds on 127.0.0.1:
paging and the cursor of incremental crawls, warnings, errors for the operator, rendered pages,
and the evidence (content-addressed bodies, one WARC per crawl) that `verify` re-hashes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawlers.evidence_store import evidence_paths
from crawlers.verify import verify
from flows.demo_site.kinds import CHANNEL, KindSite

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Run:
    returncode: int
    stderr: str
    items: list[dict]
    stats: dict
    out: Path


def crawl(tmp: Path, name: str, kind: str, urls: list[str], *extra: str, evidence: Path | None = None,
          cursor: Path | None = None, **definition) -> Run:
    out = tmp / name
    out.mkdir(parents=True, exist_ok=True)
    spec = {"name": "kinds", "kind": kind, "start_urls": urls, "allow_private": True, "max_pages": 100,
            "politeness": {"concurrency": 8, "delay_seconds": 0, "autothrottle": False}, **definition}
    (out / "definition.json").write_text(json.dumps(spec), "utf-8")
    args = [sys.executable, "-m", "crawlers.run", "--definition", str(out / "definition.json"), "--out", str(out),
            "--evidence-dir", str(evidence or tmp / "evidence"), *extra]
    if cursor is not None:
        args += ["--cursor", str(cursor)]
    proc = subprocess.run(args, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=300)
    items_path, stats_path = out / "items.jsonl", out / "stats.json"
    items = [json.loads(line) for line in items_path.read_text("utf-8").splitlines()] if items_path.exists() else []
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    return Run(proc.returncode, proc.stderr, items, stats, out)


@pytest.fixture(scope="module")
def site() -> Iterator[KindSite]:
    with KindSite(messages=300, entries=30, threads=6) as running:
        yield running


# --- Telegram ----------------------------------------------------------------------------------------


def test_channel_crawl_then_incremental(site: KindSite, tmp_path: Path) -> None:
    start = f"{site.url}/s/{CHANNEL}"
    first = crawl(tmp_path, "first", "telegram", [start])
    assert first.returncode == 0, first.stderr
    assert len(first.items) == first.stats["items"] == 300 and first.stats["pages_fetched"] == 15
    ids = {item["external_id"] for item in first.items}
    assert ids == {f"{CHANNEL}/{n}" for n in range(1, 301)}
    assert len({item["canonical_url"] for item in first.items}) == 300
    assert json.loads((first.out / "cursor.json").read_text()) == {"telegram": {CHANNEL: 300}}

    site.add_messages(5)
    site.edit_message(299, "Tin 299 đã sửa: đặt cọc 10 triệu")
    before = len(site.paths(f"/s/{CHANNEL}"))
    again = crawl(tmp_path, "again", "telegram", [start], cursor=first.out / "cursor.json")
    assert again.returncode == 0, again.stderr
    # the newest page only (asked twice: the start-URL preflight and the crawl): it reaches message 300
    assert len(site.paths(f"/s/{CHANNEL}")) - before == 2 and again.stats["pages_fetched"] == 1
    new = {item["external_id"] for item in again.items} - ids
    assert new == {f"{CHANNEL}/{n}" for n in range(301, 306)}
    edited = next(item for item in again.items if item["external_id"] == f"{CHANNEL}/299")
    assert edited["extra"]["edited"] and "đã sửa" in edited["text"]
    assert json.loads((again.out / "cursor.json").read_text())["telegram"][CHANNEL] == 305


def test_page_budget_stops_paging(site: KindSite, tmp_path: Path) -> None:
    run = crawl(tmp_path, "budget", "telegram", [f"{site.url}/s/{CHANNEL}"], max_pages=2)
    assert run.returncode == 0 and run.stats["items"] == 40 and run.stats["pages_fetched"] == 2


@pytest.mark.parametrize("path, phrase", [(f"/{CHANNEL}", f"/s/{CHANNEL}"), ("/khong_ton_tai", "no public preview")])
def test_landing_or_unknown_username_is_a_clear_error(site: KindSite, tmp_path: Path, path: str, phrase: str) -> None:
    url = site.url + path
    start = url if path == f"/{CHANNEL}" else f"{site.url}/s{path}"  # an unknown channel redirects to its landing page
    if path == f"/{CHANNEL}":  # the definition refuses it before any request
        run = crawl(tmp_path, "landing", "telegram", [start])
        assert run.returncode == 2 and "not a public channel preview" in run.stderr
        return
    run = crawl(tmp_path, "unknown", "telegram", [start])
    assert run.returncode == 2, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and "not a public channel preview" in last and phrase in last
    assert run.items == []


# --- feeds ---------------------------------------------------------------------------------------------


def test_feeds_and_sitemaps(site: KindSite, tmp_path: Path) -> None:
    urls = [f"{site.url}/{p}" for p in ("rss.xml", "atom.xml", "sitemap.xml", "junk.rss")]
    first = crawl(tmp_path, "feeds", "feed", urls)
    assert first.returncode == 0, first.stderr
    by_url = {item["canonical_url"]: item for item in first.items}
    assert len(first.items) == 35  # 30 detail pages (RSS, sitemaps and junk feed overlap) + 5 Atom full-text entries
    detail = by_url[f"{site.url}/tin/7.html"]
    assert detail["fields_from"]["title"] == "json-ld" and detail["posted_at"] == "2026-03-08T01:00:00+00:00"
    atom = by_url[f"{site.url}/bai/2.html"]
    assert atom["fields_from"]["text"] == "feed" and atom["author"] == "Phóng viên 2"
    assert first.stats["warnings"] == {"feed_junk": 1} and first.stats["errors"] == []

    site.lastmod[3] = "2026-07-01"  # one sitemap entry changed since
    before = len(site.paths("/tin/"))
    again = crawl(tmp_path, "feeds-again", "feed", [f"{site.url}/sitemap.xml"], cursor=first.out / "cursor.json")
    assert again.returncode == 0, again.stderr
    assert site.paths("/tin/")[before:] == ["/tin/3.html"] and len(again.items) == 1


def test_a_feed_url_that_is_no_feed_is_counted_not_crashed(site: KindSite, tmp_path: Path) -> None:
    run = crawl(tmp_path, "nofeed", "feed", [f"{site.url}/tin/1.html"])
    assert run.returncode == 0 and run.stats["dropped"] == {"page/not_a_feed": 1}
    assert "not an RSS/Atom feed" in run.stats["errors"][0]


# --- forums --------------------------------------------------------------------------------------------


def test_forum_crawl_then_only_new_pages(site: KindSite, tmp_path: Path) -> None:
    first = crawl(tmp_path, "forum", "forum", [f"{site.url}/f/viec-lam.5/"])
    assert first.returncode == 0, first.stderr
    assert len(first.items) == 72  # 6 threads x 12 posts, each post one item
    post = next(item for item in first.items if item["external_id"] == "1003")
    assert post["author"] == "thanhvien3" and post["canonical_url"] == f"{site.url}/t/tuyen-dung-1.1/post-1003"
    assert post["posted_at"] == "2026-01-03T20:15:00+00:00" and "Trích dẫn" not in post["text"]
    assert "Chữ ký" not in post["text"] and post["title"] == "Chủ đề tuyển dụng 1"

    site.reply(0, "Bài mới: tuyển người đi Lào, đặt cọc 3 triệu")
    before = len(site.requests)
    again = crawl(tmp_path, "forum-again", "forum", [f"{site.url}/f/viec-lam.5/"], cursor=first.out / "cursor.json")
    assert again.returncode == 0, again.stderr
    threads = [p for p in site.requests[before:] if p.startswith("/t/")]
    assert threads == ["/t/tuyen-dung-1.1/page-2"]  # the moved thread, from its last page; no other thread
    assert {item["external_id"] for item in again.items} == {"1011", "1012", "1013"}


# --- rendered pages --------------------------------------------------------------------------------------


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (CI: apt-get install -y chromium)")
def test_rendered_source_reads_text_that_only_a_script_writes(site: KindSite, tmp_path: Path) -> None:
    run = crawl(tmp_path, "render", "classifieds", [f"{site.url}/js/viec-lam"], render=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.items) == 5 and run.stats["dropped"] == {}
    item = next(i for i in run.items if i["canonical_url"].endswith("/tin-2/2.html"))
    assert "chỉ có sau khi script chạy" in item["text"] and item["title"] == "Tin tuyển dụng 2"
    raw_path, meta_path = evidence_paths(tmp_path / "evidence", item["sha256"])
    served = gzip.decompress(raw_path.read_bytes()).decode()
    assert "chỉ có sau khi script chạy" not in served.split("<script>")[0]  # the site sent a shell
    meta = json.loads(meta_path.read_text())
    rendered = gzip.decompress(evidence_paths(tmp_path / "evidence", meta["rendered_sha256"])[0].read_bytes()).decode()
    assert "<h1>Tin tuyển dụng 2</h1>" in rendered
    report = verify(tmp_path / "evidence", source="kinds")
    assert report.ok and report.warc_records == 1 + 2 * 6  # robots.txt + (served, rendered) per page


def test_render_without_chromium_is_one_error_line(site: KindSite, tmp_path: Path) -> None:
    run = crawl(tmp_path, "nochromium", "classifieds", [f"{site.url}/js/viec-lam"], "--chromium", "/nonexistent/chromium",
                render=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "error: render: true needs Chromium at /nonexistent/chromium, which is missing (Debian: apt-get install chromium)"]


def test_an_import_source_is_not_crawled(tmp_path: Path) -> None:
    run = crawl(tmp_path, "import", "import", [])
    assert run.returncode == 2 and "lurewatch import" in run.stderr


# --- evidence ---------------------------------------------------------------------------------------------


def gzip_members(data: bytes) -> list[bytes]:
    members = []
    while data:
        inflate = zlib.decompressobj(31)
        members.append(inflate.decompress(data))
        data = inflate.unused_data
    return members


def test_every_fetch_is_kept_and_verify_names_what_changed(site: KindSite, tmp_path: Path) -> None:
    evidence = tmp_path / "ev"
    run = crawl(tmp_path, "evidence", "forum", [f"{site.url}/showthread.php"], evidence=evidence)
    assert run.returncode == 0 and len(run.items) == 3
    item = run.items[0]
    body, meta_path = evidence_paths(evidence, item["sha256"])
    meta = json.loads(meta_path.read_text())
    assert meta["url"] == meta["requested_url"] == f"{site.url}/showthread.php" and meta["http_status"] == 200
    assert meta["headers"]["Content-Type"] == "text/html; charset=utf-8" and meta["fetched_at"].endswith("+00:00")
    (warc,) = list((evidence / "warc" / "kinds").glob("*.warc.gz"))
    clean = verify(evidence)
    assert clean.ok and clean.bodies == 1 and clean.warc_records == 2 and item["sha256"] in clean.payloads

    damaged = bytearray(gzip.decompress(body.read_bytes()))
    damaged[100] ^= 1
    body.write_bytes(gzip.compress(bytes(damaged)))
    records = gzip_members(warc.read_bytes())  # one gzip member per record, as WARC files are written
    phrase = "Tuyển người".encode()  # a byte of the thread page's payload, not of its headers
    records = [r.replace(phrase, b"X" + phrase[1:], 1) if phrase in r else r for r in records]
    warc.write_bytes(b"".join(gzip.compress(r) for r in records))
    report = verify(evidence)
    assert not report.ok and len(report.problems) == 2
    assert any(str(body) in p and "sha256" in p for p in report.problems)
    assert any(str(warc) in p and "digest" in p for p in report.problems)
