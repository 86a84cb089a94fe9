"""Rewrite a string with non-overlapping edits and keep a map back to the input's offsets.

A rewrite pass turns `old` into `new` by replacing some spans; `EditMap` records only the
replaced spans, so mapping costs a binary search and unedited text costs nothing. A span that
touches a replaced region widens to the whole region in the old text (a canonical "không"
from "ko" maps back to "ko", a "zalo" from "Z@lo" to "Z@lo").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Edit", "EditMap", "apply_edits"]


@dataclass(frozen=True)
class Edit:
    start: int  # span [start, end) in the text being rewritten
    end: int
    replacement: str
    rule: str  # id of the rule that asked for it (teencode id, "keycap", "leet"...)


class EditMap:
    """Offsets in the rewritten text -> offsets in the text before the rewrite."""

    __slots__ = ("new_starts", "new_ends", "old_starts", "old_ends")

    def __init__(self) -> None:
        self.new_starts: list[int] = []
        self.new_ends: list[int] = []
        self.old_starts: list[int] = []
        self.old_ends: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.new_starts)

    def _add(self, new_start: int, new_end: int, old_start: int, old_end: int) -> None:
        self.new_starts.append(new_start)
        self.new_ends.append(new_end)
        self.old_starts.append(old_start)
        self.old_ends.append(old_end)

    def start(self, pos: int) -> int:
        """Old offset of a span start at `pos` in the new text."""
        i = bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return pos
        if pos < self.new_ends[i]:
            return self.old_starts[i]
        return pos - self.new_ends[i] + self.old_ends[i]

    def end(self, pos: int) -> int:
        """Old offset of a span end at `pos` in the new text."""
        i = bisect_left(self.new_ends, pos)
        if i < len(self.new_ends) and self.new_starts[i] < pos <= self.new_ends[i]:
            return self.old_ends[i]
        j = bisect_right(self.new_ends, pos) - 1  # last region wholly before `pos`
        if j < 0:
            return pos
        return pos - self.new_ends[j] + self.old_ends[j]


def apply_edits(
    text: str, edits: Iterable[Edit], folded: str | None = None, fold: Callable[[str], str] | None = None
) -> tuple[str, EditMap, list[Edit], str | None]:
    """Apply edits (any order; overlapping ones lose to the earlier, then longer, edit).

    Returns the new text, its map back to `text`, the edits actually applied, and, when
    `folded` (a length-preserving fold of `text`) and `fold` are given, the fold of the new
    text built piecewise (only replacements are folded again)."""
    ordered = sorted(edits, key=lambda e: (e.start, -(e.end - e.start)))
    pieces: list[str] = []
    folded_pieces: list[str] = []
    track = folded is not None and fold is not None
    mapping = EditMap()
    applied: list[Edit] = []
    pos = 0
    shift = 0
    for edit in ordered:
        if edit.start < pos or text[edit.start : edit.end] == edit.replacement:
            continue
        pieces.append(text[pos : edit.start])
        pieces.append(edit.replacement)
        if track:
            folded_pieces.append(folded[pos : edit.start])  # type: ignore[index]
            folded_pieces.append(fold(edit.replacement))  # type: ignore[misc]
        new_start = edit.start + shift
        mapping._add(new_start, new_start + len(edit.replacement), edit.start, edit.end)
        shift += len(edit.replacement) - (edit.end - edit.start)
        pos = edit.end
        applied.append(edit)
    if not applied:
        return text, mapping, applied, folded
    pieces.append(text[pos:])
    new_folded = None
    if track:
        folded_pieces.append(folded[pos:])  # type: ignore[index]
        new_folded = "".join(folded_pieces)
    return "".join(pieces), mapping, applied, new_folded
