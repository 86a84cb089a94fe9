"""One post: its text (capped, the whole text a download) with fired phrases marked, signals once
each, entities linked to their pages, earlier versions with a diff, related posts, the fetch
details and a warning when the stored snapshot no longer matches its hash; and the reviewer's
side: the claim, decisions with reasons, the second reviewer's confirmation, reopening."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.decisions import DECISIONS, DECLINE_REFERRAL, FINAL_STATUSES, OPEN_STATUSES, REASONS, REFERRAL_PENDING, REOPEN
from index.entity_keys import LINK_KINDS
from index.queue import QueueFilter
from index.rows import DecisionResult
from index.store import Store
from index.sync import index_now

from ..decision_form import KEY_DECISIONS, NOTE_MAX, form_error
from ..deps import DECIDE_ROLES, ClockDep, CsrfChecked, Reviewer, SearchDep, SettingsDep, StoreDep, Viewer
from ..diff import word_diff
from ..forms import FilterForm
from ..evidence_files import check_snapshot, fetch_headers
from ..post_view import entity_items, page_segments, signal_groups
from ..queue_params import notice_params, parse_notice, parse_queue_view, tab_of
from ..rendering import render
from ..security import safe_next
from ..settings import UISettings

router = APIRouter()

CLAIMABLE = (*OPEN_STATUSES, REFERRAL_PENDING)
Text = Annotated[str, Form(max_length=NOTE_MAX)]
Code = Annotated[str, Form(max_length=50)]


def _group_filter(store: Store, post_id: int, settings: UISettings, form: dict[str, str] | None = None) -> QueueFilter:
    """The tab (and filter, when the form came from a filtered queue) a post's group is read in."""
    if form and form.get("tab"):
        try:
            return parse_queue_view(form, settings.uncertain_margin).filter
        except ValueError:
            raise HTTPException(status_code=400) from None
    page = store.post_page(post_id, text_cap=1, title_cap=1)
    if page is None:
        raise HTTPException(status_code=404)
    return QueueFilter(tab=tab_of(page.post), margin=settings.uncertain_margin)


def _post_context(request: Request, user, store: Store, settings: UISettings, post_id: int, now,  # type: ignore[no-untyped-def]
                  claim: bool) -> dict:
    page = store.post_page(post_id, settings.post_text_cap)
    if page is None:
        raise HTTPException(status_code=404)
    post = page.post
    can_decide = user.role in DECIDE_ROLES
    group_filter = QueueFilter(tab=tab_of(post), margin=settings.uncertain_margin)
    group = store.queue_group(post_id, group_filter) if post.status in CLAIMABLE else [post_id]
    referral = next((r for r in reversed(page.reviews) if r.decision == "escalate"), None)
    own_referral = referral is not None and referral.username == user.username
    claims = {}
    # The referrer does not claim their own referral: the second reviewer must be able to take it.
    if can_decide and claim and post.status in CLAIMABLE and not (post.status == REFERRAL_PENDING and own_referral):
        claims = store.claim(group, user.username, now, settings.claim_seconds).held_by_others
    held = claims.get(post_id) or next(iter(store.live_claims([post_id], now).values()), None)
    link_keys = list(dict.fromkeys((e.kind, e.value) for e in page.entities if e.kind in LINK_KINDS))[:50]
    lang = request.state.lang
    title_segments, text_segments = page_segments(page, lang)
    check = check_snapshot(settings.evidence_dir, post.raw_sha256)
    if check.state == "mismatch":
        store.audit(user.username, "evidence.mismatch", f"post:{post_id}",
                    {"expected": post.raw_sha256, "actual": check.actual_sha256})
    decided, skipped = parse_notice(request.query_params)
    return {
        "page": page, "post": post, "title_segments": title_segments, "text_segments": text_segments,
        "signal_groups": signal_groups(page.signals, lang),
        "entities": entity_items(page.entities, store.entity_post_counts(link_keys)),
        "distinct_entities": len({(e.kind, e.value) for e in page.entities}),
        "related": store.related_posts(post_id, page.entities),
        "check": check, "fetch_headers": fetch_headers(check.meta),
        "has_snapshot": check.state in ("ok", "mismatch", "too_large"),
        "can_decide": can_decide, "decisions": DECISIONS, "reasons": REASONS, "key_decisions": KEY_DECISIONS,
        "decline_reasons": REASONS[DECLINE_REFERRAL], "reopen_reasons": REASONS[REOPEN],
        "group_size": len(group), "held": held, "mine": held is not None and held.username == user.username,
        "is_open": post.status in OPEN_STATUSES, "is_final": post.status in FINAL_STATUSES,
        "is_referral": post.status == REFERRAL_PENDING, "referral": referral,
        "own_referral": own_referral,
        "decided": decided, "skipped": skipped, "error": None,
    }


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: int, user: Viewer, store: StoreDep, settings: SettingsDep,
              clock: ClockDep) -> Response:
    context = _post_context(request, user, store, settings, post_id, clock(), claim=True)
    store.audit(user.username, "view_post", f"post:{post_id}")
    return render(request, "post.html", context)


def _after(request: Request, store: Store, search, settings: UISettings, user, post_id: int,  # type: ignore[no-untyped-def]
           result: DecisionResult, next_url: str, clock) -> Response:
    """Back to where the form came from (the post, or the queue view it was sent from) saying
    what happened when it was more than this one post; when nothing could be decided from the
    post page, that page again, saying why (409)."""
    if result.post_ids:
        index_now(store, search, result.post_ids)
    target = safe_next(next_url) if next_url else ""
    if not result.post_ids and not target:
        context = _post_context(request, user, store, settings, post_id, clock(), claim=False)
        context["skipped"] = [(why, len(ids)) for why, ids in result.skipped.items()]
        return render(request, "post.html", context, 409)
    target = target or f"/posts/{post_id}"
    if result.skipped or len(result.reviews) > 1 or target != f"/posts/{post_id}":
        notice = notice_params(len(result.reviews), result.skipped)
        target += ("&" if "?" in target else "?") + urlencode(notice)
    return RedirectResponse(target, status_code=303)


@router.post("/posts/{post_id}/decision")
def record_decision(
    request: Request, post_id: int, user: Reviewer, store: StoreDep, search: SearchDep, settings: SettingsDep,
    clock: ClockDep, _csrf: CsrfChecked, form: FilterForm,
    decision: Annotated[str, Form(max_length=50)], reason: Code = "", note: Text = "",
    group: Annotated[str, Form(max_length=1)] = "", next: Annotated[str, Form(max_length=2000)] = "",  # noqa: A002
) -> Response:
    error = form_error(decision, reason, note)
    if error == "error.400":
        raise HTTPException(status_code=400)
    if error:  # "other" without a note: the post page again, saying so
        context = _post_context(request, user, store, settings, post_id, clock(), claim=False)
        context["error"] = error
        return render(request, "post.html", context, 400)
    ids = store.queue_group(post_id, _group_filter(store, post_id, settings, form)) if group == "1" else [post_id]
    if post_id not in ids:
        ids = [post_id, *ids]
    # The store writes each post's audit event ("review.decision") in the same transaction.
    result = store.decide(ids, user.username, decision, reason, note.strip(), now=clock(),
                          margin=settings.uncertain_margin, via="group" if len(ids) > 1 else "post")
    if result.skipped.get("missing") == [post_id]:
        raise HTTPException(status_code=404)
    return _after(request, store, search, settings, user, post_id, result, next, clock)


@router.post("/posts/{post_id}/referral")
def referral(
    request: Request, post_id: int, user: Reviewer, store: StoreDep, search: SearchDep, settings: SettingsDep,
    clock: ClockDep, _csrf: CsrfChecked,
    action: Annotated[str, Form(max_length=20)], reason: Code = "", note: Text = "",
    group: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """A second reviewer confirms a referral to investigation, or anyone declines it."""
    ids = store.queue_group(post_id, QueueFilter(tab="escalations")) if group == "1" else [post_id]
    ids = ids if post_id in ids else [post_id, *ids]
    if action == "confirm":
        result = store.confirm_referral(ids, user.username, note.strip(), now=clock(), via="post")
    elif action == "decline":
        if form_error(DECLINE_REFERRAL, reason, note, steps=(DECLINE_REFERRAL,)) == "error.400":
            raise HTTPException(status_code=400)
        result = store.decline_referral(ids, user.username, reason, note.strip(), now=clock(), via="post")
    else:
        raise HTTPException(status_code=400)
    if result.skipped.get("missing") == [post_id]:
        raise HTTPException(status_code=404)
    return _after(request, store, search, settings, user, post_id, result, "", clock)


@router.post("/posts/{post_id}/reopen")
def reopen(
    request: Request, post_id: int, user: Reviewer, store: StoreDep, search: SearchDep, settings: SettingsDep,
    clock: ClockDep, _csrf: CsrfChecked, reason: Code = "", note: Text = "",
) -> Response:
    """A final decision back to the queue: only with a reason."""
    error = form_error(REOPEN, reason, note, steps=(REOPEN,))
    if error == "error.400":
        raise HTTPException(status_code=400)
    if error:
        context = _post_context(request, user, store, settings, post_id, clock(), claim=False)
        context["error"] = error
        return render(request, "post.html", context, 400)
    result = store.reopen([post_id], user.username, reason, note.strip(), now=clock())
    if result.skipped.get("missing") == [post_id]:
        raise HTTPException(status_code=404)
    return _after(request, store, search, settings, user, post_id, result, "", clock)


@router.post("/posts/{post_id}/release")
def release(post_id: int, user: Reviewer, store: StoreDep, settings: SettingsDep, _csrf: CsrfChecked) -> Response:
    """Give a claimed post (and its group) back to the queue before the claim expires."""
    members = store.queue_group(post_id, _group_filter(store, post_id, settings))
    store.release_claims([post_id, *members], user.username)
    return RedirectResponse("/", status_code=303)


@router.get("/posts/{post_id}/text")
def download_text(post_id: int, user: Viewer, store: StoreDep) -> Response:
    """The whole title and text as a UTF-8 file (the page shows only the first characters)."""
    found = store.post_text(post_id)
    if found is None:
        raise HTTPException(status_code=404)
    title, text = found
    store.audit(user.username, "download_text", f"post:{post_id}", {"characters": len(title) + len(text)})
    return Response(f"{title}\n\n{text}\n".encode("utf-8"), media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="post-{post_id}.txt"'})


@router.get("/posts/{post_id}/versions/{version_id}")
def version_diff(request: Request, post_id: int, version_id: int, user: Viewer, store: StoreDep,
                 settings: SettingsDep) -> Response:
    """An earlier version against the content that replaced it, word by word."""
    pair = store.post_version_pair(post_id, version_id, settings.post_text_cap)
    if pair is None:
        raise HTTPException(status_code=404)
    store.audit(user.username, "view_version", f"post:{post_id}", {"version": version_id})
    context = {"post_id": post_id, "pair": pair, "title_diff": word_diff(pair.old_title, pair.new_title),
               "text_diff": word_diff(pair.old_text, pair.new_text), "cap": settings.post_text_cap}
    return render(request, "version_diff.html", context)

