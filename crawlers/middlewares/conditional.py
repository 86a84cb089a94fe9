"""Conditional GETs for item pages: send the ETag / Last-Modified seen last time, and drop a
304 answer (counted) so an unchanged ad is neither downloaded nor parsed again. Listing pages
never carry the headers: they are always fetched.

A page's validators are kept only once its post was exported (item_scraped: evidence stored,
item written), so a 304 always stands for a post already stored, and a page that was dropped
(not found, blocked, empty) is fetched in full again next time.

The state is a small JSON file per source: read from LUREWATCH_STATE_IN, written (the old
entries plus this crawl's) to LUREWATCH_STATE_OUT when the crawl closes. The flow promotes the
written file only after ingest has stored the posts, so a crashed run never hides a page.
Each entry also says when the site last confirmed the page (a 200 stored, or a 304) and how its
listing entry read then: what crawlers.revisit needs to leave an unchanged item unrequested.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawlers.parsers.urls import canonical_url

STATE_IN, STATE_OUT = "LUREWATCH_STATE_IN", "LUREWATCH_STATE_OUT"
CONDITIONAL = "lurewatch_conditional"  # request meta: this request may be answered 304
NOT_MODIFIED_STAT = "lurewatch/not_modified"
ENTRY = "lurewatch_entry"  # request meta: the fingerprint of the item's listing entry


def load_state(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged state only costs one full crawl
    return data if isinstance(data, dict) else {}


def save_state(path: Path, state: dict[str, dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler, state_in: Path | None, state_out: Path) -> None:
        self.stats = crawler.stats
        self.state = load_state(state_in)
        self.pending: dict[str, dict[str, str]] = {}  # validators of pages whose post is not out yet
        self.state_out = state_out
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ConditionalGetMiddleware":
        out = crawler.settings.get(STATE_OUT)
        if not out:
            raise NotConfigured(f"{STATE_OUT} is not set")
        state_in = crawler.settings.get(STATE_IN)
        return cls(crawler, Path(state_in) if state_in else None, Path(out))

    def process_request(self, request: Request) -> None:
        if not request.meta.get(CONDITIONAL):
            return
        seen = self.state.get(canonical_url(request.url))
        if seen:
            if seen.get("etag"):
                request.headers[b"If-None-Match"] = seen["etag"].encode("latin-1")
            if seen.get("last_modified"):
                request.headers[b"If-Modified-Since"] = seen["last_modified"].encode("latin-1")

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(CONDITIONAL):
            return response
        entry = request.meta.get(ENTRY)
        if response.status == 304:
            self.stats.inc_value(NOT_MODIFIED_STAT)
            seen = self.state.get(canonical_url(response.url))
            if seen is not None:  # the site confirmed the stored post now
                seen.update(checked=_now(), **({"entry": entry} if entry else {}))
            raise IgnoreRequest(f"not modified: {request.url}")
        if response.status == 200:
            etag = response.headers.get(b"ETag", b"").decode("latin-1")
            modified = response.headers.get(b"Last-Modified", b"").decode("latin-1")
            key = canonical_url(response.url)
            self.state.pop(key, None)  # changed: kept again only once its post is out
            if etag or modified or entry:
                values = (("etag", etag), ("last_modified", modified), ("entry", entry), ("checked", _now()))
                self.pending[key] = {k: v for k, v in values if v}
        return response

    def item_scraped(self, item: dict, response: Response) -> None:
        key = canonical_url(response.url)
        validators = self.pending.pop(key, None)
        if validators:
            self.state[key] = validators

    def spider_closed(self) -> None:
        save_state(self.state_out, self.state)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
