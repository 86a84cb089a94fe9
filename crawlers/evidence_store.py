"""The content-addressed evidence store, and the process that writes a crawl's evidence into it.

Layout: <dir>/<sha[0:2]>/<sha[2:4]>/<sha>.gz (gzip of the body) and <sha>.json (metadata: status,
headers, the URL asked for and the final URL after redirects, fetched_at in UTC, and for a rendered
page the sha256 of the DOM Chromium built, stored the same way beside it). Files are written
atomically and durably and never rewritten (crawlers.durable): evidence must not change once stored.

`python -m crawlers.evidence_store DIR [WARC_FILE]` is the writer a crawl starts
(crawlers.evidence_writer). It reads messages on stdin, each a JSON header line followed by the
bytes it announces ("body": length, "rendered": length or null):
- a page to keep, {"id", "meta", ...}: pages are written in batches (a group commit): it takes
  every page waiting, writes its files, makes them durable with two filesystem syncs for the whole
  batch, and only then answers one line per page on stdout: `<id> <sha256> new|stored`, or
  `<id> ! <reason>`;
- a response received, {"kind": "response", "url", "status", "headers", "date", "requested_url"}:
  appended to the crawl's WARC file (crawlers.warc); only a failure is answered, `warc ! <reason>`.
In its own process the writing shares no lock with the crawl: in a thread beside it, every file
call handed Python's global lock back and forth with the crawl (131k futex calls per 2,000 pages),
and the WARC's compression and digests ran on the crawl's own thread.

Imports no Scrapy: the writer starts in a few tens of milliseconds.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawlers.durable import Batch
from crawlers.warc import WarcFile

READ_SIZE = 1 << 20


def evidence_paths(evidence_dir: Path, sha256: str) -> tuple[Path, Path]:
    folder = evidence_dir / sha256[0:2] / sha256[2:4]
    return folder / f"{sha256}.gz", folder / f"{sha256}.json"


def gzip_body(body: bytes) -> bytes:
    # mtime=0: the same body always gives the same bytes. Level 6 (zlib's default) compresses
    # HTML about as well as 9 in half the time.
    return gzip.compress(body, compresslevel=6, mtime=0)


def stage_page(batch: Batch, evidence_dir: Path, meta: dict[str, Any], body: bytes,
               rendered: bytes | None) -> tuple[str, bool]:
    """Add the body (gzip) and its metadata to the batch; (sha256 of the body, whether the body is new).
    Posts of one page (a channel, a thread) share its body: it is compressed and stored once."""
    sha = hashlib.sha256(body).hexdigest()
    gz_path, meta_path = evidence_paths(evidence_dir, sha)
    new = batch.add(gz_path, lambda: gzip_body(body))
    extra = {}
    if rendered is not None:
        extra["rendered_sha256"] = hashlib.sha256(rendered).hexdigest()
        batch.add(evidence_paths(evidence_dir, extra["rendered_sha256"])[0], lambda: gzip_body(rendered))
    record = {"sha256": sha, **meta, **extra}
    batch.add(meta_path, lambda: json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return sha, new


Message = tuple[dict[str, Any], bytes, bytes | None]  # header, body, rendered DOM


def take_messages(buffer: bytearray) -> list[Message]:
    """The whole messages at the start of `buffer`, removed from it; a partial one stays for the
    next read (and is ignored if the crawl ends mid-write)."""
    messages, used = [], 0
    while (line_end := buffer.find(b"\n", used)) >= 0:
        head = json.loads(buffer[used:line_end])
        body_end = line_end + 1 + head["body"]
        end = body_end + (head["rendered"] or 0)
        if end > len(buffer):
            break
        rendered = bytes(buffer[body_end:end]) if head["rendered"] is not None else None
        messages.append((head, bytes(buffer[line_end + 1:body_end]), rendered))
        used = end
    del buffer[:used]
    return messages


def commit_batch(evidence_dir: Path, pages: list[Message]) -> list[str]:
    """Write the pages durably; one answer line per page."""
    batch = Batch(evidence_dir)
    try:
        staged = [stage_page(batch, evidence_dir, head["meta"], body, rendered) for head, body, rendered in pages]
        batch.commit()
    except OSError as exc:  # the disk failed this batch: every page in it fails with the reason
        batch.abandon()
        return [f"{head['id']} ! {_one_line(exc)}" for head, _, _ in pages]
    return [f"{head['id']} {sha} {'new' if new else 'stored'}" for (head, _, _), (sha, new) in zip(pages, staged)]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class Writer:
    """What the writer does with each message: a page goes to the store in the next batch, a
    response to the WARC file at once (nothing waits for it; the file is closed at the end)."""

    def __init__(self, evidence_dir: Path, warc: WarcFile | None, answer: Callable[[list[str]], None]) -> None:
        self.evidence_dir = evidence_dir
        self.warc = warc
        self.answer = answer

    def handle(self, messages: list[Message]) -> None:
        pages = []
        for message in messages:
            if message[0].get("kind") == "response":
                self._record(*message)
            else:
                pages.append(message)
        if pages:
            self.answer(commit_batch(self.evidence_dir, pages))

    def _record(self, head: dict[str, Any], body: bytes, rendered: bytes | None) -> None:
        if self.warc is None:
            return
        try:
            self.warc.add_response(head["url"], head["status"], [tuple(h) for h in head["headers"]], body,
                                   head["date"], head.get("requested_url"), rendered)
        except OSError as exc:  # said once; the crawl goes on, its bodies still stored
            self.answer([f"warc ! {_one_line(exc)}"])
            self.warc = None

    def close(self) -> None:
        if self.warc is not None:
            self.warc.close()


def serve(writer: Writer, read: Callable[[int], bytes]) -> None:
    """Handle what the crawl sent until it closes the pipe. One thread: each read returns all that
    arrived while the last batch was written, and that is the next batch."""
    buffer = bytearray()
    try:
        while chunk := read(READ_SIZE):
            buffer += chunk
            if messages := take_messages(buffer):
                writer.handle(messages)
    finally:
        writer.close()


def main(argv: list[str]) -> int:
    """python -m crawlers.evidence_store STORE_DIR [WARC_FILE]"""
    # Ctrl-C reaches the crawl and this writer alike: the crawl stops and closes the pipe, and
    # the writer finishes what it received instead of dying with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer

    def answer(lines: list[str]) -> None:
        out.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
        out.flush()

    warc = WarcFile(Path(argv[1])) if len(argv) > 1 else None
    try:
        serve(Writer(Path(argv[0]), warc, answer), functools.partial(os.read, sys.stdin.fileno()))
    except BrokenPipeError:  # the crawl is gone: nobody to answer
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
