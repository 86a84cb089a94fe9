"""The RawPost item: what a crawl hands to ingest (one JSON object per line of items.jsonl)."""

from __future__ import annotations

from typing import TypedDict

# Order of the exported fields (FEEDS "fields"): the contract's RawPost keys.
RAW_POST_FIELDS: tuple[str, ...] = (
    "source",
    "url",
    "canonical_url",
    "title",
    "text",
    "posted_at",
    "fetched_at",
    "sha256",
    "http_status",
    "content_type",
    "author",
    "external_id",
    "fields_from",
    "extra",
)

# Keys starting with this travel between spider and pipelines only; never exported.
PRIVATE_PREFIX = "_"
RAW_BODY_KEY = "_raw_body"  # bytes of the response body, for the evidence store
RAW_HEADERS_KEY = "_raw_headers"  # dict[str, str] of response headers, for the evidence store
REQUESTED_URL_KEY = "_requested_url"  # the URL asked for, before redirects (url is the final one)
RENDERED_KEY = "_rendered_dom"  # bytes of the DOM a browser rendered (render: true), kept beside the body


class RawPost(TypedDict):
    source: str
    url: str
    canonical_url: str
    title: str
    text: str
    posted_at: str | None  # ISO-8601 in UTC
    fetched_at: str  # ISO-8601 UTC
    sha256: str
    http_status: int
    content_type: str
    author: str | None
    external_id: str | None  # the site's own id of the post
    fields_from: dict[str, str]  # field -> the extraction layer that gave it (json-ld, trafilatura, ...)
    extra: dict | None  # what the source kind knows beyond the post: views, links, photos, attachments
