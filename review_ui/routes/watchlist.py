"""The watchlist (investigators and admins): phones, Zalo, Telegram handles, bank accounts and
e-wallets whose next sighting alerts (flows.alerts, rule `watchlist`). Entries are typed as
people write them and stored as the extractor's values (index.watchlist.watch_key, the CLI's
function too); each change is audited by the store in its transaction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from index.store import Store
from index.watchlist import NOTE_MAX, WATCH_KINDS, WatchError

from ..deps import CsrfChecked, Investigator, StoreDep
from ..rendering import render
from ..security import safe_next

router = APIRouter(prefix="/watchlist")

ERROR_STATUS = {"already_listed": 409, "not_listed": 404}
Kind = Annotated[str, Form(max_length=50)]
Value = Annotated[str, Form(max_length=500)]
Next = Annotated[str, Form(alias="next", max_length=600)]


def _page(request: Request, store: Store, error: WatchError | None = None, form: dict | None = None) -> Response:
    context = {"entries": store.list_watch(), "kinds": WATCH_KINDS, "note_max": NOTE_MAX,
               "error": error.code if error else None, "form": form or {},
               "done": request.query_params.get("done")}
    return render(request, "watchlist.html", context, ERROR_STATUS.get(error.code, 400) if error else 200)


def _back(next_url: str, done: str) -> Response:
    """To the page the form came from (an entity page), else the watchlist with what was done."""
    return RedirectResponse(safe_next(next_url) if next_url else f"/watchlist?done={done}", status_code=303)


@router.get("")
def watchlist_page(request: Request, user: Investigator, store: StoreDep) -> Response:
    store.audit(user.username, "view_watchlist", "watchlist")
    return _page(request, store)


@router.post("")
def add(request: Request, user: Investigator, store: StoreDep, _csrf: CsrfChecked, kind: Kind, value: Value,
        note: Annotated[str, Form(max_length=NOTE_MAX * 2)] = "", next_url: Next = "") -> Response:
    try:
        store.add_watch(kind, value, note, user.username)
    except WatchError as exc:
        return _page(request, store, exc, {"kind": kind, "value": value, "note": note})
    return _back(next_url, "added")


@router.post("/remove")
def remove(request: Request, user: Investigator, store: StoreDep, _csrf: CsrfChecked, kind: Kind, value: Value,
           next_url: Next = "") -> Response:
    try:
        if not store.remove_watch(kind, value, user.username):
            raise WatchError("not_listed", f"{kind} {value!r} is not on the watchlist")
    except WatchError as exc:
        return _page(request, store, exc)
    return _back(next_url, "removed")
