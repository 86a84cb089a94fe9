"""The structured search request (UI and CLI) and opaque page cursors. Pure functions.

`SearchRequest.query` is the query language of `index.search.query`; the other fields let a
caller add filters, ranges and a sort without building strings. `resolve` merges both into one
`Query` (structured values go through the same normalisers as typed ones).
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from index.search.docfields import FACETS
from index.search.query import (
    FILTER_FIELDS,
    KEYWORD_FIELDS,
    LOCAL_TZ,
    Query,
    QueryError,
    Range,
    _day_start,
    normalize_value,
    parse_query,
)

FACET_SIZE = 20  # buckets per facet (counts of the buckets shown are exact)
MAX_SIZE = 500
MAX_OFFSET = 10_000  # beyond this, page with cursors (same limit as Elasticsearch's default)

Sort = Literal["relevance", "score", "newest"]
Facet = Literal[FACETS]  # type: ignore[valid-type]  (the facet fields of docfields)


class SearchRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str = ""
    # field -> any of these values (fields ANDed); fields: source status category destination
    # phone zalo telegram bank (bank "VCB:0123" or a bare account number).
    filters: dict[str, list[str]] = Field(default_factory=dict)
    exclude: dict[str, list[str]] = Field(default_factory=dict)
    minor: bool | None = None
    score_min: float | None = Field(default=None, ge=0, le=1)  # inclusive
    score_max: float | None = Field(default=None, ge=0, le=1)  # inclusive
    posted_from: date | datetime | None = None  # a date means the whole (Vietnam) day
    posted_to: date | datetime | None = None  # inclusive
    seen_from: date | datetime | None = None  # on first_seen
    seen_to: date | datetime | None = None
    sort: Sort | None = None  # None: the query's sort:, else relevance (newest without text)
    facets: tuple[Facet, ...] = ()
    size: int = Field(default=20, ge=0, le=MAX_SIZE)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)  # ignored when a cursor is given
    cursor: str | None = None  # SearchPage.next_cursor of the previous page
    highlight: bool = True


def resolve(req: SearchRequest) -> Query:
    """The request's query text plus its structured fields, as one Query."""
    q = parse_query(req.query)
    filters = {k: list(v) for k, v in q.filters.items()}
    excluded = {k: list(v) for k, v in q.excluded_filters.items()}
    for source, target in ((req.filters, filters), (req.exclude, excluded)):
        for name, values in source.items():
            if name not in KEYWORD_FIELDS and name not in FILTER_FIELDS:
                raise QueryError(f"unknown filter {name!r}; known: {', '.join(KEYWORD_FIELDS)}", token=name)
            for raw in values:
                field_name, value = normalize_value(name, str(raw))
                bucket = target.setdefault(field_name, [])
                if value not in bucket:
                    bucket.append(value)
    ranges = dict(q.ranges)
    if req.score_min is not None or req.score_max is not None:
        rng = Range(lo=req.score_min, hi=req.score_max, hi_inclusive=True)
        ranges["score"] = rng.intersect(ranges.get("score"))
    for name, lo, hi in (("posted", req.posted_from, req.posted_to), ("first_seen", req.seen_from, req.seen_to)):
        if lo is None and hi is None:
            continue
        rng = Range(lo=_bound(lo, start=True), hi=_bound(hi, start=False), hi_inclusive=_is_instant(hi))
        ranges[name] = rng.intersect(ranges.get(name))
    return Query(
        required=q.required,
        excluded=q.excluded,
        filters={k: tuple(v) for k, v in filters.items()},
        excluded_filters={k: tuple(v) for k, v in excluded.items()},
        minor=req.minor if req.minor is not None else q.minor,
        ranges=ranges,
        sort=req.sort or q.sort,
    )


def _is_instant(value: date | datetime | None) -> bool:
    return isinstance(value, datetime)


def _bound(value: date | datetime | None, *, start: bool) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)).timestamp()
    return _day_start(value if start else value + timedelta(days=1))


def range_is_empty(rng: Range) -> bool:
    if rng.lo is None or rng.hi is None:
        return False
    return rng.lo > rng.hi or (rng.lo == rng.hi and not (rng.lo_inclusive and rng.hi_inclusive))


# -- cursors ------------------------------------------------------------------------------------


def encode_cursor(query: Query, values: list[float | int | str]) -> str:
    """Opaque cursor: the sort values of the last hit, bound to the query that produced it."""
    payload = json.dumps({"f": query.fingerprint(), "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(query: Query, cursor: str, arity: int) -> list[float | int | str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        values = payload["v"]
        fingerprint = payload["f"]
    except (ValueError, TypeError, KeyError):
        raise QueryError("invalid page cursor; start again from the first page", token=cursor) from None
    if fingerprint != query.fingerprint():
        raise QueryError("this page cursor belongs to another query; start again from the first page")
    if (
        not isinstance(values, list)
        or len(values) != arity
        or not all(isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in values)
    ):
        raise QueryError("invalid page cursor; start again from the first page", token=cursor)
    return values
