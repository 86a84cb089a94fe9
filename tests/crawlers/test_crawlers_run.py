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

import pytest

from crawlers.items import RAW_POST_FIELDS
from crawlers.pipelines.evidence import evidence_paths
from flows.demo_site import ADS, DemoSite, serve

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Crawl:
    returncode: int
    stderr: str
    items: list[dict]
    stats: dict


def run_crawl(start_url: str, out: Path, evidence: Path, *extra: str) -> Crawl:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "crawlers.run", "--source", "demo", "--start-url", start_url,
         "--out", str(out), "--evidence-dir", str(evidence), *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
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
    # 5 listing pages + every ad + the PDF; robots.txt is not a page of the source
    assert result.stats["pages_fetched"] == 5 + len(ADS) + 1


def test_items_have_exactly_the_raw_post_fields(crawl: tuple[Crawl, Path]) -> None:
    result, _ = crawl
    for item in result.items:
        assert tuple(item) == RAW_POST_FIELDS
        assert item["source"] == "demo" and item["http_status"] == 200
        assert item["content_type"].startswith("text/html")
        assert item["title"] and item["text"]
        assert datetime.fromisoformat(item["fetched_at"]).utcoffset().total_seconds() == 0


def test_robots_disallowed_page_is_never_fetched(crawl: tuple[Crawl, Path], site: DemoSite) -> None:
    result, _ = crawl
    assert not [item for item in result.items if "/tin-an/" in item["url"]]
    assert not [path for path in site.requested_paths if path.startswith("/tin-an/")]
    assert "/robots.txt" in site.requested_paths
    assert result.stats["robots_forbidden"] >= 1


def test_pdf_is_dropped_and_counted(crawl: tuple[Crawl, Path]) -> None:
    result, _ = crawl
    assert result.stats["dropped"] == {"page/non_html": 1}
    assert not [item for item in result.items if item["url"].endswith(".pdf")]


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
        assert item["posted_at"].endswith("+07:00")
        assert item["title"] == ad.title
    assert any("utm_source=" in item["url"] for item in result.items)  # fetched as linked


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
        second = run_crawl(site.url + "/viec-lam?page=1", tmp_path / "out", evidence, "--max-pages", "1")
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
    assert result.stderr.startswith("error: invalid arguments: start_url")
    assert "Traceback" not in result.stderr
