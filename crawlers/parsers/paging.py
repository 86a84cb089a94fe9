"""The next listing page: rel=next (on <a>, <link> or any element, in href or data-href), a link
that says "Trang sau"/"›"/"Next", or the numbered link to this page's number plus one
(`?page=N`, `?p=N`, `/trang-N`, `/page/N`, `/page-N`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from crawlers.parsers.html import collapse
from crawlers.parsers.urls import canonical_url

_PAGE_KEYS = ("page", "p", "pg", "paged", "trang", "pageindex", "page_no", "pageno", "pagenumber", "pn")
_PAGE_PATH = re.compile(r"(/(?:page|trang|p)[-/]?)(\d{1,5})(?=/|$|\.html?$)", re.I)
_NEXT_WORDS = frozenset({"trang sau", "sau", "tiếp", "tiếp theo", "trang tiếp", "trang kế", "next", "next page",
                         "›", "»", "›|", ">", ">>", "→", "sau »", "trang sau »", "next »", "next ›"})
_NEXT_CLASS = re.compile(r"(^|[-_])next($|[-_])|chevron-right|angle-right|arrow-right", re.I)
_HREF_ATTRS = ("href", "data-href", "data-url", "data-link")


def page_number(url: str) -> tuple[int, str]:
    """(page number, the URL with its page marker removed); page 1 where the URL has none."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key.lower() in _PAGE_KEYS and value.isdigit():
            rest = urlunsplit(parts._replace(query=urlencode(query[:i] + query[i + 1 :]), fragment=""))
            return int(value), canonical_url(rest)
    if m := _PAGE_PATH.search(parts.path):
        path = parts.path[: m.start()] + parts.path[m.end() :]
        return int(m.group(2)), canonical_url(urlunsplit(parts._replace(path=path or "/", fragment="")))
    return 1, canonical_url(urlunsplit(parts._replace(fragment="")))


def _target(el: etree._Element, base: str) -> str | None:
    for attr in _HREF_ATTRS:
        value = (el.get(attr) or "").strip()
        if value and not value.lower().startswith(("#", "javascript:", "mailto:")):
            url = urldefrag(urljoin(base, value))[0]
            if urlsplit(url).scheme in ("http", "https"):
                return url
    return None


def _after(candidate: str, page_url: str) -> bool:
    """Not this page, and not an earlier page of the same list."""
    if canonical_url(candidate) == canonical_url(page_url):
        return False
    number, rest = page_number(candidate)
    current, current_rest = page_number(page_url)
    return not (rest == current_rest and number <= current)


def _says_next(el: etree._Element) -> bool:
    words = {collapse(el.text_content()).lower(), (el.get("aria-label") or "").strip().lower(),
             (el.get("title") or "").strip().lower()}
    return bool(words & _NEXT_WORDS) or any(w.startswith(("next", "trang sau", "tiếp")) for w in words if w)


def _looks_next(el: etree._Element) -> bool:
    """An arrow icon or a "next" class: trusted only for a link to the same list."""
    classes = " ".join(x.get("class") or "" for x in (el, *el.iterdescendants()) if isinstance(x.tag, str))
    return bool(_NEXT_CLASS.search(classes))


def find_next(tree: etree._Element, base_url: str, page_url: str) -> str | None:
    host = urlsplit(page_url).hostname
    same_site = lambda u: urlsplit(u).hostname == host  # noqa: E731

    for el in tree.xpath("//*[@rel]"):
        if "next" in (el.get("rel") or "").lower().split():
            target = _target(el, base_url)
            if target and same_site(target) and _after(target, page_url):
                return target
    current, rest = page_number(page_url)
    for el in tree.xpath("//a | //button | //li[@data-href]"):
        target = _target(el, base_url)
        if not (target and same_site(target) and _after(target, page_url)):
            continue
        if _says_next(el) or (_looks_next(el) and page_number(target)[1] == rest):
            return target
    for el in tree.iter("a"):
        target = _target(el, base_url)
        if target and same_site(target):
            number, target_rest = page_number(target)
            if target_rest == rest and number == current + 1:
                return target
    return None
