"""User query -> parsed terms -> a safe FTS5 MATCH expression. Pure functions.

Supported: words (all required), "quoted phrases", -exclusion (of a word or a phrase), and
OR between two terms. Everything is folded (no accents, đ→d) and re-quoted, so no user string
can reach FTS5 as syntax: `"luong`, `AND`, `*`, `NEAR(` are just text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from classifier.text import fold

# Token characters as FTS5's unicode61 tokenizer sees them: letters and digits; everything
# else (punctuation, "_", "*", quotes) separates tokens.
TOKEN = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    # Conjunction of disjunctions: [[a], [b, c]] means a AND (b OR c). Each term is a phrase,
    # a tuple of folded tokens.
    required: list[list[tuple[str, ...]]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def positive_tokens(self) -> set[str]:
        """Folded tokens worth highlighting."""
        return {tok for group in self.required for phrase in group for tok in phrase}


def tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(fold(text)))


def parse_query(query: str) -> ParsedQuery:
    required: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    pending_or = False
    for m in _PIECE.finditer(query):
        negated, phrase_text, word = m.group(1), m.group(2), m.group(3)
        if word is not None:
            if word == "OR":
                pending_or = bool(required)  # a leading or doubled OR means nothing
                continue
            if word == "AND":  # AND is implicit
                continue
            negated = "-" if word.startswith("-") else ""
            phrase_text = word[1:] if negated else word
        phrase = tokens(phrase_text or "")
        if not phrase:
            continue
        if negated:
            excluded.append(phrase)
            # "-x" between "a OR" and "b" does not consume the OR.
            continue
        if pending_or:
            required[-1].append(phrase)
        else:
            required.append([phrase])
        pending_or = False
    return ParsedQuery(required=required, excluded=excluded)


def _quote(phrase: tuple[str, ...]) -> str:
    # Tokens have no quotes or operators left, but quote defensively anyway.
    return '"' + " ".join(phrase).replace('"', '""') + '"'


def to_fts5(parsed: ParsedQuery) -> str | None:
    """The MATCH expression, or None when nothing can match (no positive term).

    FTS5 cannot express a pure negation, so a query of exclusions only matches nothing.
    """
    if not parsed.required:
        return None
    groups = []
    for group in parsed.required:
        alternatives = " OR ".join(_quote(p) for p in group)
        groups.append(f"({alternatives})" if len(group) > 1 else alternatives)
    expr = " AND ".join(groups)
    for phrase in parsed.excluded:
        expr = f"({expr}) NOT {_quote(phrase)}"
    return expr
