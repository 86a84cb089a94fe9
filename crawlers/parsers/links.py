"""Which links of a listing page are items (ads, jobs, threads, articles).

Given the source's item selector or URL pattern, use it. Otherwise infer it: group the page's links
by the shape of their URL (`/viec-lam/<slug>/<id>.html`), split shapes on namespace segments
(`/cong-ty/...` vs `/viec-lam/...`), and keep the group that looks most like the page's main list:
many distinct URLs, each with its own id, each in a card that says more than the link itself.
Category, company, blog, login, share and pagination links lose on those counts.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit

from lxml import etree

from crawlers.parsers.dates import RELATIVE_DATE
from crawlers.parsers.html import collapse
from crawlers.parsers.urls import canonical_url

_NOT_LINKS = ("#", "mailto:", "tel:", "javascript:", "sms:", "zalo:", "data:")
_OUTSIDE_NAV = etree.XPath("//a[@href][not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
                           " or ancestor::*[@role='navigation'])]")
_EXTENSION = re.compile(r"\.(html?|php|aspx?|jsp|cfm|htm)$", re.I)
_TOKEN = re.compile(r"[^\W_]+", re.U)
_ID = re.compile(r"\d{3,}")
_PLAIN_PATH = re.compile(r"/[^/\s\\][^\s\\]*")  # no scheme, no //host, no whitespace or backslash
_TITLE_CLASS = re.compile(r"(^|[-_])titt?le($|[-_])")  # "tittle": a real board's spelling
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MIN_ITEMS = 2
_UNSEEN, _SHARED = object(), object()


@dataclass(frozen=True)
class Anchor:
    url: str  # absolute, without fragment
    text: str
    element: etree._Element


@dataclass(frozen=True)
class ItemGroup:
    pattern: str  # the shape, for people: /viec-lam/<slug>/<id>.html
    urls: list[str]  # one per item, in page order
    score: float


def anchors(tree: etree._Element, base_url: str) -> list[Anchor]:
    """Every http(s) link of the page outside header/nav/footer/aside."""
    found = []
    for a in _OUTSIDE_NAV(tree):  # libxml2 walks the ancestors: no Python element per ancestor
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_NOT_LINKS):
            continue
        url = urldefrag(_join(base_url, href))[0]
        if urlsplit(url).scheme in ("http", "https"):
            found.append(Anchor(url, collapse(a.text_content()), a))
    return found


def _join(base_url: str, href: str) -> str:
    """urljoin, with a shortcut for the commonest href, a plain root-relative path ('/viec-lam/x/1.html'):
    urljoin gives the base's origin and the href unchanged there, at a tenth of the cost."""
    if _PLAIN_PATH.fullmatch(href) and "/." not in href:
        return _origin(base_url) + href
    return urljoin(base_url, href)


@lru_cache(maxsize=256)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _segment_shape(segment: str) -> str:
    """'ke-toan-truong-j1912385.html' -> '<slug-id>.html'; '2114007.html' -> '<id>.html';
    'viec-lam' -> '<slug>' (a namespace or a title: told apart later by how many values it takes)."""
    ext_match = _EXTENSION.search(segment)
    ext = ext_match.group(0).lower() if ext_match else ""
    stem = segment[: len(segment) - len(ext)] if ext else segment
    if stem.isdigit():
        return "<id>" + ext  # a number that is a whole segment names the item, however short
    if _ID.search(stem):
        return "<slug-id>" + ext  # a title slug carrying the item's id, wherever the id sits
    return ("<slug>" if _TOKEN.search(stem) else stem) + ext


@lru_cache(maxsize=8192)  # a URL is shaped again on every listing page that links it
def _shape(url: str) -> tuple[str, ...]:
    parts = urlsplit(url)
    shapes = [_segment_shape(s) for s in unquote(parts.path).split("/")[1:]]
    named = [i for i, s in enumerate(shapes) if s]
    if named and shapes[named[-1]].startswith("<id>"):
        # the last segment is the id: a slug before it is a title, with or without numbers
        shapes = [("<slug>" if s == "<slug-id>" else s) for s in shapes[: named[-1]]] + shapes[named[-1] :]
    return (parts.hostname or "", *shapes)


@lru_cache(maxsize=8192)
def _identity(url: str, by_query: bool) -> str:
    parts = urlsplit(url)
    return canonical_url(url) if by_query else urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))


def _ids(url: str) -> set[str]:
    """Numbers of 3+ digits anywhere in the URL, and whole-segment numbers of any length."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    whole = {seg.split(".")[0] for seg in path.split("/") if seg.split(".")[0].isdigit()}
    return set(_ID.findall(path + "?" + parts.query)) | whole


def _split_namespaces(members: list[Anchor], shape: tuple[str, ...]) -> list[list[Anchor]]:
    """Split a shape group on a plain-word segment that takes few values (cong-ty | viec-lam)."""
    paths = [unquote(urlsplit(m.url).path).split("/")[1:] for m in members]
    for position in range(len(shape) - 1):
        if shape[position + 1] not in ("<slug>", "<slug-id>"):
            continue
        values = Counter(p[position] for p in paths if len(p) > position)
        if 1 < len(values) <= max(2, len(members) // 8) and min(values.values()) >= 2:
            groups: dict[str, list[Anchor]] = defaultdict(list)
            for member, path in zip(members, paths):
                groups[path[position]].append(member)
            return list(groups.values())
    return [members]


def _cards(members: list[Anchor], identities: list[str]) -> dict[int, etree._Element]:
    """For each member, its card: the highest ancestor holding no other item of the group."""
    # Each element maps to the one item below it, or to _SHARED once two are. A climb stops where
    # its path was walked before, so the page's upper levels are walked once, not once per link.
    below: dict[etree._Element, object] = {}
    for member, ident in zip(members, identities):
        for anc in member.element.iterancestors():
            seen = below.get(anc, _UNSEEN)
            if seen is _UNSEEN:
                below[anc] = ident
                continue
            if seen is not _SHARED and seen != ident:
                below[anc] = _SHARED
                for higher in anc.iterancestors():
                    if below.get(higher) is _SHARED:
                        break
                    below[higher] = _SHARED
            break
    cards = {}
    for i, member in enumerate(members):
        card = member.element
        for anc in member.element.iterancestors():
            if below[anc] is _SHARED:
                break
            card = anc
        cards[i] = card
    return cards


def _score(members: list[Anchor], page_url: str) -> tuple[float, list[str]]:
    by_query = len({urlsplit(m.url).path for m in members}) == 1
    identities = [_identity(m.url, by_query) for m in members]
    distinct = list(dict.fromkeys(identities))
    if len(distinct) < MIN_ITEMS:
        return 0.0, distinct
    # an id that changes from item to item (ids, not a shared category number)
    id_sets = [_ids(i) for i in distinct]
    shared = set.intersection(*id_sets) if id_sets else set()
    with_id = sum(1 for ids in id_sets if ids - shared) / len(distinct)
    cards = _cards(members, identities)
    card_text: dict[str, int] = {}
    link_text: dict[str, int] = {}
    for i, (member, ident) in enumerate(zip(members, identities)):
        card_len = len(collapse(cards[i].text_content())) if cards[i] is not member.element else 0
        card_text[ident] = max(card_text.get(ident, 0), card_len)
        link_text[ident] = max(link_text.get(ident, 0), len(member.text))
    headed = {ident for member, ident in zip(members, identities) if _is_title(member.element)}
    context = statistics.median(max(0, card_text[i] - link_text[i]) for i in distinct)
    title = statistics.median(link_text[i] for i in distinct)
    score = len(distinct) * (1 + 2 * with_id) * (1 + min(context, 300) / 100) * (1 + min(title, 80) / 40)
    score *= 1 + len(headed) / len(distinct)
    return score, [_first_spelling(members, identities, i, by_query) for i in distinct]


def _is_title(a: etree._Element) -> bool:
    """A link in a heading, or a link (or its parent) classed as a title: how cards name their item."""
    for depth, el in enumerate((a, *a.iterancestors())):
        if el.tag in _HEADINGS:
            return True
        if depth <= 1 and any(_TITLE_CLASS.search(c) for c in (el.get("class") or "").lower().split()):
            return True
        if depth >= 2:
            return False
    return False


def _first_spelling(members: list[Anchor], identities: list[str], ident: str, by_query: bool) -> str:
    """The item URL to fetch: its path alone when the path names the item (tracking queries vary)."""
    url = next(m.url for m, i in zip(members, identities) if i == ident)
    return url if by_query else ident


def _pattern(shape: tuple[str, ...], members: list[Anchor]) -> str:
    paths = [unquote(urlsplit(m.url).path).split("/")[1:] for m in members]
    pieces = []
    for position, piece in enumerate(shape[1:]):
        values = {p[position] for p in paths if len(p) > position}
        pieces.append(next(iter(values)) if len(values) == 1 and len(paths) > 1 else piece)
    return "/" + "/".join(pieces)


def infer_items(links: list[Anchor], page_url: str) -> ItemGroup | None:
    """The dominant repeated item-URL shape among the links of a page."""
    page_host = urlsplit(page_url).hostname
    by_shape: dict[tuple[str, ...], list[Anchor]] = defaultdict(list)
    for link in links:
        if urlsplit(link.url).hostname == page_host and canonical_url(link.url) != canonical_url(page_url):
            by_shape[_shape(link.url)].append(link)
    best: ItemGroup | None = None
    for shape, members in by_shape.items():
        for group in _split_namespaces(members, shape):
            score, urls = _score(group, page_url)
            if score > 0 and (best is None or score > best.score):
                best = ItemGroup(_pattern(shape, group), urls, score)
    return best


def matches_group(url: str, group: ItemGroup) -> bool:
    """Does a URL (the page's own) have the group's shape?"""
    shape = _shape(url)[1:]
    wanted = group.pattern.lstrip("/").split("/")
    if len(shape) != len(wanted):
        return False
    segments = unquote(urlsplit(url).path).split("/")[1:]
    return all(w == s or w == seg for w, s, seg in zip(wanted, shape, segments))


def select_items(links: list[Anchor], tree: etree._Element, base_url: str, *, selector: str | None,
                 pattern: str | None) -> list[str]:
    """Item links named by the source's definition: a CSS selector for the links, or a URL regex."""
    urls: list[str] = []
    if selector:
        for el in tree.cssselect(selector):
            a = el if el.tag == "a" else next(iter(el.iter("a")), None)
            href = (a.get("href") or "").strip() if a is not None else ""
            if href and not href.lower().startswith(_NOT_LINKS):
                urls.append(urldefrag(urljoin(base_url, href))[0])
    else:
        regex = re.compile(pattern or "")
        urls = [link.url for link in links if regex.search(link.url)]
    seen: set[str] = set()
    unique = []
    for url in urls:
        key = canonical_url(url)
        if key not in seen:
            seen.add(key)
            unique.append(url)
    return unique


def entry_fingerprints(links: list[Anchor], items: list[str]) -> dict[str, str]:
    """For each item URL, a short hash of its listing entry: the text of its card (the highest
    ancestor of its links holding no other item), relative ages ("2 giờ trước", "hôm qua 08:16")
    masked, since they change with the clock and not with the ad. An item whose entry reads the
    same as last time may be left unfetched for a while (crawlers.revisit)."""
    wanted = {canonical_url(url): url for url in items}
    members, identities = [], []
    for link in links:
        url = wanted.get(canonical_url(link.url)) or wanted.get(canonical_url(_identity(link.url, by_query=False)))
        if url is not None:
            members.append(link)
            identities.append(url)
    cards = _cards(members, identities)
    texts: dict[str, list[str]] = defaultdict(list)
    for i, url in enumerate(identities):
        text = collapse(cards[i].text_content())
        if text not in texts[url]:
            texts[url].append(text)
    return {url: _fingerprint(" | ".join(sorted(parts))) for url, parts in texts.items()}


def _fingerprint(text: str) -> str:
    masked = RELATIVE_DATE.sub("<age>", text)
    return hashlib.sha1(masked.encode("utf-8")).hexdigest()[:16]
