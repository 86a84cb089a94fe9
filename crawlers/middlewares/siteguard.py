"""Every request, redirect and robots.txt fetch stays within the source's allowed domains and off
private addresses (unless the source allows them). Runs before robots.txt is fetched, so nothing
is asked of a host the crawl may not visit; each refusal is counted by reason."""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawlers.netguard import url_problem

ALLOWED_DOMAINS = "LUREWATCH_ALLOWED_DOMAINS"
ALLOW_PRIVATE = "LUREWATCH_ALLOW_PRIVATE"


class SiteGuardMiddleware:
    def __init__(self, crawler: Crawler, domains: list[str], allow_private: bool) -> None:
        self.stats = crawler.stats
        self.domains = domains
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SiteGuardMiddleware":
        domains = crawler.settings.getlist(ALLOWED_DOMAINS)
        if not domains:
            raise NotConfigured(f"{ALLOWED_DOMAINS} is not set")
        return cls(crawler, domains, crawler.settings.getbool(ALLOW_PRIVATE))

    def process_request(self, request: Request) -> None:
        problem = url_problem(request.url, self.domains, self.allow_private)
        if problem is None:
            return
        how = "redirect" if request.meta.get("redirect_urls") else request.meta.get("lurewatch_via", "request")
        self.stats.inc_value(f"drop_item/{how}/{problem}")
        raise IgnoreRequest(f"refused {problem} {how}: {request.url}")
