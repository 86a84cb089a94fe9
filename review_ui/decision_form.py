"""What a decision form may send (index.decisions says what is allowed): pure checks, no I/O."""

from __future__ import annotations

from index.decisions import DECISIONS, OTHER, REASONS

NOTE_MAX = 5000
# The queue's number keys, in order (the keyboard help and the dialog read this).
KEY_DECISIONS = {"1": "lure", "2": "not_lure", "3": "escalate", "4": "needs_info"}


def form_error(step: str, reason: str, note: str, steps: tuple[str, ...] = DECISIONS) -> str | None:
    """The catalogue key of what is wrong with the form, or None. An unknown step or reason is
    a forged form ("error.400"); "other" without a note is the reviewer's to fix."""
    if step not in steps or reason not in REASONS.get(step, ()):
        return "error.400"
    if reason == OTHER and not note.strip():
        return "post.other_needs_note"
    return None
