"""End-to-end throughput: posts per hour from fetch to searchable (crawl, evidence, parse,
classify, store, near-duplicates, FTS5 index), on the 2,000-ad loopback board of bench.crawl,
politeness off. Baseline in the same run: the bare crawl (`python -m crawlers.run` alone) of
the same site, so the figure shows what ingest costs on top of fetching.

    make bench BENCH=throughput
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._crawl_site import LISTINGS, PER_PAGE


def _site(root: Path) -> tuple[subprocess.Popen, str]:
    port_file = root / "port"
    server = subprocess.Popen([sys.executable, "-m", "bench._crawl_site", str(port_file)])
    for _ in range(300):
        if port_file.exists() and port_file.read_text():
            break
        time.sleep(0.1)
    return server, f"http://127.0.0.1:{port_file.read_text()}/viec-lam?page=1"


def run(sizes: tuple[int, ...] = ()) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.update(LUREWATCH_VAR_DIR=str(root / "var"), PREFECT_HOME=str(root / "prefect"),
                          PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90",
                          PREFECT_LOGGING_LEVEL="WARNING")
        from prefect.testing.utilities import prefect_test_harness

        from crawlers.source import SourceDefinition
        from flows.crawl import run_crawl
        from flows.pipeline import crawl_and_ingest
        from flows.wiring import build_parts

        server, start = _site(root)
        try:
            definition = SourceDefinition(name="bench", start_urls=[start], allow_private=True, max_pages=LISTINGS,
                                          politeness={"concurrency": 8, "delay_seconds": 0, "autothrottle": False})
            t = time.perf_counter()
            bare = run_crawl(definition, root / "bare", root / "bare-evidence", timeout=1800)
            crawl_s = time.perf_counter() - t
            parts = build_parts()
            parts.store.upsert_source("bench", "classifieds", start, definition=definition.model_dump(mode="json"))
            parts.assessor  # noqa: B018 - the model loads once per worker process; not part of the rate
            with prefect_test_harness(server_startup_timeout=90):
                t = time.perf_counter()
                summary = crawl_and_ingest("bench", retry=False)
                total_s = time.perf_counter() - t
            searchable = build_parts().search.search("nhan vien kho", limit=1).total
        finally:
            server.terminate()
            server.wait(timeout=10)
    posts = summary.new
    print(f"site: {LISTINGS} listings x {PER_PAGE} ads, politeness off, loopback; SQLite + FTS5")
    print(f"bare crawl (baseline): {crawl_s:7.1f} s  {bare.stats.get('items', 0)} items  "
          f"{3600 * bare.stats.get('items', 0) / crawl_s:9.0f} posts/hour")
    print(f"fetch -> searchable  : {total_s:7.1f} s  {posts} posts ({summary.flagged} flagged), "
          f"{searchable} found by search, pending {summary.index_pending}  {3600 * posts / total_s:9.0f} posts/hour")
    print(f"ratio end-to-end / bare crawl: {crawl_s / total_s:.2f}; ingest adds {total_s - crawl_s:.1f} s "
          f"({1000 * (total_s - crawl_s) / max(posts, 1):.1f} ms per post)")
