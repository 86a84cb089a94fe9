"""Crawl benchmark: `python -m crawlers.run` (evidence, extraction, dates, site guard, conditional
GETs) against a bare Scrapy spider following the same links, on a 2,100-page loopback site in the
same run, politeness off for both. Then the unchanged re-crawl with the first crawl's state, twice:
with the source's revisit policy (revisit_hours 24: an item whose listing entry is unchanged and
was confirmed within the day is not requested, crawlers.revisit) and without it (revisit_hours 0,
the default: a conditional GET per item, answered 304), against the bare spider sending the
same conditional GETs.

Two sections of the site: one where every ad states JSON-LD, one where every third ad has none
(trafilatura and the written-date reader run, as on many real boards).

    make bench BENCH=crawl          # one round
    make bench BENCH="crawl 2"      # two rounds

The machine may be shared: each line gives wall and CPU seconds (user + system, the crawl
process, its threads and its evidence writer) and the peak RSS of them all, and the load average
is printed before and after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench._crawl_site import LISTINGS, PER_PAGE, SECTIONS, TEMPLATE_PHRASE
from bench._measure import measured

PAGES = LISTINGS + LISTINGS * PER_PAGE
REVISIT_HOURS = 24
ITEMS = LISTINGS * PER_PAGE


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mb: int
    site: dict[str, int]  # what the site saw: connections, requests, full answers, 304s

    def line(self, name: str, pages: int) -> str:
        return (f"{name:<24} {self.wall:6.2f} s  {pages / self.wall:6.1f} pages/s  cpu {self.cpu:5.2f} s"
                f"  peak {self.rss_mb:3d} MB  connections {self.site['connections']:4d}"
                f"  full {self.site['full']:4d}  304 {self.site['not_modified']:4d}")


def _timed(command: list[str], stats_url: str) -> Run:
    """Wall seconds, CPU seconds and peak RSS of the process tree (the crawl's evidence writer
    too), and the site's counters."""
    _site_counters(stats_url)  # reset
    wall, cpu, rss = measured(command)
    return Run(wall, cpu, rss, _site_counters(stats_url))


def _site_counters(stats_url: str) -> dict[str, int]:
    with urllib.request.urlopen(stats_url, timeout=10) as response:
        return json.loads(response.read())


def _items_report(items_path: Path) -> str:
    items = [json.loads(line) for line in items_path.read_text("utf-8").splitlines() if line.strip()]
    layers: dict[str, int] = {}
    for item in items:
        layer = item["fields_from"].get("text", "?")
        layers[layer] = layers.get(layer, 0) + 1
    dated = sum(1 for item in items if item["posted_at"])
    template = sum(1 for item in items if TEMPLATE_PHRASE in item["text"])
    by_layer = ", ".join(f"{k} {v}" for k, v in sorted(layers.items()))
    return f"items {len(items)} (text from: {by_layer}); with posted_at {dated}; with template text {template}"


def _section(root: Path, base: str, section: str) -> None:
    start = f"{base}/{section}?page=1"
    stats_url = f"{base}/_stats"
    out = root / section
    out.mkdir()
    spec = {"name": "bench", "start_urls": [start], "allow_private": True, "max_pages": LISTINGS,
            "politeness": {"concurrency": 8, "delay_seconds": 0, "autothrottle": False}}
    (out / "revisit.json").write_text(json.dumps({**spec, "revisit_hours": REVISIT_HOURS}))
    (out / "conditional.json").write_text(json.dumps(spec))

    def ours(definition: str, run: str, *state: str) -> list[str]:
        return [sys.executable, "-m", "crawlers.run", "--definition", str(out / definition),
                "--evidence-dir", str(out / "evidence"), "--out", str(out / run), *state]

    bare = [sys.executable, "-m", "bench._crawl_bare", start]
    state = ("--state", str(out / "first" / "state.json"))

    bare_first = _timed(bare, stats_url)
    tuned = _timed([*bare, "--tuned"], stats_url)
    first = _timed(ours("revisit.json", "first"), stats_url)
    again = _timed(ours("revisit.json", "again", *state), stats_url)
    conditional = _timed(ours("conditional.json", "conditional", *state), stats_url)
    bare_again = _timed([*bare, *state], stats_url)
    stats1 = json.loads((out / "first" / "stats.json").read_text())
    stats2 = json.loads((out / "again" / "stats.json").read_text())
    stats3 = json.loads((out / "conditional" / "stats.json").read_text())
    if stats1["items"] != ITEMS:  # a crawl that lost items is no comparison
        raise RuntimeError(f"the first crawl stored {stats1['items']} items, not {ITEMS}: {stats1}")

    every = SECTIONS[section]
    kind = "every ad states JSON-LD" if not every else f"one ad in {every} has no JSON-LD (trafilatura, written date)"
    print(f"-- /{section}: {kind}")
    print(bare_first.line("bare scrapy", PAGES))
    print(tuned.line("bare, our 2 settings", PAGES))
    print(first.line("lurewatch", stats1["pages_fetched"]))
    print(f"ratio ours/bare: wall {bare_first.wall / first.wall:.2f}, cpu {bare_first.cpu / first.cpu:.2f}"
          f" (target >= 0.7); against the bare spider with our 2 settings: wall {tuned.wall / first.wall:.2f},"
          f" cpu {tuned.cpu / first.cpu:.2f}")
    print(_items_report(out / "first" / "items.jsonl"))
    print(bare_again.line("bare scrapy re-crawl", PAGES))
    print(again.line(f"re-crawl, revisit {REVISIT_HOURS} h", PAGES))
    print(conditional.line("re-crawl, revisit off", PAGES))
    for name, run, stats in ((f"revisit {REVISIT_HOURS} h", again, stats2), ("revisit off", conditional, stats3)):
        print(f"re-crawl unchanged, {name}: wall {100 * run.wall / first.wall:.0f}% of the first crawl (target <= 25%),"
              f" cpu {100 * run.cpu / first.cpu:.0f}%; against the bare re-crawl: wall {run.wall / bare_again.wall:.2f}x,"
              f" cpu {run.cpu / bare_again.cpu:.2f}x; detail bodies downloaded {stats['detail_bodies']} (target 0),"
              f" not requested (entry unchanged) {stats['revisit_skipped']}, not modified {stats['not_modified']},"
              f" listing pages {stats['listing_pages']}")


def run(sizes: tuple[int, ...] = ()) -> None:
    rounds = sizes[0] if sizes else 1
    print(f"site: {PAGES} pages per section ({LISTINGS} listings x {PER_PAGE} ads), politeness off, loopback;"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        port_file = root / "port"
        server = subprocess.Popen([sys.executable, "-m", "bench._crawl_site", str(port_file)])
        try:
            for _ in range(300):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.1)
            base = f"http://127.0.0.1:{port_file.read_text()}"
            for n in range(1, rounds + 1):
                print(f"== round {n}")
                (root / f"round{n}").mkdir()
                for section in SECTIONS:
                    _section(root / f"round{n}", base, section)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
