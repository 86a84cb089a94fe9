"""Where an entity leads: its page, and the search that finds its posts. Pure."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from index.search.docfields import FIELDS
from index.search.query import format_filter

# Entity kind of the store -> its filter in the query language (phone -> phone, usdt_trc20 -> usdt).
SEARCH_FIELD = {f.entity: f.name for f in FIELDS if f.entity}


def entity_url(kind: str, value: str) -> str:
    """/entities/<kind>/<value>, both percent-encoded ("/" too: values like facebook.com/x)."""
    return f"/entities/{quote(kind, safe='')}/{quote(value, safe='')}"


def entity_search_query(kind: str, value: str) -> str | None:
    """The query that finds this entity's posts, when its kind is a search filter."""
    name = SEARCH_FIELD.get(kind)
    return format_filter(name, value) if name else None


def search_url(query: str) -> str:
    return "/search?" + urlencode({"q": query})
