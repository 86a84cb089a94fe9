"""Word-level differences between two versions of a post: pure, no HTML (the template escapes)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
Piece = tuple[str, str]  # ("equal" | "delete" | "insert", text)


def word_diff(old: str, new: str) -> list[Piece]:
    """Pieces that rebuild `old` (equal + delete) and `new` (equal + insert), in reading order."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out
