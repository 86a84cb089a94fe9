"""The evidence pipeline and its writer: a real child process writing real files, items waiting
for their evidence, and what happens when the writer or the disk fails."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import json
import signal
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler

from crawlers.durable import Batch, write_once
from crawlers.evidence_store import Writer, evidence_paths, serve, take_messages
from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY
from crawlers.pipelines.evidence import EvidencePipeline
from crawlers.report import ERRORS_STAT
from crawlers.verify import Report, verify_warc
from crawlers.warc import WarcFile


def _item(n: int = 1, body: bytes | None = None) -> dict:
    body = body if body is not None else f"<html><body><p>Tin {n}: việc nhẹ lương cao</p></body></html>".encode()
    return {"url": f"http://127.0.0.1/tin/{n}.html", "fetched_at": "2026-11-30T00:00:00+00:00",
            "http_status": 200, "sha256": "", RAW_BODY_KEY: body, RAW_HEADERS_KEY: {"Content-Type": "text/html"}}


def _pipeline(evidence_dir: Path | None) -> EvidencePipeline:
    crawler = get_crawler(settings_dict={"LUREWATCH_EVIDENCE_DIR": str(evidence_dir)} if evidence_dir else {})
    crawler.stats.open_spider()
    return EvidencePipeline.from_crawler(crawler)


def _store_all(pipeline: EvidencePipeline, items: list[dict]) -> list:
    """Items through the pipeline at once, as a crawl sends them; results or exceptions, in order."""
    async def store() -> list:
        try:
            return await asyncio.gather(*(pipeline.process_item(item) for item in items), return_exceptions=True)
        finally:
            pipeline.close_spider()

    return asyncio.run(store())


def _store(pipeline: EvidencePipeline, item: dict) -> dict:
    [result] = _store_all(pipeline, [item])
    if isinstance(result, BaseException):
        raise result
    return result


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_evidence_pipeline_is_off_without_a_directory() -> None:
    with pytest.raises(NotConfigured):
        _pipeline(None)


def test_evidence_pipeline_writes_gzip_and_metadata(tmp_path: Path) -> None:
    item = _store(_pipeline(tmp_path), _item())
    gz_path, meta_path = evidence_paths(tmp_path, item["sha256"])
    assert gz_path.relative_to(tmp_path).parts[:2] == (item["sha256"][:2], item["sha256"][2:4])
    assert gzip.decompress(gz_path.read_bytes()) == _item()[RAW_BODY_KEY]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["sha256"] == item["sha256"] and meta["url"] == item["url"]
    assert meta["headers"]["Content-Type"].startswith("text/html")
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_evidence_is_never_rewritten(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path)
    item = _store(pipeline, _item())
    gz_path, _ = evidence_paths(tmp_path, item["sha256"])
    gz_path.write_bytes(b"first copy stays")
    _store(pipeline, _item())
    assert gz_path.read_bytes() == b"first copy stays"
    assert pipeline.stats.get_value("evidence/already_stored") == 1


def test_item_without_raw_body_is_dropped_and_counted(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path)
    item = _item()
    del item[RAW_BODY_KEY]
    with pytest.raises(DropItem):
        _store(pipeline, item)
    assert pipeline.stats.get_value("drop_item/item/no_raw_body") == 1


def test_items_sent_at_once_all_wait_for_their_evidence_and_get_it(tmp_path: Path) -> None:
    items = [_item(n) for n in range(60)]
    results = _store_all(_pipeline(tmp_path), items)
    assert all(isinstance(r, dict) for r in results), [r for r in results if not isinstance(r, dict)][:1]
    for item in results:
        gz_path, meta_path = evidence_paths(tmp_path, item["sha256"])
        assert hashlib.sha256(gzip.decompress(gz_path.read_bytes())).hexdigest() == item["sha256"]
        assert json.loads(meta_path.read_text("utf-8"))["url"] == item["url"]
    assert len(_files(tmp_path)) == 120  # a body and its metadata each, no temporary file left
    assert len({r["sha256"] for r in results}) == 60


def test_posts_of_one_page_store_its_body_once(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path)
    body = "<html><body><p>Một trang, năm tin</p></body></html>".encode()
    results = _store_all(pipeline, [_item(n, body) for n in range(5)])
    assert {r["sha256"] for r in results} == {hashlib.sha256(body).hexdigest()}
    assert pipeline.stats.get_value("evidence/written") == 1
    assert pipeline.stats.get_value("evidence/already_stored") == 4
    assert len(_files(tmp_path)) == 2


def test_a_writer_that_dies_drops_the_items_waiting_and_says_why(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path)

    async def crawl() -> list:
        try:
            first = await pipeline.process_item(_item(1))
            pipeline.writer.process.kill()
            pipeline.writer.process.wait()
            later = await asyncio.gather(pipeline.process_item(_item(2)), pipeline.process_item(_item(3)),
                                         return_exceptions=True)
            return [first, *later]
        finally:
            pipeline.close_spider()

    first, *later = asyncio.run(crawl())
    assert evidence_paths(tmp_path, first["sha256"])[0].exists()
    assert all(isinstance(r, DropItem) for r in later), later
    assert pipeline.stats.get_value("drop_item/item/evidence_not_stored") == 2
    assert "evidence writer stopped" in pipeline.stats.get_value(ERRORS_STAT)[0]


def test_ctrl_c_does_not_stop_the_writer_before_the_crawl_has_closed_it(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path)

    async def crawl() -> list:
        try:
            first = await pipeline.process_item(_item(1))
            pipeline.writer.process.send_signal(signal.SIGINT)  # the terminal's Ctrl-C reaches the whole group
            return [first, await pipeline.process_item(_item(2))]
        finally:
            pipeline.close_spider()

    results = asyncio.run(crawl())
    assert all(evidence_paths(tmp_path, r["sha256"])[0].exists() for r in results)
    assert pipeline.stats.get_value("evidence/written") == 2


def test_a_disk_failure_drops_the_item_with_the_reason_and_leaves_no_file(tmp_path: Path) -> None:
    body = _item(7)[RAW_BODY_KEY]
    sha = hashlib.sha256(body).hexdigest()
    (tmp_path / sha[:2]).write_text("a file where the store needs a folder")
    pipeline = _pipeline(tmp_path)
    results = _store_all(pipeline, [_item(n, body) for n in range(3)])  # three posts of one page
    assert all(isinstance(r, DropItem) and "evidence not stored" in str(r) for r in results), results
    assert pipeline.stats.get_value("drop_item/item/evidence_not_stored") == 3
    assert _files(tmp_path) == [tmp_path / sha[:2]]


def test_a_batch_shows_nothing_until_committed_and_nothing_when_abandoned(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    assert batch.add(tmp_path / "a" / "x.gz", b"one") and batch.add(tmp_path / "b.json", lambda: b"two")
    assert not batch.add(tmp_path / "b.json", b"again")  # staged already
    assert not (tmp_path / "a" / "x.gz").exists()
    batch.commit()
    assert (tmp_path / "a" / "x.gz").read_bytes() == b"one" and (tmp_path / "b.json").read_bytes() == b"two"

    called = []
    again = Batch(tmp_path)
    assert not again.add(tmp_path / "b.json", lambda: called.append(1) or b"new")  # stored: never rewritten
    assert again.add(tmp_path / "c.json", b"three")
    again.abandon()
    assert not called and sorted(p.name for p in _files(tmp_path)) == ["b.json", "x.gz"]
    assert not write_once(tmp_path / "b.json", b"other") and (tmp_path / "b.json").read_bytes() == b"two"


def test_the_writer_answers_each_page_and_ignores_a_torn_last_one(tmp_path: Path) -> None:
    def message(head: dict, body: bytes, declared: int | None = None) -> bytes:
        return json.dumps({**head, "body": declared or len(body), "rendered": None}).encode() + b"\n" + body

    def page(page_id: str, body: bytes, declared: int | None = None) -> bytes:
        return message({"id": page_id, "meta": {"url": f"http://127.0.0.1/{page_id}"}}, body, declared)

    response = message({"kind": "response", "url": "http://127.0.0.1/a", "status": 200,
                        "headers": [["Content-Type", "text/html"]], "date": "2026-11-30T00:00:00.000000Z"}, b"<p>1</p>")
    stream = response + page("a", b"<p>1</p>") + page("b", b"<p>2</p>") + page("c", b"<p>3", declared=100)
    buffer = bytearray(stream)
    assert [head.get("id") for head, _, _ in take_messages(buffer)] == [None, "a", "b"]
    assert bytes(buffer) == page("c", b"<p>3", declared=100)  # the torn one waits for the rest
    answers: list[str] = []
    warc = WarcFile(tmp_path / "warc" / "crawl.warc.gz")
    serve(Writer(tmp_path / "store", warc, answers.extend), io.BytesIO(stream).read)
    assert [line.split()[0] for line in answers] == ["a", "b"]
    assert [line.split()[2] for line in answers] == ["new", "new"]
    assert not [p for p in _files(tmp_path) if p.name.endswith(".tmp")]
    report = Report()
    verify_warc(warc.path, report)
    assert report.ok and report.warc_records == 1

    trickled: list[str] = []  # a pipe hands over whatever has arrived: messages cut anywhere
    serve(Writer(tmp_path / "again", None, trickled.extend), _reads_of(stream, 5))
    assert [line.split()[0] for line in trickled] == ["a", "b"]


def _reads_of(data: bytes, size: int):
    stream = io.BytesIO(data)
    return lambda _: stream.read(size)


def test_a_warc_file_that_cannot_be_written_is_said_once_and_the_pages_still_stored(tmp_path: Path) -> None:
    (tmp_path / "warc").write_text("a file where the WARC folder goes")
    head = {"kind": "response", "url": "http://127.0.0.1/a", "status": 200, "headers": [],
            "date": "2026-11-30T00:00:00.000000Z", "body": 3, "rendered": None}
    page = {"id": "p", "meta": {}, "body": 3, "rendered": None}
    stream = b"".join(json.dumps(h).encode() + b"\n" + b"abc" for h in (head, head, page))
    answers: list[str] = []
    serve(Writer(tmp_path / "store", WarcFile(tmp_path / "warc" / "x.warc.gz"), answers.extend), io.BytesIO(stream).read)
    assert len(answers) == 2 and answers[0].startswith("warc ! ") and answers[1].startswith("p ")
