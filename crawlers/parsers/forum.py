"""XenForo / vBulletin-style boards: a forum page lists threads, a thread page holds posts.

A forum page gives its threads (with the date of each thread's latest post and the link to its
last page, so a re-crawl fetches only threads that moved, from the page it stopped at) and its
next page. A thread page gives one post per reply: author, date, post id and permalink, the
reply's own words without the posts it quotes or the author's signature. Pure: no Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from crawlers.parsers import dates
from crawlers.parsers.html import collapse, decode_html, element_text, parse_tree
from crawlers.parsers.page import PageResult, Post
from crawlers.parsers.urls import canonical_url

LAYER = "forum"
_QUOTES = re.compile(r"(?<![\w-])(bbCodeBlock--quote|bbcode_container|quote|message-signature|signature|bbCodeBlock-expandLink)(?![\w-])")
_POST_ID = re.compile(r"(?:post[-_]?|p=)(\d+)")


@dataclass(frozen=True)
class ThreadRef:
    url: str
    title: str
    latest: str | None  # the latest post's datetime as the forum page states it
    last_page: str | None  # link to the thread's last page, when the forum page shows one


@dataclass(frozen=True)
class ForumPage:
    url: str
    kind: str  # forum | thread
    title: str
    threads: list[ThreadRef]
    posts: list[Post]
    next: str | None

    def to_result(self) -> PageResult:
        if self.kind == "forum":
            return PageResult(self.url, "forum", [], [t.url for t in self.threads], self.next, None)
        return PageResult(self.url, "thread", self.posts, [], self.next, None if self.posts else "no_posts")


def looks_like_forum(html: str) -> bool:
    return bool(re.search(r'data-template="(?:forum_view|thread_view)"|structItem--thread|message--post'
                          r'|id="post_message_\d+|class="[^"]*\bthreadbit\b|class="[^"]*\bpostcontainer\b', html[:600_000]))


def parse_forum(url: str, body: bytes | str, *, fetched_at: datetime, content_type: str = "") -> ForumPage:
    html = decode_html(body, content_type)
    tree = parse_tree(html)
    nxt = _next(tree, url)
    posts = _xenforo_posts(tree, url, fetched_at) or _vbulletin_posts(tree, url, fetched_at)
    title = _thread_title(tree)
    if posts:
        posts = [Post(p.url, title, p.text, p.posted_at, p.author, p.external_id, p.fields_from) for p in posts]
        return ForumPage(url, "thread", title, [], posts, nxt)
    return ForumPage(url, "forum", title, _threads(tree, url), [], nxt)


# --- forum pages --------------------------------------------------------------------------


def _threads(tree, url: str) -> list[ThreadRef]:
    threads: dict[str, ThreadRef] = {}
    rows = tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' structItem--thread ')]")
    for row in rows:
        links = row.xpath(".//div[contains(@class, 'structItem-title')]//a[@href][not(contains(@class, 'labelLink'))]")
        if not links:
            continue
        link = links[-1]
        latest = row.xpath(".//time[contains(@class, 'structItem-latestDate')]/@datetime")
        jumps = row.xpath(".//span[contains(@class, 'structItem-pageJump')]//a/@href")
        _add(threads, url, link.get("href"), collapse(link.text_content()), latest[0] if latest else None,
             jumps[-1] if jumps else None)
    for link in tree.xpath("//a[starts-with(@id, 'thread_title_')] | //li[contains(@class, 'threadbit')]//a[contains(@class, 'title')]"):
        _add(threads, url, link.get("href"), collapse(link.text_content()), None, None)
    return list(threads.values())


def _add(threads: dict, base: str, href: str | None, title: str, latest: str | None, last_page: str | None) -> None:
    if not href:
        return
    target = urljoin(base, href.strip())
    if urlsplit(target).scheme in ("http", "https"):
        threads.setdefault(canonical_url(target), ThreadRef(target, title, latest,
                                                          urljoin(base, last_page) if last_page else None))


# --- thread pages -------------------------------------------------------------------------


def _xenforo_posts(tree, url: str, fetched_at: datetime) -> list[Post]:
    posts = []
    for node in tree.xpath("//article[contains(concat(' ', normalize-space(@class), ' '), ' message--post ')]"):
        post_id = _POST_ID.search(node.get("data-content") or node.get("id") or "")
        bodies = node.xpath(".//div[contains(@class, 'bbWrapper')]")
        if not post_id or not bodies:
            continue
        permalink = node.xpath(".//*[contains(@class, 'message-attribution')]//a[contains(@href, 'post')]/@href")
        stamp = node.xpath(".//*[contains(@class, 'message-attribution')]//time/@datetime")
        author = node.get("data-author") or _text(node, ".//*[contains(@class, 'message-name')]")
        posts.append(_reply(url, post_id.group(1), permalink, stamp[0] if stamp else None, author, bodies[0],
                            fetched_at, written=False))
    return posts


def _vbulletin_posts(tree, url: str, fetched_at: datetime) -> list[Post]:
    posts = []
    for body in tree.xpath("//div[starts-with(@id, 'post_message_')]"):
        post_id = body.get("id").rsplit("_", 1)[-1]
        container = body.xpath("ancestor::*[starts-with(@id, 'post_') or starts-with(@id, 'post')][1]")
        scope = container[0] if container else body
        permalink = scope.xpath(f".//a[contains(@href, 'p={post_id}') or contains(@href, 'post{post_id}')]/@href")
        stamp = _text(scope, ".//*[contains(@class, 'postdate') or contains(@class, 'date')]")
        author = _text(scope, ".//*[contains(@class, 'username')]")
        posts.append(_reply(url, post_id, permalink, stamp, author, body, fetched_at, written=True))
    return posts


def _reply(url: str, post_id: str, permalink: list[str], stamp: str | None, author: str | None, body,
           fetched_at: datetime, *, written: bool) -> Post:
    link = urljoin(url, permalink[0]) if permalink else f"{url.split('#')[0]}#post-{post_id}"
    posted = None
    if stamp:
        posted = dates.parse_written(stamp, fetched_at) if written else dates.parse_iso(stamp, fetched_at)
    fields = {"text": LAYER, "external_id": LAYER, "title": LAYER}
    fields.update({k: LAYER for k, v in (("posted_at", posted), ("author", author)) if v})
    return Post(url=_permalink(link, post_id), title="", text=element_text(body, skip=_quoted), posted_at=posted,
                author=author, external_id=post_id, fields_from=fields)


def _permalink(link: str, post_id: str) -> str:
    """A permalink whose only difference is its #fragment would collapse into one URL: keep the id."""
    if "#" in link and post_id not in link.split("#")[0]:
        base = link.split("#")[0]
        return canonical_url(base + ("&" if "?" in base else "?") + f"p={post_id}")
    return canonical_url(link)


def _quoted(el) -> bool:
    marks = f"{el.get('class', '')} {el.get('id', '')}"
    if el.tag == "blockquote" and "postcontent" not in marks:  # vBulletin puts the post itself in one
        return True
    return bool(_QUOTES.search(marks))


def _thread_title(tree) -> str:
    for xpath in ("//h1[contains(@class, 'p-title-value')]", "//*[contains(@class, 'threadtitle')]", "//h1", "//title"):
        found = tree.xpath(xpath)
        if found and collapse(found[0].text_content()):
            return collapse(found[0].text_content())
    return ""


def _text(node, xpath: str) -> str | None:
    found = node.xpath(xpath)
    return collapse(found[0].text_content()) or None if found else None


def _next(tree, url: str) -> str | None:
    for href in tree.xpath("//link[@rel='next']/@href | //a[contains(@class, 'pageNav-jump--next')]/@href"
                           " | //a[@rel='next']/@href"):
        target = urljoin(url, href.strip())
        if canonical_url(target) != canonical_url(url):
            return target
    return None
