"""The private-fields pipeline, spider arguments, the site guard's checks and the stats report,
built the way Scrapy builds them (the evidence pipeline: test_crawlers_evidence)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from crawlers.items import RAW_BODY_KEY, RAW_HEADERS_KEY
from crawlers.pipelines.private_fields import StripPrivateFieldsPipeline
from crawlers.report import crawl_stats, summary_line
from crawlers.netguard import is_private_name, registrable_domain, resolved_private, url_problem
from crawlers.revisit import fresh
from crawlers.source import definition_problems
from crawlers.spiders.classifieds import ClassifiedsSpider

BODY = "<html><body><p>Việc nhẹ lương cao</p></body></html>".encode()


def _item(body: bytes = BODY) -> dict:
    return {
        "url": "http://127.0.0.1/tin/1.html",
        "fetched_at": "2025-03-01T00:00:00+00:00",
        "http_status": 200,
        "sha256": hashlib.sha256(body).hexdigest(),
        RAW_BODY_KEY: body,
        RAW_HEADERS_KEY: {"Content-Type": "text/html; charset=utf-8"},
    }


def test_private_fields_are_stripped_before_export() -> None:
    item = StripPrivateFieldsPipeline().process_item({**_item(), "title": "t"})
    assert RAW_BODY_KEY not in item and RAW_HEADERS_KEY not in item
    assert item["title"] == "t"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"name": "demo", "start_urls": ["ftp://example.vn/"]}, "start_urls"),
        ({"name": "demo", "start_urls": ["not a url"]}, "start_urls"),
        ({"name": "  ", "start_urls": ["http://example.vn/"]}, "name"),
        ({"name": "demo", "start_urls": ["http://example.vn/"], "max_pages": 0}, "max_pages"),
        ({"name": "demo", "start_urls": ["http://10.0.0.1/"]}, "start_urls"),
        ({"name": "demo", "start_urls": ["http://example.vn/"], "politeness": {"delay_seconds": -1}}, "politeness.delay_seconds"),
        ({"name": "demo", "start_urls": ["http://example.vn/"], "item_selector": "a[["}, "item_selector"),
        ({"name": "demo", "start_urls": ["http://example.vn/"], "allowed_domains": ["http://x.vn/"]}, "allowed_domains"),
    ],
)
def test_spider_rejects_a_bad_definition_naming_the_field(bad: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        ClassifiedsSpider(definition=bad)
    assert definition_problems(err.value).startswith(field)


def test_spider_definition_from_the_command_line_is_typed() -> None:
    spider = ClassifiedsSpider(definition='{"name": "demo", "start_urls": ["https://www.example.vn/viec-lam"], "max_pages": "3"}')
    assert spider.definition.max_pages == 3 and spider.definition.allowed_domains == ["example.vn"]
    assert spider.definition.politeness.concurrency == 1 and spider.definition.politeness.delay_seconds == 1.0


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://jobs.example.vn/a", None),
        ("https://evil.vn/a", "offsite"),
        ("http://169.254.169.254/latest", "offsite"),
        ("javascript:alert(1)", "bad_scheme"),
    ],
)
def test_url_problem(url: str, problem) -> None:
    assert url_problem(url, ["example.vn"], allow_private=False) == problem


def test_private_addresses_are_refused_by_name_and_after_resolution() -> None:
    for host in ("10.0.0.1", "127.0.0.2", "169.254.169.254", "::1", "localhost", "[::ffff:10.0.0.1]"):
        assert is_private_name(host), host
    assert not is_private_name("8.8.8.8")
    assert url_problem("http://127.0.0.1:8000/", ["127.0.0.1"], allow_private=False) == "private_address"
    assert url_problem("http://127.0.0.1:8000/", ["127.0.0.1"], allow_private=True) is None
    assert resolved_private("localhost")
    assert registrable_domain("www.topcv.vn") == "topcv.vn" and registrable_domain("a.b.com.vn") == "b.com.vn"


def test_resolver_refuses_a_name_that_resolves_to_a_private_address() -> None:
    from twisted.internet.error import DNSLookupError

    from crawlers.resolver import GuardedResolver

    resolver = GuardedResolver.__new__(GuardedResolver)
    resolver.allow_private = False
    with pytest.raises(DNSLookupError):
        resolver._refuse_private("127.0.0.1", "sneaky.example.vn")
    assert resolver._refuse_private("203.113.1.1", "ok.example.vn") == "203.113.1.1"


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from datetime import datetime, timezone

    from crawlers.middlewares.retry_after import retry_after_seconds

    now = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 08:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon") is None


def test_retry_after_slows_the_slot_exactly_from_the_answer() -> None:
    """Scrapy shortens a slot's delay by a random jitter of up to half, counted from when the last
    request left: a site's named wait must hold from its answer, whole."""
    from scrapy.core.downloader import Slot

    from crawlers.middlewares.retry_after import slow_down

    slot = Slot(concurrency=1, delay=0.0, jitter=0.5)
    slow_down(slot, 1.0)
    assert slot.delay == 1.0 and all(slot.download_delay() == 1.0 for _ in range(50))
    assert slot.lastseen > 0
    slow_down(slot, 0.2)  # a shorter wait later never shortens what the site asked before
    assert slot.delay == 1.0


def test_crawl_stats_follow_the_contract() -> None:
    report = crawl_stats(
        {
            "response_received_count": 12,
            "robotstxt/response_count": 1,
            "item_scraped_count": 9,
            "drop_item/page/non_html": 2,
            "robotstxt/forbidden": 1,
            "finish_reason": "finished",
            "lurewatch/errors": ["HTTP 500: http://x/1"],
            "lurewatch/error_count": 3,
            "lurewatch/warnings/feed_junk": 1,
        }
    )
    assert report == {
        "pages_fetched": 11,
        "items": 9,
        "dropped": {"page/non_html": 2},
        "errors": ["HTTP 500: http://x/1", "... and 2 more errors"],
        "robots_forbidden": 1,
        "finish_reason": "finished",
        "listing_pages": 0,
        "detail_bodies": 0,
        "not_modified": 0,
        "revisit_skipped": 0,
        "warnings": {"feed_junk": 1},
        "fatal": None,
    }
    line = summary_line("demo", report)
    assert "\n" not in line and "9 items" in line and "page/non_html=2" in line and "warnings: feed_junk=1" in line


def test_revisit_leaves_an_item_only_with_the_same_entry_checked_lately() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    seen = {"etag": '"v1"', "entry": "e1", "checked": (now - timedelta(hours=5)).isoformat()}
    assert fresh(seen, "e1", now, hours=24)
    assert not fresh(seen, "e2", now, hours=24)  # the listing entry changed
    assert not fresh(seen, "e1", now, hours=4)  # checked too long ago
    assert not fresh(seen, "e1", now, hours=0)  # the policy is off
    assert not fresh(seen, None, now, hours=24)  # no entry read on the listing (a meta refresh)
    assert not fresh(None, "e1", now, hours=24)  # never stored
    assert not fresh({"entry": "e1"}, "e1", now, hours=24)  # a state written before checks were kept
    assert not fresh({**seen, "checked": "yesterday"}, "e1", now, hours=24)
    assert not fresh({**seen, "checked": (now + timedelta(hours=2)).isoformat()}, "e1", now, hours=24)  # clock skew
