"""Posts exported from platforms no crawler may enter (large social networks' groups and pages,
chat apps), one JSON object per line:

    {"url": "https://…", "text": "…", "author": "…" | null, "posted_at": "2026-05-01T08:30:00+07:00" | null,
     "title": "…", "external_id": "…", "html": "<raw HTML of the post>",
     "attachments": [{"url": "https://…", "type": "image", "name": "…", "sha256": "…"} | "https://…"]}

`url` and `text` are required; the rest may be left out. Each line is evidence of its own: its
sha256 (over the line's bytes) is the post's raw sha256, and the file's sha256 travels with it.
Pure: bytes in, posts and the bad lines (with their numbers) out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawlers.parsers import dates
from crawlers.parsers.html import clean_lines
from crawlers.parsers.urls import canonical_url
from crawlers.source import check_http_url, definition_problems

LAYER = "import"
CONTENT_TYPE = "application/x-ndjson"
MAX_TEXT = 200_000


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    type: str | None = Field(None, max_length=50)
    name: str | None = Field(None, max_length=500)
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)


class ExportedPost(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    author: str | None = Field(None, max_length=500)
    posted_at: str | None = None
    title: str = Field("", max_length=1000)
    external_id: str | None = Field(None, max_length=500)
    html: str | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=100)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)

    @field_validator("attachments", mode="before")
    @classmethod
    def _attachment_urls(cls, value):
        return [{"url": a} if isinstance(a, str) else a for a in value] if isinstance(value, list) else value


@dataclass
class ExportFile:
    sha256: str
    lines: int
    posts: list[dict] = field(default_factory=list)  # RawPost dicts, in file order
    line_bodies: dict[str, bytes] = field(default_factory=dict)  # sha256 -> the line's bytes (evidence)
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, what is wrong)


def read_export(data: bytes, *, source: str, imported_at: datetime) -> ExportFile:
    result = ExportFile(sha256=hashlib.sha256(data).hexdigest(), lines=0)
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        result.lines += 1
        try:
            post = _post(raw, source, imported_at, result.sha256, number)
        except ValueError as exc:
            result.bad.append((number, str(exc)))
            continue
        result.posts.append(post)
        result.line_bodies[post["sha256"]] = raw
    return result


def _post(raw: bytes, source: str, imported_at: datetime, file_sha: str, number: int) -> dict:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a JSON object ({exc.msg if hasattr(exc, 'msg') else exc})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        post = ExportedPost.model_validate(data)
    except ValidationError as exc:
        raise ValueError(definition_problems(exc)) from None
    posted = None
    if post.posted_at:
        posted = dates.parse_iso(post.posted_at, imported_at)
        if posted is None:
            raise ValueError(f"posted_at: {post.posted_at!r} is not an ISO 8601 time before the import")
    sha = hashlib.sha256(raw).hexdigest()
    fields = {"text": LAYER, **{k: LAYER for k in ("title", "author", "posted_at", "external_id") if getattr(post, k)}}
    return {
        "source": source, "url": post.url, "canonical_url": canonical_url(post.url), "title": post.title,
        "text": clean_lines(post.text), "posted_at": dates.iso_utc(posted), "fetched_at": imported_at.isoformat(),
        "sha256": sha, "http_status": 0, "content_type": CONTENT_TYPE, "author": post.author,
        "external_id": post.external_id, "fields_from": fields,
        "extra": {"import_file_sha256": file_sha, "line": number,
                  "attachments": [a.model_dump(exclude_none=True) for a in post.attachments],
                  **({"html_sha256": hashlib.sha256(post.html.encode()).hexdigest()} if post.html else {})},
    }
