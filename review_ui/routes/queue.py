"""The review queue: flagged posts still waiting for a decision, most urgent first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ..deps import StoreDep, Viewer
from ..rendering import render

router = APIRouter()

PAGE_SIZE = 50


@router.get("/")
def queue_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    posts = store.queue(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    total = store.queue_count()
    context = {
        "posts": posts,
        "total": total,
        "page": page,
        "has_next": page * PAGE_SIZE < total,
        # Posts stored but not yet in the search index (engine down or catch-up not run yet).
        "index_pending": store.pending_count(),
    }
    return render(request, "queue.html", context)
