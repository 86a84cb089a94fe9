"""`lurewatch reindex` rebuilds the sqlite index from the store, and the CLI explains bad queries."""

import subprocess
import sys
from datetime import datetime, timezone

from index.document import PostIn

from flows.reindex import rebuild_index
from flows.settings import get_flow_settings
from flows.wiring import build_parts


def post(n: int, text: str) -> PostIn:
    return PostIn(
        source="t", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=f"Tin {n}", text=text,
        posted_at=None, fetched_at=datetime.now(timezone.utc), raw_sha256=f"{n:064x}", score=0.9,
        is_lure=True, threshold=0.5, model_version="m", signals=[], entities=[], categories=[],
        minor_risk=False, priority=1,
    )


def test_rebuild_from_the_store(tmp_path):
    parts = build_parts(get_flow_settings(var_dir=tmp_path))
    parts.store.upsert_posts([post(n, "Việc nhẹ lương cao, đặt cọc giữ chỗ") for n in range(25)])
    assert parts.search.search("dat coc").total == 0  # stored, never indexed
    name, count = rebuild_index(parts.store, parts.search, echo=lambda line: None)
    assert count == 25 and name
    assert parts.search.search("dat coc").total == 25
    assert parts.store.pending_count() == 0


def test_cli_bad_query_is_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "search", '"luong cao'], capture_output=True, text=True,
        env={"LUREWATCH_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: bad query:") and "quote" in done.stderr
    assert "Traceback" not in done.stderr
