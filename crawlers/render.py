"""`render: true`: pages fetched through headless Chromium (scrapy-playwright), for sites that
build their content with JavaScript.

Debian's /usr/bin/chromium is driven through `executable_path`: nothing is downloaded. A page
budget (the source's max_pages, per crawl) and a navigation timeout bound the work. Chromium's
own requests (scripts, XHR) are held to the source's allowed domains and private-address rule;
images, media and fonts are not fetched. The body the site served is captured as the navigation
response arrives and kept as evidence beside the rendered DOM (crawlers.warc.SERVED_KEY).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawlers.netguard import url_problem
from crawlers.warc import SERVED_KEY

CHROMIUM = Path("/usr/bin/chromium")
RENDER_BUDGET = "LUREWATCH_RENDER_BUDGET"
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
_PENDING = "lurewatch_served_pending"


class RenderUnavailable(Exception):
    """render: true cannot run here; str() is the operator's one line."""


def chromium_args() -> list[str]:
    args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(0, "--no-sandbox")  # Chromium refuses to run as root inside its sandbox
    return args


def render_settings(definition: Any, chromium: Path = CHROMIUM) -> dict[str, Any]:
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        raise RenderUnavailable("render: true needs scrapy-playwright: pip install -e '.[render]'") from None
    if not (chromium.is_file() and os.access(chromium, os.X_OK)) and not shutil.which(str(chromium)):
        raise RenderUnavailable(f"render: true needs Chromium at {chromium}, which is missing"
                                " (Debian: apt-get install chromium)")
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": str(chromium), "headless": True, "args": chromium_args()},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": definition.render_timeout_seconds * 1000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max(1, definition.politeness.concurrency),
        # Asked by scrapy-playwright's own route handler for every request Chromium makes.
        "PLAYWRIGHT_ABORT_REQUEST": partial(refused, tuple(definition.allowed_domains), definition.allow_private),
        RENDER_BUDGET: definition.max_pages,
        "DOWNLOADER_MIDDLEWARES": {"crawlers.render.RenderMiddleware": 45},  # after the site guard (40)
    }


class RenderMiddleware:
    """Sends the source's pages (not robots.txt) through Chromium, within the page budget."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.budget = crawler.settings.getint(RENDER_BUDGET, 100)
        self.rendered = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RenderMiddleware":
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.url.endswith("/robots.txt") or request.meta.get("playwright"):
            return
        if self.rendered >= self.budget:
            self.stats.inc_value("drop_item/request/render_budget")
            raise IgnoreRequest(f"render budget of {self.budget} pages spent: {request.url}")
        self.rendered += 1
        self.stats.inc_value("lurewatch/rendered_pages")
        from scrapy_playwright.page import PageMethod

        request.meta.update({
            "playwright": True,
            "playwright_page_init_callback": "crawlers.render.init_page",
            "playwright_page_methods": [PageMethod(keep_served, request.meta)],
        })


def refused(domains: tuple[str, ...], allow_private: bool, pw_request: Any) -> bool:
    """Chromium stays on the source's site and fetches no images, media or fonts."""
    return pw_request.resource_type in _SKIPPED_RESOURCES or url_problem(pw_request.url, domains, allow_private) is not None


async def init_page(page: Any, request: Request) -> None:
    """Before navigation: capture the body the site serves for the page itself."""
    meta = request.meta

    def on_response(response: Any) -> None:
        if response.request.is_navigation_request() and response.frame == page.main_frame and response.status < 300:
            meta[_PENDING] = (response.status, asyncio.ensure_future(response.all_headers()),
                              asyncio.ensure_future(response.body()))

    page.on("response", on_response)


async def keep_served(page: Any, meta: dict) -> None:
    """After navigation (scripts ran): the served body is in hand before the DOM is read."""
    pending = meta.pop(_PENDING, None)
    if pending is None:
        return
    status, headers, body = pending
    try:
        meta[SERVED_KEY] = (status, await headers, await body)
    except Exception:  # noqa: BLE001 - a body Chromium no longer holds: the rendered DOM stays the evidence
        meta.pop(SERVED_KEY, None)
