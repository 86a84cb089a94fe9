"""A public Telegram channel's web preview (`t.me/s/<channel>`): one post per message.

Each message keeps its own id (`channel/123`), date, views, text, links and photo URLs; the
preview's interface strings ("VIEW IN TELEGRAM", "Please open Telegram to view this post", the
link-preview cards) never reach the text. A `t.me/<name>` landing page (or the page an unknown
username redirects to) is not a preview: `NotAChannel`. Pure: no Scrapy, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from crawlers.parsers import dates
from crawlers.parsers.html import collapse, decode_html, element_text, parse_tree
from crawlers.parsers.page import PageResult, Post
from crawlers.parsers.urls import canonical_url

LAYER = "telegram"
_BG_URL = re.compile(r"background-image:\s*url\(['\"]?([^'\")]+)['\"]?\)")
_COUNT = re.compile(r"^([\d.,]+)\s*([KMB]?)$", re.I)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


class NotAChannel(ValueError):
    """The page is no public channel preview; str() says what it is instead."""


@dataclass(frozen=True)
class Message:
    channel: str
    id: int
    url: str  # the message's permalink, canonical
    posted_at: datetime | None
    text: str
    author: str | None
    views: int | None
    edited: bool
    links: list[str] = field(default_factory=list)
    photos: list[str] = field(default_factory=list)
    forwarded_from: str | None = None

    @property
    def post_id(self) -> str:
        return f"{self.channel}/{self.id}"

    def extra(self) -> dict:
        return {"views": self.views, "edited": self.edited, "links": self.links, "photos": self.photos,
                **({"forwarded_from": self.forwarded_from} if self.forwarded_from else {})}

    def post(self) -> Post:
        fields = {"text": LAYER, "external_id": LAYER, "title": LAYER}
        if self.posted_at:
            fields["posted_at"] = LAYER
        if self.author:
            fields["author"] = LAYER
        return Post(url=self.url, title=f"@{self.channel} #{self.id}", text=self.text, posted_at=self.posted_at,
                    author=self.author, external_id=self.post_id, fields_from=fields, extra=self.extra())


@dataclass(frozen=True)
class ChannelPage:
    url: str
    channel: str
    title: str
    messages: list[Message]
    older: str | None  # the `?before=<id>` page of older messages
    skipped: int = 0  # messages without text (photo/video only, service messages), counted

    def to_result(self) -> PageResult:
        posts = [m.post() for m in self.messages]
        return PageResult(self.url, "channel", posts, [], self.older, None if posts else "no_messages")


def is_channel_preview(html: str) -> bool:
    return "tgme_widget_message" in html or "tgme_channel_info" in html


def is_landing(html: str) -> bool:
    return "tgme_page_extra" in html or "tgme_page_title" in html or "tgme_page_context_link" in html


def parse_channel(url: str, body: bytes | str, *, fetched_at: datetime, content_type: str = "") -> ChannelPage:
    html = decode_html(body, content_type)
    tree = parse_tree(html)
    channel = _channel_name(tree, url)
    if not is_channel_preview(html):
        kind = "a t.me/NAME landing page" if is_landing(html) else "not a t.me/s/ page"
        hint = ""
        if is_landing(html):
            preview = tree.xpath("//a[contains(@class, 'tgme_page_context_link')]/@href")
            hint = f"; its messages are at {urljoin(url, preview[0])}" if preview else " (no public preview: a user, a bot or a private group)"
        raise NotAChannel(f"{url} is not a public channel preview ({kind}{hint})")
    messages, skipped = [], 0
    for node in tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message ')][@data-post]"):
        message = _message(node, url, fetched_at)
        if message is None:
            skipped += 1
        else:
            messages.append(message)
    title = collapse(" ".join(tree.xpath("//*[contains(@class, 'tgme_channel_info_header_title')]//text()")))
    return ChannelPage(url, channel, title, messages, _older(tree, url, messages), skipped)


def _message(node, page_url: str, fetched_at: datetime) -> Message | None:
    post = node.get("data-post", "")
    channel, _, number = post.rpartition("/")
    if not channel or not number.isdigit():
        return None
    texts = [t for t in node.xpath(".//div[contains(@class, 'tgme_widget_message_text')]")
             if not t.xpath("ancestor::*[contains(@class, 'tgme_widget_message_reply')]")]
    text = element_text(texts[0]) if texts else ""
    if not text:
        return None
    date_links = node.xpath(".//a[contains(@class, 'tgme_widget_message_date')]")
    permalink = urljoin(page_url, date_links[0].get("href")) if date_links and date_links[0].get("href") else None
    if not permalink or urlsplit(permalink).scheme not in ("http", "https"):
        origin = urlsplit(page_url)
        permalink = f"{origin.scheme}://{origin.netloc}/{channel}/{number}"
    stamps = node.xpath(".//a[contains(@class, 'tgme_widget_message_date')]//time/@datetime")
    meta = collapse(" ".join(node.xpath(".//*[contains(@class, 'tgme_widget_message_meta')]//text()")))
    author = _first_text(node, "tgme_widget_message_from_author") or _first_text(node, "tgme_widget_message_owner_name")
    links = []
    for href in node.xpath(".//div[contains(@class, 'tgme_widget_message_text')]//a/@href"
                           " | .//a[contains(@class, 'tgme_widget_message_link_preview')]/@href"):
        absolute = urljoin(page_url, href.strip())
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in links:
            links.append(absolute)
    photos = []
    for style in node.xpath(".//a[contains(@class, 'tgme_widget_message_photo_wrap')]/@style"):
        m = _BG_URL.search(style)
        if m and m.group(1) not in photos:
            photos.append(urljoin(page_url, m.group(1)))
    return Message(
        channel=channel, id=int(number), url=canonical_url(permalink),
        posted_at=dates.parse_iso(stamps[0], fetched_at) if stamps else None,
        text=text, author=author, views=_count(_first_text(node, "tgme_widget_message_views")),
        edited=bool(re.search(r"\bedited\b|đã sửa", meta, re.I)), links=links, photos=photos,
        forwarded_from=_first_text(node, "tgme_widget_message_forwarded_from_name"),
    )


def _first_text(node, css_class: str) -> str | None:
    found = node.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]")
    return collapse(found[0].text_content()) or None if found else None


def _count(value: str | None) -> int | None:
    """'8.67M' -> 8670000, '1,2K' -> 1200, '419' -> 419."""
    m = _COUNT.match((value or "").strip())
    if not m:
        return None
    return round(float(m.group(1).replace(",", ".")) * _SCALE[m.group(2).upper()])


def _channel_name(tree, url: str) -> str:
    m = re.match(r"^/s/([A-Za-z0-9_]+)", urlsplit(url).path) or re.match(r"^/([A-Za-z0-9_]+)", urlsplit(url).path)
    return m.group(1) if m else ""


def _older(tree, url: str, messages: list[Message]) -> str | None:
    """The page of older messages: `a.tme_messages_more[data-before]` or <link rel=prev>."""
    for href in tree.xpath("//a[contains(@class, 'tme_messages_more')][@data-before]/@href | //link[@rel='prev']/@href"):
        target = urljoin(url, href.strip())
        if "before=" in target and canonical_url(target) != canonical_url(url):
            return target
    return None
