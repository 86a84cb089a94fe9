"""Shared by the source-kind benchmarks: a definition file and the `python -m crawlers.run` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

FAST = {"concurrency": 8, "delay_seconds": 0, "autothrottle": False}


def crawl_command(root: Path, name: str, kind: str, urls: list[str], out: str, *, cursor: Path | None = None,
                  **definition) -> list[str]:
    spec = root / f"{name}.json"
    spec.write_text(json.dumps({"name": name, "kind": kind, "start_urls": urls, "allow_private": True,
                                "max_pages": 10_000, "politeness": FAST, **definition}))
    command = [sys.executable, "-m", "crawlers.run", "--definition", str(spec), "--out", str(root / out),
               "--evidence-dir", str(root / "evidence")]
    return command + (["--cursor", str(cursor)] if cursor else [])


def stats(root: Path, out: str) -> dict:
    return json.loads((root / out / "stats.json").read_text())
