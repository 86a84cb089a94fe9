"""Baselines for the source-kind benchmarks, fetching the same pages with no evidence, no
extraction, no dates, no WARC:

    python -m bench._kinds_bare channel START_URL   (bare Scrapy: ?before= pages, one item per message)
    python -m bench._kinds_bare feed FEED_URL       (bare Scrapy: the feed, then every <link>)
    python -m bench._kinds_bare browser URL...      (bare Playwright on Debian's chromium: goto + content)
    python -m bench._kinds_bare scrapy_browser URL... (bare scrapy-playwright, one page at a time)
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess

SETTINGS = {"LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False}


class ChannelSpider(scrapy.Spider):
    name = "bare_channel"

    def parse(self, response):
        for post in response.css("div.tgme_widget_message::attr(data-post)").getall():
            yield {"id": post}
        older = response.css("a.tme_messages_more::attr(href)").get()
        if older:
            yield response.follow(older, callback=self.parse)


class PagesSpider(scrapy.Spider):
    name = "bare_pages"

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, meta={"playwright": True})

    def parse(self, response):
        yield {"url": response.url}


class FeedSpider(scrapy.Spider):
    name = "bare_feed"

    def parse(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield response.follow(link.strip(), callback=self.parse_item)

    def parse_item(self, response):
        yield {"url": response.url}


def browser(urls: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from crawlers.render import CHROMIUM, chromium_args

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=chromium_args())
        page = chromium.new_page()
        for url in urls:
            page.goto(url)
            page.content()
        chromium.close()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "browser":
        browser(args)
    else:
        settings = dict(SETTINGS)
        if mode == "scrapy_browser":
            from crawlers.render import CHROMIUM, chromium_args

            handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
            settings.update({"DOWNLOAD_HANDLERS": {"http": handler, "https": handler}, "CONCURRENT_REQUESTS": 1,
                             "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
                             "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 1,
                             "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": str(CHROMIUM), "args": chromium_args()}})
        spider = {"channel": ChannelSpider, "feed": FeedSpider, "scrapy_browser": PagesSpider}[mode]
        process = CrawlerProcess(settings)
        process.crawl(spider, start_urls=args)
        process.start()
