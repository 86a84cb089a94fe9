"""Which parser reads a page: chosen from the URL and the content unless the kind is given.

`lurewatch parse` calls `parse_any`; the crawl knows its source's kind and calls the parser
itself. Pure: no Scrapy, no network.
"""

from __future__ import annotations

from datetime import datetime

from crawlers.parsers import feed, forum, telegram
from crawlers.parsers.html import decode_html
from crawlers.parsers.page import PageResult, PageRules, parse_page
from crawlers.source import telegram_channel

PAGE_KINDS = ("auto", "classifieds", "telegram", "feed", "forum")


def detect_kind(url: str, body: bytes, content_type: str = "") -> str:
    if feed.looks_like_feed(body, content_type):
        return "feed"
    html = decode_html(body[:600_000], content_type)
    if telegram_channel(url) or telegram.is_channel_preview(html) or (_on_telegram(url) and telegram.is_landing(html)):
        return "telegram"
    if forum.looks_like_forum(html):
        return "forum"
    return "classifieds"


def _on_telegram(url: str) -> bool:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host in ("t.me", "telegram.me") or host.endswith(".t.me")


def parse_any(url: str, body: bytes, *, fetched_at: datetime, kind: str = "auto", content_type: str = "",
              role: str = "auto", rules: PageRules | None = None) -> PageResult:
    """The page as the crawl of that kind reads it. Raises telegram.NotAChannel, ValueError (not a feed)."""
    if kind == "auto":
        kind = detect_kind(url, body, content_type)
    if kind == "telegram":
        return telegram.parse_channel(url, body, fetched_at=fetched_at, content_type=content_type).to_result()
    if kind == "feed":
        return feed.parse_feed(url, body, fetched_at=fetched_at, content_type=content_type).to_result()
    if kind == "forum":
        return forum.parse_forum(url, body, fetched_at=fetched_at, content_type=content_type).to_result()
    return parse_page(url, body, fetched_at=fetched_at, content_type=content_type, role=role, rules=rules)  # type: ignore[arg-type]
