"""RSS 2.0, Atom and XML sitemaps (a sitemap index too): the entries a feed points at.

feedparser reads RSS/Atom, also past junk before `<rss>` (it marks the feed "bozo": a warning
the crawl counts); sitemaps are read with lxml. An entry whose feed carries the post's full text
(`content:encoded`, Atom `content`) is a post; the others lead to detail pages that the page
parser reads with its usual layers. Pure: no Scrapy, no network.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawlers.parsers import dates
from crawlers.parsers.html import collapse, fragment_text
from crawlers.parsers.page import PageResult, Post
from crawlers.parsers.urls import canonical_url

LAYER = "feed"
FULL_TEXT = 200  # a feed's content shorter than this is a teaser: the detail page is read instead
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF|urlset|sitemapindex)\b")
_FEED_TYPES = ("xml", "rss", "atom")


@dataclass(frozen=True)
class Entry:
    url: str
    title: str
    posted_at: datetime | None
    text: str  # the feed's full text, or "" when it carries a teaser only
    author: str | None
    lastmod: str | None  # what the feed says about the entry's last change (incremental crawls)
    external_id: str | None = None


@dataclass(frozen=True)
class Feed:
    url: str
    kind: str  # rss | atom | sitemap | sitemap_index
    title: str
    entries: list[Entry]
    sitemaps: list[str]  # child sitemaps of a sitemap index
    next: str | None  # an Atom/RSS paged feed's rel=next
    warning: str | None  # junk the parser read past (feedparser's bozo)

    def posts(self) -> list[Post]:
        return [_post(e) for e in self.entries if e.text]

    def follow(self) -> list[str]:
        return self.sitemaps + [e.url for e in self.entries if not e.text]

    def to_result(self) -> PageResult:
        return PageResult(self.url, self.kind, self.posts(), self.follow(), self.next, None)


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """An XML feed or sitemap by its content type or its root element (within the first 4 KB)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if any(t in media for t in _FEED_TYPES):
        return True
    return bool(_ROOT.search(body[:4096])) and b"<html" not in body[:4096].lower()


def parse_feed(url: str, body: bytes, *, fetched_at: datetime, content_type: str = "") -> Feed:
    match = _ROOT.search(body[:65536])
    if match and match.group(1) in (b"urlset", b"sitemapindex"):
        return _sitemap(url, body, match.start(), fetched_at)
    return _feed(url, body, fetched_at, content_type)


def _feed(url: str, body: bytes, fetched_at: datetime, content_type: str) -> Feed:
    import feedparser  # imported on first use

    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type or "application/xml"})
    warning = None
    if parsed.get("bozo"):
        warning = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"[:300]
    if not parsed.get("version") and not parsed.entries:
        raise ValueError(f"{url} is not an RSS/Atom feed or a sitemap ({warning or 'no feed found'})")
    entries = []
    for item in parsed.entries:
        link = _http(url, (item.get("link") or item.get("id") or "").strip())
        if not link:
            continue
        content = "\n".join(c.get("value", "") for c in item.get("content") or [])
        text = fragment_text(content) if content else ""
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a warning
        when = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
        posted = dates.parse_iso(datetime.fromtimestamp(calendar.timegm(when), timezone.utc).isoformat(), fetched_at) if when else None
        entries.append(Entry(
            url=link, title=collapse(item.get("title", "")), posted_at=posted,
            text=text if len(text) >= FULL_TEXT else "", author=item.get("author") or None,
            lastmod=dict.get(item, "updated") or dict.get(item, "published"), external_id=item.get("id") or None,
        ))
    nxt = next((_http(url, l.get("href", "")) for l in parsed.feed.get("links", []) if l.get("rel") == "next"), None)
    kind = "atom" if str(parsed.get("version", "")).startswith("atom") else "rss"
    return Feed(url, kind, collapse(parsed.feed.get("title", "")), entries, [], nxt, warning)


def _sitemap(url: str, body: bytes, start: int, fetched_at: datetime) -> Feed:
    warning = f"{start} bytes of junk before the sitemap" if body[:start].strip() and not body[:start].lstrip().startswith(b"<?xml") else None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(body[start:], parser=parser)
    if root is None:
        raise ValueError(f"{url} is not a readable sitemap")
    index = etree.QName(root).localname == "sitemapindex"
    entries, sitemaps = [], []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values = {etree.QName(c).localname: (c.text or "").strip() for c in node if isinstance(c.tag, str)}
        loc = _http(url, values.get("loc", ""))
        if not loc:
            continue
        if index:
            sitemaps.append(loc)
        else:
            lastmod = values.get("lastmod") or None
            entries.append(Entry(loc, "", dates.parse_iso(lastmod, fetched_at) if lastmod else None, "", None, lastmod))
    return Feed(url, "sitemap_index" if index else "sitemap", "", entries, sitemaps, None, warning)


def _http(base: str, href: str) -> str | None:
    if not href:
        return None
    target = urljoin(base, href)
    return target if urlsplit(target).scheme in ("http", "https") and urlsplit(target).hostname else None


def _post(entry: Entry) -> Post:
    fields = {"title": LAYER, "text": LAYER}
    if entry.posted_at:
        fields["posted_at"] = LAYER
    if entry.author:
        fields["author"] = LAYER
    return Post(url=canonical_url(entry.url), title=entry.title, text=entry.text, posted_at=entry.posted_at,
                author=entry.author, external_id=entry.external_id, fields_from=fields)
