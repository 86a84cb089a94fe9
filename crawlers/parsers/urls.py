"""URL canonicalisation shared by parsers: one spelling per page, so dedup by URL works."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url


def strip_tracking_params(url: str) -> str:
    """Drop utm_* query parameters (campaign tags do not change the page)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(kept)))


@lru_cache(maxsize=8192)  # a crawl asks again for the same URLs (seen sets, item groups, state keys)
def canonical_url(url: str) -> str:
    """utm_* stripped first, then w3lib's canonical form (sorted query, no fragment, escaping)."""
    return canonicalize_url(strip_tracking_params(url))
