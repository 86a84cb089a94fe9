"""Evidence pipeline: keep the raw body of every exported page in the content-addressed store
(crawlers.evidence_store). An item goes on to the feed only once its evidence is on disk.

The writing happens in a child process (`python -m crawlers.evidence_store`), fed through a pipe
from the crawl's event loop and answering when a page's files are durable. A page whose
evidence could not be stored is dropped, counted, and its reason kept with the crawl's errors.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

import crawlers
from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY, RENDERED_KEY, REQUESTED_URL_KEY
from crawlers.report import record_error

SETTING = "LUREWATCH_EVIDENCE_DIR"
PACKAGE_ROOT = Path(crawlers.__file__).resolve().parent.parent
logger = logging.getLogger(__name__)


class EvidenceNotStored(Exception):
    pass


class _Answers(asyncio.Protocol):
    """The writer's stdout: one line per page."""

    def __init__(self, writer: "EvidenceWriter", process: subprocess.Popen[bytes]) -> None:
        self.writer = writer
        self.process = process
        self.partial = b""

    def data_received(self, data: bytes) -> None:
        *lines, self.partial = (self.partial + data).split(b"\n")
        for line in lines:
            self.writer.answered(line.decode("utf-8"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.writer.stopped(self.process)


class EvidenceWriter:
    """The crawl's side of the writer process. `store` returns once the page's evidence is durable."""

    def __init__(self, evidence_dir: Path) -> None:
        self.evidence_dir = evidence_dir
        self.loop: asyncio.AbstractEventLoop | None = None
        self.started: asyncio.Task[None] | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.pages: asyncio.WriteTransport | None = None
        self.answers: asyncio.ReadTransport | None = None
        self.pending: dict[str, asyncio.Future[tuple[str, bool]]] = {}
        self.ids = itertools.count()
        self.failure: str | None = None

    async def store(self, meta: dict[str, Any], body: bytes, rendered: bytes | None) -> tuple[str, bool]:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # the first page (a test may bring a loop of its own per page)
            self.close()
            self.loop, self.failure = loop, None
            self.started = loop.create_task(self._start(loop))
        await self.started  # pages that come while the writer starts wait for it
        if self.failure:
            raise EvidenceNotStored(self.failure)
        page_id = str(next(self.ids))
        done = self.pending[page_id] = loop.create_future()
        head = {"id": page_id, "meta": meta, "body": len(body), "rendered": None if rendered is None else len(rendered)}
        self.pages.writelines([json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n", body, rendered or b""])
        return await done

    async def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            self.evidence_dir.mkdir(parents=True, exist_ok=True)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crawlers.evidence_store", str(self.evidence_dir)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as exc:
            self.failure = f"the evidence writer did not start: {exc}"
            return
        self.pages, _ = await loop.connect_write_pipe(asyncio.Protocol, self.process.stdin)
        process = self.process
        self.answers, _ = await loop.connect_read_pipe(lambda: _Answers(self, process), process.stdout)

    def answered(self, line: str) -> None:
        try:
            page_id, sha, outcome = line.split(" ", 2)
        except ValueError:
            logger.warning("evidence writer said: %s", line)
            return
        done = self.pending.pop(page_id, None)
        if done is None or done.done():
            return
        if sha == "!":
            done.set_exception(EvidenceNotStored(outcome))
        else:
            done.set_result((sha, outcome == "new"))

    def stopped(self, process: subprocess.Popen[bytes]) -> None:
        """The writer's stdout closed: it ended or died. Pages still waiting are not stored, nor
        any page sent after."""
        if process is not self.process:  # a writer already closed
            return
        if not self.failure:
            try:
                code = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = None
            self.failure = f"the evidence writer stopped (exit code {code})"
        for done in self.pending.values():
            if not done.done():
                done.set_exception(EvidenceNotStored(self.failure))
        self.pending.clear()

    def close(self) -> None:
        """End the writer once it has answered every page sent (all have been, when the crawl closes)."""
        if self.process is None:
            self.loop = None
            return
        # Closing the pipe's file at once (the transport would close it on the loop's next turn,
        # which this wait holds up): the writer reads to the end, answers, and exits.
        if not self.loop.is_closed():
            self.pages.close()
        self.process.stdin.close()
        try:
            self.process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if not self.loop.is_closed():
            self.answers.close()
        self.process.stdout.close()
        self.process = self.loop = None


def page_meta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": item.get("url"),
        "requested_url": item.get(REQUESTED_URL_KEY) or item.get("url"),
        "fetched_at": item.get("fetched_at"),
        "http_status": item.get("http_status"),
        "headers": item.get(RAW_HEADERS_KEY) or {},
    }


class EvidencePipeline:
    def __init__(self, evidence_dir: Path, stats: StatsCollector) -> None:
        self.evidence_dir = evidence_dir
        self.stats = stats
        self.writer = EvidenceWriter(evidence_dir)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "EvidencePipeline":
        configured = crawler.settings.get(SETTING)
        if not configured:
            raise NotConfigured(f"{SETTING} is not set")
        return cls(Path(configured), crawler.stats)

    async def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        body = item.get(RAW_BODY_KEY)
        if not isinstance(body, bytes):
            # An item we cannot back with evidence must not reach reviewers.
            self.stats.inc_value("drop_item/item/no_raw_body")
            raise DropItem(f"no raw body for {item.get('url')}")
        rendered = item.get(RENDERED_KEY)
        try:
            sha, new = await self.writer.store(page_meta(item), body, rendered if isinstance(rendered, bytes) else None)
        except EvidenceNotStored as exc:
            self.stats.inc_value("drop_item/item/evidence_not_stored")
            record_error(self.stats, f"evidence not stored: {exc} ({item.get('url')})")
            raise DropItem(f"evidence not stored for {item.get('url')}: {exc}") from None
        if item.get("sha256") != sha:
            self.stats.inc_value("evidence/sha256_fixed")
            item["sha256"] = sha
        self.stats.inc_value("evidence/written" if new else "evidence/already_stored")
        return item

    def close_spider(self) -> None:
        self.writer.close()
