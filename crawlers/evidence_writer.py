"""The crawl's side of its evidence writer (`python -m crawlers.evidence_store`, a child process):
one writer per crawl, shared by the evidence pipeline (each item's page, answered once durable)
and `WarcRecorder` (every response, for the crawl's WARC file). Messages go through a pipe from
the crawl's event loop; the crawl's own thread only frames and sends them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import subprocess
import sys
import weakref
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from crawlers.report import record_error
from crawlers.warc import SERVED_KEY, WARC_PATH

EVIDENCE_DIR = "LUREWATCH_EVIDENCE_DIR"
FETCHED_AT_KEY = "lurewatch_fetched_at"  # response meta: when the response arrived (UTC datetime)
# The folder holding the crawlers package, for the writer's import path (under pytest, `crawlers`
# can be a namespace package without a __file__: tests/crawlers shares its name).
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger(__name__)


class EvidenceNotStored(Exception):
    pass


class _Answers(asyncio.Protocol):
    """The writer's stdout: one line per page, and `warc ! <reason>` if the WARC file failed."""

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
    """Started on the first message, in the loop that sends it (a test may bring a loop of its own
    per page); ended by `close` once every page sent has been answered."""

    def __init__(self, evidence_dir: Path, warc: Path | None, stats: StatsCollector) -> None:
        self.evidence_dir = evidence_dir
        self.warc = warc
        self.stats = stats
        self.loop: asyncio.AbstractEventLoop | None = None
        self.started: asyncio.Task[None] | None = None  # held here: the loop keeps tasks only weakly
        self.process: subprocess.Popen[bytes] | None = None
        self.pipe: asyncio.WriteTransport | None = None
        self.answers: asyncio.ReadTransport | None = None
        self.backlog: list[bytes] = []  # sent while the writer starts
        self.last_body: bytes | None = None  # the last page body sent, and its answer
        self.last_stored: asyncio.Future[tuple[str, bool]] | None = None
        self.pending: dict[str, asyncio.Future[tuple[str, bool]]] = {}
        self.ids = itertools.count()
        self.failure: str | None = None

    async def store(self, meta: dict[str, Any], body: bytes, rendered: bytes | None) -> tuple[str, bool]:
        """Keep a page; (sha256 of its body, whether the body is new) once its files are durable."""
        self._ensure_started()
        if self.failure:
            raise EvidenceNotStored(self.failure)
        if body is self.last_body and rendered is None:
            # Another post of the page just sent (a channel, a thread, a feed): its body is stored
            # once, with the first post's metadata; no need to send it again.
            sha, _ = await asyncio.shield(self.last_stored)
            return sha, False
        page_id = str(next(self.ids))
        done = self.pending[page_id] = self.loop.create_future()
        self._send({"id": page_id, "meta": meta}, body, rendered)
        if rendered is None:
            self.last_body, self.last_stored = body, done
        return await done

    def record(self, head: dict[str, Any], body: bytes, rendered: bytes | None) -> None:
        """A response for the WARC file: sent, not awaited."""
        self._ensure_started()
        if not self.failure:
            self._send({"kind": "response", **head}, body, rendered)

    def _send(self, head: dict[str, Any], body: bytes, rendered: bytes | None) -> None:
        head = {**head, "body": len(body), "rendered": None if rendered is None else len(rendered)}
        chunks = [json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n", body, rendered or b""]
        if self.pipe is None:
            self.backlog.extend(chunks)
        else:
            self.pipe.writelines(chunks)

    def _ensure_started(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is loop:
            return
        self.close()
        self.loop, self.failure, self.last_body = loop, None, None
        self.started = loop.create_task(self._start(loop))

    async def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        paths = [str(self.evidence_dir)] + ([str(self.warc)] if self.warc else [])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            self.evidence_dir.mkdir(parents=True, exist_ok=True)
            process = self.process = subprocess.Popen([sys.executable, "-m", "crawlers.evidence_store", *paths],
                                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as exc:
            self.failure = f"the evidence writer did not start: {exc}"
            self.backlog.clear()
            self._fail_pending()
            return
        try:
            self.pipe, _ = await loop.connect_write_pipe(asyncio.Protocol, process.stdin)
            self.answers, _ = await loop.connect_read_pipe(lambda: _Answers(self, process), process.stdout)
        except (OSError, ValueError) as exc:  # closed before it started
            self.failure = f"the evidence writer did not start: {exc}"
            self._fail_pending()
            return
        self.pipe.writelines(self.backlog)
        self.backlog.clear()

    def answered(self, line: str) -> None:
        try:
            subject, sha, outcome = line.split(" ", 2)
        except ValueError:
            logger.warning("evidence writer said: %s", line)
            return
        if subject == "warc":
            record_error(self.stats, f"WARC file not written: {outcome}")
            return
        done = self.pending.pop(subject, None)
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
        self._fail_pending()

    def _fail_pending(self) -> None:
        for done in self.pending.values():
            if not done.done():
                done.set_exception(EvidenceNotStored(self.failure))
        self.pending.clear()

    def close(self) -> None:
        """End the writer: it reads to the end of the pipe, answers, closes the WARC file, exits."""
        process, loop = self.process, self.loop
        self.process = self.loop = None
        if process is None:
            return
        loop_open = not loop.is_closed()
        # The pipe's file is closed at once: the transport would close it on the loop's next
        # turn, which this wait holds up.
        if loop_open and self.pipe is not None:
            self.pipe.close()
        process.stdin.close()
        try:
            process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if loop_open and self.answers is not None:
            self.answers.close()
        process.stdout.close()
        self.pipe = self.answers = None


_WRITERS: weakref.WeakKeyDictionary[Crawler, EvidenceWriter] = weakref.WeakKeyDictionary()


def writer_for(crawler: Crawler) -> EvidenceWriter:
    """The crawl's one writer (NotConfigured without an evidence directory)."""
    if crawler not in _WRITERS:
        evidence_dir = crawler.settings.get(EVIDENCE_DIR)
        if not evidence_dir:
            raise NotConfigured(f"{EVIDENCE_DIR} is not set")
        warc = crawler.settings.get(WARC_PATH)
        _WRITERS[crawler] = EvidenceWriter(Path(evidence_dir), Path(warc) if warc else None, crawler.stats)
    return _WRITERS[crawler]


class WarcRecorder:
    """Every response the crawl receives goes to the crawl's WARC file (crawlers.warc), as the site
    served it; for a page a browser rendered, the DOM it built goes beside it."""

    def __init__(self, writer: EvidenceWriter, stats: StatsCollector) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WarcRecorder":
        if not crawler.settings.get(WARC_PATH):
            raise NotConfigured(f"{WARC_PATH} is not set")
        recorder = cls(writer_for(crawler), crawler.stats)
        crawler.signals.connect(recorder.response_received, signal=signals.response_received)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def response_received(self, response: Response, request: Request, spider: Any) -> None:
        fetched_at = response.meta.setdefault(FETCHED_AT_KEY, datetime.now(timezone.utc))
        served = response.meta.get(SERVED_KEY)
        if served:
            status, headers, body, rendered = served[0], list(served[1].items()), served[2], response.body
        else:
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
            status, body, rendered = response.status, response.body, None
        redirects = request.meta.get("redirect_urls")
        head = {"url": response.url, "status": status, "headers": headers,
                "date": fetched_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "requested_url": redirects[0] if redirects else None}
        self.writer.record(head, body, rendered)
        self.stats.inc_value("evidence/warc_records", 2 if served else 1)

    def spider_closed(self, spider: Any) -> None:
        self.writer.close()
