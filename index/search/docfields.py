"""The one table of search fields: every filter, facet, range and updatable value of a post.

Each row says, for one field: its name in queries, the SearchDoc attribute it is read from, its
OpenSearch/Elasticsearch field and mapping type, where SQLite keeps it (a column of search_docs
or rows of search_terms), what it is used for, and which entity kind of the store fills it.
The query language, the request, both engine families and the store read this table; adding an
entity kind as a filter is one row here (e-wallets and USDT addresses were added so). Values
typed in a query are canonicalised by index.entity_keys, as at ingest.

Values are derived once, in Python, so sqlite and the Elasticsearch-like engines filter, facet
and sort on identical values: the Vietnam day of first_seen, epoch seconds, bank account digits.
Pure: imports nothing of index.search (base.py builds SearchDoc from this table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Flag, auto
from operator import attrgetter
from typing import Any

# Days and bare dates are read in Vietnam time (UTC+7, no DST): investigators think in local days.
LOCAL_TZ = timezone(timedelta(hours=7))
# index.decisions: new and needs_info are open, referral_pending waits for a second reviewer.
STATUSES = ("new", "needs_info", "referral_pending", "confirmed", "dismissed", "escalated")

TERMS = "search_terms"  # SQLite location of multi-valued fields: rows (kind = field name, value, post_id)
KEYWORD, DOUBLE, BOOLEAN, INTEGER, LONG = "keyword", "double", "boolean", "integer", "long"


class Use(Flag):
    FILTER = auto()  # matched as exact values (Query.filters / excluded_filters)
    TYPED = auto()  # and written `name:value` in the query language
    FACET = auto()
    RANGE = auto()
    UPDATE = auto()  # SearchBackend.update_fields may change it without reindexing the text
    NONE = 0


KEY = Use.FILTER | Use.TYPED


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


@dataclass(frozen=True)
class DocField:
    name: str  # in queries, facets, ranges and search_terms.kind
    attr: str  # the SearchDoc attribute it comes from (update_fields takes this name)
    es: str  # field of the OpenSearch/Elasticsearch document
    type: str  # its mapping type; also how values are converted for both engines
    sqlite: str  # column of search_docs, or TERMS
    use: Use = Use.NONE
    entity: str | None = None  # entity kind of the store whose values fill the attribute
    derive: Callable[[Any], Any] | None = None  # the value from the doc, when not the attribute as is
    missing: object = None  # what a NOT NULL search_docs column holds when the value is None

    @property
    def multi(self) -> bool:
        return self.sqlite == TERMS

    def value(self, doc: Any) -> Any:
        return self.derive(doc) if self.derive else getattr(doc, self.attr)


FIELDS: tuple[DocField, ...] = (
    DocField("source", "source", "source", KEYWORD, "source", KEY | Use.FACET),
    DocField("category", "categories", "categories", KEYWORD, TERMS, KEY | Use.FACET | Use.UPDATE),
    DocField("status", "status", "status", KEYWORD, "status", KEY | Use.FACET | Use.UPDATE),
    DocField("destination", "destinations", "destinations", KEYWORD, TERMS, KEY | Use.FACET | Use.UPDATE,
             entity="destination"),
    DocField("phone", "phones", "phones", KEYWORD, TERMS, KEY, entity="phone"),  # E.164
    DocField("zalo", "zalos", "zalos", KEYWORD, TERMS, KEY, entity="zalo"),
    DocField("telegram", "telegrams", "telegrams", KEYWORD, TERMS, KEY, entity="telegram"),
    DocField("bank", "banks", "banks", KEYWORD, TERMS, KEY, entity="bank"),  # "<BANK>:<digits>"
    DocField("ewallet", "ewallets", "ewallets", KEYWORD, TERMS, KEY, entity="ewallet"),  # "MOMO:+8491..."
    DocField("usdt", "usdts", "usdts", KEYWORD, TERMS, KEY, entity="usdt_trc20"),  # a TRC-20 address
    # bank:<digits> without a bank code matches the account digits of any bank.
    DocField("bank_account", "banks", "bank_accounts", KEYWORD, TERMS, Use.FILTER,
             derive=lambda d: sorted({bank_account(b) for b in d.banks}) if d.banks else ()),
    DocField("day", "first_seen", "day", KEYWORD, "day", Use.FACET,
             derive=lambda d: day_of(d.first_seen) or None, missing=""),
    DocField("score", "score", "score", DOUBLE, "score", Use.RANGE | Use.UPDATE),  # the lure score
    DocField("posted", "posted_at", "posted_at", LONG, "posted_at", Use.RANGE, derive=lambda d: epoch(d.posted_at)),
    # Unknown first_seen is 0 on both engines, so "newest" sorts agree.
    DocField("first_seen", "first_seen", "first_seen", LONG, "first_seen", Use.RANGE,
             derive=lambda d: epoch(d.first_seen) or 0),
    DocField("minor", "minor_risk", "minor", BOOLEAN, "minor", Use.UPDATE),  # minor:true|false
    DocField("is_lure", "is_lure", "is_lure", BOOLEAN, "is_lure", Use.UPDATE),
    DocField("priority", "priority", "priority", INTEGER, "priority", Use.UPDATE),
    DocField("model_version", "model_version", "model_version", KEYWORD, "model_version", Use.UPDATE),
)
FIELD = {f.name: f for f in FIELDS}
# sort: name -> the field it orders by, descending (post_id breaks ties the same way); "relevance"
# is each engine's own rank.
SORT_FIELDS = {"score": "score", "newest": "first_seen"}


def names(use: Use) -> tuple[str, ...]:
    """Names of the fields with this use, in table order."""
    return tuple(f.name for f in FIELDS if use in f.use)


FILTERS = names(Use.FILTER)
TYPED_FILTERS = names(Use.TYPED)
FACETS = names(Use.FACET)
RANGES = names(Use.RANGE)
UPDATABLE = {f.attr: f for f in FIELDS if Use.UPDATE in f.use}
UPDATABLE_FIELDS = frozenset(UPDATABLE)
# Entity kind of the store -> SearchDoc attribute it fills.
ENTITY_ATTRS = {f.entity: f.attr for f in FIELDS if f.entity}
TERM_FIELDS = tuple(f for f in FIELDS if f.multi)
DOC_COLUMNS = tuple(f for f in FIELDS if not f.multi)

_TO_ENGINE: dict[str, Callable[[Any], Any]] = {DOUBLE: float, BOOLEAN: bool, INTEGER: int, LONG: int}
# SQLite has no booleans: 0/1 integers.
_TO_SQLITE: dict[str, Callable[[Any], Any]] = {DOUBLE: float, BOOLEAN: int, INTEGER: int, LONG: int}


def es_value(field: DocField, value: Any) -> Any:
    """The document value of an Elasticsearch-like engine (None: leave the field out)."""
    if field.multi:
        return list(value)
    if value is None:
        return None
    convert = _TO_ENGINE.get(field.type)
    return convert(value) if convert else value


def sqlite_value(field: DocField, value: Any) -> Any:
    """The search_docs column value (multi-valued fields live in search_terms instead)."""
    if value is None:
        return field.missing
    convert = _TO_SQLITE.get(field.type)
    return convert(value) if convert else value


# Bulk indexing reads these for every doc: getters made once.
_TERM_GETTERS = [(f.name, f.derive or attrgetter(f.attr)) for f in TERM_FIELDS]


def terms_of(doc: Any) -> list[tuple[str, str]]:
    """(field name, value) rows of the multi-valued fields of a doc, without repeats."""
    out: dict[tuple[str, str], None] = {}
    for name, values_of in _TERM_GETTERS:
        for value in values_of(doc):
            out[(name, value)] = None
    return list(out)


def check_updatable(fields: dict[str, object]) -> None:
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}; updatable: {sorted(UPDATABLE_FIELDS)}")
    if "status" in fields and fields["status"] not in STATUSES:
        raise ValueError(f"unknown status {fields['status']!r}")
