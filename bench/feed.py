"""A feed of 2,000 entries on a local server, each leading to a detail page read with the page
parser's layers: entries per second against a bare Scrapy spider following the same links.

    make bench BENCH=feed
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench._kinds_run import crawl_command, stats
from bench._measure import measured
from flows.demo_site.kinds import KindSite


def run(sizes: tuple[int, ...] = (2000,)) -> None:
    entries = sizes[0]
    with tempfile.TemporaryDirectory() as tmp, KindSite(entries=entries) as site:
        root = Path(tmp)
        feed = f"{site.url}/rss.xml"
        bare = measured([sys.executable, "-m", "bench._kinds_bare", "feed", feed])
        ours = measured(crawl_command(root, "feed", "feed", [feed], "first"))
        again = measured(crawl_command(root, "feed", "feed", [feed], "again", cursor=root / "first" / "cursor.json"))
        s1, s2 = stats(root, "first"), stats(root, "again")
    print(f"feed: RSS of {entries} entries, each a detail page (JSON-LD article), politeness off, loopback")
    print(f"bare scrapy : {bare[0]:6.2f} s  {entries / bare[0]:6.0f} entries/s  cpu {bare[1]:5.2f} s  peak {bare[2]} MB")
    print(f"lurewatch   : {ours[0]:6.2f} s  {s1['items'] / ours[0]:6.0f} entries/s  cpu {ours[1]:5.2f} s  peak {ours[2]} MB"
          f"  ({s1['items']} posts)")
    print(f"ratio ours/bare: {(s1['items'] / ours[0]) / (entries / bare[0]):.2f}")
    print(f"re-crawl, feed unchanged: {again[0]:6.2f} s, {s2['detail_bodies']} detail pages fetched (lastmod cursor)")
