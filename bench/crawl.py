"""Crawl benchmark: `python -m crawlers.run` (evidence, extraction, dates, site guard, conditional
GETs) against a bare Scrapy spider following the same links, on one 2,100-page loopback site in
the same run, politeness off for both. Then the unchanged re-crawl with the first crawl's state.

    make bench BENCH=crawl
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.crawl_site import LISTINGS, PER_PAGE

PAGES = LISTINGS + LISTINGS * PER_PAGE


def _timed(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MB) of one child process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "rc = subprocess.run(sys.argv[1:]).returncode; wall = time.perf_counter() - t; "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss // 1024, rc, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, timeout=1800)
    wall, cpu, rss, rc = done.stderr.strip().splitlines()[-1].split()
    if rc != "0":
        raise RuntimeError(f"{command[2]} failed:\n{done.stderr[-2000:]}")
    return float(wall), float(cpu), int(rss)


def run(sizes: tuple[int, ...] = ()) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        port_file = root / "port"
        server = subprocess.Popen([sys.executable, "-m", "bench.crawl_site", str(port_file)])
        try:
            for _ in range(200):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.1)
            start = f"http://127.0.0.1:{port_file.read_text()}/viec-lam?page=1"
            definition = root / "definition.json"
            definition.write_text(json.dumps({
                "name": "bench", "start_urls": [start], "allow_private": True, "max_pages": LISTINGS,
                "politeness": {"concurrency": 8, "delay_seconds": 0, "autothrottle": False},
            }))
            ours = [sys.executable, "-m", "crawlers.run", "--definition", str(definition),
                    "--evidence-dir", str(root / "evidence")]
            bare = _timed([sys.executable, "-m", "bench.crawl_bare", start])
            first = _timed([*ours, "--out", str(root / "first")])
            again = _timed([*ours, "--out", str(root / "again"), "--state", str(root / "first" / "state.json")])
        finally:
            server.terminate()
            server.wait(timeout=10)
        stats1 = json.loads((root / "first" / "stats.json").read_text())
        stats2 = json.loads((root / "again" / "stats.json").read_text())
    rate_bare, rate_ours = PAGES / bare[0], stats1["pages_fetched"] / first[0]
    print(f"site: {PAGES} pages ({LISTINGS} listings x {PER_PAGE} ads), politeness off, loopback")
    print(f"bare scrapy : {bare[0]:6.2f} s  {rate_bare:6.1f} pages/s  cpu {bare[1]:5.2f} s  peak {bare[2]} MB")
    print(f"lurewatch   : {first[0]:6.2f} s  {rate_ours:6.1f} pages/s  cpu {first[1]:5.2f} s  peak {first[2]} MB"
          f"  ({stats1['items']} items, {stats1['pages_fetched']} pages)")
    print(f"ratio ours/bare: {rate_ours / rate_bare:.2f} (target >= 0.7)")
    print(f"re-crawl unchanged: {again[0]:6.2f} s = {100 * again[0] / first[0]:.0f}% of the first crawl (target <= 25%);"
          f" detail bodies downloaded {stats2['detail_bodies']} (target 0), not modified {stats2['not_modified']},"
          f" listing pages {stats2['listing_pages']}; peak {again[2]} MB")
