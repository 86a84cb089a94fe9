"""The review queue: tabs, filters, one row per near-duplicate group, keyboard decisions, and
bulk decisions on a selection or on everything a filter matches (after a confirmation that
states the count). Every view of the queue is audited."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.decisions import DECISIONS, REASONS
from index.queue import TABS
from index.store import Store

from ..decision_form import KEY_DECISIONS, form_error
from ..forms import BulkChoice, BulkForm, FilterForm
from ..deps import DECIDE_ROLES, ClockDep, CsrfChecked, Reviewer, SettingsDep, StoreDep, Viewer
from ..queue_params import FILTER_KEYS, QueueView, notice_params, parse_notice, parse_queue_view
from ..rendering import as_fragment, render
from ..settings import UISettings

router = APIRouter()

PAGE_SIZE = 50
OPTIONS_TTL_S = 60.0  # the filters' source and destination lists are read at most once a minute
CATEGORIES = ("online-task/CTV-scam", "fake-export-labour", "abroad-casino/scam-compound",
              "fake-modelling/hostess/escort", "minor-targeting", "marriage/bride-brokering", "other")


def _options(request: Request, store: Store) -> tuple[list[str], list[str]]:
    cached = getattr(request.app.state, "queue_options", None)
    if cached is None or time.monotonic() - cached[0] > OPTIONS_TTL_S:
        cached = (time.monotonic(), store.queue_options())
        request.app.state.queue_options = cached
    return cached[1]


def _view(request: Request, settings: UISettings) -> QueueView:
    try:
        return parse_queue_view(request.query_params, settings.uncertain_margin)
    except ValueError:
        raise HTTPException(status_code=400) from None


@router.get("/")
def queue_page(request: Request, user: Viewer, store: StoreDep, settings: SettingsDep, clock: ClockDep) -> Response:
    view = _view(request, settings)
    page = store.queue_page(view.filter, clock(), limit=PAGE_SIZE, offset=(view.page - 1) * PAGE_SIZE)
    counts = store.queue_tab_counts()
    counts[view.filter.tab] = page.posts
    sources, places = _options(request, store)
    store.audit(user.username, "view_queue", f"queue:{view.filter.tab}", {
        "filter": view.params, "page": view.page, "rows": len(page.rows), "posts": page.posts,
    })
    decided, skipped = parse_notice(request.query_params)
    context = {
        "view": view, "page": page, "tabs": TABS, "tab_counts": counts,
        "has_next": view.page * PAGE_SIZE < page.groups, "now": clock(),
        "sources": sources, "places": places, "categories": CATEGORIES,
        "can_decide": user.role in DECIDE_ROLES, "decisions": DECISIONS, "reasons": REASONS,
        "key_decisions": KEY_DECISIONS, "decided": decided, "skipped": skipped,
        "margin": settings.uncertain_margin, "filter_keys": FILTER_KEYS,
        # Posts stored but not yet in the search index (engine down or catch-up not run yet).
        "index_pending": store.pending_count(),
    }
    as_fragment(request, "queue_table")
    return render(request, "queue.html", context)


def _targets(store: Store, view: QueueView, scope: str, selected: list[int], limit: int,
             now: datetime) -> tuple[list[int], int]:
    """(posts a bulk decision covers, rows they make): the groups of the selected rows, or every
    post the filter matches; at most limit + 1 posts (more is refused)."""
    if scope == "filter":
        posts = store.queue_matching(view.filter, limit + 1)
        return posts, store.queue_page(view.filter, now, limit=0).groups
    posts: list[int] = []
    for post_id in dict.fromkeys(selected):
        posts.extend(p for p in store.queue_group(post_id, view.filter) if p not in posts)
        if len(posts) > limit:
            break
    return posts, len(set(selected))


def _bulk_view(request: Request, settings: UISettings, form: dict[str, str]) -> QueueView:
    try:
        return parse_queue_view(form, settings.uncertain_margin)
    except ValueError:
        raise HTTPException(status_code=400) from None


@router.post("/queue/bulk")
def bulk_preview(request: Request, user: Reviewer, store: StoreDep, settings: SettingsDep, clock: ClockDep,
                 _csrf: CsrfChecked, choice: BulkForm, form: FilterForm) -> Response:
    view = _bulk_view(request, settings, form)
    return _confirmation(request, user, store, settings, clock(), view, choice, None)


@router.post("/queue/bulk/apply")
def bulk_apply(request: Request, user: Reviewer, store: StoreDep, settings: SettingsDep, clock: ClockDep,
               _csrf: CsrfChecked, choice: BulkForm, form: FilterForm,
               expected: Annotated[int, Form(ge=0)] = 0) -> Response:
    view = _bulk_view(request, settings, form)
    if form_error(choice.decision, choice.reason, choice.note) or choice.scope not in ("selected", "filter"):
        raise HTTPException(status_code=400)
    posts, _ = _targets(store, view, choice.scope, choice.selected, settings.bulk_max, clock())
    if len(posts) != expected or len(posts) > settings.bulk_max:  # the queue moved since the confirmation
        return _confirmation(request, user, store, settings, clock(), view, choice, posts)
    context = {"scope": choice.scope, "filter": view.params, "expected": expected, "rows": len(choice.selected)}
    result = store.decide(posts, user.username, choice.decision, choice.reason, choice.note.strip(), now=clock(),
                          margin=settings.uncertain_margin, via="bulk", context=context)
    _index_now(request, store, result.post_ids)
    target = view.url(**notice_params(len(result.reviews), result.skipped))
    return RedirectResponse(target, status_code=303)


def _index_now(request: Request, store: Store, post_ids: list[int]) -> None:
    """The new statuses show in search at once; if the engine is down the posts stay pending."""
    from index.sync import index_now

    if post_ids:
        index_now(store, request.app.state.search, post_ids)


def _confirmation(request: Request, user, store: Store, settings: UISettings, now: datetime,  # type: ignore[no-untyped-def]
                  view: QueueView, choice: BulkChoice, changed: list[int] | None) -> Response:
    """The page that states what a bulk decision will cover, with the form that confirms it."""
    error = form_error(choice.decision, choice.reason, choice.note)
    if error == "error.400" or choice.scope not in ("selected", "filter"):
        raise HTTPException(status_code=400)
    posts, rows = _targets(store, view, choice.scope, choice.selected, settings.bulk_max, now)
    problem = error
    if not posts:
        problem = "bulk.none"
    elif len(posts) > settings.bulk_max:
        problem = "bulk.too_many"
    store.audit(user.username, "view_bulk_confirmation", f"queue:{view.filter.tab}", {
        "filter": view.params, "scope": choice.scope, "decision": choice.decision, "reason": choice.reason,
        "posts": len(posts),
    })
    context = {
        "view": view, "decision": choice.decision, "reason": choice.reason, "note": choice.note,
        "scope": choice.scope, "selected": choice.selected, "posts": len(posts), "rows": rows, "problem": problem,
        "changed": changed is not None, "max": settings.bulk_max, "filter_keys": FILTER_KEYS,
    }
    status = 400 if problem else 409 if changed is not None else 200
    return render(request, "bulk_confirm.html", context, status)
