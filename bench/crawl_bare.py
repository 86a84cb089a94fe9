"""The baseline: a bare Scrapy spider following the same links (listing -> item links and
rel=next), no evidence, no extraction, no dates. `python -m bench.crawl_bare START_URL`."""

from __future__ import annotations

import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response):
        for href in response.css(".job-item h3 a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_item)
        nxt = response.css("a[rel=next]::attr(href)").get()
        if nxt:
            yield response.follow(nxt, callback=self.parse)

    def parse_item(self, response):
        yield {"url": response.url}


if __name__ == "__main__":
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
    })
    process.crawl(BareSpider, start_url=sys.argv[1])
    process.start()
