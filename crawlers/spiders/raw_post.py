"""The RawPost item of one post read from one response: the spiders of every kind build it here."""

from __future__ import annotations

import hashlib
from datetime import datetime

from scrapy.http import Response

from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY, RENDERED_KEY, REQUESTED_URL_KEY
from crawlers.parsers.dates import iso_utc
from crawlers.parsers.page import Post
from crawlers.warc import SERVED_KEY


def content_type_of(response: Response) -> str:
    return response.headers.get(b"Content-Type", b"").decode("latin-1").strip()


def _sha256(response: Response, body: bytes) -> str:
    """Once per response: a channel page of 20 messages is hashed once, not 20 times."""
    cached = response.meta.get("lurewatch_sha256")
    if cached is None:
        cached = response.meta["lurewatch_sha256"] = hashlib.sha256(body).hexdigest()
    return cached


def raw_post(source: str, response: Response, post: Post, fetched_at: datetime) -> dict:
    """Many posts may share one response (a channel page, a thread page): each carries its body.

    A rendered page's evidence is the body the site served; the DOM Chromium built goes beside it.
    """
    served = response.meta.get(SERVED_KEY)
    status, body = (served[0], served[2]) if served else (response.status, response.body)
    headers = dict(served[1]) if served else {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    return {
        "source": source,
        "url": response.url,
        "canonical_url": post.url,
        "title": post.title,
        "text": post.text,
        "posted_at": iso_utc(post.posted_at),
        "fetched_at": fetched_at.isoformat(),
        "sha256": _sha256(response, body),
        "http_status": status,
        "content_type": content_type_of(response),
        "author": post.author,
        "external_id": post.external_id,
        "fields_from": post.fields_from,
        "extra": post.extra or None,
        # Private: for the evidence pipeline only, stripped before export.
        RAW_BODY_KEY: body,
        RAW_HEADERS_KEY: headers,
        REQUESTED_URL_KEY: (response.request.meta.get("redirect_urls") or [response.url])[0] if response.request else response.url,
        RENDERED_KEY: response.body if served else None,
    }
