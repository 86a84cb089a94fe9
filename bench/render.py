"""A rendered source of 100 pages (a listing and its items, built by JavaScript) through
scrapy-playwright on Debian's chromium: pages per second and the peak memory of the crawl and its
browser, against two baselines in the same run, all one page at a time: bare Playwright (one
page object reused) and bare scrapy-playwright (a new page per request, as the crawl does).

    make bench BENCH=render
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench._kinds_run import crawl_command, stats
from bench._measure import measured
from flows.demo_site.kinds import KindSite


def run(sizes: tuple[int, ...] = (100,)) -> None:
    items = sizes[0] - 1  # the listing is a page too
    with tempfile.TemporaryDirectory() as tmp, KindSite(js_pages=items) as site:
        root = Path(tmp)
        urls = [f"{site.url}/js/viec-lam"] + [f"{site.url}/js/viec-lam/tin-{n}/{n}.html" for n in range(1, items + 1)]
        bare = measured([sys.executable, "-m", "bench._kinds_bare", "browser", *urls])
        plain = measured([sys.executable, "-m", "bench._kinds_bare", "scrapy_browser", *urls])
        ours = measured(crawl_command(root, "render", "classifieds", urls[:1], "first", render=True, max_pages=sizes[0],
                                      politeness={"concurrency": 1, "delay_seconds": 0, "autothrottle": False}))
        s1 = stats(root, "first")
    pages = s1["pages_fetched"]
    print(f"rendered source: {len(urls)} pages (1 listing + {items} items), one page at a time, loopback")
    print(f"bare playwright: {bare[0]:6.2f} s  {len(urls) / bare[0]:5.1f} pages/s  cpu {bare[1]:5.2f} s  peak {bare[2]} MB (tree)")
    print(f"bare scrapy-pw : {plain[0]:6.2f} s  {len(urls) / plain[0]:5.1f} pages/s  cpu {plain[1]:5.2f} s  peak {plain[2]} MB (tree)")
    print(f"lurewatch      : {ours[0]:6.2f} s  {pages / ours[0]:5.1f} pages/s  cpu {ours[1]:5.2f} s  peak {ours[2]} MB (tree)"
          f"  ({s1['items']} posts, evidence: served body + rendered DOM + WARC)")
    print(f"ratio ours/bare playwright: {(pages / ours[0]) / (len(urls) / bare[0]):.2f};"
          f" ours/bare scrapy-playwright: {(pages / ours[0]) / (len(urls) / plain[0]):.2f}")
