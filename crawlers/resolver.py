"""Scrapy's caching DNS resolver, refusing names that resolve to private, loopback or link-local
addresses unless the source allows them: a public-looking name cannot lead a crawl into the
operator's network (the check runs where the connection is made, on every request and redirect)."""

from __future__ import annotations

import ipaddress
from typing import Any

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawlers.middlewares.siteguard import ALLOW_PRIVATE
from crawlers.netguard import is_private_ip

REFUSED = "refused: resolves to a private address"


class GuardedResolver(CachingThreadedResolver):
    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> "GuardedResolver":
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_private = crawler.settings.getbool(ALLOW_PRIVATE)
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted's name
        d = super().getHostByName(name, timeout)
        if not self.allow_private:
            d.addCallback(self._refuse_private, name)
        return d

    def _refuse_private(self, address: str, name: str) -> str:
        if is_private_ip(ipaddress.ip_address(address)):
            raise DNSLookupError(f"{name}: {REFUSED}")
        return address
