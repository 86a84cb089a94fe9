"""Evidence pipeline: keep the raw body of every exported page in the content-addressed store
(crawlers.evidence_store), through the crawl's evidence writer (crawlers.evidence_writer). An
item goes on to the feed only once its evidence is on disk; an item whose evidence could not be
stored is dropped, counted, and its reason kept with the crawl's errors.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawlers.evidence_writer import EvidenceNotStored, EvidenceWriter, writer_for
from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY, RENDERED_KEY, REQUESTED_URL_KEY
from crawlers.report import record_error


def page_meta(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": item.get("url"),
        "requested_url": item.get(REQUESTED_URL_KEY) or item.get("url"),
        "fetched_at": item.get("fetched_at"),
        "http_status": item.get("http_status"),
        "headers": item.get(RAW_HEADERS_KEY) or {},
    }


class EvidencePipeline:
    def __init__(self, writer: EvidenceWriter, stats: StatsCollector) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "EvidencePipeline":
        return cls(writer_for(crawler), crawler.stats)

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
        # The downloader is closed first: no response comes after, for the WARC file either.
        self.writer.close()
