"""Turn Scrapy's stats into the contract's crawl stats (stats.json) and a one-line summary.

Pure: a stats mapping in, plain values out (and `record_error`, the one way failures go in).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ERRORS_STAT = "lurewatch/errors"  # list[str] kept by the spider (first messages only)
ERROR_COUNT_STAT = "lurewatch/error_count"  # how many failures in total
DROP_PREFIX = "drop_item/"
WARNINGS_STAT = "lurewatch/warnings"  # + "/<reason>": read past, not dropped (junk before a feed)
FATAL_STAT = "lurewatch/fatal"  # one line: why the source cannot be crawled as its definition says
MAX_ERROR_MESSAGES = 50


def record_error(stats: Any, message: str) -> None:
    """Count a failure in the crawl's stats (a StatsCollector) and keep its message, the first ones only."""
    errors = stats.get_value(ERRORS_STAT)
    if errors is None:
        errors = []
        stats.set_value(ERRORS_STAT, errors)
    if len(errors) < MAX_ERROR_MESSAGES:
        errors.append(message)
    stats.inc_value(ERROR_COUNT_STAT)


def crawl_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """{"pages_fetched", "items", "dropped", "errors", "robots_forbidden", "finish_reason",
    "listing_pages", "detail_bodies", "not_modified", "revisit_skipped", "warnings", "fatal"}."""
    dropped = {
        key[len(DROP_PREFIX) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(DROP_PREFIX)
    }
    errors = [str(e) for e in stats.get(ERRORS_STAT) or []]
    missing = int(stats.get(ERROR_COUNT_STAT, 0)) - len(errors)
    if missing > 0:
        errors.append(f"... and {missing} more errors")
    # robots.txt responses are the crawler's own bookkeeping, not pages of the source.
    pages = int(stats.get("response_received_count", 0)) - int(stats.get("robotstxt/response_count", 0))
    return {
        "pages_fetched": max(pages, 0),
        "items": int(stats.get("item_scraped_count", 0)),
        "dropped": dropped,
        "errors": errors,
        "robots_forbidden": int(stats.get("robotstxt/forbidden", 0)),
        "finish_reason": str(stats.get("finish_reason", "unknown")),
        "listing_pages": int(stats.get("lurewatch/listing_pages", 0)),
        "detail_bodies": int(stats.get("lurewatch/detail_bodies", 0)),
        "not_modified": int(stats.get("lurewatch/not_modified", 0)),
        "revisit_skipped": int(stats.get("lurewatch/revisit_skipped", 0)),
        "warnings": {key[len(WARNINGS_STAT) + 1 :]: int(value) for key, value in sorted(stats.items())
                     if key.startswith(WARNINGS_STAT + "/")},
        "fatal": stats.get(FATAL_STAT),
    }


def summary_line(source: str, report: Mapping[str, Any]) -> str:
    dropped = ", ".join(f"{k}={v}" for k, v in report["dropped"].items()) or "none"
    return (
        f"crawl {source}: {report['items']} items from {report['pages_fetched']} pages;"
        f" dropped: {dropped}; robots forbidden: {report['robots_forbidden']};"
        f" not modified: {report['not_modified']};"
        + (f" not due (revisit): {report['revisit_skipped']};" if report.get("revisit_skipped") else "")
        + f" errors: {len(report['errors'])};"
        + (f" warnings: {', '.join(f'{k}={v}' for k, v in report['warnings'].items())};" if report.get("warnings") else "")
        + f" finish: {report['finish_reason']}"
    )
