"""The dashboard's charts as geometry the template draws as SVG (no script, no chart library: the
page's CSP allows neither). Pure: numbers in, positioned bars out; labels stay plain strings that
the template autoescapes.

- bars: one horizontal bar per label (per source, per category), with the resolved part inside it;
- weekly shares: for each week a pair of columns (share classified, share resolved) against the
  two targets drawn as dashed lines (100% and 90%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.dashboard import CLASSIFY_TARGET, RESOLVE_TARGET, Counts, Week

BAR_WIDTH = 520  # the longest bar, in SVG units
ROW_HEIGHT = 22
LABEL_WIDTH = 240  # left of the bars
LABEL_MAX = 34
WEEK_WIDTH = 56
PLOT_HEIGHT = 180
PLOT_TOP = 16
AXIS_LEFT = 44


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    total: int  # received
    to_review: int
    resolved: int
    width: float  # of received
    review_width: float
    resolved_width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def short(label: str, limit: int = LABEL_MAX) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: Sequence[tuple[str, Counts]]) -> BarChart:
    """Bars scaled to the largest received count; every bar at least a hairline when not zero."""
    largest = max((c.received for _, c in items), default=0) or 1

    def scale(n: int) -> float:
        return 0.0 if n == 0 else max(1.0, BAR_WIDTH * n / largest)

    bars = [Bar(label, i * ROW_HEIGHT, c.received, c.to_review, c.resolved, scale(c.received), scale(c.to_review),
                scale(c.resolved)) for i, (label, c) in enumerate(items)]
    return BarChart(bars, LABEL_WIDTH + BAR_WIDTH + 70, max(1, len(bars)) * ROW_HEIGHT + 4, LABEL_WIDTH)


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    height: float
    share: float | None  # None: nothing to measure that week (drawn as a gap)
    kind: str  # "classified" or "resolved"
    met: bool


@dataclass(frozen=True)
class WeekSlot:
    start_label: str  # dd/mm of the week's Monday
    label_x: float
    columns: list[Column]


@dataclass(frozen=True)
class SharesChart:
    weeks: list[WeekSlot]
    width: float
    height: float
    plot_top: float
    plot_bottom: float
    axis_left: float
    classify_y: float  # the targets' lines
    resolve_y: float
    ticks: list[tuple[float, str]]  # (y, "50%")


def _y(share: float) -> float:
    return PLOT_TOP + PLOT_HEIGHT * (1 - share)


def meets(share: float | None, target: float, strictly: bool) -> bool:
    """Classified: 100% (at least the target); resolved: more than 90% (strictly above)."""
    if share is None:
        return True  # nothing received or nothing to review: no report left behind
    return share > target if strictly else share >= target


def shares_chart(weeks: Sequence[Week]) -> SharesChart:
    slots = []
    for i, week in enumerate(weeks):
        left = AXIS_LEFT + i * WEEK_WIDTH + 8
        columns = []
        for k, (kind, share, target, strictly) in enumerate((
            ("classified", week.counts.share_classified, CLASSIFY_TARGET, False),
            ("resolved", week.counts.share_resolved, RESOLVE_TARGET, True),
        )):
            top = _y(share) if share is not None else _y(0)
            columns.append(Column(left + k * 19, top, PLOT_TOP + PLOT_HEIGHT - top, share, kind,
                                  meets(share, target, strictly)))
        slots.append(WeekSlot(week.start.strftime("%d/%m"), left + 18, columns))
    ticks = [(_y(v / 4), f"{25 * v}%") for v in range(5)]
    return SharesChart(slots, AXIS_LEFT + max(1, len(weeks)) * WEEK_WIDTH + 10, PLOT_TOP + PLOT_HEIGHT + 30,
                       PLOT_TOP, PLOT_TOP + PLOT_HEIGHT, AXIS_LEFT, _y(CLASSIFY_TARGET), _y(RESOLVE_TARGET), ticks)
