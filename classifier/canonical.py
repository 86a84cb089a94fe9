"""Canonical text: how the ad reads once disguises and teencode are undone, with offsets back.

`canonical_text(text)` runs three rewrite passes (characters, spellings, teencode; see
classifier.deobfuscate and classifier.teencode) and keeps each pass's `EditMap`, so a span found
on `CanonicalText.text` (or on its `folded` form, same length) maps back to the exact span of
the original string with `to_original(start, end)`. `rewrites` lists what was changed, with
original spans, so a reviewer can be shown "Z@lo → zalo" and signals can count obfuscation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from classifier.deobfuscate import character_edits, spelling_edits
from classifier.offsets import EditMap, apply_edits
from classifier.teencode import teencode_edits
from classifier.text import fold

__all__ = ["CanonicalText", "Rewrite", "canonical_text", "cached_canonical_text", "OBFUSCATION_RULES"]

# Rewrites that only a disguise explains (teencode and tone placement are ordinary writing).
OBFUSCATION_RULES = frozenset(
    {"keycap_digit", "zero_width", "compat_char", "split_letters", "leet", "spelled_digits"}
)


@dataclass(frozen=True)
class Rewrite:
    rule: str
    start: int  # span in the ORIGINAL text
    end: int
    original: str
    replacement: str


@dataclass(frozen=True)
class CanonicalText:
    original: str
    text: str
    rewrites: tuple[Rewrite, ...]
    _maps: tuple[EditMap, ...] = field(repr=False, compare=False)
    _folded: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def folded(self) -> str:
        """fold(self.text), computed once."""
        if not self._folded:
            self._folded.append(fold(self.text))
        return self._folded[0]

    @property
    def changed(self) -> bool:
        return bool(self.rewrites)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Span [start, end) of the canonical text → span of the original text."""
        if start == end:
            for m in reversed(self._maps):
                start = m.start(start)
            return start, start
        for m in reversed(self._maps):
            start, end = m.start(start), m.end(end)
        return start, max(start, end)

    def obfuscated(self, start: int, end: int) -> bool:
        """Does the ORIGINAL span [start, end) overlap a disguise that was undone?"""
        return any(
            r.rule in OBFUSCATION_RULES and r.start < end and start < r.end for r in self.rewrites
        )


def canonical_text(text: str, *, teencode: bool = True, folded: str | None = None) -> CanonicalText:
    """Rewrite `text` as it reads (disguises undone, teencode expanded), keeping offsets.

    `folded` may pass `fold(text)` when the caller already has it."""
    maps: list[EditMap] = []
    rewrites: list[Rewrite] = []
    current = text
    current_folded = fold(text) if folded is None else folded
    passes = [
        lambda t, f: character_edits(t),
        spelling_edits,
        *([teencode_edits] if teencode else []),
    ]
    for make_edits in passes:
        new, mapping, applied, new_folded = apply_edits(
            current, make_edits(current, current_folded), current_folded, fold
        )
        if not applied:
            continue
        for e in applied:  # record in original coordinates, through the earlier passes
            start, end = e.start, e.end
            for m in reversed(maps):
                start, end = m.start(start), m.end(end) if end > start else m.start(end)
            rewrites.append(Rewrite(e.rule, start, end, text[start:end], e.replacement))
        maps.append(mapping)
        current, current_folded = new, new_folded or fold(new)
    rewrites.sort(key=lambda r: (r.start, r.end))
    return CanonicalText(text, current, tuple(rewrites), tuple(maps), [current_folded])


@lru_cache(maxsize=1024)  # > one assess batch (256)
def cached_canonical_text(text: str) -> CanonicalText:
    """`canonical_text(text)`, memoised: `assess` needs it twice per text (entities, then the
    model's text view), and it is the costliest step of both. A pure function of `text`."""
    return canonical_text(text)
