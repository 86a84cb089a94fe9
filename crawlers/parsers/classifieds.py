"""Parser for classifieds / job-board pages: listing pages and ad detail pages.

Pure functions over (url, html). Generic enough for the usual board markup (links to ads in
the main area, <a rel="next">, <article>/<h1>/<time datetime>, <link rel="canonical">),
tuned on flows.demo_site. Uses parsel + lxml only: no Scrapy, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector

from crawlers.parsers.urls import canonical_url

# Boards without a zone in their dates are Vietnamese boards: read naive times as UTC+7.
VIETNAM_TZ = timezone(timedelta(hours=7))

_BLOCK_TAGS = frozenset(
    "p li h2 h3 h4 h5 h6 blockquote pre dd dt td th figcaption address".split()
)
# Containers that also start a new line (loose text inside a <div> is still a paragraph).
_CONTAINER_TAGS = frozenset(
    "div section article main header footer ul ol dl table tbody thead tr figure details summary".split()
)
# Subtrees that never hold the ad's own words.
_SKIP_TAGS = frozenset(
    "script style noscript template nav form button select textarea iframe svg aside h1".split()
)
# Class/id words of boilerplate boxes inside the article (share bars, breadcrumbs, meta lines).
_BOILERPLATE_RE = re.compile(
    r"(?<![a-z])(share|social|breadcrumbs?|related|comments?|tags|advert\w*|banner|byline|meta|toolbar|print)(?![a-z])"
)
# Links in these parts of a listing page are navigation, not ads.
_NAV_ANCESTORS = (
    "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
    " or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' pagination ')]"
)
_BR = "\ue000"  # private-use sentinel for <br>: survives whitespace collapsing


@dataclass(frozen=True)
class Listing:
    detail_urls: list[str]
    next_url: str | None


@dataclass(frozen=True)
class AdPage:
    title: str
    text: str
    posted_at: datetime | None
    canonical_url: str


def parse_listing(url: str, html: str) -> Listing:
    """Links to ad pages (same host, outside navigation, first spelling kept) and the next page."""
    sel = Selector(text=html)
    base = _base_url(sel, url)
    scope = _first(sel, ["//main", "//*[@role='main']", "//body"]) or sel
    host = urlsplit(url).hostname
    seen: set[str] = set()
    detail_urls: list[str] = []
    for a in scope.xpath(f".//a[@href][not({_NAV_ANCESTORS})]"):
        if _rel_has(a, "next") or _rel_has(a, "prev"):
            continue
        href = (a.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        absolute = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or parts.hostname != host:
            continue
        key = canonical_url(absolute)
        if key in seen or key == canonical_url(url):
            continue
        seen.add(key)
        detail_urls.append(absolute)
    return Listing(detail_urls=detail_urls, next_url=_next_url(sel, base, url))


def parse_detail(url: str, html: str) -> AdPage:
    sel = Selector(text=html)
    base = _base_url(sel, url)
    root = _content_root(sel)
    return AdPage(
        title=_title(sel, root),
        text=_main_text(root),
        posted_at=_posted_at(sel, root),
        canonical_url=_canonical(sel, base, url),
    )


# --- listing helpers -------------------------------------------------------------------


def _rel_has(node: Selector, token: str) -> bool:
    return token in (node.attrib.get("rel") or "").lower().split()


def _next_url(sel: Selector, base: str, url: str) -> str | None:
    for node in sel.xpath("//a[@href] | //link[@href]"):
        if _rel_has(node, "next"):
            target = urldefrag(urljoin(base, node.attrib["href"].strip()))[0]
            if target and canonical_url(target) != canonical_url(url):
                return target
    return None


# --- detail helpers --------------------------------------------------------------------


def _content_root(sel: Selector) -> Selector:
    # Pages may carry several <article>s (related-ad cards): the ad is the wordiest one.
    articles = sel.xpath("//article")
    if articles:
        return max(articles, key=lambda a: len(" ".join(a.xpath(".//text()").getall())))
    return (
        _first(sel, ["//*[@itemprop='description']", "//main", "//*[@role='main']", "//body"]) or sel
    )


def _title(sel: Selector, root: Selector) -> str:
    for candidate in (
        root.xpath(".//h1"),
        sel.xpath("//h1"),
        sel.xpath("//meta[@property='og:title']/@content"),
        sel.xpath("//title"),
    ):
        if candidate:
            node = candidate[0]
            raw = node.get() if isinstance(node.root, str) else " ".join(node.xpath(".//text()").getall())
            text = _collapse(raw)
            if text:
                return text
    return ""


def _main_text(root: Selector) -> str:
    """Words of the content root, one line per block element or <br>, boilerplate left out."""
    element = root.root
    if not isinstance(element, etree._Element):
        return ""
    pieces: list[str] = []
    _walk_text(element, pieces)
    lines = (line.strip() for line in _collapse("".join(pieces)).split(_BR))
    return "\n".join(line for line in lines if line)


def _walk_text(el: etree._Element, pieces: list[str]) -> None:
    """Append el's text (not its tail) to pieces, with _BR at block boundaries and <br>."""
    if el.tag == "br":
        pieces.append(_BR)
        return
    block = el.tag in _BLOCK_TAGS or el.tag in _CONTAINER_TAGS
    if block:
        pieces.append(_BR)
    pieces.append(el.text or "")
    for child in el:
        if isinstance(child.tag, str) and not _skipped(child):
            _walk_text(child, pieces)
        pieces.append(child.tail or "")  # a skipped child's tail is still the parent's text
    if block:
        pieces.append(_BR)


def _skipped(el: etree._Element) -> bool:
    if el.tag in _SKIP_TAGS:
        return True
    marks = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return bool(_BOILERPLATE_RE.search(marks))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_DATE_XPATHS = (
    ".//time/@datetime",
    "//time/@datetime",
    "//meta[@property='article:published_time']/@content",
    "//*[@itemprop='datePosted']/@content",
    "//*[@itemprop='datePosted']/@datetime",
)


def _posted_at(sel: Selector, root: Selector) -> datetime | None:
    for xpath in _DATE_XPATHS:
        scope = root if xpath.startswith(".") else sel
        for value in scope.xpath(xpath).getall():
            parsed = parse_iso_datetime(value)
            if parsed is not None:
                return parsed
    return None


def parse_iso_datetime(value: str) -> datetime | None:
    """ISO-8601 date or datetime; a date alone is midnight; no zone means Vietnam time."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM_TZ)


def _canonical(sel: Selector, base: str, url: str) -> str:
    for node in sel.xpath("//link[@href]"):
        if _rel_has(node, "canonical"):
            href = node.attrib["href"].strip()
            if href:
                return canonical_url(urljoin(base, href))
    return canonical_url(url)


# --- shared ------------------------------------------------------------------------------


def _base_url(sel: Selector, url: str) -> str:
    href = sel.xpath("//base/@href").get()
    return urljoin(url, href.strip()) if href else url


def _first(sel: Selector, xpaths: list[str]) -> Selector | None:
    for xpath in xpaths:
        found = sel.xpath(xpath)
        if found:
            return found[0]
    return None
