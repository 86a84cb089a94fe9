"""Classifieds spider: listing page -> ad pages -> next listing page, one RawPost per ad."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import scrapy
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY
from crawlers.mime import is_html_type
from crawlers.parsers import classifieds as board_parser
from crawlers.report import ERROR_COUNT_STAT, ERRORS_STAT

MAX_ERROR_MESSAGES = 50


class ClassifiedsArgs(BaseModel):
    """Spider arguments: a bad value fails at construction with a readable message."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str = Field(min_length=1)
    start_url: str
    max_pages: PositiveInt = 50

    @field_validator("start_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("start_url must be an http(s) URL with a host")
        return value


def content_type_of(response: Response) -> str:
    return response.headers.get(b"Content-Type", b"").decode("latin-1").strip()


def is_html(response: Response) -> bool:
    return is_html_type(content_type_of(response))


class ClassifiedsSpider(scrapy.Spider):
    name = "classifieds"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = {k: kwargs.pop(k) for k in list(kwargs) if k in ClassifiedsArgs.model_fields}
        self.args = ClassifiedsArgs(**fields)
        super().__init__(*args, **kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "ClassifiedsSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._listing_request(self.args.start_url, page=1)

    def _listing_request(self, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_error, cb_kwargs={"page": page})

    def parse_listing(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        if not self._keep_html(response):
            return
        listing = board_parser.parse_listing(response.url, response.text)
        self.crawler.stats.inc_value("lurewatch/listing_pages")
        self.logger.info("listing page %d: %s (%d links)", page, response.url, len(listing.detail_urls))
        for url in listing.detail_urls:
            yield scrapy.Request(url, callback=self.parse_detail, errback=self.on_error)
        if listing.next_url is None:
            return
        if page >= self.args.max_pages:
            # Not an error, but operators should see that the source was cut short.
            self.crawler.stats.inc_value("lurewatch/max_pages_reached")
            self.logger.info("max_pages=%d reached, not following %s", self.args.max_pages, listing.next_url)
            return
        yield self._listing_request(listing.next_url, page=page + 1)

    def parse_detail(self, response: Response) -> Iterator[dict[str, Any]]:
        if not self._keep_html(response):
            return
        ad = board_parser.parse_detail(response.url, response.text)
        if not ad.text:
            self.crawler.stats.inc_value("drop_item/page/no_text")
            self.logger.info("dropped %s: no ad text found", response.url)
            return
        self.logger.debug("ad page %s", response.url)
        yield {
            "source": self.args.source,
            "url": response.url,
            "canonical_url": ad.canonical_url,
            "title": ad.title,
            "text": ad.text,
            "posted_at": ad.posted_at.isoformat() if ad.posted_at else None,
            "fetched_at": datetime.now(timezone.utc).isoformat(),
            "sha256": hashlib.sha256(response.body).hexdigest(),
            "http_status": response.status,
            "content_type": content_type_of(response),
            # Private: for the evidence pipeline only, stripped before export.
            RAW_BODY_KEY: response.body,
            RAW_HEADERS_KEY: {
                k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
            },
        }

    def _keep_html(self, response: Response) -> bool:
        if is_html(response):
            return True
        self.crawler.stats.inc_value("drop_item/page/non_html")
        self.logger.info("dropped %s: not HTML (%s)", response.url, content_type_of(response) or "no type")
        return False

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            self._record_error(f"HTTP {failure.value.response.status}: {url}")
        elif failure.check(IgnoreRequest):
            return  # robots.txt and similar refusals: Scrapy counts them (robotstxt/forbidden)
        else:
            self._record_error(f"{failure.type.__name__}: {failure.getErrorMessage()} ({url})")

    def _on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        self._record_error(f"parse error {failure.type.__name__}: {failure.getErrorMessage()} ({response.url})")

    def _record_error(self, message: str) -> None:
        self.logger.warning(message)
        errors = self.crawler.stats.get_value(ERRORS_STAT)
        if errors is None:
            errors = []
            self.crawler.stats.set_value(ERRORS_STAT, errors)
        if len(errors) < MAX_ERROR_MESSAGES:
            errors.append(message)
        self.crawler.stats.inc_value(ERROR_COUNT_STAT)
