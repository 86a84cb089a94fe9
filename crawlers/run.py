"""Run one crawl in this process and write DIR/items.jsonl and DIR/stats.json.

    python -m crawlers.run --source NAME --start-url URL --out DIR --evidence-dir DIR [--max-pages N]

CrawlerProcess cannot start twice in one process (ReactorNotRestartable), so callers run
this module as a subprocess per crawl. Exit codes: 0 crawl finished, 1 crawl ended
abnormally (see stats.json finish_reason), 2 bad arguments or unusable start URL.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers.items import RAW_POST_FIELDS
from crawlers.pipelines.evidence import SETTING as EVIDENCE_SETTING
from crawlers.preflight import PreflightError, check_start_url
from crawlers.report import crawl_stats, summary_line
from crawlers.spiders.classifieds import ClassifiedsArgs, ClassifiedsSpider

EXIT_OK, EXIT_ABNORMAL, EXIT_UNUSABLE = 0, 1, 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description="Crawl one classifieds source.")
    parser.add_argument("--source", required=True, help="source name stored with every item")
    parser.add_argument("--start-url", required=True, help="first listing page (http/https)")
    parser.add_argument("--out", required=True, type=Path, help="directory for items.jsonl and stats.json")
    parser.add_argument("--evidence-dir", required=True, type=Path, help="evidence store root")
    parser.add_argument("--max-pages", type=int, default=50, help="listing pages to follow (default 50)")
    return parser.parse_args(argv)


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_settings(out: Path, evidence_dir: Path, start_url: str) -> Settings:
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.set(EVIDENCE_SETTING, str(evidence_dir), priority="cmdline")
    settings.set(
        "FEEDS",
        {
            str(out / "items.jsonl"): {
                "format": "jsonlines",
                "encoding": "utf8",
                "overwrite": True,
                "store_empty": True,
                "fields": list(RAW_POST_FIELDS),
            }
        },
        priority="cmdline",
    )
    if is_loopback_host(urlsplit(start_url).hostname):
        # Our own demo site / test servers: politeness delays would only slow tests down.
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", 0.0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    return settings


def write_json_atomic(path: Path, data: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, path)


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        spider_args = ClassifiedsArgs(source=args.source, start_url=args.start_url, max_pages=args.max_pages)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return fail(f"invalid arguments: {problems}")

    settings = build_settings(args.out.resolve(), args.evidence_dir.resolve(), spider_args.start_url)
    try:
        check_start_url(spider_args.start_url, settings.get("USER_AGENT"))
    except PreflightError as exc:
        return fail(str(exc))

    args.out.mkdir(parents=True, exist_ok=True)
    args.evidence_dir.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ClassifiedsSpider)
    process.crawl(crawler, **spider_args.model_dump())
    process.start()

    report = crawl_stats(crawler.stats.get_stats() if crawler.stats else {})
    write_json_atomic(args.out / "stats.json", report)
    print(summary_line(spider_args.source, report), file=sys.stderr)
    return EXIT_OK if report["finish_reason"] == "finished" else EXIT_ABNORMAL


if __name__ == "__main__":
    sys.exit(main())
