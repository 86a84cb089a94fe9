"""The first extraction layer: what a page states as data.

JSON-LD, Open Graph, itemprop/meta tags and Next.js `__NEXT_DATA__`, read from the page's one lxml
tree. Each value found keeps the name of the layer that gave it, so a post can say where each field
came from. (extruct did the JSON-LD and Open Graph reading once: importing it loads every syntax it
knows, a quarter of a second per crawl, for the two we read in a few lines here.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jstyleson
from lxml import etree

from crawlers.parsers.html import collapse, fragment_text

JSON_LD, OPEN_GRAPH, ITEMPROP, META, NEXT_DATA = "json-ld", "opengraph", "itemprop", "meta", "next-data"

# Types whose one instance on a page is the post itself.
POST_TYPES = frozenset(
    {"JobPosting", "NewsArticle", "Article", "BlogPosting", "Report", "DiscussionForumPosting",
     "SocialMediaPosting", "Posting", "LiveBlogPosting", "Product", "Offer", "Question"}
)
_TEXT_KEYS = {"JobPosting": ("description",), "Product": ("description",), "Offer": ("description",)}
_DEFAULT_TEXT_KEYS = ("articleBody", "text")
_DATE_KEYS = ("datePosted", "datePublished", "dateCreated", "uploadDate")
_META_DATES = (
    "article:published_time", "og:published_time", "og:article:published_time", "pubdate",
    "publishdate", "publish-date", "dc.date", "dc.date.issued", "date", "datepublished",
)
# __NEXT_DATA__: the post is the object with a title and a long body.
_NEXT_TITLE = ("title", "subject", "job_title", "jobTitle", "name", "headline")
_NEXT_BODY = ("description", "body", "content", "job_description", "jobDescription", "text", "articleBody")
_NEXT_DATE = ("list_time", "posted_at", "postedAt", "published_at", "publishedAt", "created_at", "createdAt",
              "date_posted", "datePosted", "approved_at", "approvedAt", "date")
_NEXT_ID = ("list_id", "ad_id", "job_id", "jobId", "post_id", "postId", "id")
MIN_BODY = 80  # shorter "descriptions" are teasers, not the post
_JSON_LD = etree.XPath("//script[@type='application/ld+json']")
_ITEMPROP = etree.XPath("//*[@itemprop]")
_ITEMPROP_TITLE = etree.XPath("//*[@itemprop='headline' or @itemprop='title']")
_LEADING_COMMENT = re.compile(r"^\s*(//.*|<!--.*-->)")
# Open Graph's namespaces (and the non-standard product:, common on shops).
_OG_PREFIXES = frozenset({"og", "music", "video", "article", "book", "profile", "product"})


@dataclass
class Found:
    """One post's fields as the page states them: field -> (value, layer)."""

    fields: dict[str, tuple[str, str]] = field(default_factory=dict)

    def put(self, name: str, value: Any, layer: str) -> None:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        if text.strip() and name not in self.fields:
            self.fields[name] = (text.strip(), layer)

    def get(self, name: str) -> str | None:
        return self.fields[name][0] if name in self.fields else None


@dataclass
class Structured:
    entities: list[dict]  # JSON-LD nodes, @graph flattened
    opengraph: dict[str, str]
    post: Found  # fields of the page's one post, where the data names one

    @property
    def post_entities(self) -> list[dict]:
        return [e for e in self.entities if _types(e) & POST_TYPES]


def read(tree: etree._Element, url: str) -> Structured:
    entities = list(_json_ld(tree))
    opengraph = _opengraph(tree)
    found = Found()
    posts = [e for e in entities if _types(e) & POST_TYPES]
    if len(posts) == 1:  # several JobPostings is a listing, not one post
        _from_entity(posts[0], found)
    _from_itemprop(tree, found)
    _from_meta(tree, opengraph, found)
    _from_next_data(tree, found)
    return Structured(entities=entities, opengraph=opengraph, post=found)


def _json_ld(tree: etree._Element) -> Iterator[dict]:
    for script in _JSON_LD(tree):
        text = script.xpath("string()")
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            # a leading HTML/JS comment, comments inside, trailing commas: what sites really write
            try:
                data = jstyleson.loads(_LEADING_COMMENT.sub("", text), strict=False)
            except (ValueError, TypeError, IndexError):
                continue  # a broken block must not hide the rest of the page
        yield from _flatten(data)


def _flatten(item: Any) -> Iterator[dict]:
    if isinstance(item, list):
        for x in item:
            yield from _flatten(x)
    elif isinstance(item, dict):
        if "@graph" in item:
            yield from _flatten(item["@graph"])
        else:
            yield item


def _types(entity: dict) -> set[str]:
    kind = entity.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    return str(value).strip() if value not in (None, "") else None


def _from_entity(entity: dict, found: Found) -> None:
    kinds = _types(entity)
    found.put("title", entity.get("headline") or entity.get("title") or entity.get("name"), JSON_LD)
    keys = next((_TEXT_KEYS[k] for k in kinds if k in _TEXT_KEYS), _DEFAULT_TEXT_KEYS)
    for key in keys:
        value = entity.get(key)
        if isinstance(value, str):
            text = fragment_text(value)
            if len(text) >= MIN_BODY and not text.endswith(("...", "…")):
                facts = _job_facts(entity) if "JobPosting" in kinds else []
                found.put("text", "\n".join([text, *facts]), JSON_LD)
                break
    for key in _DATE_KEYS:
        if entity.get(key):
            found.put("posted_at", entity[key], JSON_LD)
            break
    found.put("author", _name(entity.get("author")) or _name(entity.get("hiringOrganization")), JSON_LD)
    found.put("external_id", _identifier(entity), JSON_LD)


def _identifier(entity: dict) -> str | None:
    ident = entity.get("identifier")
    if isinstance(ident, dict):
        ident = ident.get("value")
    if isinstance(ident, (str, int)) and str(ident).strip():
        return str(ident)
    for key in ("sku", "productID"):
        if entity.get(key):
            return str(entity[key])
    return None


def _job_facts(entity: dict) -> list[str]:
    """Salary and place of a JobPosting: lures hide their pay and destination there."""
    facts = []
    salary = entity.get("baseSalary")
    if isinstance(salary, dict):
        value = salary.get("value")
        if isinstance(value, dict):
            amount = value.get("value") or "–".join(
                str(value[k]) for k in ("minValue", "maxValue") if value.get(k) is not None
            )
            unit = value.get("unitText") or ""
        else:
            amount, unit = value, ""
        if amount:
            facts.append(collapse(f"Mức lương: {amount} {salary.get('currency') or ''} {unit}"))
    places = entity.get("jobLocation")
    for place in places if isinstance(places, list) else [places]:
        address = place.get("address") if isinstance(place, dict) else None
        if isinstance(address, dict):
            parts = [str(address[k]) for k in ("streetAddress", "addressLocality", "addressRegion", "addressCountry")
                     if address.get(k)]
            if parts:
                facts.append("Địa điểm: " + ", ".join(parts))
    return facts


def _from_itemprop(tree: etree._Element, found: Found) -> None:
    by_prop: dict[str, list[etree._Element]] = {}
    for el in _ITEMPROP(tree):  # one pass over the page, then the props in order of trust
        by_prop.setdefault(el.get("itemprop"), []).append(el)
    for prop in ("datePosted", "datePublished", "dateCreated"):
        for el in by_prop.get(prop, ()):
            value = el.get("content") or el.get("datetime") or collapse(el.text_content())
            if value:
                found.put("posted_at", value, ITEMPROP)
                break
    for prop in ("articleBody", "description"):
        for el in by_prop.get(prop, ()):
            if el.tag == "meta":
                continue
            text = fragment_text(etree.tostring(el, encoding="unicode"))
            if len(text) >= MIN_BODY:
                found.put("text", text, ITEMPROP)
                break
    for el in _ITEMPROP_TITLE(tree):
        found.put("title", el.get("content") or collapse(el.text_content()), ITEMPROP)


def _opengraph(tree: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    declared = {p for el in tree.xpath("/html | /html/head") for p in re.findall(r"(\w+):\s*\S+", el.get("prefix", ""))}
    for el in tree.xpath("/html/head/meta[@property and @content]"):
        key = el.get("property")
        if key.partition(":")[0] in _OG_PREFIXES | declared:
            values.setdefault(key, el.get("content"))
    # Many Vietnamese sites write <meta name="og:title">, not property=.
    for el in tree.xpath("//meta[starts-with(@name, 'og:') or starts-with(@name, 'article:')][@content]"):
        values.setdefault(el.get("name"), el.get("content"))
    return values


def _from_meta(tree: etree._Element, opengraph: dict[str, str], found: Found) -> None:
    for key in ("article:published_time", "og:published_time", "og:article:published_time"):
        if opengraph.get(key):
            found.put("posted_at", opengraph[key], OPEN_GRAPH)
    metas = {
        (el.get("name") or el.get("property") or "").lower(): el.get("content")
        for el in tree.xpath("//head/meta[@content]")
    }
    for key in _META_DATES:
        if metas.get(key):
            found.put("posted_at", metas[key], META)
    found.put("title", opengraph.get("og:title"), OPEN_GRAPH)
    found.put("author", metas.get("author") or opengraph.get("article:author"), META)


def _from_next_data(tree: etree._Element, found: Found) -> None:
    scripts = tree.xpath("//script[@id='__NEXT_DATA__']/text()")
    if not scripts:
        return
    try:
        data = json.loads(scripts[0])
    except ValueError:
        return
    page_props = data.get("props", {}).get("pageProps", data) if isinstance(data, dict) else data
    best: tuple[int, dict, str] | None = None
    for obj in _dicts(page_props, depth=0):
        title = next((obj[k] for k in _NEXT_TITLE if isinstance(obj.get(k), str) and obj[k].strip()), None)
        body = next((obj[k] for k in _NEXT_BODY if isinstance(obj.get(k), str)), None)
        if title is None or body is None:
            continue
        text = fragment_text(body)
        if len(text) >= MIN_BODY and (best is None or len(text) > best[0]):
            best = (len(text), obj, text)
    if best is None:
        return
    _, obj, text = best
    found.put("title", next(obj[k] for k in _NEXT_TITLE if isinstance(obj.get(k), str) and obj[k].strip()), NEXT_DATA)
    found.put("text", text, NEXT_DATA)
    for key in _NEXT_DATE:
        if obj.get(key) not in (None, "", 0):
            found.put("posted_at", str(obj[key]), NEXT_DATA)
            break
    for key in _NEXT_ID:
        if isinstance(obj.get(key), (str, int)) and str(obj[key]).strip():
            found.put("external_id", str(obj[key]), NEXT_DATA)
            break


def _dicts(value: Any, depth: int) -> Iterator[dict]:
    if depth > 8:
        return
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _dicts(v, depth + 1)
    elif isinstance(value, list):
        for v in value[:200]:
            yield from _dicts(v, depth + 1)
