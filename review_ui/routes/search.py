"""Full-text search over the index (accent-free both ways), with highlighted snippets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ..deps import SearchDep, StoreDep, Viewer
from ..rendering import render

router = APIRouter()

PAGE_SIZE = 20
QUERY_MAX = 500


@router.get("/search")
def search_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    search: SearchDep,
    q: Annotated[str, Query(max_length=QUERY_MAX)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    query = q.strip()
    result = None
    if query:
        result = search.search(query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        detail = {"query": query, "total": result.total, "page": page}
        store.audit(user.username, "search", query, detail)
    context = {
        "q": query,
        "result": result,
        "page": page,
        "has_next": result is not None and page * PAGE_SIZE < result.total,
    }
    return render(request, "search.html", context)
