"""One WARC file per crawl: every response the crawl received (listing pages, feeds, channel and
thread pages, detail pages), as the site served it, with a sha256 block and payload digest; the
DOM a browser rendered goes beside it as a `conversion` record that refers to the response.

Files live under <evidence>/warc/<source>/, so `lurewatch evidence verify --source` finds them.
The crawl's evidence writer (crawlers.evidence_store) writes them, when crawlers.run sets the
LUREWATCH_WARC_PATH setting. No Scrapy here: that writer starts without it.
"""

from __future__ import annotations

import base64
import os
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

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


class WarcFile:
    """The crawl's WARC file, created with its first record (a crawl that received nothing leaves none)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file: BinaryIO | None = None
        self.writer: Sha256WarcWriter | None = None
        self.records = 0

    def add_response(self, url: str, status: int, headers: list[tuple[str, str]], body: bytes, date: str,
                     requested_url: str | None = None, rendered: bytes | None = None) -> None:
        """The response as the site served it; `rendered`, the DOM a browser built from it, as a
        `conversion` record that refers to it."""
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("wb")
            self.writer = Sha256WarcWriter(self.file, gzip=True)
        warc_headers = {"WARC-Date": date}
        if requested_url:
            warc_headers["WARC-Lurewatch-Requested-URI"] = requested_url
        record = self.writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                http_headers=http_headers(status, headers, len(body)),
                                                warc_headers_dict=warc_headers)
        self.writer.write_record(record)
        self.records += 1
        if rendered is not None:
            self.writer.write_record(self.writer.create_warc_record(
                url, "conversion", payload=BytesIO(rendered), warc_content_type="text/html; charset=utf-8",
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": record.rec_headers.get_header("WARC-Record-ID")},
            ))
            self.records += 1

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def write_resource(path: Path, uri: str, body: bytes, content_type: str, when: datetime) -> None:
    """A WARC file of one `resource` record: a file that did not come from a fetch (an import)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = Sha256WarcWriter(fh, gzip=True)
        writer.write_record(writer.create_warc_record(
            uri, "resource", payload=BytesIO(body), warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}))
