"""Values shown in the viewer's language: categories, entity kinds, statuses, destinations, reasons.

The store keeps codes ("fake-export-labour", "phone", "referral_pending", "KH:Sihanoukville");
pages show `label(field, value)`. A code without a translation shows as itself (visible in
review, never a crash); tests check every code the classifier and the store emit has one.
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import translator

# Fields whose values are codes with a catalogue key "<prefix>.<code>".
PREFIXES = {"category": "category", "status": "status", "kind": "entity", "entity": "entity",
            "decision": "decision", "reason": "reason", "tab": "tab"}


def labeller(lang: str) -> Callable[[str, str | None], str]:
    t = translator(lang)

    def label(field: str, value: str | None) -> str:
        if value is None or value == "":
            return "—"
        if field == "destination":  # "KH" or "KH:Sihanoukville"
            country, _, place = value.partition(":")
            name = t(f"country.{country}")
            name = country if name == f"country.{country}" else name
            return f"{name}: {place}" if place else name
        prefix = PREFIXES.get(field)
        if prefix is None:
            return value
        key = f"{prefix}.{value}"
        text = t(key)
        return value if text == key else text

    return label
