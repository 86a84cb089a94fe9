"""The managers' dashboard (every signed-in role): the province's goals for reports (classify
100%, resolve more than 90%) week by week, the queue's age, and posts per source and category as
server-drawn SVG. The terms are defined in index.dashboard and shown on the page. Each view is
audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from index.dashboard import CLASSIFY_TARGET, MAX_WEEKS, RESOLVE_TARGET, TERMS

from ..dashboard_charts import bar_chart, meets, shares_chart
from ..deps import ClockDep, CurrentUser, StoreDep
from ..rendering import DISPLAY_TZ, render
from .queue import CATEGORIES

router = APIRouter()

DEFAULT_WEEKS = 12


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
    board = store.dashboard(now, weeks, DISPLAY_TZ, CATEGORIES)
    store.audit(user.username, "view_dashboard", "dashboard", {"weeks": weeks})
    sources = list(board.by_source)
    if board.other_sources.received:
        sources.append(("…", board.other_sources))
    context = {
        "board": board, "weeks": weeks, "max_weeks": MAX_WEEKS, "terms": TERMS, "now": now,
        "classify_target": CLASSIFY_TARGET, "resolve_target": RESOLVE_TARGET,
        "classify_met": meets(board.totals.share_classified, CLASSIFY_TARGET, strictly=False),
        "resolve_met": meets(board.totals.share_resolved, RESOLVE_TARGET, strictly=True),
        "shares_figure": shares_chart(board.weeks), "source_bars": bar_chart(sources),
        "category_bars": bar_chart(board.by_category),
        "oldest": waited(now, board.waiting.oldest), "median": waited(now, board.waiting.median),
    }
    return render(request, "dashboard.html", context)
