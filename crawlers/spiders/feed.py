"""Feed spider: RSS/Atom feeds and XML sitemaps. Entries that carry their full text are posts;
the others lead to detail pages, read by the classifieds spider's detail callback (the same
layers). An entry whose lastmod is the one the last crawl stored is not fetched again; a feed
with junk before its root element is still read, and the run counts a warning."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.parsers.feed import parse_feed
from crawlers.parsers.urls import canonical_url
from crawlers.report import WARNINGS_STAT
from crawlers.spiders.kind_base import KindSpider
from crawlers.spiders.raw_post import content_type_of

KIND = "feed"


class FeedSpider(KindSpider):
    name = "feed"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # entry URL -> every lastmod the feeds gave it (an RSS pubDate, a sitemap lastmod): once the
        # page is read, the next crawl skips it while each feed still says the same
        self.lastmods: dict[str, set[str]] = {}
        self.read_ok: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.definition.start_urls:
            request = self._feed_request(url, page=1)
            if request is not None:
                yield request

    def _feed_request(self, url: str, page: int) -> scrapy.Request | None:
        key = canonical_url(url)
        if key in self.listings_seen:
            self.crawler.stats.inc_value("lurewatch/listing_loop")
            return None
        self.listings_seen.add(key)
        return scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, cb_kwargs={"page": page})

    def parse_feed(self, response: Response, page: int) -> Iterator[Any]:
        stats = self.crawler.stats
        try:
            feed = parse_feed(response.url, response.body, fetched_at=self._fetched_at(response),
                              content_type=content_type_of(response))
        except ValueError as exc:
            self._drop(response, "not_a_feed")
            self._record_error(str(exc))
            return
        stats.inc_value("lurewatch/listing_pages")
        stats.inc_value(f"lurewatch/feed/{feed.kind}")
        stats.inc_value("lurewatch/feed/entries", len(feed.entries))
        if feed.warning:
            stats.inc_value(f"{WARNINGS_STAT}/feed_junk")
            self.logger.warning("read past junk in %s: %s", response.url, feed.warning)
        for post in feed.posts():
            yield self.post_item(response, post)
        for url in feed.sitemaps:
            request = self._feed_request(url, page)
            if request is not None:
                yield request
        for entry in feed.entries:
            if entry.text:
                continue
            key = canonical_url(entry.url)
            if entry.lastmod and entry.lastmod in (self.cursor.get(KIND, key) or ()):
                stats.inc_value("lurewatch/feed/unchanged")
                continue
            if entry.lastmod:
                self.lastmods.setdefault(key, set()).add(entry.lastmod)
            yield self._detail_request(entry.url)
        if feed.next and page < self.definition.max_pages:
            request = self._feed_request(feed.next, page + 1)
            if request is not None:
                yield request

    def parse_detail(self, response: Response, hops: int) -> Iterator[Any]:
        yield from super().parse_detail(response, hops)
        self.read_ok.add(canonical_url((response.request.meta.get("redirect_urls") or [response.request.url])[0]))

    def _save_cursor(self, spider: Any, reason: str) -> None:
        for key in self.read_ok & self.lastmods.keys():
            self.cursor.put(KIND, key, sorted(self.lastmods[key]))
        super()._save_cursor(spider, reason)
