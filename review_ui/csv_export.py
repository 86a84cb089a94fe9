"""Search results as CSV for spreadsheets: UTF-8 with a BOM (so Excel shows Vietnamese), one row
per post with its contacts. Pure.

Cells are scraped text, and a spreadsheet runs a cell that starts with = + - @ as a formula
(CSV injection): such a cell gets a leading apostrophe, which spreadsheets hide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from index.rows import PostRow

CSV_MAX_ROWS = 10_000
BOM = "\ufeff"
# Contact kinds, one column each (values joined by " | ").
EXPORT_KINDS = ("phone", "zalo", "telegram", "bank", "ewallet", "usdt_trc20", "destination")
COLUMNS = ("post_id", "url", "source", "title", "status", "score", "is_lure", "minor_risk", "categories",
           "first_seen", "last_seen", "posted_at", *EXPORT_KINDS, "raw_sha256")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
JOIN = " | "


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _when(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def search_csv(rows: Sequence[tuple[PostRow, dict[str, list[str]]]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for post, contacts in rows:
        writer.writerow([cell(v) for v in (
            post.id, post.url, post.source, post.title, post.status, f"{post.score:.4f}", int(post.is_lure),
            int(post.minor_risk), JOIN.join(post.categories), _when(post.first_seen), _when(post.last_seen),
            _when(post.posted_at), *(JOIN.join(contacts.get(kind, [])) for kind in EXPORT_KINDS), post.raw_sha256,
        )])
    return out.getvalue().encode("utf-8")
