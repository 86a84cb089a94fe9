"""What the investigators' widgets need on any page (the "add to a case" form)."""

from __future__ import annotations

from index.rows import CaseRow, UserRow
from index.store import Store

from .deps import INVESTIGATE_ROLES


def open_cases(store: Store, user: UserRow) -> list[CaseRow]:
    """The open cases a post can be added to; none for roles that do not work on cases."""
    return store.list_cases(status="open") if user.role in INVESTIGATE_ROLES else []
