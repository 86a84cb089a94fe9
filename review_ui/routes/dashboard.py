"""The managers' dashboard (every signed-in role): the province's goals for reports (classify
100%, resolve more than 90%) week by week, the queue's age, and posts per source and category as
server-drawn SVG. The terms are defined in index.dashboard and shown on the page. Each view is
audited.

The figures are computed at most once a minute per window (DASHBOARD_TTL_S) and the page says as
of when: at 100k posts a 12-week window costs about a hundred milliseconds of SQL, and managers
reloading it need not pay that each time."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from index.dashboard import CLASSIFY_TARGET, MAX_WEEKS, RESOLVE_TARGET, TERMS, Dashboard
from index.store import Store

from ..dashboard_charts import bar_chart, meets, shares_chart
from ..deps import ClockDep, CurrentUser, StoreDep
from ..rendering import DISPLAY_TZ, render
from .queue import CATEGORIES

router = APIRouter()

DEFAULT_WEEKS = 12
DASHBOARD_TTL_S = 60.0


def _board(request: Request, store: Store, now: datetime, weeks: int) -> tuple[Dashboard, datetime]:
    """(the dashboard, when it was computed): recomputed when older than DASHBOARD_TTL_S."""
    cache: dict[int, tuple[float, Dashboard, datetime]] | None = getattr(request.app.state, "dashboards", None)
    if cache is None:
        cache = request.app.state.dashboards = {}
    hit = cache.get(weeks)
    if hit is None or time.monotonic() - hit[0] > DASHBOARD_TTL_S:
        hit = (time.monotonic(), store.dashboard(now, weeks, DISPLAY_TZ, CATEGORIES), now)
        cache[weeks] = hit
    return hit[1], hit[2]


def waited(now: datetime, since: datetime | None) -> tuple[str, int] | None:
    """("dash.days" or "dash.hours", n) of the time since `since`."""
    if since is None:
        return None
    age = max(timedelta(0), now - since)
    return ("dash.days", age.days) if age >= timedelta(days=1) else ("dash.hours", int(age.total_seconds() // 3600))


@router.get("/dashboard")
def dashboard_page(request: Request, user: CurrentUser, store: StoreDep, clock: ClockDep,
                   weeks: Annotated[int, Query(ge=1, le=MAX_WEEKS)] = DEFAULT_WEEKS) -> Response:
    now = clock()
    board, as_of = _board(request, store, now, weeks)
    store.audit(user.username, "view_dashboard", "dashboard", {"weeks": weeks})
    sources = list(board.by_source)
    if board.other_sources.received:
        sources.append(("…", board.other_sources))
    context = {
        "board": board, "as_of": as_of, "weeks": weeks, "max_weeks": MAX_WEEKS, "terms": TERMS, "now": now,
        "classify_target": CLASSIFY_TARGET, "resolve_target": RESOLVE_TARGET,
        "classify_met": meets(board.totals.share_classified, CLASSIFY_TARGET, strictly=False),
        "resolve_met": meets(board.totals.share_resolved, RESOLVE_TARGET, strictly=True),
        "shares_figure": shares_chart(board.weeks), "source_bars": bar_chart(sources),
        "category_bars": bar_chart(board.by_category),
        "oldest": waited(as_of, board.waiting.oldest), "median": waited(as_of, board.waiting.median),
    }
    return render(request, "dashboard.html", context)
