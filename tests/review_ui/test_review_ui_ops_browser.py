"""The operations page and the watchlist in a real headless Chromium against a real uvicorn on
127.0.0.1, the page built as `lurewatch up` builds it (flows.ui_operations: the CLI's own source
actions) with no Prefect server: an operator pauses a source from the page and reads the CLI's
line; an investigator adds to the watchlist and watches a phone from its entity page. A
screenshot of each page is kept under $LUREWATCH_SCREENSHOTS (else the test's tmp_path).

Reuses the browser and screenshot helpers of test_review_ui_browser and
test_review_ui_investigation_browser (skipped with them where Chromium or
Playwright is absent)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from test_review_ui_browser import browser, expect, log_in, open_tab  # noqa: F401 - browser is a fixture
from test_review_ui_investigation_browser import shot, shots  # noqa: F401 - shots is a fixture

from investigation_world import PHONE, populate
from review_ui_world import FAST_ARGON2, NO_THROTTLE, PASSWORD, SECRET, USERS, serving

from index.models import Source
from review_ui.app import create_app
from review_ui.passwords import Argon2Params, Passwords
from review_ui.settings import get_ui_settings

from flows.settings import get_flow_settings
from flows.ui_operations import FlowsOperations
from flows.wiring import build_parts

pytestmark = pytest.mark.e2e


@dataclass
class World:
    base_url: str
    store: object


def _runs(store) -> None:  # type: ignore[no-untyped-def]
    """A healthy board, a broken feed, a late board, a paused one; two alerts."""
    store.upsert_source("chotot-viec-lam", "classifieds", "https://www.chotot.com/viec-lam", schedule_cron="*/30 * * * *")
    store.upsert_source("rss-tuyen-dung", "rss", "https://tuyendung.example.vn/rss", schedule_cron="0 */2 * * *")
    store.upsert_source("nhom-facebook", "classifieds", "https://groups.example.vn/", schedule_cron="*/10 * * * *")
    store.upsert_source("kenh-telegram", "rss", "https://tg.example.vn/feed", schedule_cron="0 6 * * *")
    store.set_paused("kenh-telegram", True)
    for source, status, new, errors in (
            ("chotot-viec-lam", "completed", 12, []), ("rss-tuyen-dung", "completed", 4, []),
            ("rss-tuyen-dung", "failed", 0, ["HTTP 503 from tuyendung.example.vn after 3 retries"])):
        run = store.start_run(source)
        store.finish_run(run, status=status, pages_fetched=14, posts_new=new, posts_changed=2, posts_unchanged=30,
                         flagged=min(new, 3), errors=errors, stats={"item_scraped_count": new + 32,
                                                                     "downloader/response_status_count/200": 14})
    with store.engine.begin() as conn:
        conn.execute(sa.update(Source).where(Source.name == "nhom-facebook")
                     .values(created_at=datetime.now(timezone.utc) - timedelta(hours=3)))
    for n, (status, recipient) in enumerate((("sent", "https://canhbao.example.vn/hook"), ("failed", "trucban@example.vn"))):
        key = f"score:post:{n + 1}"
        store.claim_alert(key=key, rule="score" if n == 0 else "minor_risk", channel="webhook" if n == 0 else "email",
                          recipient=recipient, subject="Tuyển gấp việc nhẹ lương cao tại Campuchia", payload={}, post_id=1)
        store.finish_alert(key=key, channel="webhook" if n == 0 else "email", recipient=recipient, status=status,
                           attempts=1, error="" if status == "sent" else "SMTP 451: try again later")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    root = tmp_path_factory.mktemp("ops_browser")
    parts = build_parts(get_flow_settings(var_dir=root / "var"))
    hashed = Passwords(Argon2Params(FAST_ARGON2["argon2_time_cost"], FAST_ARGON2["argon2_memory_kib"],
                                    FAST_ARGON2["argon2_parallelism"])).hash(PASSWORD)
    for name, role in USERS.items():
        parts.store.add_user(name, hashed, role)
    populate(parts.store, parts.search, root / "evidence")
    _runs(parts.store)
    settings = get_ui_settings(secret_key=SECRET, evidence_dir=root / "evidence", **FAST_ARGON2, **NO_THROTTLE)
    app = create_app(settings, parts.store, parts.search, operations=FlowsOperations(parts))
    with socket.socket() as sock:  # a port nobody listens on: no Prefect server
        sock.bind(("127.0.0.1", 0))
        nobody = sock.getsockname()[1]
    with temporary_settings({PREFECT_API_URL: f"http://127.0.0.1:{nobody}/api"}), serving(app) as base_url:
        yield World(base_url=base_url, store=parts.store)


def test_an_operator_reads_the_operations_page_and_pauses_a_source(browser, world: World, shots: Path) -> None:  # noqa: F811
    with open_tab(browser, world) as tab:
        page = tab.page
        log_in(tab, "olga", PASSWORD)
        expect(page).to_have_url(f"{world.base_url}/operations")
        expect(page.locator("table.ops-sources tbody tr")).to_have_count(4)
        expect(page.locator("tr[data-source='rss-tuyen-dung'] .health.broken")).to_contain_text("HTTP 503")
        expect(page.locator("tr[data-source='nhom-facebook'] .health.late")).to_contain_text("3 h")
        expect(page.locator("tr[data-source='kenh-telegram'] .tag.paused")).to_be_visible()
        expect(page.locator("table.ops-alerts tbody tr")).to_have_count(2)
        shot(page, shots, "11c-ops-01-operations.png")

        page.locator("tr[data-source='chotot-viec-lam'] form[action$='/pause'] button").click()
        expect(page.locator("p.ops-result")).to_contain_text(
            "source 'chotot-viec-lam' paused; the Prefect server is not running")
        expect(page.locator("tr[data-source='chotot-viec-lam'] form[action$='/resume'] button")).to_be_visible()
        assert world.store.get_source("chotot-viec-lam").paused
        shot(page, shots, "11c-ops-02-paused.png")

        page.locator("tr[data-source='rss-tuyen-dung'] a").first.click()
        expect(page.locator("table.ops-runs tbody tr")).to_have_count(2)
        page.locator("form[action$='/run'] button").click()
        expect(page.locator("p.ops-refused")).to_contain_text("does not answer")
        page.locator("table.ops-runs tr.run-failed details summary").click()
        shot(page, shots, "11c-ops-03-source-runs.png")

        page.goto("/operations?lang=en")
        expect(page.locator("h1")).to_have_text("Crawl operations")
        shot(page, shots, "11c-ops-04-operations-en.png")


def test_an_investigator_watches_values_from_the_watchlist_and_an_entity_page(browser, world: World, shots: Path) -> None:  # noqa: F811
    with open_tab(browser, world) as tab:
        page = tab.page
        log_in(tab, "ivan", PASSWORD)
        expect(page).to_have_url(f"{world.base_url}/")
        page.locator("header nav a[href='/watchlist']").click()
        form = page.locator("form.watch-add")
        form.locator("select[name=kind]").select_option("bank")
        form.locator("input[name=value]").fill("Vietcombank 0123 456 789")
        form.locator("input[name=note]").fill("Nhận cọc XKLĐ Nhật Bản")
        form.locator("button").click()
        expect(page.locator("p.notice[role=status]")).to_have_text("Đã thêm vào danh sách theo dõi.")
        form.locator("select[name=kind]").select_option("ewallet")
        form.locator("input[name=value]").fill("MoMo 0987 654 321")
        form.locator("button").click()
        expect(page.locator("table.watchlist tbody tr")).to_have_count(2)
        expect(page.locator("table.watchlist")).to_contain_text("VCB:0123456789")
        shot(page, shots, "11c-ops-05-watchlist.png")

        page.goto(f"/entities/phone/{quote(PHONE, safe='')}")
        page.locator("form[action='/watchlist'] button").click()
        expect(page).to_have_url(f"{world.base_url}/entities/phone/{quote(PHONE, safe='')}")
        expect(page.locator("h1.entity .tag.watched")).to_have_text("Đang theo dõi")
        shot(page, shots, "11c-ops-06-entity-watched.png")
        assert "SCRIPT RAN" not in page.title() and tab.dialogs == []
