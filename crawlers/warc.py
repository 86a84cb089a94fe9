"""One WARC file per crawl: every response the crawl received (listing pages, feeds, channel and
thread pages, detail pages), as the site served it, with a sha256 block and payload digest; the
DOM a browser rendered goes beside it as a `conversion` record that refers to the response.

Files live under <evidence>/warc/<source>/, so `lurewatch evidence verify --source` finds them.
The extension is switched on by the LUREWATCH_WARC_PATH setting (crawlers.run sets it).
"""

from __future__ import annotations

import base64
import os
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

WARC_PATH = "LUREWATCH_WARC_PATH"
WARC_DIR = "warc"
SERVED_KEY = "lurewatch_served"  # response meta: (status, headers, body) as served, when a browser rendered the page
# The body Scrapy hands on is already inflated: the record says so instead of claiming gzip.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def warc_path(evidence_dir: Path, source: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return evidence_dir / WARC_DIR / source / f"{stamp}-{os.getpid()}.warc.gz"


def sha256_hex(digest: str | None) -> str | None:
    """'sha256:<base32>' (a WARC digest) -> hex, to find the content-addressed body."""
    if not digest or not digest.startswith("sha256:"):
        return None
    try:
        return base64.b32decode(digest.split(":", 1)[1]).hex()
    except ValueError:
        return None


class Sha256WarcWriter(WARCWriter):
    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def http_headers(status: int, headers: list[tuple[str, str]], body_length: int) -> StatusAndHeaders:
    kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED_HEADERS]
    return StatusAndHeaders(f"{status} -", kept + [("Content-Length", str(body_length))], protocol="HTTP/1.1")


class WarcWriterExtension:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.file = path.open("wb")
        self.writer = Sha256WarcWriter(self.file, gzip=True)
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WarcWriterExtension":
        configured = crawler.settings.get(WARC_PATH)
        if not configured:
            raise NotConfigured(f"{WARC_PATH} is not set")
        ext = cls(Path(configured))
        ext.stats = crawler.stats
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        fetched_at = response.meta.setdefault("lurewatch_fetched_at", datetime.now(timezone.utc))
        date = fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        served = response.meta.get(SERVED_KEY)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
        status, body = (served[0], served[2]) if served else (response.status, response.body)
        if served:
            headers = list(served[1].items())
        warc_headers = {"WARC-Date": date}
        redirects = request.meta.get("redirect_urls")
        if redirects:
            warc_headers["WARC-Lurewatch-Requested-URI"] = redirects[0]
        record = self.writer.create_warc_record(response.url, "response", payload=BytesIO(body),
                                                http_headers=http_headers(status, headers, len(body)),
                                                warc_headers_dict=warc_headers)
        self.writer.write_record(record)
        self.records += 1
        if served:  # the DOM Chromium built, kept beside what the site sent
            dom = self.writer.create_warc_record(
                response.url, "conversion", payload=BytesIO(response.body),
                warc_content_type="text/html; charset=utf-8",
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": record.rec_headers.get_header("WARC-Record-ID")},
            )
            self.writer.write_record(dom)
            self.records += 1
        self.stats.inc_value("evidence/warc_records", 2 if served else 1)

    def spider_closed(self, spider: Any) -> None:
        self.file.close()
        if self.records == 0:
            self.path.unlink(missing_ok=True)


def write_resource(path: Path, uri: str, body: bytes, content_type: str, when: datetime) -> None:
    """A WARC file of one `resource` record: a file that did not come from a fetch (an import)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = Sha256WarcWriter(fh, gzip=True)
        writer.write_record(writer.create_warc_record(
            uri, "resource", payload=BytesIO(body), warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}))
