"""What the spiders of the other source kinds share with the classifieds spider (the definition,
counted drops, error records, the detail-page callback for links they follow) plus the cursor of
the last crawl and a fatal stop with a message for the operator."""

from __future__ import annotations

from typing import Any, NoReturn

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawlers.cursor import CURSOR_IN, CURSOR_OUT, Cursor
from crawlers.parsers.page import Post
from crawlers.report import FATAL_STAT
from crawlers.spiders.classifieds import ClassifiedsSpider
from crawlers.spiders.raw_post import raw_post



class KindSpider(ClassifiedsSpider):
    cursor: Cursor

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> "KindSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.cursor = Cursor(crawler.settings.get(CURSOR_IN), crawler.settings.get(CURSOR_OUT))
        crawler.signals.connect(spider._save_cursor, signal=signals.spider_closed)
        return spider

    def _save_cursor(self, spider: Any, reason: str) -> None:
        self.cursor.save()

    def post_item(self, response: Response, post: Post) -> dict:
        return raw_post(self.definition.name, response, post, self._fetched_at(response))

    def fatal(self, message: str) -> NoReturn:
        """Stop the crawl: the source is not what its definition says (run.py prints the message)."""
        self.logger.error(message)
        self.crawler.stats.set_value(FATAL_STAT, message)
        raise CloseSpider("unusable_source")
