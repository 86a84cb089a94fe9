"""The baseline: a bare Scrapy spider (Scrapy's defaults) following the same links (listing ->
item links and rel=next), no evidence, no extraction, no dates.

    python -m bench._crawl_bare START_URL [--state FILE] [--tuned]

With --state (the state.json of one of our crawls) it sends the same conditional GETs as our
re-crawl does, so the unchanged re-crawl has a baseline too. --tuned gives it the two Scrapy
settings crawlers.settings changes for speed (CONCURRENT_ITEMS, WARN_ON_GENERATOR_RETURN_VALUE),
to show what is Scrapy's own cost and what is ours."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess
from w3lib.url import canonicalize_url


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, state: dict[str, dict[str, str]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        self.state = state

    def parse(self, response):
        for href in response.css(".job-item h3 a::attr(href)").getall():
            seen = self.state.get(canonicalize_url(response.urljoin(href)), {})
            headers = {"If-None-Match": seen["etag"]} if "etag" in seen else {}
            yield response.follow(href, callback=self.parse_item, headers=headers,
                                  meta={"handle_httpstatus_list": [304]})
        nxt = response.css("a[rel=next]::attr(href)").get()
        if nxt:
            yield response.follow(nxt, callback=self.parse)

    def parse_item(self, response):
        if response.status == 200:
            yield {"url": response.url}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench._crawl_bare")
    parser.add_argument("start_url")
    parser.add_argument("--state", type=Path)
    parser.add_argument("--tuned", action="store_true")
    args = parser.parse_args(argv)
    settings = {
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": 8, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
    }
    if args.tuned:
        from crawlers import settings as ours

        settings.update(CONCURRENT_ITEMS=ours.CONCURRENT_ITEMS,
                        WARN_ON_GENERATOR_RETURN_VALUE=ours.WARN_ON_GENERATOR_RETURN_VALUE)
    state = json.loads(args.state.read_text("utf-8")) if args.state else {}
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, start_url=args.start_url, state=state)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1:])
