"""Bytes to NFC text to an lxml tree, and the readable text of an element (one line per block).

Every parser starts here, so the crawl and `lurewatch parse` decode a page the same way.
"""

from __future__ import annotations

import re
import unicodedata

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

# Bodies are capped by the crawl (DOWNLOAD_MAXSIZE): let libxml2 keep a long text node whole,
# so the post-length cap (not the parser) decides what is kept.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BLOCK_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 blockquote pre dd dt td th figcaption address div section article main"
    " header footer ul ol dl table tbody thead tr figure details summary".split()
)
# Subtrees that never hold readable words.
SKIP_TAGS = frozenset("script style noscript template iframe svg button select textarea head".split())
_BR = "\ue000"  # private-use sentinel for line breaks: survives whitespace collapsing
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\ufeff]+")


def _detect(body: bytes) -> str | None:
    """utf-8 when the bytes are valid utf-8, else charset-normalizer's best guess."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def decode_html(body: bytes | str, content_type: str = "") -> str:
    """Charset from the header, a BOM, <meta charset> or detection (windows-1258 too), then NFC.

    windows-1258 spells most Vietnamese letters as a base letter plus a combining tone mark:
    NFC folds them into the precomposed letters every other page uses.
    """
    if isinstance(body, bytes):
        _, text = html_to_unicode(content_type or None, body, auto_detect_fun=_detect)
    else:
        text = body
    return unicodedata.normalize("NFC", text)


def parse_tree(text: str) -> lxml.html.HtmlElement:
    """A forgiving lxml tree of the page (an empty document for an empty page)."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        text = "<html><body></body></html>"
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")


def fragment_text(html: str) -> str:
    """Readable text of an HTML fragment (a JSON-LD description, an RSS summary)."""
    if "<" not in html:
        return clean_lines(html.replace("\r", "\n"))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_lines(re.sub(r"<[^>]+>", " ", html))
    return element_text(root)


def element_text(el: etree._Element, skip=None) -> str:
    """Words of el, one line per block element or <br>; `skip(child)` leaves a subtree out."""
    pieces: list[str] = []
    _walk(el, pieces, skip)
    return clean_lines(re.sub(r"\s+", " ", "".join(pieces)).replace(_BR, "\n"))


def clean_lines(text: str) -> str:
    """Collapse spaces inside lines, drop empty lines, NFC."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def collapse(text: str) -> str:
    """One space between words (str.split: the same whitespace as `\\s`, several times faster)."""
    return " ".join((text or "").split())


def _walk(el: etree._Element, pieces: list[str], skip) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        pieces.append(_BR)
        return
    block = tag in _BLOCK_TAGS
    if block:
        pieces.append(_BR)
    pieces.append(el.text or "")
    for child in el:
        if isinstance(child.tag, str) and child.tag not in SKIP_TAGS and not (skip and skip(child)):
            _walk(child, pieces, skip)
        pieces.append(child.tail or "")  # a skipped child's tail is still the parent's text
    if block:
        pieces.append(_BR)
