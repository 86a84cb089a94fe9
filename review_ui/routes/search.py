"""Search over the index: the query language, facets that add a filter, cursor pagination, a
filter for every entity kind, saved searches, and the results as CSV."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.models import utcnow
from index.search.base import SearchUnavailable
from index.search.docfields import FIELDS
from index.search.query import QueryError, format_filter
from index.search.request import FACETS, MAX_SIZE, SearchRequest
from index.store import Store

from ..csv_export import CSV_MAX_ROWS, EXPORT_KINDS, search_csv
from ..deps import CsrfChecked, Investigator, SearchDep, StoreDep, Viewer
from ..entity_links import search_url
from ..investigation import open_cases
from ..rendering import render

router = APIRouter()
log = logging.getLogger(__name__)

PAGE_SIZE = 20
QUERY_MAX = 500
CURSOR_MAX = 2000
# The entity filters of the query language, in table order: phone zalo telegram bank ewallet usdt...
ENTITY_FILTERS = tuple(f.name for f in FIELDS if f.entity)


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


def _page_context(store: Store, user, query: str, after: str | None) -> dict:  # type: ignore[no-untyped-def]
    return {"q": query, "result": None, "error": None, "unavailable": False, "facets": [], "after": after, "rows": {},
            "saved": store.list_saved_searches(user.username), "entity_filters": ENTITY_FILTERS,
            "cases": open_cases(store, user)}


@router.get("/search")
def search_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    search: SearchDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    after: Annotated[str | None, Query(max_length=CURSOR_MAX)] = None,
    fk: Annotated[str | None, Query(max_length=50)] = None,
    fv: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    query = q.strip()
    if fk in ENTITY_FILTERS and fv.strip():  # the entity filter form: written into the query
        added = format_filter(fk, fv.strip())
        if added is not None:
            return RedirectResponse(search_url(f"{query} {added}".strip()[:QUERY_MAX]), status_code=303)
    context = _page_context(store, user, query, after)
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
    rows = {p.id: p for p in store.posts_by_ids([h.post_id for h in result.hits])}
    context.update(result=result, facets=facet_links(query, result.facets), rows=rows)
    return render(request, "search.html", context)


@router.get("/search/export.csv")
def export_csv(
    user: Investigator,
    store: StoreDep,
    search: SearchDep,
    q: Annotated[str, Query(min_length=1, max_length=QUERY_MAX)],
) -> Response:
    """Every result of the query (at most CSV_MAX_ROWS) with its contacts, UTF-8 with a BOM so
    that Excel reads Vietnamese; audited with the query and the row count."""
    query = q.strip()
    ids: list[int] = []
    cursor: str | None = None
    total = 0
    try:
        while len(ids) < CSV_MAX_ROWS:
            page = search.search(SearchRequest(query=query, size=min(MAX_SIZE, CSV_MAX_ROWS - len(ids)),
                                               cursor=cursor, highlight=False))
            total = page.total
            ids.extend(h.post_id for h in page.hits)
            cursor = page.next_cursor
            if not cursor or not page.hits:
                break
    except QueryError:
        raise HTTPException(status_code=400) from None
    except SearchUnavailable:
        raise HTTPException(status_code=503) from None
    rows = store.posts_with_contacts(ids, EXPORT_KINDS)
    body = search_csv(rows)
    store.audit(user.username, "export.search_csv", query, {
        "query": query, "rows": len(rows), "total": total, "truncated": total > len(rows)})
    stamp = utcnow().strftime("%Y%m%dT%H%MZ")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="lurewatch-search-{stamp}.csv"'})


@router.post("/search/saved")
def save_search(
    user: Viewer, store: StoreDep, _csrf: CsrfChecked,
    name: Annotated[str, Form(max_length=200)],
    q: Annotated[str, Form(max_length=QUERY_MAX)],
) -> Response:
    try:
        store.save_search(user.username, name, q)
    except ValueError:
        raise HTTPException(status_code=400) from None
    return RedirectResponse(search_url(q.strip()), status_code=303)


@router.post("/search/saved/{search_id}/delete")
def delete_saved_search(search_id: int, user: Viewer, store: StoreDep, _csrf: CsrfChecked) -> Response:
    if not store.delete_saved_search(user.username, search_id):
        raise HTTPException(status_code=404)
    return RedirectResponse("/search", status_code=303)
