"""What the post page lists, built from the store's bounded PostPage: pure, no HTML.

- Signals once each (the classifier reports every occurrence), labelled in the viewer's language,
  with how often they fired and their first distinct phrases.
- Entities once each, with the link to their entity page and how many posts carry them.
- The title and text cut into plain and marked segments (review_ui.highlight); spans point into
  title + "\\n" + text of the WHOLE title, so the text starts after the full title's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from index.document import EntityIn, SignalIn
from index.rows import PostPage

from .highlight import Segment, post_spans, segments
from .labels import labeller

MAX_PHRASES = 3  # distinct phrases shown per signal
MAX_ENTITIES = 100  # distinct entities listed


@dataclass(frozen=True)
class SignalGroup:
    id: str
    label: str
    category: str
    count: int
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class EntityItem:
    kind: str
    value: str
    url: str
    n_posts: int | None  # None: not counted (not a contact)


def entity_url(kind: str, value: str) -> str:
    """The entity page of a value (issue 11b's /entities/<kind>/<value>); every character that
    could end a path segment is escaped."""
    return f"/entities/{quote(kind, safe='')}/{quote(value, safe='')}"


def signal_groups(signals: Iterable[SignalIn], lang: str) -> list[SignalGroup]:
    """One entry per signal id, in the order they first fire."""
    found: dict[str, list[SignalIn]] = {}
    for s in signals:
        found.setdefault(s.id, []).append(s)
    out = []
    for sid, hits in found.items():
        phrases = tuple(dict.fromkeys(h.phrase for h in hits if h.phrase))[:MAX_PHRASES]
        out.append(SignalGroup(sid, hits[0].label(lang) or sid, hits[0].category, len(hits), phrases))
    return out


def entity_items(entities: Iterable[EntityIn], counts: Mapping[tuple[str, str], int],
                 limit: int = MAX_ENTITIES) -> list[EntityItem]:
    """Each (kind, value) once, in text order, at most `limit`."""
    keys = list(dict.fromkeys((e.kind, e.value) for e in entities))[:limit]
    return [EntityItem(kind, value, entity_url(kind, value), counts.get((kind, value))) for kind, value in keys]


def page_segments(page: PostPage, lang: str) -> tuple[list[Segment], list[Segment]]:
    """The shown title and text, cut into segments by the minor cues, signals and entities."""
    label = labeller(lang)
    spans = post_spans(page.signals, page.entities, lang, page.minor_cues, kind_label=lambda k: label("kind", k))
    return segments(page.post.title, spans, 0), segments(page.post.text, spans, page.title_length + 1)
