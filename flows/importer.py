"""`lurewatch import FILE.jsonl --source NAME`: posts exported from platforms that cannot be
crawled, stored like crawled ones.

The file and each good line are kept as evidence (content-addressed gzip, a WARC `resource`
record of the file), then every good line is assessed and stored in ONE transaction: an import
lands whole or not at all. Bad lines are named by number; with `strict`, any bad line stops the
import before anything is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawlers.parsers.export import CONTENT_TYPE, read_export
from crawlers.durable import write_once
from crawlers.evidence_store import evidence_paths, gzip_body
from crawlers.warc import warc_path, write_resource
from flows.errors import LurewatchError
from flows.ingest import assess_items
from flows.wiring import Parts
from index.sync import catch_up

MAX_NAMED = 20  # bad lines named in the one error line


@dataclass(frozen=True)
class ImportSummary:
    file_sha256: str
    lines: int
    new: int
    changed: int
    unchanged: int
    flagged: int
    bad: list[tuple[int, str]]

    def line(self, path: Path) -> str:
        return (f"imported {self.new + self.changed + self.unchanged} of {self.lines} line(s) from {path}"
                f" (sha256 {self.file_sha256}): new {self.new} / changed {self.changed} / unchanged {self.unchanged},"
                f" flagged {self.flagged}")


def bad_lines_message(bad: list[tuple[int, str]]) -> str:
    named = "; ".join(f"line {n}: {why}" for n, why in bad[:MAX_NAMED])
    more = f"; and {len(bad) - MAX_NAMED} more" if len(bad) > MAX_NAMED else ""
    return f"{len(bad)} bad line(s) not imported: {named}{more}"


def import_file(parts: Parts, path: Path, source: str, *, strict: bool = False) -> ImportSummary:
    row = parts.store.get_source(source)
    if row is None:
        raise LurewatchError(f"unknown source {source!r}; add it with `lurewatch sources add {source} --kind import`")
    if row.kind != "import":
        raise LurewatchError(f"{source} is a {row.kind} source; imports go to a source of kind import")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LurewatchError(f"cannot read {path}: {exc.strerror or exc}") from None
    now = datetime.now(timezone.utc)
    export = read_export(data, source=source, imported_at=now)
    if not export.posts:
        raise LurewatchError(bad_lines_message(export.bad) if export.bad else f"{path} holds no posts")
    if strict and export.bad:
        raise LurewatchError(bad_lines_message(export.bad) + " (--strict: nothing imported)")
    _keep_evidence(parts.settings.evidence_dir, path, data, export, source, now)
    posts = assess_items(export.posts, parts.assessor)
    result = parts.store.upsert_posts(posts)  # one transaction: all good lines or none
    catch_up(parts.store, parts.search)
    return ImportSummary(export.sha256, export.lines, result.new, result.changed, result.unchanged,
                         sum(p.is_lure for p in posts), export.bad)


def _keep_evidence(evidence_dir: Path, path: Path, data: bytes, export, source: str, now: datetime) -> None:
    bodies = {export.sha256: (data, {"kind": "import_file", "file": path.name, "lines": export.lines})}
    for post in export.posts:
        bodies[post["sha256"]] = (export.line_bodies[post["sha256"]],
                                  {"kind": "import_line", "url": post["url"], "file_sha256": export.sha256,
                                   "line": post["extra"]["line"]})
    for sha, (body, meta) in bodies.items():
        gz_path, meta_path = evidence_paths(evidence_dir, sha)
        if not gz_path.exists():
            write_once(gz_path, gzip_body(body))
        write_once(meta_path, json.dumps({"sha256": sha, "source": source, "fetched_at": now.isoformat(), **meta},
                                         ensure_ascii=False, indent=1).encode("utf-8"))
    write_resource(warc_path(evidence_dir, source), f"file:///import/{export.sha256}/{path.name}", data, CONTENT_TYPE, now)
