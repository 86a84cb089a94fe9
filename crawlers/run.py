"""Run one crawl in this process and write DIR/items.jsonl, DIR/stats.json and DIR/state.json.

    python -m crawlers.run --definition FILE.json --out DIR --evidence-dir DIR [--state FILE] [--cursor FILE]
    python -m crawlers.run --source NAME --start-url URL --out DIR --evidence-dir DIR [--max-pages N]

The definition is a crawlers.source.SourceDefinition as JSON. --state is the conditional-GET
state of the last good crawl (ETag / Last-Modified per item URL); the updated state is written to
DIR/state.json for the caller to promote once the items are stored; --cursor likewise is where the
last crawl of a Telegram channel, feed or forum stopped (DIR/cursor.json). The spider is chosen by
the definition's kind (crawlers.kinds); every response goes into one WARC file per crawl.

CrawlerProcess cannot start twice in one process (ReactorNotRestartable), so callers run
this module as a subprocess per crawl. Exit codes: 0 crawl finished, 1 crawl ended
abnormally (see stats.json finish_reason), 2 bad arguments or unusable start URL.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers.items import RAW_POST_FIELDS
from crawlers.middlewares.conditional import STATE_IN, STATE_OUT
from crawlers.middlewares.siteguard import ALLOW_PRIVATE, ALLOWED_DOMAINS
from crawlers.evidence_writer import EVIDENCE_DIR
from crawlers.preflight import PreflightError, check_start_url
from crawlers.report import crawl_stats, summary_line
from crawlers.source import SourceDefinition, definition_problems
from crawlers.cursor import CURSOR_FILE, CURSOR_IN, CURSOR_OUT
from crawlers.kinds import preflight_types, spider_for
from crawlers.render import CHROMIUM, RenderUnavailable, render_settings
from crawlers.warc import WARC_PATH, warc_path

EXIT_OK, EXIT_ABNORMAL, EXIT_UNUSABLE = 0, 1, 2
STATE_FILE = "state.json"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description="Crawl one classifieds source.")
    parser.add_argument("--definition", type=Path, help="the source definition (JSON file)")
    parser.add_argument("--source", help="source name (without --definition)")
    parser.add_argument("--start-url", help="first listing page (without --definition)")
    parser.add_argument("--max-pages", type=int, help="listing pages to follow (default 50)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses")
    parser.add_argument("--out", required=True, type=Path, help="directory for items.jsonl and stats.json")
    parser.add_argument("--evidence-dir", required=True, type=Path, help="evidence store root")
    parser.add_argument("--state", type=Path, help="conditional-GET state of the last good crawl")
    parser.add_argument("--cursor", type=Path, help="where the last good crawl stopped (telegram, feed, forum)")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, help="Chromium for render: true sources")
    return parser.parse_args(argv)


def load_definition(args: argparse.Namespace) -> SourceDefinition:
    if args.definition is not None:
        data = json.loads(args.definition.read_text("utf-8"))
    else:
        if not (args.source and args.start_url):
            raise ValueError("give --definition, or --source and --start-url")
        data = {"name": args.source, "start_urls": [args.start_url], "allow_private": args.allow_private}
    if args.max_pages is not None:
        data["max_pages"] = args.max_pages
    return SourceDefinition.model_validate(data)


def build_settings(definition: SourceDefinition, out: Path, evidence_dir: Path, state: Path | None,
                   cursor: Path | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    polite = definition.politeness
    values: dict[str, Any] = {
        EVIDENCE_DIR: str(evidence_dir),
        ALLOWED_DOMAINS: definition.allowed_domains,
        ALLOW_PRIVATE: definition.allow_private,
        STATE_IN: str(state) if state else None,
        STATE_OUT: str(out / STATE_FILE),
        CURSOR_IN: str(cursor) if cursor else None,
        CURSOR_OUT: str(out / CURSOR_FILE),
        WARC_PATH: str(warc_path(evidence_dir, definition.name)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": polite.concurrency,
        "CONCURRENT_REQUESTS": max(8, polite.concurrency),
        "DOWNLOAD_DELAY": polite.delay_seconds,
        "AUTOTHROTTLE_ENABLED": polite.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(polite.delay_seconds, 0.1),
        "FEEDS": {
            str(out / "items.jsonl"): {
                "format": "jsonlines",
                "encoding": "utf8",
                "overwrite": True,
                "store_empty": True,
                "fields": list(RAW_POST_FIELDS),
            }
        },
    }
    if polite.user_agent:
        values["USER_AGENT"] = polite.user_agent
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
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
        definition = load_definition(args)
    except ValidationError as exc:
        return fail(f"invalid source definition: {definition_problems(exc)}")
    except (OSError, ValueError) as exc:
        return fail(f"invalid source definition: {exc}")

    if definition.kind == "import":
        return fail(f"{definition.name} is an import source: its posts arrive by `lurewatch import`, not by a crawl")
    settings = build_settings(definition, args.out.resolve(), args.evidence_dir.resolve(),
                              args.state.resolve() if args.state else None,
                              args.cursor.resolve() if args.cursor else None)
    try:
        if definition.render:
            for name, value in render_settings(definition, args.chromium).items():
                if name in ("DOWNLOADER_MIDDLEWARES", "DOWNLOAD_HANDLERS"):
                    value = {**settings.getdict(name), **value}
                settings.set(name, value, priority="cmdline")
        for url in definition.start_urls:
            check_start_url(url, settings.get("USER_AGENT"), allowed_domains=definition.allowed_domains,
                            allow_private=definition.allow_private, accept=preflight_types(definition.kind))
    except (PreflightError, RenderUnavailable) as exc:
        return fail(str(exc))

    args.out.mkdir(parents=True, exist_ok=True)
    args.evidence_dir.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings)
    # Scrapy leaves the root logger at NOTSET and filters in its handler: every response and item
    # would still build a DEBUG record (a stack walk each) only to drop it.
    logging.getLogger().setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(spider_for(definition.kind))
    process.crawl(crawler, definition=definition)
    process.start()

    report = crawl_stats(crawler.stats.get_stats() if crawler.stats else {})
    write_json_atomic(args.out / "stats.json", report)
    print(summary_line(definition.name, report), file=sys.stderr)
    if report.get("fatal"):
        return fail(report["fatal"])
    return EXIT_OK if report["finish_reason"] == "finished" else EXIT_ABNORMAL


def exit_now(code: int) -> None:
    """The crawl's files are closed and its stats written: end without the interpreter's teardown
    of everything Scrapy, Twisted and lxml built (a quarter of a second of every crawl)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
