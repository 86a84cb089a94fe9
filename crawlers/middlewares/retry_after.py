"""429 and 503 answers: wait as long as the site's Retry-After asks (seconds or an HTTP date,
capped), by slowing the whole download slot of that site, then retry a bounded number of times."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import scrapy.core.downloader as downloader_module

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

CODES = (429, 503)
MAX_WAIT = 300.0
DEFAULT_WAIT = 5.0


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def slow_down(slot, wait: float) -> None:  # type: ignore[no-untyped-def]
    """The site asked the whole crawl to wait: the slot's delay becomes at least `wait`, without
    the random jitter that would shorten it by up to half, counted from this answer rather than
    from when the last request left (Scrapy's own clock, monotonic in recent versions)."""
    slot.delay = max(slot.delay, wait)
    if hasattr(slot, "jitter"):
        slot.jitter = 0.0
    else:  # an older Scrapy, whose slots have randomize_delay instead
        slot.randomize_delay = False
    slot.lastseen = max(slot.lastseen, getattr(downloader_module, "monotonic", time.time)())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, max_retries: int) -> None:
        self.crawler = crawler
        self.max_retries = max_retries

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RetryAfterMiddleware":
        return cls(crawler, crawler.settings.getint("RETRY_TIMES", 2))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in CODES:
            return response
        stats = self.crawler.stats
        tries = request.meta.get("retry_after_tries", 0)
        if tries >= self.max_retries:
            stats.inc_value(f"lurewatch/retry_after/gave_up_{response.status}")
            return response
        header = response.headers.get(b"Retry-After", b"").decode("latin-1")
        wait = retry_after_seconds(header)
        if wait is None:
            wait = DEFAULT_WAIT
        if wait > MAX_WAIT:
            stats.inc_value("lurewatch/retry_after/too_long")
            return response
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slow_down(slot, wait)
        stats.inc_value(f"lurewatch/retry_after/{response.status}")
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_tries"] = tries + 1
        return retry
