"""Turn a text plus marked spans into segments the template can render safely.

Pure: no HTML is produced here. The template escapes every segment and wraps the marked
ones in <mark>, so scraped content never reaches the page unescaped.

Spans are offsets into the string the classifier saw (title + "\\n" + text); `offset` is where
`text` starts inside that string, so the same spans serve the title (offset 0) and the body
(offset len(title) + 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    kind: str   # "signal" or "entity" (CSS class)
    label: str  # shown as the title attribute (signal label, entity kind)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    mark: Mark


Segment = tuple[str, Mark | None]


def segments(text: str, spans: Iterable[Span], offset: int = 0) -> list[Segment]:
    """Cut `text` into plain and marked pieces; their concatenation is always `text`.

    Spans outside `text` are ignored, spans crossing its edges are clipped, and overlaps are
    resolved first-come (earliest start, then longest): a later span keeps only the part
    after the previous one, so no character is ever shown twice.
    """
    local = sorted(
        ((max(s.start - offset, 0), min(s.end - offset, len(text)), s.mark) for s in spans),
        key=lambda item: (item[0], -(item[1] - item[0])),
    )
    out: list[Segment] = []
    pos = 0
    for start, end, mark in local:
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], mark))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def post_spans(signals: Iterable[dict], entities: Iterable[dict]) -> list[Span]:
    """Spans of fired signal phrases and extracted entities, signals first on ties."""
    spans = [
        Span(int(s["start"]), int(s["end"]), Mark("signal", str(s.get("label") or s.get("id") or "")))
        for s in signals
    ]
    spans += [
        Span(int(e["start"]), int(e["end"]), Mark("entity", str(e.get("kind") or "")))
        for e in entities
    ]
    return spans
