"""Evidence pipeline: keep the raw body of every exported page, content-addressed by sha256.

Layout: <dir>/<sha[0:2]>/<sha[2:4]>/<sha>.gz (gzip of the body) and <sha>.json (metadata: status,
headers, the URL asked for and the final URL after redirects, fetched_at in UTC, and for a rendered
page the sha256 of the DOM Chromium built, stored the same way beside it).
Files are written atomically and never rewritten: evidence must not change once stored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY, RENDERED_KEY, REQUESTED_URL_KEY

SETTING = "LUREWATCH_EVIDENCE_DIR"


def evidence_paths(evidence_dir: Path, sha256: str) -> tuple[Path, Path]:
    folder = evidence_dir / sha256[0:2] / sha256[2:4]
    return folder / f"{sha256}.gz", folder / f"{sha256}.json"


def write_once(path: Path, data: bytes) -> bool:
    """Write atomically (tmp file + os.replace) unless the file exists; True if written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class EvidencePipeline:
    def __init__(self, evidence_dir: Path, stats: StatsCollector) -> None:
        self.evidence_dir = evidence_dir
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "EvidencePipeline":
        configured = crawler.settings.get(SETTING)
        if not configured:
            raise NotConfigured(f"{SETTING} is not set")
        return cls(Path(configured), crawler.stats)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        body = item.get(RAW_BODY_KEY)
        if not isinstance(body, bytes):
            # An item we cannot back with evidence must not reach reviewers.
            self.stats.inc_value("drop_item/item/no_raw_body")
            raise DropItem(f"no raw body for {item.get('url')}")
        sha = hashlib.sha256(body).hexdigest()
        if item.get("sha256") != sha:
            self.stats.inc_value("evidence/sha256_fixed")
            item["sha256"] = sha
        gz_path, meta_path = evidence_paths(self.evidence_dir, sha)
        # mtime=0: the same body always gives the same bytes on disk.
        # Posts of one page (a channel, a thread) share its body: compress it once.
        written = not gz_path.exists() and write_once(gz_path, gzip.compress(body, mtime=0))
        rendered = item.get(RENDERED_KEY)
        rendered_sha = None
        if isinstance(rendered, bytes):
            rendered_sha = hashlib.sha256(rendered).hexdigest()
            rendered_path = evidence_paths(self.evidence_dir, rendered_sha)[0]
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
        self.stats.inc_value("evidence/written" if written else "evidence/already_stored")
        return item
