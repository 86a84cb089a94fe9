"""One fetched page in, what the crawl does with it out: its kind, its post, the item links to
follow and the next listing page. Pure: no Scrapy, no network; the crawl and `lurewatch parse`
call the same function.

A post is read in layers and records which layer gave each field (`fields_from`):
1. structured data (JSON-LD, Open Graph, itemprop/meta, `__NEXT_DATA__`),
2. the source's own CSS selectors, if its definition gives them,
3. trafilatura's main-content extraction (boilerplate removed), then plain page fallbacks.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from crawlers.parsers import dates, links, pagekind, paging, structured
from crawlers.parsers.html import collapse, decode_html, element_text, parse_tree
from crawlers.parsers.urls import canonical_url

Role = Literal["auto", "listing", "detail"]
SELECTOR, TRAFILATURA, PAGE, URL = "selector", "trafilatura", "html", "url"
DEFAULT_MAX_TEXT = 20_000
MAX_AUTHOR, MAX_ID = 300, 200
_DATE_HINT = (
    "//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'posted')"
    " or contains(@class, 'publish') or contains(@id, 'date') or contains(@id, 'time')]"
)
_URL_ID = re.compile(r"(\d{3,})(?!.*\d{3,})")
_BOILERPLATE = re.compile(
    r"(?<![a-z])(share|social|breadcrumbs?|related|comments?|tags|advert\w*|banner|byline|toolbar|print|popup|modal"
    r"|menu|footer|header|sidebar|cookie|newsletter|login|signup|subscribe)(?![a-z])"
)


@dataclass(frozen=True)
class PageRules:
    """What a source's definition may say about its pages (all optional)."""

    item_selector: str | None = None
    item_url_pattern: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # title/text/posted_at/author -> CSS selector
    max_text_chars: int = DEFAULT_MAX_TEXT


@dataclass(frozen=True)
class Post:
    url: str  # canonical
    title: str
    text: str
    posted_at: datetime | None  # UTC
    author: str | None
    external_id: str | None
    fields_from: dict[str, str]
    text_truncated: bool = False
    extra: dict = field(default_factory=dict)  # what a kind knows beyond the post (views, links, photos)


@dataclass(frozen=True)
class PageResult:
    url: str
    kind: str  # listing | detail | not_found | blocked | redirect | empty
    posts: list[Post]
    follow: list[str]
    next: str | None
    dropped: str | None  # the counted reason a page gives no post
    item_pattern: str | None = None
    ignored_refresh: str | None = None  # a meta refresh that was not followed (javascript:, data:)
    entries: dict[str, str] = field(default_factory=dict)  # item URL -> its listing entry's fingerprint

    def to_json(self) -> dict:
        return {
            "url": self.url,
            "kind": self.kind,
            "posts": [
                {
                    "url": p.url, "title": p.title, "text": p.text, "posted_at": dates.iso_utc(p.posted_at),
                    "author": p.author, "external_id": p.external_id, "fields_from": p.fields_from,
                    **({"extra": p.extra} if p.extra else {}),
                }
                for p in self.posts
            ],
            "follow": self.follow,
            "next": self.next,
            "dropped": self.dropped,
        }


def parse_page(
    url: str,
    body: bytes | str,
    *,
    fetched_at: datetime,
    content_type: str = "",
    role: Role = "auto",
    rules: PageRules | None = None,
) -> PageResult:
    rules = rules or PageRules()
    html = decode_html(body, content_type)
    tree = parse_tree(html)
    if len(html) > 2 * rules.max_text_chars:  # no text node of a shorter page can be too long
        _cap_text_nodes(tree, 2 * rules.max_text_chars)
    base = _base_url(tree, url)
    data = structured.read(tree, url)

    visible = collapse(" ".join(tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")))
    if pagekind.blocked(tree, html, visible):
        return PageResult(url, pagekind.BLOCKED, [], [], None, pagekind.BLOCKED)
    one_post = len(data.post_entities) == 1
    if not one_post and pagekind.not_found(tree, url):
        return PageResult(url, pagekind.NOT_FOUND, [], [], None, pagekind.NOT_FOUND)
    refresh, ignored = pagekind.meta_refresh(html, url)
    if refresh:
        return PageResult(url, "redirect", [], [refresh], None, None)

    if role != "detail":  # a page the crawl fetched as an item needs no item links
        anchors = links.anchors(tree, base)
        items, pattern, is_item = _item_links(anchors, tree, base, url, rules)
        if role == "auto":
            listing = not one_post and bool(items) and not is_item and len(items) >= 3
            role = "listing" if listing else "detail"
        if role == "listing":
            return PageResult(url, "listing", [], items, paging.find_next(tree, base, url), None, pattern, ignored,
                              links.entry_fingerprints(anchors, items))

    post = _post(tree, html, url, base, fetched_at, rules, data)
    if not post.text:
        return PageResult(url, "empty", [], [], None, "no_text", None, ignored)
    return PageResult(url, "detail", [post], [], None, None, None, ignored)


def _item_links(anchors: list[links.Anchor], tree, base: str, url: str,
                rules: PageRules) -> tuple[list[str], str | None, bool]:
    """(item URLs, their pattern, whether this page itself is an item) by the rules or by inference."""
    if rules.item_selector or rules.item_url_pattern:
        items = links.select_items(anchors, tree, base, selector=rules.item_selector, pattern=rules.item_url_pattern)
        is_item = bool(rules.item_url_pattern and re.search(rules.item_url_pattern, url))
        return items, rules.item_url_pattern or rules.item_selector, is_item
    group = links.infer_items(anchors, url)
    if group is None:
        return [], None, False
    return group.urls, group.pattern, links.matches_group(url, group)


# --- the post -----------------------------------------------------------------------------


def _post(tree, html: str, url: str, base: str, fetched_at: datetime, rules: PageRules,
          data: structured.Structured) -> Post:
    found = data.post
    for name, css in rules.fields.items():
        if name not in found.fields:
            nodes = tree.cssselect(css)
            if nodes:
                value = nodes[0].get("datetime") or nodes[0].get("content") or element_text(nodes[0])
                found.put(name, value, SELECTOR)
    if "text" not in found.fields:
        found.put("text", _main_text(html, tree, url), TRAFILATURA)
    title_h1 = tree.xpath("//h1")
    found.put("title", collapse(title_h1[0].text_content()) if title_h1 else None, PAGE)
    found.put("title", collapse(" ".join(tree.xpath("//title//text()"))), PAGE)

    posted_at, posted_from = None, None
    if "posted_at" in found.fields:
        value, posted_from = found.fields["posted_at"]
        posted_at = dates.parse_any(value, fetched_at)
    if posted_at is None:
        posted_at, posted_from = _page_date(tree, fetched_at)

    title = found.get("title") or ""
    text, truncated = _cap(_without_title(found.get("text") or "", title), rules.max_text_chars)
    url_id = _url_id(url)
    if url_id:  # the site's own id of the post; some boards put the employer's id in JSON-LD
        found.fields["external_id"] = (url_id, URL)
    fields_from = {name: layer for name, (_, layer) in found.fields.items()}
    fields_from.pop("posted_at", None)
    if posted_at is not None and posted_from:
        fields_from["posted_at"] = posted_from
    return Post(
        url=_canonical(tree, base, url),
        title=title,
        text=text,
        posted_at=posted_at,
        author=_short(found.get("author"), MAX_AUTHOR),
        external_id=_short(found.get("external_id"), MAX_ID),
        fields_from=fields_from,
        text_truncated=truncated,
    )


def _main_text(html: str, tree, url: str) -> str:
    """trafilatura's main text (boilerplate removed); the page's article/main as a last resort."""
    import trafilatura  # imported on first use: it loads its models and config

    # fast: no second opinion from readability/jusText, two thirds of the time; the same text on
    # the demo board's 46 ads, the fixtures and the real detail pages of ../shared/pages.
    text = trafilatura.extract(
        copy.deepcopy(tree), url=url, include_comments=False, include_tables=True, favor_precision=True,
        deduplicate=False, fast=True,
    )
    if text and len(text.strip()) >= 40:
        from crawlers.parsers.html import clean_lines

        return clean_lines(text)
    roots = tree.xpath("//article") or tree.xpath("//main | //*[@role='main']") or tree.xpath("//body")
    if not roots:
        return ""
    root = max(roots, key=lambda r: len(r.text_content()))
    return element_text(root, skip=_is_boilerplate)


def _cap_text_nodes(tree, limit: int) -> None:
    """A 10 MB paragraph is an attack, not an ad: no text node longer than the post may be."""
    for el in tree.iter():
        if el.text and len(el.text) > limit:
            el.text = el.text[:limit]
        if el.tail and len(el.tail) > limit:
            el.tail = el.tail[:limit]


def _is_boilerplate(el: etree._Element) -> bool:
    if el.tag in ("nav", "form", "aside", "h1"):
        return True
    return bool(_BOILERPLATE.search(f"{el.get('class', '')} {el.get('id', '')}".lower()))


def _page_date(tree, fetched_at: datetime) -> tuple[datetime | None, str | None]:
    """<time datetime>, then elements named like dates, then the article's first date expression."""
    scopes = tree.xpath("//article") or tree.xpath("//main") or [tree]
    for scope in scopes[:1]:
        for value in scope.xpath(".//time/@datetime"):
            parsed = dates.parse_iso(value, fetched_at)
            if parsed:
                return parsed, PAGE
        for el in scope.xpath("." + _DATE_HINT)[:30]:
            text = collapse(el.get("datetime") or el.get("content") or el.text_content())
            if text and len(text) <= 80:
                parsed = dates.parse_iso(text, fetched_at) or dates.find_in_text(text, fetched_at)
                if parsed:
                    return parsed, PAGE
        parsed = dates.find_in_text(element_text(scope, skip=_is_boilerplate)[:1500], fetched_at)
        if parsed:
            return parsed, PAGE
    return None, None


def _short(value: str | None, limit: int) -> str | None:
    """A byline or an id is short: a page stating a longer one is cut, not believed in full."""
    return value[:limit].rstrip() if value else value


def _without_title(text: str, title: str) -> str:
    """The title is a field of its own: not again as the text's first line."""
    first, _, rest = text.partition("\n")
    return rest if title and collapse(first).casefold() == collapse(title).casefold() else text


def _cap(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(), True


def _url_id(url: str) -> str | None:
    m = _URL_ID.search(unquote(urlsplit(url).path))
    return m.group(1) if m else None


def _base_url(tree, url: str) -> str:
    href = tree.xpath("//base/@href")
    return urljoin(url, href[0].strip()) if href and href[0].strip() else url


def _canonical(tree, base: str, url: str) -> str:
    for href in tree.xpath("//link[@rel='canonical']/@href"):
        target = urljoin(base, href.strip())
        if href.strip() and urlsplit(target).hostname == urlsplit(url).hostname:
            return canonical_url(target)
    return canonical_url(url)
