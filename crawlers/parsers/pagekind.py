"""Pages that are not what they say: soft not-found pages (HTTP 200 "Không tìm thấy trang"), bot
walls (a Cloudflare interstitial, a captcha), and meta-refresh redirect stubs."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree
from w3lib.html import get_meta_refresh

from crawlers.parsers.html import collapse
from crawlers.parsers.urls import canonical_url

NOT_FOUND, BLOCKED = "not_found", "blocked"
_NOT_FOUND_WORDS = re.compile(
    r"không tìm thấy|không tồn tại|trang bạn (?:tìm|yêu cầu)|đường dẫn (?:này )?không|đã bị (?:xóa|xoá|gỡ)"
    r"|lỗi 404|\b404\b|not found|page (?:you|was|has)|no longer (?:available|exists)|\boops\b",
    re.I,
)
_NOT_FOUND_URL = re.compile(r"(?:^|[/_-])(?:404|not-?found|pages?404)(?:[/._-]|$)", re.I)
_BLOCK_TITLES = re.compile(
    r"just a moment|attention required|checking your browser|access denied|ddos-guard|verify you are human"
    r"|security check|vui lòng chờ|xác minh bạn (?:là|không phải)",
    re.I,
)
_BLOCK_MARKUP = re.compile(
    r"cf-browser-verification|id=[\"']challenge-form|_cf_chl_opt|cf-chl-|cf_captcha_kind|g-recaptcha|h-captcha"
    r"|/_incapsula_resource|ddos-guard",
    re.I,
)
MAX_BLOCK_TEXT = 2000  # a wall has little to say; a real page with a captcha form has more


def headings(tree: etree._Element) -> list[str]:
    texts = [collapse(" ".join(tree.xpath("//title//text()")))]
    texts += [collapse(h.text_content()) for h in tree.xpath("//h1")[:3]]
    return [t for t in texts if t]


def not_found(tree: etree._Element, page_url: str) -> bool:
    """A not-found page answered as if it were content: its title/h1 or canonical URL says so."""
    if any(_NOT_FOUND_WORDS.search(t) for t in headings(tree)):
        return True
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        path = urlsplit(urljoin(page_url, href)).path
        if _NOT_FOUND_URL.search(path) and not _NOT_FOUND_URL.search(urlsplit(page_url).path):
            return True
    return False


def blocked(tree: etree._Element, html: str, visible_text: str) -> bool:
    """A bot wall: a challenge title or challenge markup on a page with almost no text of its own."""
    if len(visible_text) > MAX_BLOCK_TEXT:
        return False
    return any(_BLOCK_TITLES.search(t) for t in headings(tree)) or bool(_BLOCK_MARKUP.search(html))


def meta_refresh(html: str, page_url: str) -> tuple[str | None, str | None]:
    """(http(s) target, ignored target) of a meta refresh that leaves the page within 15 s.

    A refresh to javascript:/data: or any other scheme is ignored, and the page is read as usual.
    A slow refresh (a news page reloading itself every few minutes) is no redirect.
    """
    interval, target = get_meta_refresh(html[:20000], page_url)
    if target is None or interval is None or interval > 15:
        return None, None
    if urlsplit(target).scheme not in ("http", "https"):
        return None, target
    if canonical_url(target) == canonical_url(page_url):
        return None, None
    return target, None
