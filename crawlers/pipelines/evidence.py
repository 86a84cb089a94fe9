"""Evidence pipeline: keep the raw body of every exported page, content-addressed by sha256.

Layout: <dir>/<sha[0:2]>/<sha[2:4]>/<sha>.gz (gzip of the body) and <sha>.json (metadata: status,
headers, the URL asked for and the final URL after redirects, fetched_at in UTC, and for a rendered
page the sha256 of the DOM Chromium built, stored the same way beside it).
Files are written atomically and durably (fsync, then rename) and never rewritten: evidence
must not change once stored. An item goes on to the feed only once its evidence is on disk.

The writing runs on two threads: an fsync waits a few milliseconds on the disk, and two
waiting together share journal commits, so the crawl keeps fetching and parsing meanwhile
(gzip, sha256 and fsync all release the GIL).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY, RENDERED_KEY, REQUESTED_URL_KEY

SETTING = "LUREWATCH_EVIDENCE_DIR"
# Threads writing evidence at once. Two keep up with a fast crawl (~800 items/s here, fsync
# included); more only fight the crawl's thread for the GIL (futex calls: 52k with 2 writers,
# 118k-243k with 4-8, per 2,000 items, traced), which shows as system time.
WRITERS = 2


def evidence_paths(evidence_dir: Path, sha256: str) -> tuple[Path, Path]:
    folder = evidence_dir / sha256[0:2] / sha256[2:4]
    return folder / f"{sha256}.gz", folder / f"{sha256}.json"


def write_once(path: Path, data: bytes) -> bool:
    """Write atomically (tmp file + fsync + os.replace) unless the file exists; True if written.

    Few system calls on purpose: each one hands the GIL back and forth with the crawl's thread.
    The tmp name is the writing thread's own, so a crashed run's leftover is simply overwritten.
    """
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with open(fd, "wb", buffering=0, closefd=True) as fh:
            fh.write(data)
            os.fsync(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def store_evidence(evidence_dir: Path, item: dict[str, Any], body: bytes) -> tuple[str, bool]:
    """Write the body (gzip) and its metadata; (sha256 of the body, whether the body was new)."""
    sha = hashlib.sha256(body).hexdigest()
    gz_path, meta_path = evidence_paths(evidence_dir, sha)
    # mtime=0: the same body always gives the same bytes on disk.
    # Posts of one page (a channel, a thread) share its body: compress it once.
    written = not gz_path.exists() and write_once(gz_path, gzip.compress(body, mtime=0))
    rendered = item.get(RENDERED_KEY)
    rendered_sha = None
    if isinstance(rendered, bytes):
        rendered_sha = hashlib.sha256(rendered).hexdigest()
        rendered_path = evidence_paths(evidence_dir, rendered_sha)[0]
        if not rendered_path.exists():
            write_once(rendered_path, gzip.compress(rendered, mtime=0))
    meta = {
        "sha256": sha,
        "url": item.get("url"),
        "requested_url": item.get(REQUESTED_URL_KEY) or item.get("url"),
        "fetched_at": item.get("fetched_at"),
        "http_status": item.get("http_status"),
        "headers": item.get(RAW_HEADERS_KEY) or {},
        **({"rendered_sha256": rendered_sha} if rendered_sha else {}),
    }
    write_once(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    return sha, written


class EvidencePipeline:
    def __init__(self, evidence_dir: Path, stats: StatsCollector) -> None:
        self.evidence_dir = evidence_dir
        self.stats = stats
        self.writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="evidence")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "EvidencePipeline":
        configured = crawler.settings.get(SETTING)
        if not configured:
            raise NotConfigured(f"{SETTING} is not set")
        return cls(Path(configured), crawler.stats)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        body = item.get(RAW_BODY_KEY)
        if not isinstance(body, bytes):
            # An item we cannot back with evidence must not reach reviewers.
            self.stats.inc_value("drop_item/item/no_raw_body")
            raise DropItem(f"no raw body for {item.get('url')}")
        sha, written = await asyncio.wrap_future(self.writers.submit(store_evidence, self.evidence_dir, item, body))
        if item.get("sha256") != sha:
            self.stats.inc_value("evidence/sha256_fixed")
            item["sha256"] = sha
        self.stats.inc_value("evidence/written" if written else "evidence/already_stored")
        return item

    def close_spider(self) -> None:
        self.writers.shutdown(wait=True)
