"""Review decisions exported as training rows for `lurewatch classifier train`."""

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from index.rows import LabelRow


def label_record(row: LabelRow) -> dict:
    """One JSONL row in the format of ../shared/data (text, label, category, source), plus provenance.

    Rows come as Store.review_labels gives them: decisions made near the threshold ("uncertain",
    the most informative labels) first."""
    return {
        "title": row.title,
        "text": row.text,
        "label": row.label,
        "category": "review-decision",
        "source": row.url,
        "notes": f"reviewed by {row.reviewer} at {row.decided_at.isoformat()}",
        "post_id": row.post_id,
        "uncertain": row.uncertain,
    }


def write_labels(rows: Iterable[LabelRow], out: Path) -> int:
    """Written to a temporary file and renamed, so a crash never leaves half a training file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    count = 0
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(label_record(row), ensure_ascii=False) + "\n")
            count += 1
    os.replace(tmp, out)
    return count
