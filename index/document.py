"""The typed shapes a post takes on its way into the index, and the text its spans point into.

Ingest (flows) hands the store `PostIn`s: one assessed post with its `SignalIn`s (fired
lure indicators, labelled in Vietnamese and English) and `EntityIn`s (phones, Zalo, banks...).
The store keeps signals as JSON and entities as rows, and gives both back in these shapes.

Spans (start, end) of signals and entities are offsets into `assessed_text(title, text)`, the
exact string the classifier read; `text_offset(title)` is where the text starts in it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime


def assessed_text(title: str, text: str) -> str:
    """The string the classifier assesses: signal and entity spans are offsets into it."""
    return f"{title}\n{text}"


def text_offset(title: str) -> int:
    """Where the text starts inside assessed_text(title, text)."""
    return len(title) + 1


def content_hash(title: str, text: str) -> str:
    """Identity of a post's content: a changed hash means a new version of the post."""
    return hashlib.sha256(assessed_text(title, text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EntityIn:
    kind: str  # phone | zalo | telegram | bank | email | destination | ...
    value: str  # canonical ("+84912345678"); the store normalises it again (index.entity_keys)
    start: int
    end: int
    raw: str  # as written in the post

    @classmethod
    def from_json(cls, d: Mapping) -> EntityIn:
        value = str(d["value"])
        return cls(str(d["kind"]), value, int(d.get("start", 0)), int(d.get("end", 0)), str(d.get("raw", value)))

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SignalIn:
    """A fired lure indicator: its stable id, its labels in both UI languages, the phrase."""

    id: str
    label_vi: str
    label_en: str
    category: str
    start: int
    end: int
    phrase: str
    weight: float

    def label(self, lang: str) -> str:
        """The label in the viewer's language; Vietnamese where no English one was stored."""
        return self.label_en if lang == "en" and self.label_en else self.label_vi

    @classmethod
    def from_json(cls, d: Mapping) -> SignalIn:
        """Also reads what was stored before labels came in two languages ({"label": vi})."""
        label_vi = str(d.get("label_vi") or d.get("label") or d.get("id") or "")
        return cls(
            id=str(d.get("id") or ""), label_vi=label_vi, label_en=str(d.get("label_en") or ""),
            category=str(d.get("category") or ""), start=int(d.get("start", 0)), end=int(d.get("end", 0)),
            phrase=str(d.get("phrase") or ""), weight=float(d.get("weight", 0.0)),
        )

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PostIn:
    """One assessed post. Signals and entities may be given as their JSON dicts (tests, older
    producers): they are read into SignalIn / EntityIn here, once."""

    source: str
    url: str
    canonical_url: str
    title: str
    text: str
    posted_at: datetime | None
    fetched_at: datetime
    raw_sha256: str
    # The assessment (index.models.AssessmentColumns keeps the same names).
    score: float
    is_lure: bool
    threshold: float
    model_version: str
    # Any sequence in (dicts read as below); always a tuple of the typed items afterwards.
    signals: Sequence[SignalIn]
    entities: Sequence[EntityIn]
    categories: Sequence[str]
    minor_risk: bool
    priority: int
    # Why minor_risk is set: each explicit cue (an age, a school grade, "mẫu nhí"...) as a
    # SignalIn whose labels are the reason in each language and whose span marks the phrase.
    minor_cues: Sequence[SignalIn] = ()
    # What the page parser read besides the content (crawlers RawPost): the byline or employer,
    # the site's own id of the post, and which extraction layer gave each field.
    author: str | None = None
    external_id: str | None = None
    fields_from: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        typed = {
            "fields_from": {str(k): str(v) for k, v in (self.fields_from or {}).items()},
            "signals": tuple(s if isinstance(s, SignalIn) else SignalIn.from_json(s) for s in self.signals),
            "entities": tuple(e if isinstance(e, EntityIn) else EntityIn.from_json(e) for e in self.entities),
            "minor_cues": tuple(c if isinstance(c, SignalIn) else SignalIn.from_json(c) for c in self.minor_cues),
            "categories": tuple(self.categories),
            "score": float(self.score),
            "is_lure": bool(self.is_lure),
            "threshold": float(self.threshold),
            "minor_risk": bool(self.minor_risk),
            "priority": int(self.priority),
        }
        for name, value in typed.items():
            object.__setattr__(self, name, value)
