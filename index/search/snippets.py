"""Snippets of the ORIGINAL text with the matched words highlighted. Pure functions.

Matching happens on fold(text), which has the same length as text, so every span found in
the folded text cuts the original at the same offsets: "luong" highlights "lương".
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    # Tokenise only a region around the first match: posts can be long, pages show 20 of them.
    first_at = _first_match(folded, frozenset(terms)) if terms else None
    r0 = 0 if first_at is None or first_at <= REGION_BEFORE else _token_start(folded, first_at - REGION_BEFORE)
    spans: list[tuple[int, int, bool]] = []
    first_hit: int | None = None
    at_end = True
    for m in TOKEN.finditer(folded, r0):
        hit = m.group() in terms
        if hit and first_hit is None:
            first_hit = len(spans)
        spans.append((m.start(), m.end(), hit))
        # Enough tokens for the window (plus one to know whether it reaches the end).
        needed = (max(0, first_hit - WORDS_BEFORE) if first_hit is not None else 0) + words + 1
        if (first_hit is not None or first_at is None) and len(spans) > needed:
            at_end = False
            break
    if not spans:
        return [(text[:MAX_CHARS], False)]
    first = next((i for i, (_, _, hit) in enumerate(spans) if hit), 0)
    lo = max(0, first - WORDS_BEFORE) if first else 0
    hi = min(len(spans), lo + words)
    lo = max(0, hi - words)  # near the end: take more context before
    window = spans[lo:hi]
    start = 0 if lo == 0 and r0 == 0 else window[0][0]
    end = len(text) if hi == len(spans) and at_end else window[-1][1]
    if end - start > MAX_CHARS:
        match_at = spans[first][0] if spans[first][2] else start
        start = max(start, min(match_at, end) - MAX_CHARS // 3)
        end = min(end, start + MAX_CHARS)
    return _segments(text, start, end, [(s, e) for s, e, hit in window if hit])


REGION_BEFORE = 400  # chars kept before the first match (>= WORDS_BEFORE words)


@lru_cache(maxsize=256)
def _term_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    # A whole token, exactly as TOKEN would cut it: no letter/digit on either side.
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _first_match(folded: str, terms: frozenset[str]) -> int | None:
    m = _term_pattern(terms).search(folded)
    return m.start() if m else None


def _token_start(folded: str, pos: int) -> int:
    """The first token boundary at or after pos (so no token is cut)."""
    m = TOKEN.search(folded, pos)
    if m is None:
        return pos
    if m.start() == pos and pos > 0 and TOKEN.match(folded, pos - 1):
        m = TOKEN.search(folded, m.end())  # pos is inside a token: skip it
        return m.start() if m else pos
    return m.start()


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
