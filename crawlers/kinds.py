"""A source's kind -> the spider that crawls it and the start-URL content types it accepts."""

from __future__ import annotations

from collections.abc import Callable

from scrapy import Spider

from crawlers.mime import is_html_type


def spider_for(kind: str) -> type[Spider]:
    if kind == "telegram":
        from crawlers.spiders.telegram import TelegramSpider

        return TelegramSpider
    if kind == "feed":
        from crawlers.spiders.feed import FeedSpider

        return FeedSpider
    if kind == "forum":
        from crawlers.spiders.forum import ForumSpider

        return ForumSpider
    from crawlers.spiders.classifieds import ClassifiedsSpider

    return ClassifiedsSpider


def any_type(content_type: str) -> bool:
    return True


def preflight_types(kind: str) -> Callable[[str], bool]:
    """Feeds come as application/rss+xml, text/xml, even text/html or text/plain: feedparser sniffs."""
    return any_type if kind == "feed" else is_html_type
