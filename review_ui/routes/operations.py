"""The operations page (operators and admins): every source with its schedule, last and next
run, stats and broken/late state; the index backlog, the queue and today's alerts; recent
alerts (who was told what, and when); a source's recent runs. Pause, resume and run now go
through the app's SourceOperations (the CLI's own code under `lurewatch up`), each answered
with the CLI's one line and audited with it, a refusal included."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request
from starlette.responses import Response

from index.rows import UserRow
from index.store import Store

from ..deps import CsrfChecked, OperationsDep, Operator, StoreDep
from ..operations import OperationRefused, SourceOperations
from ..rendering import render

router = APIRouter(prefix="/operations")

RECENT_ALERTS = 30
RECENT_RUNS = 50
SourceName = Annotated[str, Path(max_length=200)]


def _overview(request: Request, ops: SourceOperations, store: Store, result: str | None = None,
              refused: bool = False) -> Response:
    context = {"status": ops.status(), "alerts": store.list_alerts(limit=RECENT_ALERTS),
               "result": result, "refused": refused}
    return render(request, "operations.html", context, 400 if refused else 200)


def _source_page(request: Request, ops: SourceOperations, store: Store, name: str, result: str | None = None,
                 refused: bool = False) -> Response:
    state = next((s for s in ops.status().sources if s.name == name), None)
    source = store.get_source(name)
    if state is None or source is None:
        raise HTTPException(status_code=404)
    context = {"state": state, "source": source, "runs": store.list_runs(limit=RECENT_RUNS, source=name),
               "result": result, "refused": refused}
    return render(request, "operations_source.html", context, 400 if refused else 200)


@router.get("")
def operations_page(request: Request, user: Operator, ops: OperationsDep, store: StoreDep) -> Response:
    store.audit(user.username, "view_operations", "operations")
    return _overview(request, ops, store)


@router.get("/sources/{name}")
def source_page(request: Request, name: SourceName, user: Operator, ops: OperationsDep, store: StoreDep) -> Response:
    store.audit(user.username, "view_source_runs", f"source:{name}")
    return _source_page(request, ops, store, name)


def _act(request: Request, user: UserRow, ops: SourceOperations, store: Store, name: str, action: str,
         back: str) -> Response:
    """One action on a known source; its line (or refusal) is audited and shown on the page the
    form came from."""
    if store.get_source(name) is None:
        raise HTTPException(status_code=404)
    do = {"pause": ops.pause, "resume": ops.resume, "run": ops.run_now}[action]
    try:
        line, refused = do(name), False
    except OperationRefused as exc:
        line, refused = str(exc), True
    store.audit(user.username, f"source.{action}", f"source:{name}", {"refused" if refused else "result": line})
    if back == "source":
        return _source_page(request, ops, store, name, line, refused)
    return _overview(request, ops, store, line, refused)


Back = Annotated[str, Form(max_length=20)]


@router.post("/sources/{name}/pause")
def pause(request: Request, name: SourceName, user: Operator, ops: OperationsDep, store: StoreDep,
          _csrf: CsrfChecked, back: Back = "") -> Response:
    return _act(request, user, ops, store, name, "pause", back)


@router.post("/sources/{name}/resume")
def resume(request: Request, name: SourceName, user: Operator, ops: OperationsDep, store: StoreDep,
           _csrf: CsrfChecked, back: Back = "") -> Response:
    return _act(request, user, ops, store, name, "resume", back)


@router.post("/sources/{name}/run")
def run_now(request: Request, name: SourceName, user: Operator, ops: OperationsDep, store: StoreDep,
            _csrf: CsrfChecked, back: Back = "") -> Response:
    return _act(request, user, ops, store, name, "run", back)
