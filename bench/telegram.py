"""Telegram-style channel of 5,000 messages on a local server: messages per second of a first
crawl and of the incremental one after 50 new messages, against a bare Scrapy spider paging the
same `?before=` pages in the same run.

    make bench BENCH=telegram          (or: python -m bench telegram 5000)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench._kinds_run import crawl_command, stats
from bench._measure import measured
from flows.demo_site.kinds import CHANNEL, KindSite

NEW = 50


def run(sizes: tuple[int, ...] = (5000,)) -> None:
    messages = sizes[0]
    with tempfile.TemporaryDirectory() as tmp, KindSite(messages=messages) as site:
        root = Path(tmp)
        start = f"{site.url}/s/{CHANNEL}"
        bare = measured([__import__("sys").executable, "-m", "bench._kinds_bare", "channel", start])
        first = measured(crawl_command(root, "tg", "telegram", [start], "first"))
        site.add_messages(NEW)
        again = measured(crawl_command(root, "tg", "telegram", [start], "again", cursor=root / "first" / "cursor.json"))
        s1, s2 = stats(root, "first"), stats(root, "again")
    print(f"channel: {messages} messages, {messages // 20} pages of 20, politeness off, loopback")
    print(f"bare scrapy : {bare[0]:6.2f} s  {messages / bare[0]:7.0f} messages/s  cpu {bare[1]:5.2f} s  peak {bare[2]} MB")
    print(f"lurewatch   : {first[0]:6.2f} s  {s1['items'] / first[0]:7.0f} messages/s  cpu {first[1]:5.2f} s  peak {first[2]} MB"
          f"  ({s1['items']} posts, {s1['pages_fetched']} pages, evidence + WARC)")
    print(f"ratio ours/bare: {(s1['items'] / first[0]) / (messages / bare[0]):.2f}")
    print(f"incremental after {NEW} new: {again[0]:6.2f} s, {s2['pages_fetched']} pages, {s2['items']} posts yielded"
          f" ({NEW} new + the rest of the pages it had to read), {100 * again[0] / first[0]:.0f}% of the first crawl")
