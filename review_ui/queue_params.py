"""The queue's tab and filters as URL parameters, both ways: pure, no I/O.

The same names travel in links, in the filter form, and as hidden fields of the decision and
bulk forms, so a decision made from a filtered view covers what that view shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import urlencode

from index.queue import TABS, QueueFilter
from index.rows import PostRow

VN = timezone(timedelta(hours=7))  # days are Vietnam days, as in search
FILTER_KEYS = ("tab", "source", "category", "destination", "since", "until", "minor")
MAX_VALUE = 200


@dataclass(frozen=True)
class QueueView:
    filter: QueueFilter
    params: dict[str, str] = field(default_factory=dict)  # the given filter parameters, for links
    page: int = 1

    def url(self, **changes: str | int | None) -> str:
        """This view's URL with some parameters changed (None drops one; page 1 is implicit)."""
        merged: dict[str, str | int] = {**self.params, "page": self.page}
        for key, value in changes.items():
            if value is None or value == "":
                merged.pop(key, None)
            else:
                merged[key] = value
        if merged.get("page") == 1:
            merged.pop("page")
        if merged.get("tab") == "queue":
            merged.pop("tab")
        return "/?" + urlencode(merged) if merged else "/"


def _day(value: str) -> date:
    return date.fromisoformat(value)


def parse_queue_view(params: Mapping[str, str], margin: float) -> QueueView:
    """ValueError for an unknown tab, a malformed date or page, or an over-long value."""
    given = {k: str(params[k]).strip() for k in FILTER_KEYS if params.get(k)}
    given = {k: v for k, v in given.items() if v}
    if any(len(v) > MAX_VALUE for v in given.values()):
        raise ValueError("value too long")
    tab = given.get("tab", "queue")
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}")
    minor = {"1": True, "0": False}.get(given.get("minor", ""))
    if "minor" in given and minor is None:
        raise ValueError("minor is 1 or 0")
    since = datetime.combine(_day(given["since"]), time(), VN) if "since" in given else None
    until = datetime.combine(_day(given["until"]) + timedelta(days=1), time(), VN) if "until" in given else None
    page = int(params.get("page") or 1)
    if not 1 <= page <= 100_000:
        raise ValueError("page out of range")
    f = QueueFilter(tab=tab, source=given.get("source"), category=given.get("category"),
                    destination=given.get("destination"), seen_from=since, seen_to=until, minor=minor, margin=margin)
    return QueueView(f, given, page)


def tab_of(post: PostRow) -> str:
    """The tab a post waits in (or last waited in), for deciding its near-duplicate group."""
    if post.status in ("referral_pending", "escalated"):
        return "escalations"
    if post.status == "needs_info":
        return "needs_info"
    return "queue" if post.is_lure or post.minor_risk else "uncertain"


def parse_notice(params: Mapping[str, str]) -> tuple[int | None, list[tuple[str, int]]]:
    """(posts decided, [(skip reason, count)]) from a redirect's `decided` and `skipped=why:n,...`."""
    decided = params.get("decided")
    n = int(decided) if decided and decided.isdigit() else None
    skipped = []
    for part in (params.get("skipped") or "").split(",")[:10]:
        why, _, count = part.partition(":")
        if why.isidentifier() and count.isdigit():
            skipped.append((why, int(count)))
    return n, skipped


def notice_params(decided: int, skipped: Mapping[str, list[int]]) -> dict[str, str]:
    out = {"decided": str(decided)}
    if skipped:
        out["skipped"] = ",".join(f"{why}:{len(ids)}" for why, ids in sorted(skipped.items()))
    return out
