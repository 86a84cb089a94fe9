"""What ingest hands to the store: one assessed post, a plain dataclass (no ORM)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


@dataclass
class PostIn:
    source: str
    url: str
    canonical_url: str
    title: str
    text: str
    posted_at: datetime | None
    fetched_at: datetime
    raw_sha256: str
    score: float
    is_lure: bool
    threshold: float
    model_version: str
    signals: list[dict]  # {"id","label","category","start","end","phrase","weight"}
    entities: list[dict]  # {"kind","value","start","end","raw"}
    categories: list[str]
    minor_risk: bool
    priority: int


def content_hash(title: str, text: str) -> str:
    """Identity of a post's content: a changed hash means a new version of the post."""
    return hashlib.sha256((title + "\n" + text).encode("utf-8")).hexdigest()
