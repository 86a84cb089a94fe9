"""Snippets of the ORIGINAL text with the matched words highlighted. Pure functions.

Matching happens on fold(text), which has the same length as text, so every span found in
the folded text cuts the original at the same offsets: "luong" highlights "lương".
"""

from __future__ import annotations

from classifier.text import fold

from index.search.base import Snippet
from index.search.query import TOKEN

SNIPPET_WORDS = 30
WORDS_BEFORE = 8  # context kept before the first match
MAX_CHARS = 600  # a single monster "word" (base64, URL) must not blow up a results page


def make_snippet(text: str, terms: set[str], words: int = SNIPPET_WORDS) -> Snippet:
    """About `words` words of `text` around the first token in `terms` (folded tokens)."""
    if not text:
        return []
    folded = fold(text)
    if len(folded) != len(text):  # fold promises same length; never cut at wrong offsets
        folded, terms = text, set()
    spans = [(m.start(), m.end(), m.group() in terms) for m in TOKEN.finditer(folded)]
    if not spans:
        return [(text[:MAX_CHARS], False)]
    first = next((i for i, (_, _, hit) in enumerate(spans) if hit), 0)
    lo = max(0, first - WORDS_BEFORE) if first else 0
    hi = min(len(spans), lo + words)
    lo = max(0, hi - words)  # near the end: take more context before
    window = spans[lo:hi]
    start = 0 if lo == 0 else window[0][0]
    end = len(text) if hi == len(spans) else window[-1][1]
    if end - start > MAX_CHARS:
        match_at = spans[first][0] if spans[first][2] else start
        start = max(start, min(match_at, end) - MAX_CHARS // 3)
        end = min(end, start + MAX_CHARS)
    return _segments(text, start, end, [(s, e) for s, e, hit in window if hit])


def _segments(text: str, start: int, end: int, hits: list[tuple[int, int]]) -> Snippet:
    out: Snippet = []
    pos = start
    for s, e in hits:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > pos:
            out.append((text[pos:s], False))
        out.append((text[s:e], True))
        pos = e
    if pos < end:
        out.append((text[pos:end], False))
    # Merge neighbours of the same kind so callers get the fewest segments.
    merged: Snippet = []
    for seg, hit in out:
        if merged and merged[-1][1] == hit:
            merged[-1] = (merged[-1][0] + seg, hit)
        else:
            merged.append((seg, hit))
    return merged
