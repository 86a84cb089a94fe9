"""The entity page: every post of one phone / Zalo / Telegram / bank account / e-wallet / USDT
address..., when it was first and last seen, on which sources, and the contacts found with it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.entity_keys import CONTACT_KINDS, normalize_entity
from index.watchlist import WATCH_KINDS

from ..deps import StoreDep, Viewer
from ..entity_links import entity_search_query, entity_url, search_url
from ..investigation import open_cases
from ..rendering import render

router = APIRouter()

PAGE_SIZE = 50
VALUE_MAX = 500  # the store's column


@router.get("/entities/{kind}/{value:path}")
def entity_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    kind: Annotated[str, Path(max_length=50)],
    value: Annotated[str, Path(max_length=VALUE_MAX)],
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    if kind not in CONTACT_KINDS:
        raise HTTPException(status_code=404)
    key = normalize_entity(kind, value)
    if not key:
        raise HTTPException(status_code=404)
    if key != value:  # one address per entity: "0912 345 678" goes to +84912345678's page
        return RedirectResponse(entity_url(kind, key) + (f"?page={page}" if page > 1 else ""), status_code=303)
    summary = store.entity_summary(kind, key)
    posts = store.posts_by_entity(kind, key, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    store.audit(user.username, "view_entity", f"entity:{kind}:{key}", {"page": page, "posts": summary.n_posts})
    query = entity_search_query(kind, key)
    context = {
        "kind": kind,
        "summary": summary,
        "posts": posts,
        "page": page,
        "has_next": page * PAGE_SIZE < summary.n_posts,
        "co_entities": store.co_entities(kind, key),
        "search_link": search_url(query) if query else None,
        "cases": open_cases(store, user),
        "watchable": kind in WATCH_KINDS,
        "watch": store.get_watch(kind, key) if kind in WATCH_KINDS else None,
    }
    return render(request, "entity.html", context)
