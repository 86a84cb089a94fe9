"""Forum spider: forum pages -> threads -> thread pages -> one RawPost per post.

A thread whose latest post is the one the last crawl saw is not fetched again; a thread that
moved is fetched from the last page the last crawl read, so only its new pages are downloaded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.parsers.forum import parse_forum
from crawlers.parsers.urls import canonical_url
from crawlers.spiders.kind_base import KindSpider
from crawlers.spiders.raw_post import content_type_of

KIND = "forum"


class ForumSpider(KindSpider):
    name = "forum"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.definition.start_urls:
            yield self._page_request(url, page=1, thread=None, latest=None)

    def _page_request(self, url: str, page: int, thread: str | None, latest: str | None) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error,
                              cb_kwargs={"page": page, "thread": thread, "latest": latest})

    def parse_page(self, response: Response, page: int, thread: str | None, latest: str | None) -> Iterator[Any]:
        stats = self.crawler.stats
        result = parse_forum(response.url, response.body, fetched_at=self._fetched_at(response),
                             content_type=content_type_of(response))
        if result.kind == "thread":
            stats.inc_value("lurewatch/forum/thread_pages")
            thread = thread or canonical_url(response.url)
            for post in result.posts:
                yield self.post_item(response, post)
            if result.next and page < self.definition.max_pages:
                yield self._page_request(result.next, page + 1, thread, latest)
            else:  # the thread's last page: the next crawl starts here
                self.cursor.put(KIND, thread, {"latest": latest, "last_page": response.url})
            return
        stats.inc_value("lurewatch/listing_pages")
        stats.inc_value("lurewatch/item_links", len(result.threads))
        for ref in result.threads:
            key = canonical_url(ref.url)
            seen = self.cursor.get(KIND, key) or {}
            if ref.latest and seen.get("latest") == ref.latest:
                stats.inc_value("lurewatch/forum/thread_unchanged")
                continue
            yield self._page_request(seen.get("last_page") or ref.url, 1, key, ref.latest)
        if result.next and page < self.definition.max_pages:
            yield self._page_request(result.next, page + 1, None, None)
        elif result.next:
            stats.inc_value("lurewatch/max_pages_reached")
