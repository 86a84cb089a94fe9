"""The network view: posts linked by shared contacts or near-duplicate text, from one post or
from every post of one entity, drawn as server-side SVG (review_ui.network_graph)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from index.entity_keys import CONTACT_KINDS, normalize_entity

from ..deps import StoreDep, Viewer
from ..entity_links import entity_url
from ..investigation import open_cases
from ..network_graph import draw
from ..rendering import render

router = APIRouter()

MAX_POSTS = 500  # the walk stops here (and says so); the picture shows the closest 150


@router.get("/network")
def network_page(
    request: Request,
    user: Viewer,
    store: StoreDep,
    post: Annotated[int | None, Query(ge=1)] = None,
    kind: Annotated[str | None, Query(max_length=50)] = None,
    value: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """?post=ID, or ?kind=phone&value=... (the walk starts from every post of that entity)."""
    if post is not None:
        starts, origin, target = [post], None, f"post:{post}"
    elif kind in CONTACT_KINDS and value and normalize_entity(kind, value):
        key = normalize_entity(kind, value)
        starts, origin, target = store.entity_post_ids(kind, key, limit=MAX_POSTS), (kind, key), f"entity:{kind}:{key}"
        if not starts:
            raise HTTPException(status_code=404)
    else:
        raise HTTPException(status_code=404)
    try:
        network = store.network(starts, max_posts=MAX_POSTS)
    except ValueError:  # an unknown post
        raise HTTPException(status_code=404) from None
    posts = {p.id: p for p in store.posts_by_ids(network.post_ids)}
    drawing = draw(network, posts, set(starts))
    store.audit(user.username, "view_network", target, {"posts": network.size, "truncated": network.truncated})
    context = {
        "network": network,
        "drawing": drawing,
        "posts": [posts[p] for p in network.post_ids if p in posts],
        "start_post": post,
        "origin": origin,
        "origin_url": entity_url(*origin) if origin else None,
        "cases": open_cases(store, user),
    }
    return render(request, "network.html", context)
