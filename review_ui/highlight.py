"""Turn a text plus marked spans into segments the template can render safely.

Pure: no HTML is produced here. The template escapes every segment and wraps the marked
ones in <mark>, so scraped content never reaches the page unescaped.

Spans are offsets into the string the classifier saw, index.document.assessed_text(title,
text); `offset` is where a part starts inside that string, so the same spans serve the title
(offset 0) and the body (index.document.text_offset(title)): see `title_and_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.document import EntityIn, SignalIn, text_offset


@dataclass(frozen=True)
class Mark:
    kind: str   # "minor", "signal" or "entity" (CSS class)
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


def title_and_text(title: str, text: str, spans: list[Span]) -> tuple[list[Segment], list[Segment]]:
    """Segments of the title and of the text, cut by spans into assessed_text(title, text)."""
    return segments(title, spans, 0), segments(text, spans, text_offset(title))


def post_spans(
    signals: Iterable[SignalIn], entities: Iterable[EntityIn], lang: str, minor_cues: Iterable[SignalIn] = (),
    kind_label: Callable[[str], str] = str,
) -> list[Span]:
    """Spans of minor-risk cues and fired signal phrases (labelled in `lang`) and extracted
    entities (labelled by `kind_label`); on ties minor cues first, then signals."""
    spans = [Span(c.start, c.end, Mark("minor", c.label(lang) or c.id)) for c in minor_cues]
    spans += [Span(s.start, s.end, Mark("signal", s.label(lang) or s.id)) for s in signals]
    spans += [Span(e.start, e.end, Mark("entity", kind_label(e.kind))) for e in entities]
    return spans
