"""Crawl one source: a Scrapy process per crawl (CrawlerProcess cannot restart in one process)."""

import ipaddress
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawlers.source import SourceDefinition


class CrawlError(RuntimeError):
    """The crawler could not run; the message is one line meant for an operator."""


@dataclass(frozen=True)
class CrawlOutput:
    items_path: Path
    stats: dict = field(default_factory=dict)
    state_path: Path | None = None  # conditional-GET state written by this crawl
    cursor_path: Path | None = None  # where this crawl stopped (telegram, feed, forum)

    @property
    def pages_fetched(self) -> int:
        return int(self.stats.get("pages_fetched", 0))


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def definition_for(name: str, start_url: str, stored: dict | None) -> SourceDefinition:
    """The stored definition, or, for a source saved before definitions existed, its default.

    Those older rows could only point at loopback through the store API (tests, the old demo):
    such a row keeps crawling its own machine, nothing else.
    """
    if stored:
        return SourceDefinition.model_validate(stored)
    return SourceDefinition(name=name, start_urls=[start_url], allow_private=_loopback(start_url))


def state_file(state_dir: Path, source: str) -> Path:
    return state_dir / f"{source}.json"


def cursor_file(state_file_path: Path) -> Path:
    """The cursor lives beside the conditional-GET state: <source>.cursor.json."""
    return state_file_path.with_suffix(".cursor.json")


def crawl_command(definition_path: Path, out_dir: Path, evidence_dir: Path, state: Path | None) -> list[str]:
    command = [
        sys.executable, "-m", "crawlers.run",
        "--definition", str(definition_path),
        "--out", str(out_dir),
        "--evidence-dir", str(evidence_dir),
    ]
    command += ["--state", str(state)] if state is not None and state.exists() else []
    cursor = cursor_file(state) if state is not None else None
    return command + (["--cursor", str(cursor)] if cursor is not None and cursor.exists() else [])


def run_crawl(
    definition: SourceDefinition, out_dir: Path, evidence_dir: Path, *, timeout: int, state: Path | None = None
) -> CrawlOutput:
    out_dir.mkdir(parents=True, exist_ok=True)
    definition_path = out_dir / "definition.json"
    definition_path.write_text(definition.model_dump_json(indent=2), "utf-8")
    command = crawl_command(definition_path, out_dir, evidence_dir, state)
    log_path = out_dir / "crawl.log"
    with log_path.open("wb") as log:
        try:
            done = subprocess.run(command, stdout=log, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise CrawlError(f"crawl of {definition.name} did not finish in {timeout} s (log: {log_path})") from exc
    stderr = done.stderr.decode("utf-8", "replace")
    log_path.open("ab").write(done.stderr)
    if done.returncode != 0:
        raise CrawlError(_last_error_line(stderr) or f"crawler exited with {done.returncode} (log: {log_path})")
    stats_path = out_dir / "stats.json"
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    written, cursor = out_dir / "state.json", out_dir / "cursor.json"
    return CrawlOutput(items_path=out_dir / "items.jsonl", stats=stats, state_path=written if written.exists() else None,
                       cursor_path=cursor if cursor.exists() else None)


def promote_state(crawl: CrawlOutput, state: Path) -> None:
    """After ingest stored the items: the next crawl may skip what this one saw unchanged."""
    for written, kept in ((crawl.state_path, state), (crawl.cursor_path, cursor_file(state))):
        if written is not None:
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(written, kept)


def _last_error_line(stderr: str) -> str:
    for line in reversed(stderr.splitlines()):
        if line.startswith("error:"):
            return line.removeprefix("error:").strip()
    return ""


def read_items(items_path: Path) -> tuple[list[dict], int]:
    """RawPost dicts and the number of unreadable lines (a crawler killed mid-write), counted."""
    if not items_path.exists():
        return [], 0
    items, unreadable = [], 0
    for line in items_path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError:
            unreadable += 1
    return items, unreadable
