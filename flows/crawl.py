"""Crawl one source: a Scrapy process per crawl (CrawlerProcess cannot restart in one process)."""

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


class CrawlError(RuntimeError):
    """The crawler could not run; the message is one line meant for an operator."""


@dataclass(frozen=True)
class CrawlOutput:
    items_path: Path
    stats: dict = field(default_factory=dict)

    @property
    def pages_fetched(self) -> int:
        return int(self.stats.get("pages_fetched", 0))


def crawl_command(source: str, start_url: str, out_dir: Path, evidence_dir: Path, max_pages: int) -> list[str]:
    return [
        sys.executable, "-m", "crawlers.run",
        "--source", source,
        "--start-url", start_url,
        "--out", str(out_dir),
        "--evidence-dir", str(evidence_dir),
        "--max-pages", str(max_pages),
    ]


def run_crawl(
    source: str, start_url: str, out_dir: Path, evidence_dir: Path, *, max_pages: int, timeout: int
) -> CrawlOutput:
    out_dir.mkdir(parents=True, exist_ok=True)
    command = crawl_command(source, start_url, out_dir, evidence_dir, max_pages)
    log_path = out_dir / "crawl.log"
    with log_path.open("wb") as log:
        try:
            done = subprocess.run(command, stdout=log, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise CrawlError(f"crawl of {start_url} did not finish in {timeout} s (log: {log_path})") from exc
    stderr = done.stderr.decode("utf-8", "replace")
    log_path.open("ab").write(done.stderr)
    if done.returncode != 0:
        raise CrawlError(_last_error_line(stderr) or f"crawler exited with {done.returncode} (log: {log_path})")
    stats_path = out_dir / "stats.json"
    stats = json.loads(stats_path.read_text("utf-8")) if stats_path.exists() else {}
    return CrawlOutput(items_path=out_dir / "items.jsonl", stats=stats)


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
