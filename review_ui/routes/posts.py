"""One post: text with fired phrases highlighted, evidence frame, reviews, decision form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.sync import index_now

from ..deps import DECIDE_ROLES, CsrfChecked, Reviewer, SearchDep, SettingsDep, StoreDep, Viewer
from ..evidence_files import has_snapshot
from ..highlight import post_spans, title_and_text
from ..rendering import render

router = APIRouter()

DECISIONS: tuple[str, ...] = ("lure", "not_lure", "escalate")
NOTE_MAX = 5000


@router.get("/posts/{post_id}")
def post_page(
    request: Request, post_id: int, user: Viewer, store: StoreDep, settings: SettingsDep
) -> Response:
    post = store.get_post(post_id)
    if post is None:
        raise HTTPException(status_code=404)
    store.audit(user.username, "view_post", f"post:{post_id}")
    spans = post_spans(post.signals, post.entities, request.state.lang, post.minor_cues)
    title_segments, text_segments = title_and_text(post.title, post.text, spans)
    context = {
        "post": post,
        "title_segments": title_segments,
        "text_segments": text_segments,
        "decisions": DECISIONS,
        "can_decide": user.role in DECIDE_ROLES,
        "has_snapshot": has_snapshot(settings.evidence_dir, post.raw_sha256),
    }
    return render(request, "post.html", context)


@router.post("/posts/{post_id}/decision")
def record_decision(
    post_id: int,
    user: Reviewer,
    store: StoreDep,
    search: SearchDep,
    _csrf: CsrfChecked,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=NOTE_MAX)] = "",
) -> Response:
    if decision not in DECISIONS:
        raise HTTPException(status_code=400)
    try:
        # The store writes the audit event ("review.decision") in the same transaction.
        store.record_review(post_id, user.username, decision, note.strip())
    except ValueError:  # the decision is known, so the post is not
        raise HTTPException(status_code=404) from None
    # The new status shows in search at once; if the engine is down the post stays pending.
    index_now(store, search, [post_id])
    return RedirectResponse(f"/posts/{post_id}", status_code=303)
