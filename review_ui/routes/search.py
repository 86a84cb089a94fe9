"""Search over the index: the query language, facets that add a filter, cursor pagination."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from index.search.base import SearchUnavailable
from index.search.query import QueryError, format_filter
from index.search.request import FACETS, SearchRequest

from ..deps import SearchDep, StoreDep, Viewer
from ..rendering import render

router = APIRouter()
log = logging.getLogger(__name__)

PAGE_SIZE = 20
QUERY_MAX = 500
CURSOR_MAX = 2000


def facet_links(query: str, facets: dict[str, list[tuple[str, int]]]) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """[(facet, [(value, count, query with that filter added)])]; values that cannot be written are skipped."""
    out = []
    for name in FACETS:
        buckets = []
        for value, count in facets.get(name, []):
            if name == "day":
                added = f"since:{value} until:{value}"
            else:
                added = format_filter(name, value)
                if added is None:
                    continue
            buckets.append((value, count, f"{query} {added}".strip()))
        if buckets:
            out.append((name, buckets))
    return out


@router.get("/search")
def search_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    search: SearchDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    after: Annotated[str | None, Query(max_length=CURSOR_MAX)] = None,
) -> Response:
    query = q.strip()
    context: dict = {"q": query, "result": None, "error": None, "unavailable": False, "facets": [], "after": after}
    if not query:
        return render(request, "search.html", context)
    try:
        result = search.search(SearchRequest(query=query, facets=FACETS, size=PAGE_SIZE, cursor=after or None))
    except QueryError as err:
        # The user's mistake, said where it is; not a server error.
        context["error"] = err.message
        store.audit(user.username, "search", query, {"query": query, "error": err.message})
        return render(request, "search.html", context, status_code=400)
    except SearchUnavailable as err:
        # The engine is down: say so on the page (the store and the queue still work).
        log.warning("search unavailable: %s", err)
        context["unavailable"] = True  # not the user's mistake: no "query needs fixing" here
        store.audit(user.username, "search", query, {"query": query, "error": "unavailable"})
        return render(request, "search.html", context, status_code=503)
    store.audit(user.username, "search", query, {"query": query, "total": result.total, "after": bool(after)})
    context.update(result=result, facets=facet_links(query, result.facets))
    return render(request, "search.html", context)
