"""Values every backend derives from a SearchDoc the same way (pure functions).

Derived once in Python so that sqlite and the Elasticsearch-like engines filter, facet and
sort on identical values: the Vietnam day of first_seen, epoch seconds, bank account digits.
"""

from __future__ import annotations

from datetime import datetime, timezone

from index.search.base import SearchDoc
from index.search.query import LOCAL_TZ

# Fields update_fields may change (the text needs index_posts: it changes the indexed terms).
UPDATABLE_FIELDS = frozenset(
    {"status", "score", "is_lure", "minor_risk", "priority", "model_version", "categories", "destinations"}
)
# Multi-valued SearchDoc attributes -> filter field names of the query language.
MULTI_FIELDS = {
    "categories": "category",
    "destinations": "destination",
    "phones": "phone",
    "zalos": "zalo",
    "telegrams": "telegram",
    "banks": "bank",
}


def epoch(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:  # the store keeps UTC in naive datetimes
        value = value.replace(tzinfo=timezone.utc)
    return int(value.timestamp())


def day_of(value: datetime | None) -> str:
    """YYYY-MM-DD in Vietnam time, "" when unknown."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LOCAL_TZ).date().isoformat()


def bank_account(value: str) -> str:
    """The digits of a "<BANK>:<digits>" value (what bank:<digits> matches)."""
    return value.rpartition(":")[2]


def terms_of(doc: SearchDoc) -> list[tuple[str, str]]:
    """(filter field, value) pairs of the multi-valued fields, without repeats."""
    out: dict[tuple[str, str], None] = {}
    for attr, name in MULTI_FIELDS.items():
        for value in getattr(doc, attr):
            out[(name, value)] = None
            if name == "bank":
                out[("bank_account", bank_account(value))] = None
    return list(out)


def check_updatable(fields: dict[str, object]) -> None:
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}; updatable: {sorted(UPDATABLE_FIELDS)}")
    if "status" in fields:
        from index.search.query import STATUSES

        if fields["status"] not in STATUSES:
            raise ValueError(f"unknown status {fields['status']!r}")
