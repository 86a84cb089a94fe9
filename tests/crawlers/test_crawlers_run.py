"""`python -m crawlers.run` as a subprocess against the real demo site on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawlers.items import RAW_POST_FIELDS
from crawlers.evidence_store import evidence_paths
from flows.demo_site import ADS, DemoSite, serve

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Crawl:
    returncode: int
    stderr: str
    items: list[dict]
    stats: dict


def definition(start_url: str, **extra) -> dict:
    """Loopback is allowed and politeness off: the tests' own servers."""
    return {"name": "demo", "start_urls": [start_url], "allow_private": True,
            "politeness": {"concurrency": 8, "delay_seconds": 0, "autothrottle": False}, **extra}


def run_crawl(start_url: str, out: Path, evidence: Path, *extra: str, spec: dict | None = None) -> Crawl:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out.mkdir(parents=True, exist_ok=True)
    spec_path = out.parent / f"{out.name}-definition.json"
    spec_path.write_text(json.dumps(spec or definition(start_url)), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "crawlers.run", "--definition", str(spec_path),
         "--out", str(out), "--evidence-dir", str(evidence), *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    items_path, stats_path = out / "items.jsonl", out / "stats.json"
    items = [json.loads(line) for line in items_path.read_text(encoding="utf-8").splitlines()] if items_path.exists() else []
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
    return Crawl(proc.returncode, proc.stderr, items, stats)


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with serve() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, Path]:
    root = tmp_path_factory.mktemp("crawl")
    return run_crawl(site.url + "/viec-lam?page=1", root / "out", root / "evidence"), root / "evidence"


def test_crawl_finishes_and_fetches_every_ad(crawl: tuple[Crawl, Path], site: DemoSite) -> None:
    result, _ = crawl
    assert result.returncode == 0, result.stderr
    assert result.stats["finish_reason"] == "finished"
    assert result.stats["items"] == len(result.items) == len(ADS)
    assert {item["canonical_url"] for item in result.items} == {site.url + ad.path for ad in ADS}
    assert result.stats["errors"] == []
    # 5 listing pages + every ad, nothing else (no hidden ad, no PDF, no navigation);
    # robots.txt is not a page of the source
    assert result.stats["pages_fetched"] == 5 + len(ADS)
    assert result.stats["listing_pages"] == 5 and result.stats["detail_bodies"] == len(ADS)


def test_items_have_exactly_the_raw_post_fields(crawl: tuple[Crawl, Path]) -> None:
    result, _ = crawl
    for item in result.items:
        assert tuple(item) == RAW_POST_FIELDS
        assert item["source"] == "demo" and item["http_status"] == 200
        assert item["content_type"].startswith("text/html")
        assert item["title"] and item["text"]
        assert datetime.fromisoformat(item["fetched_at"]).utcoffset().total_seconds() == 0


def test_evidence_matches_every_item(crawl: tuple[Crawl, Path]) -> None:
    result, evidence = crawl
    for item in result.items:
        gz_path, meta_path = evidence_paths(evidence, item["sha256"])
        assert hashlib.sha256(gzip.decompress(gz_path.read_bytes())).hexdigest() == item["sha256"]
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assert meta["sha256"] == item["sha256"] and meta["url"] == item["url"]
        assert meta["http_status"] == 200 and meta["fetched_at"] == item["fetched_at"]


def test_canonical_url_and_posted_at(crawl: tuple[Crawl, Path], site: DemoSite) -> None:
    result, _ = crawl
    by_canonical = {item["canonical_url"]: item for item in result.items}
    for ad in ADS:
        item = by_canonical[site.url + ad.path]
        assert "utm_" not in item["canonical_url"]
        assert datetime.fromisoformat(item["posted_at"]) == ad.posted_at
        assert item["posted_at"].endswith("+00:00")  # stored as UTC
        assert item["title"] == ad.title
    assert not any("utm_source=" in item["url"] for item in result.items)  # tracking query dropped before fetch


def test_summary_is_one_line_on_stderr(crawl: tuple[Crawl, Path]) -> None:
    result, _ = crawl
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("crawl demo:") and f"{len(ADS)} items" in last
    assert "Traceback" not in result.stderr


def test_max_pages_and_changed_ad_with_immutable_evidence(site: DemoSite, crawl: tuple[Crawl, Path], tmp_path: Path) -> None:
    first, evidence = crawl
    newest = max(ADS, key=lambda ad: (ad.posted_at, ad.id))  # on listing page 1
    old = next(item for item in first.items if item["canonical_url"] == site.url + newest.path)
    untouched = [item for item in first.items if item is not old]
    mtimes = {i["sha256"]: evidence_paths(evidence, i["sha256"])[0].stat().st_mtime_ns for i in untouched}
    site.edit_ad(newest.id, newest.text + "\nCập nhật: đã tuyển đủ người.")
    try:
        second = run_crawl(site.url + "/viec-lam?page=1", tmp_path / "out", evidence,
                           spec=definition(site.url + "/viec-lam?page=1", max_pages=1))
    finally:
        site.edit_ad(newest.id, newest.text)
    assert second.returncode == 0, second.stderr
    assert second.stats["items"] == 10  # only listing page 1
    new = next(item for item in second.items if item["canonical_url"] == old["canonical_url"])
    assert new["sha256"] != old["sha256"]
    assert "Cập nhật: đã tuyển đủ người." in new["text"].split("\n")
    assert "Cập nhật: đã tuyển đủ người." not in old["text"]
    assert evidence_paths(evidence, old["sha256"])[0].exists()  # the old version is kept
    for sha, mtime in mtimes.items():
        assert evidence_paths(evidence, sha)[0].stat().st_mtime_ns == mtime  # never rewritten


def test_revisit_requests_only_items_whose_listing_entry_changed_until_the_check_is_old(tmp_path: Path) -> None:
    """revisit_hours: an item whose card reads the same is not asked for (counted); an edit its card
    shows is fetched and read again at once; an edit the card does not show waits for the hours."""
    with serve() as own:
        start = own.url + "/viec-lam?page=1"
        spec = definition(start, revisit_hours=24)
        first = run_crawl(start, tmp_path / "first", tmp_path / "evidence", spec=spec)
        assert first.returncode == 0 and first.stats["items"] == len(ADS)
        shown, hidden = [ad for ad in ADS if not ad.is_lure][:2]
        own.edit_ad(shown.id, "Lương 15 triệu, bao ăn ở. " + shown.text)  # the card's snippet changes
        own.edit_ad(hidden.id, hidden.text + "\nCập nhật: đã tuyển đủ người.")  # below the snippet
        asked = len(own.requested_paths)
        second = run_crawl(start, tmp_path / "second", tmp_path / "evidence",
                           "--state", str(tmp_path / "first" / "state.json"), spec=spec)
        ads_asked = {p.split("?")[0] for p in own.requested_paths[asked:] if p.startswith("/tin/")}

        # the state of that crawl, as if its checks were two days old: every item is asked again
        state = json.loads((tmp_path / "second" / "state.json").read_text("utf-8"))
        for seen in state.values():
            seen["checked"] = "2020-01-01T00:00:00+00:00"
        (tmp_path / "old-state.json").write_text(json.dumps(state), "utf-8")
        third = run_crawl(start, tmp_path / "third", tmp_path / "evidence", "--state", str(tmp_path / "old-state.json"),
                          spec=spec)

    assert second.returncode == 0, second.stderr
    assert ads_asked == {shown.path}
    assert second.stats["revisit_skipped"] == len(ADS) - 1 and second.stats["not_modified"] == 0
    assert second.stats["detail_bodies"] == 1 and second.stats["listing_pages"] == 5
    assert [item["canonical_url"] for item in second.items] == [own.url + shown.path]
    assert "Lương 15 triệu, bao ăn ở." in second.items[0]["text"]
    assert "not due (revisit): " + str(len(ADS) - 1) in second.stderr

    assert third.returncode == 0, third.stderr
    assert third.stats["revisit_skipped"] == 0 and third.stats["not_modified"] == len(ADS) - 1
    assert [item["canonical_url"] for item in third.items] == [own.url + hidden.path]
    assert "Cập nhật: đã tuyển đủ người." in third.items[0]["text"]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_start_url_exits_2_with_one_error_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/viec-lam"
    result = run_crawl(url, tmp_path / "out", tmp_path / "evidence")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"error: cannot reach {url}: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "items.jsonl").exists()


def test_non_html_start_url_exits_2(site: DemoSite, tmp_path: Path) -> None:
    url = site.url + "/files/bang-gia.pdf"
    result = run_crawl(url, tmp_path / "out", tmp_path / "evidence")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {url} is not an HTML page (application/pdf)"


def test_bad_start_url_exits_2(tmp_path: Path) -> None:
    result = run_crawl("ftp://127.0.0.1/", tmp_path / "out", tmp_path / "evidence")
    assert result.returncode == 2
    assert result.stderr.startswith("error: invalid source definition: start_urls: must be an http(s) URL")
    assert "Traceback" not in result.stderr


def test_private_start_url_is_refused_unless_allowed(site: DemoSite, tmp_path: Path) -> None:
    url = site.url + "/viec-lam?page=1"
    spec = {"name": "demo", "start_urls": [url]}
    result = run_crawl(url, tmp_path / "out", tmp_path / "evidence", spec=spec)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: invalid source definition: start_urls:")
    assert "private, loopback or link-local" in result.stderr
    assert not site.requested_paths or all(p != "/viec-lam?page=1-refused" for p in site.requested_paths)


@pytest.fixture(scope="module")
def hostile_crawls(hostile_site, tmp_path_factory: pytest.TempPathFactory) -> tuple[Crawl, Crawl]:
    root = tmp_path_factory.mktemp("hostile")
    spec = definition(hostile_site.url + "/viec-lam", name="hostile", allowed_domains=["127.0.0.1"],
                      politeness={"concurrency": 4, "delay_seconds": 0, "autothrottle": False})
    first = run_crawl("", root / "first", root / "evidence", spec=spec)
    second = run_crawl("", root / "second", root / "evidence", "--state", str(root / "first" / "state.json"), spec=spec)
    return first, second


def _by_path(crawl: Crawl) -> dict[str, dict]:
    return {urlsplit(item["url"]).path: item for item in crawl.items}


def test_nothing_leaves_the_allowed_domains(hostile_crawls, hostile_site) -> None:
    first, _ = hostile_crawls
    assert first.returncode == 0, first.stderr
    assert hostile_site.paths_on("localhost") == []  # not the redirect, not the refresh, not its robots.txt
    assert first.stats["dropped"]["redirect/offsite"] == 1
    assert first.stats["dropped"]["meta_refresh/offsite"] == 1
    assert not [p for p in _by_path(first) if "stolen" in p]


def test_hostile_pages_are_dropped_and_counted(hostile_crawls, hostile_site) -> None:
    ad_path = hostile_site.ad_path
    first, _ = hostile_crawls
    dropped = first.stats["dropped"]
    assert dropped["page/too_large"] == 1  # the gzip bomb, never inflated past DOWNLOAD_MAXSIZE
    assert dropped["page/not_found"] == 1 and dropped["page/blocked"] == 1 and dropped["page/non_html"] == 1
    assert first.stats["robots_forbidden"] == 1 and ad_path(1011) not in hostile_site.paths_on("127.0.0.1")
    paths = _by_path(first)
    assert set(paths) == {ad_path(i) for i in (1003, 1005, 1006, 1007, 1008)}
    assert first.stats["errors"] == []


def test_hostile_pages_that_are_ads_are_read_right(hostile_crawls, hostile_site) -> None:
    ad_path = hostile_site.ad_path
    first, _ = hostile_crawls
    paths = _by_path(first)
    assert "Tuyển nhân viên kho" in paths[ad_path(1003)]["text"]  # javascript: refresh ignored, page read
    huge = paths[ad_path(1005)]
    assert len(huge["text"]) <= 20_000 and huge["text"].count("Việc nhẹ lương cao") > 500
    assert "Tuyển thợ may công nghiệp" in paths[ad_path(1006)]["text"]  # windows-1258 -> NFC
    assert paths[ad_path(1006)]["title"] == "Tuyển thợ may"
    for item in first.items:
        posted, fetched = datetime.fromisoformat(item["posted_at"]), datetime.fromisoformat(item["fetched_at"])
        assert 10 * 60 <= (fetched - posted).total_seconds() <= 12 * 60  # "Đăng 11 phút trước"
        assert item["fields_from"]["posted_at"] == "html"


def test_retry_after_is_honoured(hostile_crawls, hostile_site) -> None:
    ad_path = hostile_site.ad_path
    first, second = hostile_crawls
    times = hostile_site.times[ad_path(1008)]
    assert len(times) >= 3  # 429, then the retry in each crawl
    assert times[1] - times[0] >= 0.9  # Retry-After: 1


def test_unchanged_page_is_not_downloaded_again(hostile_crawls, hostile_site) -> None:
    ad_path = hostile_site.ad_path
    _, second = hostile_crawls
    assert second.returncode == 0, second.stderr
    assert second.stats["not_modified"] == 1
    assert ad_path(1007) not in _by_path(second)
    conditional = [h for host, p, h in hostile_site.requests if p == ad_path(1007) and "If-None-Match" in h]
    assert conditional and conditional[-1]["If-None-Match"] == '"v1"'


def test_a_dropped_page_is_not_asked_for_conditionally(hostile_crawls, hostile_site) -> None:
    """Validators are kept only for pages whose post went out: a 304 always means a stored post."""
    gone = [h for host, p, h in hostile_site.requests if p == hostile_site.ad_path(1009)]
    assert len(gone) == 2  # the soft 404 (with an ETag) was fetched in full by both crawls
    assert not any("If-None-Match" in h for h in gone)
