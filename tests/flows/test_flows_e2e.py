"""The whole pipe on real parts: demo site on 127.0.0.1 -> Scrapy -> classifier -> SQLite -> FTS5.

The module's demo site is never changed: a test that edits ads or needs posts of its own crawls
a demo site of its own, under a source of its own, so every test holds in any order.
"""

import pytest

from flows.crawl import CrawlError
from flows.demo_site import ADS, serve
from flows.demo_source import DEMO_SOURCE, demo_definition, demo_start_url, register_demo_source
from flows.pipeline import crawl_and_ingest
from flows.wiring import build_parts

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo_site():
    with serve("127.0.0.1", 0) as site:
        yield site


@pytest.fixture(scope="module")
def first_run(prefect_harness, demo_site):
    parts = build_parts()
    register_demo_source(parts.store, demo_site.url, cron="*/15 * * * *")
    return crawl_and_ingest(DEMO_SOURCE)


def queued_urls(parts) -> set[str]:
    return {post.canonical_url for post in parts.store.queue(limit=1000)}


def ad_urls(demo_site, lure: bool) -> set[str]:
    return {demo_site.ad_url(ad.id) for ad in ADS if ad.is_lure == lure}


def test_first_run_fetches_and_stores_every_ad(first_run):
    assert first_run.status == "completed"
    assert first_run.new == len(ADS)
    assert first_run.changed == 0
    assert first_run.pages_fetched >= len(ADS)


def test_lures_reach_the_queue_and_ordinary_ads_do_not(first_run, demo_site):
    queued = queued_urls(build_parts())
    assert ad_urls(demo_site, lure=True) <= queued
    assert not (ad_urls(demo_site, lure=False) & queued)
    assert first_run.flagged == len(ad_urls(demo_site, lure=True))


def test_accent_free_queries_find_accented_text(first_run):
    search = build_parts().search
    for folded, accented in [("luong cao", "lương cao"), ("dat coc", "đặt cọc")]:
        page = search.search(folded)
        assert page.total > 0, folded
        hit_text = "".join(t for hit in page.hits for t, _ in hit.title + hit.text).lower()
        assert accented in hit_text


def test_second_run_creates_no_duplicates_and_downloads_no_ad_again(first_run, demo_site):
    answered_304 = len(demo_site.not_modified_paths)
    again = crawl_and_ingest(DEMO_SOURCE)
    assert (again.new, again.changed, again.unchanged) == (0, 0, len(ADS))
    # the demo board answers the conditional GETs with 304: only the listing pages come in full
    assert len(demo_site.not_modified_paths) - answered_304 == len(ADS)
    assert all(p.startswith("/tin/") for p in demo_site.not_modified_paths[answered_304:])
    run = build_parts().store.list_runs(limit=1)[0]
    assert run.stats["not_modified"] == len(ADS) and run.stats["detail_bodies"] == 0
    assert again.pages_fetched == run.stats["listing_pages"] == 5


@pytest.fixture
def own_site(prefect_harness):
    """A demo site of this test's own, registered as a source of its own."""
    with serve("127.0.0.1", 0) as site:
        name = f"demo-{site.url.rsplit(':', 1)[1]}"
        definition = demo_definition(site.url) | {"name": name}
        build_parts().store.upsert_source(name, "classifieds", demo_start_url(site.url), definition=definition)
        yield name, site


def test_an_edited_ad_is_seen_as_changed(own_site):
    name, site = own_site
    assert crawl_and_ingest(name).new == len(ADS)
    ad = next(a for a in ADS if not a.is_lure)
    site.edit_ad(ad.id, ad.text + "\nCập nhật: đã tuyển đủ người.")
    again = crawl_and_ingest(name)
    assert (again.new, again.changed, again.unchanged) == (0, 1, len(ADS) - 1)  # the others answered 304


def test_with_a_revisit_policy_unchanged_ads_are_not_asked_for_and_count_as_unchanged(prefect_harness):
    with serve("127.0.0.1", 0) as site:
        name = f"demo-{site.url.rsplit(':', 1)[1]}"
        definition = demo_definition(site.url) | {"name": name, "revisit_hours": 6}
        build_parts().store.upsert_source(name, "classifieds", demo_start_url(site.url), definition=definition)
        assert crawl_and_ingest(name).new == len(ADS)
        asked = len(site.requested_paths)
        again = crawl_and_ingest(name)
        assert not [p for p in site.requested_paths[asked:] if p.startswith("/tin/")]
    assert (again.new, again.changed, again.unchanged, again.pages_fetched) == (0, 0, len(ADS), 5)
    run = build_parts().store.list_runs(limit=1)[0]
    assert run.stats["revisit_skipped"] == len(ADS) and run.stats["not_modified"] == 0


def test_a_search_engine_that_is_not_one_fails_the_run_and_says_why(own_site, monkeypatch):
    """A misconfigured engine URL is not an outage: the run fails, its error is recorded, and
    the posts are stored and stay pending for the index."""
    name, site = own_site
    monkeypatch.setenv("LUREWATCH_SEARCH_BACKEND", "opensearch")
    monkeypatch.setenv("LUREWATCH_SEARCH_URLS", site.url)  # answers 404 to every search API call
    with pytest.raises(Exception, match="NotFound|404"):
        crawl_and_ingest(name)
    run = build_parts().store.list_runs(limit=1)[0]
    assert (run.source, run.status) == (name, "failed")
    assert run.errors and "NotFoundError" in run.errors[0]
    assert build_parts().store.pending_count() >= len(ADS)


def test_unreachable_source_fails_with_a_clear_error_and_is_recorded(prefect_harness, unused_port):
    parts = build_parts()
    parts.store.upsert_source("dead", "classifieds", f"http://127.0.0.1:{unused_port}/viec-lam")
    with pytest.raises(CrawlError, match="cannot reach"):
        crawl_and_ingest("dead")
    run = parts.store.list_runs(limit=1)[0]
    assert run.status == "failed"
