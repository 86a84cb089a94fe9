"""Telegram spider: a channel's preview page by page, newest first, one RawPost per message.

It pages back with `?before=<id>` until it reaches the newest message the last crawl stored
(the cursor), the channel's first message, or the page budget. Messages on the pages it fetches
are all yielded, so an edited one is stored as changed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.parsers.telegram import NotAChannel, parse_channel
from crawlers.source import telegram_channel
from crawlers.spiders.kind_base import KindSpider
from crawlers.spiders.raw_post import content_type_of

KIND = "telegram"


class TelegramSpider(KindSpider):
    name = "telegram"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.definition.start_urls:
            channel = telegram_channel(url) or ""
            yield scrapy.Request(url, callback=self.parse_channel, errback=self.on_error,
                                 cb_kwargs={"page": 1, "channel": channel, "newest": 0})

    def parse_channel(self, response: Response, page: int, channel: str, newest: int) -> Iterator[Any]:
        try:
            result = parse_channel(response.url, response.body, fetched_at=self._fetched_at(response),
                                   content_type=content_type_of(response))
        except NotAChannel as exc:
            self.fatal(str(exc))
        stats = self.crawler.stats
        stats.inc_value("lurewatch/listing_pages")
        stats.inc_value("lurewatch/telegram/messages", len(result.messages))
        if result.skipped:
            stats.inc_value("drop_item/message/no_text", result.skipped)
        stored = int(self.cursor.get(KIND, channel) or 0)
        for message in result.messages:
            if message.edited:
                stats.inc_value("lurewatch/telegram/edited")
            yield self.post_item(response, message.post())
        ids = [m.id for m in result.messages]
        newest = max([newest, *ids])
        if not result.older or not ids or min(ids) <= stored or page >= self.definition.max_pages:
            # Only a paging that got to its end moves the cursor: a crawl cut short is redone.
            stats.inc_value("lurewatch/telegram/reached_stored" if ids and min(ids) <= stored else
                            "lurewatch/max_pages_reached" if result.older and ids else "lurewatch/telegram/reached_first")
            self.cursor.put(KIND, channel, max(newest, stored))
            return
        yield scrapy.Request(result.older, callback=self.parse_channel, errback=self.on_error,
                             cb_kwargs={"page": page + 1, "channel": channel, "newest": newest})
