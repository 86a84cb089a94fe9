"""Form fields several routes read the same way, as dependencies: the queue view a form was sent
from (its tab and filters), and the choice of a bulk decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form

from .decision_form import NOTE_MAX

FilterValue = Annotated[str, Form(max_length=200)]


def _filter_form(tab: FilterValue = "", source: FilterValue = "", category: FilterValue = "",
                 destination: FilterValue = "", since: FilterValue = "", until: FilterValue = "",
                 minor: FilterValue = "") -> dict[str, str]:
    return {"tab": tab, "source": source, "category": category, "destination": destination, "since": since,
            "until": until, "minor": minor}


FilterForm = Annotated[dict[str, str], Depends(_filter_form)]


@dataclass(frozen=True)
class BulkChoice:
    decision: str
    reason: str
    note: str
    scope: str  # "selected" rows, or everything the "filter" matches
    selected: list[int]


def _bulk_choice(decision: Annotated[str, Form(max_length=50)] = "", reason: Annotated[str, Form(max_length=50)] = "",
                 note: Annotated[str, Form(max_length=NOTE_MAX)] = "",
                 scope: Annotated[str, Form(max_length=20)] = "selected",
                 selected: Annotated[list[int], Form(alias="post")] = []) -> BulkChoice:  # noqa: B006
    return BulkChoice(decision, reason, note, scope, list(dict.fromkeys(selected)))


BulkForm = Annotated[BulkChoice, Depends(_bulk_choice)]
