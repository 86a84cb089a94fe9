"""The audit page (admins): who viewed, searched, decided and exported what, and when. Filtered
by user, action, target and dates, newest first in keyset pages; and the filtered log as CSV,
itself audited. There is no route that edits or deletes an event (and the database refuses to:
migration 0032)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from index.audit_log import AuditFilter
from index.models import utcnow

from ..csv_export import audit_csv
from ..deps import Admin, StoreDep
from ..queue_params import VN
from ..rendering import render

router = APIRouter()

PAGE_SIZE = 100
AUDIT_CSV_MAX = 50_000
FILTER_KEYS = ("user", "action", "target", "from", "to")
MAX_VALUE = 300


def parse_filter(params: Mapping[str, str]) -> tuple[AuditFilter, dict[str, str]]:
    """(the filter, its non-empty parameters for links); ValueError for a bad date or a long value.
    Dates are Vietnam days; "to" includes its whole day."""
    given = {k: str(params[k]).strip() for k in FILTER_KEYS if params.get(k)}
    given = {k: v for k, v in given.items() if v}
    if any(len(v) > MAX_VALUE for v in given.values()):
        raise ValueError("value too long")
    at_from = datetime.combine(date.fromisoformat(given["from"]), time(), VN) if "from" in given else None
    at_to = (datetime.combine(date.fromisoformat(given["to"]) + timedelta(days=1), time(), VN)
             if "to" in given else None)
    f = AuditFilter(username=given.get("user"), action=given.get("action"), target=given.get("target"),
                    at_from=at_from, at_to=at_to)
    return f, given


def _filter(request: Request) -> tuple[AuditFilter, dict[str, str]]:
    try:
        return parse_filter(request.query_params)
    except ValueError:
        raise HTTPException(status_code=400) from None


@router.get("/audit")
def audit_page(request: Request, user: Admin, store: StoreDep,
               before: Annotated[int | None, Query(ge=1, le=2**62)] = None) -> Response:
    f, params = _filter(request)
    rows = store.audit_page(f, before, PAGE_SIZE + 1)  # one more says whether there is an older page
    older = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    rows = rows[:PAGE_SIZE]
    store.audit(user.username, "view_audit", "audit", {"filter": params, "before": before, "rows": len(rows)})
    context = {
        "rows": rows, "params": params,
        # The detail as JSON with its Vietnamese readable (tojson would write \u1eeb), autoescaped.
        "details": {e.id: json.dumps(e.detail, ensure_ascii=False, sort_keys=True, default=str) for e in rows},
        "actions": store.audit_actions(),
        "older_url": "/audit?" + urlencode({**params, "before": older}) if older else None,
        "newest_url": "/audit?" + urlencode(params) if before else None,
        "export_url": "/audit/export.csv" + ("?" + urlencode(params) if params else ""),
        "export_max": AUDIT_CSV_MAX,
    }
    return render(request, "audit.html", context)


@router.get("/audit/export.csv")
def export_audit(request: Request, user: Admin, store: StoreDep) -> Response:
    """The events the filter matches (the newest AUDIT_CSV_MAX), UTF-8 with a BOM; audited with the
    filter and the row count (that event is written after the read, so it is not in the file)."""
    f, params = _filter(request)
    rows = store.audit_rows(f, AUDIT_CSV_MAX)
    body = audit_csv(rows)
    store.audit(user.username, "export.audit_csv", "audit", {
        "filter": params, "rows": len(rows), "truncated": len(rows) == AUDIT_CSV_MAX})
    stamp = utcnow().strftime("%Y%m%dT%H%MZ")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="lurewatch-audit-{stamp}.csv"'})
