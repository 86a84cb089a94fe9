"""The content-addressed evidence store, and the process that writes a crawl's evidence into it.

Layout: <dir>/<sha[0:2]>/<sha[2:4]>/<sha>.gz (gzip of the body) and <sha>.json (metadata: status,
headers, the URL asked for and the final URL after redirects, fetched_at in UTC, and for a rendered
page the sha256 of the DOM Chromium built, stored the same way beside it). Files are written
atomically and durably and never rewritten (crawlers.durable): evidence must not change once stored.

`python -m crawlers.evidence_store DIR` is the writer a crawl starts (crawlers.pipelines.evidence).
It reads pages on stdin, each a JSON header line {"id", "meta", "body": length, "rendered": length
or null} followed by the bytes, and writes them in batches (a group commit): it takes every page
waiting, writes its files, makes them durable with two filesystem syncs for the whole batch, and
only then answers one line per page on stdout: `<id> <sha256> new|stored`, or `<id> ! <reason>`.
In its own process the writing shares no lock with the crawl: in a thread beside it, every file
call handed Python's global lock back and forth with the crawl (131k futex calls per 2,000 pages).

Imports no Scrapy: the writer starts in a few tens of milliseconds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from crawlers.durable import Batch

# Pages a batch takes at most: enough to share the syncs, few enough to answer steadily.
MAX_BATCH = 256


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


Page = tuple[str, dict[str, Any], bytes, bytes | None]  # id, metadata, body, rendered DOM


def read_pages(stream: BinaryIO) -> Iterator[Page]:
    """The pages on `stream` until it ends; a torn last page (the crawl died mid-write) is ignored."""
    while header := stream.readline():
        head = json.loads(header)
        body = stream.read(head["body"])
        rendered = stream.read(head["rendered"]) if head.get("rendered") is not None else None
        if len(body) != head["body"] or (rendered is not None and len(rendered) != head["rendered"]):
            return
        yield str(head["id"]), head["meta"], body, rendered


def commit_batch(evidence_dir: Path, pages: list[Page]) -> list[str]:
    """Write the pages durably; one answer line per page."""
    batch = Batch(evidence_dir)
    try:
        staged = [stage_page(batch, evidence_dir, meta, body, rendered) for _, meta, body, rendered in pages]
        batch.commit()
    except OSError as exc:  # the disk failed this batch: every page in it fails with the reason
        batch.abandon()
        reason = " ".join(str(exc).split())
        return [f"{page_id} ! {reason}" for page_id, *_ in pages]
    return [f"{page_id} {sha} {'new' if new else 'stored'}" for (page_id, *_), (sha, new) in zip(pages, staged)]


def serve(evidence_dir: Path, stdin: BinaryIO, answer: Callable[[list[str]], None]) -> None:
    """Read pages on one thread, write them in batches on this one, until stdin ends."""
    waiting: queue.SimpleQueue[Page | None] = queue.SimpleQueue()

    def reader() -> None:
        try:
            for page in read_pages(stdin):
                waiting.put(page)
        finally:
            waiting.put(None)

    threading.Thread(target=reader, name="evidence-reader", daemon=True).start()
    while (first := waiting.get()) is not None:
        pages, ended = [first], False
        while len(pages) < MAX_BATCH:
            try:
                page = waiting.get_nowait()
            except queue.Empty:
                break
            if page is None:
                ended = True
                break
            pages.append(page)
        answer(commit_batch(evidence_dir, pages))
        if ended:
            return


def main(argv: list[str]) -> int:
    # Ctrl-C reaches the crawl and this writer alike: the crawl stops and closes the pipe, and
    # the writer finishes what it received instead of dying with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    evidence_dir = Path(argv[0])
    out = sys.stdout.buffer

    def answer(lines: list[str]) -> None:
        out.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
        out.flush()

    try:
        serve(evidence_dir, sys.stdin.buffer, answer)
    except BrokenPipeError:  # the crawl is gone: nobody to answer
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
