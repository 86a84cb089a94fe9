"""Classifieds spider: listing page -> item pages -> next listing page, one RawPost per item.

It takes a validated SourceDefinition and hands every page to crawlers.parsers.page; it only
fetches, counts and yields. Nothing leaves the source's allowed domains (SiteGuardMiddleware,
GuardedResolver); meta refreshes are followed through the same guard.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawlers.evidence_writer import FETCHED_AT_KEY
from crawlers.middlewares.conditional import CONDITIONAL, ENTRY
from crawlers.mime import is_html_type
from crawlers.parsers.page import PageResult, parse_page
from crawlers.parsers.urls import canonical_url
from crawlers.report import record_error
from crawlers.resolver import REFUSED
from crawlers.revisit import SKIPPED_STAT, Revisit
from crawlers.source import SourceDefinition
from crawlers.spiders.raw_post import content_type_of, raw_post

MAX_REFRESH_HOPS = 3


def as_definition(value: SourceDefinition | dict | str) -> SourceDefinition:
    """The spider argument: a definition, its dict, or its JSON (Scrapy's -a passes strings)."""
    if isinstance(value, SourceDefinition):
        return value
    return SourceDefinition.model_validate(json.loads(value) if isinstance(value, str) else value)


class ClassifiedsSpider(scrapy.Spider):
    name = "classifieds"

    def __init__(self, *args: Any, definition: SourceDefinition | dict | str, **kwargs: Any) -> None:
        self.definition = as_definition(definition)
        self.rules = self.definition.page_rules()
        self.listings_seen: set[str] = set()
        self.revisit = Revisit({}, 0)  # from_crawler reads the last crawl's state
        super().__init__(*args, **kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ClassifiedsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.revisit = Revisit.from_settings(crawler.settings, spider.definition.revisit_hours)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.definition.start_urls:
            request = self._listing_request(url, page=1)
            if request is not None:
                yield request

    # --- requests --------------------------------------------------------------------------

    def _listing_request(self, url: str, page: int, hops: int = 0) -> scrapy.Request | None:
        key = canonical_url(url)
        if key in self.listings_seen:
            self.crawler.stats.inc_value("lurewatch/listing_loop")  # a next link back to a seen page
            return None
        self.listings_seen.add(key)
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                              cb_kwargs={"page": page, "hops": hops})

    def _detail_request(self, url: str, hops: int = 0, via: str = "request", entry: str | None = None) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error, cb_kwargs={"hops": hops},
                              meta={CONDITIONAL: True, "lurewatch_via": via, ENTRY: entry})

    # --- callbacks --------------------------------------------------------------------------

    def parse_listing(self, response: Response, page: int, hops: int) -> Iterator[scrapy.Request]:
        result = self._parse(response, "listing")
        if result is None:
            return
        if result.kind == "redirect":
            if hops < MAX_REFRESH_HOPS:
                self.crawler.stats.inc_value("lurewatch/meta_refresh")
                request = self._listing_request(result.follow[0], page, hops + 1)
                if request is not None:
                    request.meta["lurewatch_via"] = "meta_refresh"
                    yield request
            return
        self.crawler.stats.inc_value("lurewatch/listing_pages")
        self.crawler.stats.inc_value("lurewatch/item_links", len(result.follow))
        self.logger.info("listing page %d: %s (%d items, shape %s)", page, response.url, len(result.follow),
                         result.item_pattern)
        now = datetime.now(timezone.utc)
        for url in result.follow:
            entry = result.entries.get(url)
            if self.revisit.skip(url, entry, now):
                self.crawler.stats.inc_value(SKIPPED_STAT)  # listing entry unchanged, page checked lately
                continue
            yield self._detail_request(url, entry=entry)
        if result.next is None:
            return
        if page >= self.definition.max_pages:
            self.crawler.stats.inc_value("lurewatch/max_pages_reached")
            self.logger.info("max_pages=%d reached, not following %s", self.definition.max_pages, result.next)
            return
        request = self._listing_request(result.next, page + 1)
        if request is not None:
            yield request

    def parse_detail(self, response: Response, hops: int) -> Iterator[Any]:
        self.crawler.stats.inc_value("lurewatch/detail_bodies")
        result = self._parse(response, "detail")
        if result is None:
            return
        if result.kind == "redirect":
            if hops < MAX_REFRESH_HOPS:
                self.crawler.stats.inc_value("lurewatch/meta_refresh")
                yield self._detail_request(result.follow[0], hops + 1, via="meta_refresh")
            return
        if not result.posts:
            self._drop(response, result.dropped or "no_post")
            return
        post = result.posts[0]
        if post.text_truncated:
            self.crawler.stats.inc_value("lurewatch/text_truncated")
        yield raw_post(self.definition.name, response, post, self._fetched_at(response))

    def _parse(self, response: Response, role: str) -> PageResult | None:
        if not is_html_type(content_type_of(response)):
            self._drop(response, "non_html")
            return None
        result = parse_page(response.url, response.body, fetched_at=self._fetched_at(response),
                            content_type=content_type_of(response), role=role, rules=self.rules)
        if result.ignored_refresh:
            self.crawler.stats.inc_value("lurewatch/meta_refresh_ignored")
        if result.kind in ("not_found", "blocked"):
            self._drop(response, result.kind)
            return None
        return result

    def _fetched_at(self, response: Response) -> datetime:
        stamp = response.meta.get(FETCHED_AT_KEY)
        if stamp is None:
            stamp = response.meta[FETCHED_AT_KEY] = datetime.now(timezone.utc)
        return stamp

    def _drop(self, response: Response, reason: str) -> None:
        self.crawler.stats.inc_value(f"drop_item/page/{reason}")
        self.logger.info("dropped %s: %s", response.url, reason)

    # --- failures ---------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        message = failure.getErrorMessage()
        if failure.check(HttpError):
            self._record_error(f"HTTP {failure.value.response.status}: {url}")
        elif "DOWNLOAD_MAXSIZE" in message or "max size" in message or failure.check(CancelledError):
            self.crawler.stats.inc_value("drop_item/page/too_large")
        elif failure.check(DNSLookupError) and REFUSED in message:
            self.crawler.stats.inc_value("drop_item/request/private_address")
        elif failure.check(IgnoreRequest):
            return  # robots.txt, 304, the site guard: each counted where it was decided
        else:
            self._record_error(f"{failure.type.__name__}: {message} ({url})")

    def _on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        self._record_error(f"parse error {failure.type.__name__}: {failure.getErrorMessage()} ({response.url})")

    def _record_error(self, message: str) -> None:
        self.logger.warning(message)
        record_error(self.crawler.stats, message)
