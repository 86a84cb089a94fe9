"""Cases: posts grouped by an investigator, notes, a status (open, referred, closed), and the
dossier export. Every change is audited by the store in its own transaction; the export is
audited with the sha256 of the archive handed out. A refused change (index.cases.CaseError) is
answered by `case_error`, registered on the app."""

from __future__ import annotations

import hashlib
import os
import tempfile
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.background import BackgroundTask
from starlette.responses import Response

from index.cases import CASE_STATUSES, NOTE_MAX, TITLE_MAX, CaseError
from index.models import utcnow

from ..deps import CsrfChecked, Investigator, SettingsDep, StoreDep
from ..dossier import write_dossier
from ..rendering import render
from ..security import safe_next

router = APIRouter()

MAX_POST_IDS = 500  # one form submits at most this many posts (a whole network; Starlette allows 1000 fields)
NOT_FOUND = {"unknown_case"}


def case_error(request: Request, err: Exception) -> Response:
    """The app's handler of CaseError (a change the case refused; the store wrote nothing)."""
    code = err.code if isinstance(err, CaseError) else "unknown"
    status = 404 if code in NOT_FOUND else 400
    return render(request, "error.html", {"message_key": f"case.error.{code}", "status": status}, status)


@router.get("/cases")
def cases_page(
    request: Request, user: Investigator, store: StoreDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    shown = status if status in CASE_STATUSES else None
    store.audit(user.username, "view_cases", "cases", {"status": shown})
    context = {"cases": store.list_cases(status=shown), "status": shown, "statuses": CASE_STATUSES}
    return render(request, "cases.html", context)


@router.post("/cases")
def create_case(
    user: Investigator, store: StoreDep, _csrf: CsrfChecked,
    title: Annotated[str, Form(max_length=TITLE_MAX * 2)],
) -> Response:
    case = store.create_case(title, user.username)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/add-posts")
def add_posts(
    user: Investigator, store: StoreDep, _csrf: CsrfChecked,
    post_id: Annotated[list[int], Form(max_length=MAX_POST_IDS)] = [],  # noqa: B006 - FastAPI reads it
    case_id: Annotated[int | None, Form()] = None,
    new_title: Annotated[str, Form(max_length=TITLE_MAX * 2)] = "",
) -> Response:
    """From search results, an entity page, a network or the case page: these posts into the
    chosen case, or into a new one when a title is given."""
    if not post_id:
        raise CaseError("no_posts", "no post selected")
    if new_title.strip():
        case_id = store.create_case(new_title, user.username).id
    if case_id is None:
        raise CaseError("no_case", "no case chosen")
    added = store.add_case_posts(case_id, post_id, user.username)
    return RedirectResponse(f"/cases/{case_id}?added={added}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: int, user: Investigator, store: StoreDep,
    added: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    view = store.get_case(case_id)
    if view is None:
        raise HTTPException(status_code=404)
    store.audit(user.username, "view_case", f"case:{case_id}")
    context = {"view": view, "statuses": CASE_STATUSES, "added": added, "note_max": NOTE_MAX}
    return render(request, "case.html", context)


@router.post("/cases/{case_id}/status")
def set_status(
    case_id: int, user: Investigator, store: StoreDep, _csrf: CsrfChecked,
    status: Annotated[str, Form(max_length=20)],
) -> Response:
    store.set_case_status(case_id, status, user.username)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/notes")
def add_note(
    case_id: int, user: Investigator, store: StoreDep, _csrf: CsrfChecked,
    text: Annotated[str, Form(max_length=NOTE_MAX * 2)],
) -> Response:
    store.add_case_note(case_id, user.username, text)
    return RedirectResponse(f"/cases/{case_id}#notes", status_code=303)


@router.post("/cases/{case_id}/posts/{post_id}/remove")
def remove_post(
    case_id: int, post_id: int, user: Investigator, store: StoreDep, _csrf: CsrfChecked,
    next_url: Annotated[str, Form(alias="next", max_length=500)] = "",
) -> Response:
    store.remove_case_post(case_id, post_id, user.username)
    return RedirectResponse(safe_next(next_url) if next_url else f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/dossier.zip")
def export_dossier(case_id: int, user: Investigator, store: StoreDep, settings: SettingsDep) -> Response:
    """The archive is built in a temporary file (snapshots can be large), hashed, audited with
    that hash, streamed, then deleted."""
    dossier = store.case_dossier(case_id)
    if dossier is None:
        raise HTTPException(status_code=404)
    now = utcnow()
    handle = tempfile.NamedTemporaryFile(prefix="lurewatch-dossier-", suffix=".zip", delete=False)
    try:
        with handle:
            summary = write_dossier(handle, dossier, settings.evidence_dir, user.username, now)
        digest = hashlib.sha256()
        with open(handle.name, "rb") as done:
            while block := done.read(1 << 20):
                digest.update(block)
        checks = list(summary.snapshot_checks.values())
        store.audit(user.username, "export.dossier", f"case:{case_id}", {
            "archive_sha256": digest.hexdigest(), "bytes": os.path.getsize(handle.name),
            "files": len(summary.files) + 1, "posts": len(dossier.posts),
            "snapshots": {result: checks.count(result) for result in sorted(set(checks))},
        })
    except BaseException:
        os.unlink(handle.name)
        raise
    filename = f"{summary.folder}-{now.strftime('%Y%m%dT%H%MZ')}.zip"
    return FileResponse(handle.name, media_type="application/zip", filename=filename,
                        background=BackgroundTask(os.unlink, handle.name))
