"""The investigator's journey in a real headless Chromium against a real uvicorn on 127.0.0.1:
search -> entity page -> network -> case -> dossier export, with a screenshot of each page kept
as a test artifact (under $LUREWATCH_SCREENSHOTS, else the test's tmp_path). Scraped <script>
and onerror= in a post's title and text run nothing on any of these pages.

Reuses the browser, tab and server helpers of test_review_ui_browser (skipped with it where
Chromium or Playwright is absent).
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from test_review_ui_browser import Tab, assert_png, browser, expect, log_in, open_tab  # noqa: F401 - browser is a fixture

from investigation_world import MOMO, PHONE, populate
from review_ui_world import PASSWORD, USERS, Clock, build_app, open_world, serving

pytestmark = pytest.mark.e2e
pypdf = pytest.importorskip("pypdf")


@dataclass
class World:
    base_url: str
    store: object
    ids: dict[str, int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("investigation_browser")
    store, search = open_world(root, USERS)
    evidence = root / "evidence"
    ids = populate(store, search, evidence)
    with serving(build_app(store, search, Clock(), evidence_dir=evidence)) as base_url:
        yield World(base_url=base_url, store=store, ids=ids)


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LUREWATCH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, folder: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = folder / name
    page.screenshot(path=str(path), full_page=True)
    assert_png(path)
    return path


def untouched(tab: Tab, page) -> None:  # type: ignore[no-untyped-def]
    """No scraped script ran: no dialog, the page's title is still ours."""
    assert tab.dialogs == []
    assert "SCRIPT RAN" not in page.title()


def test_search_entity_network_case_dossier(browser, world: World, shots: Path) -> None:  # noqa: F811
    with open_tab(browser, world) as tab:
        page = tab.page
        log_in(tab, "ivan", PASSWORD)
        expect(page).to_have_url(f"{world.base_url}/")

        # Search, narrowed by an e-wallet through the entity filter form, then saved.
        page.goto("/search")
        page.locator("form.search input[name=q]").fill("dat coc")
        page.locator("form.search button").click()
        expect(page.locator("ol.hits > li")).to_have_count(2)
        page.locator("form.entity-filter select[name=fk]").select_option("ewallet")
        page.locator("form.entity-filter input[name=fv]").fill("momo:0987.654.321")
        page.locator("form.entity-filter button").click()
        expect(page.locator("form.search input[name=q]")).to_have_value("dat coc ewallet:momo:0987.654.321")
        expect(page.locator("ol.hits > li")).to_have_count(1)
        page.locator("form.save-search input[name=name]").fill("Cọc qua Momo")
        page.locator("form.save-search button").click()
        expect(page.locator(".saved-searches li a")).to_have_text("Cọc qua Momo")
        shot(page, shots, "11b-01-search.png")
        untouched(tab, page)

        # From a hit to the phone's entity page.
        page.locator("form.search input[name=q]").fill("dat coc")
        page.locator("form.search button").click()
        page.locator(f"li[data-post='{world.ids['campuchia']}'] a.entity-link").first.click()
        expect(page).to_have_url(f"{world.base_url}/entities/phone/{quote(PHONE, safe='')}")
        expect(page.locator("h1.entity .value")).to_have_text(PHONE)
        expect(page.locator("table.posts tbody tr")).to_have_count(3)  # the hostile post among them
        expect(page.locator("ul.co-entities")).to_contain_text(MOMO)
        shot(page, shots, "11b-02-entity.png")
        untouched(tab, page)

        # The network of every post of that phone: the MoMo wallet brings in the task scam.
        page.locator("a.button", has_text="Xem mạng lưới").click()
        expect(page.locator("svg.network-svg")).to_be_visible()
        expect(page.locator("svg a.node-post")).to_have_count(4)
        expect(page.locator(f"svg a[data-key='ewallet:{MOMO}']")).to_have_count(1)
        box = page.locator("svg.network-svg").bounding_box()
        assert box and box["width"] > 600 and box["height"] > 350  # drawn at a readable size
        shot(page, shots, "11b-03-network.png")
        untouched(tab, page)

        # All of it into a new case.
        form = page.locator("form#network-add")
        form.locator("input[name=new_title]").fill("Đường dây lừa đảo đi Campuchia")
        form.locator("button").click()
        expect(page.locator("p.notice[role=status]")).to_contain_text("Đã thêm 4 tin")
        page.locator("textarea[name=text]").fill("Nạn nhân báo lương không được trả, bị giữ hộ chiếu.")
        page.locator("form[action$='/notes'] button").click()
        expect(page.locator("ol.notes li")).to_have_count(1)
        page.locator("select[name=status]").select_option("referred")
        page.locator("form[action$='/status'] button").click()
        expect(page.locator("h1 .case-status")).to_have_text("Đã chuyển cơ quan điều tra")
        shot(page, shots, "11b-04-case.png")
        untouched(tab, page)

        # The dossier, downloaded as a browser does.
        with page.expect_download() as info:
            page.locator("a.export").click()
        download = info.value
        saved = shots / "11b-05-dossier.zip"
        download.save_as(saved)
        archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
        [manifest] = [n for n in archive.namelist() if n.endswith("MANIFEST.sha256")]
        folder = manifest.rsplit("/", 1)[0] + "/"
        for line in archive.read(manifest).decode().splitlines():
            sha, path = line.split("  ", 1)
            assert hashlib.sha256(archive.read(folder + path)).hexdigest() == sha, path
        pdf = pypdf.PdfReader(io.BytesIO(archive.read(folder + "dossier.pdf")))
        text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        for phrase in ("Đường dây lừa đảo đi Campuchia", "đặt cọc 2 triệu", "lương", "bị giữ hộ chiếu"):
            assert phrase in text, phrase
        (shots / "11b-05-dossier.pdf").write_bytes(archive.read(folder + "dossier.pdf"))

        page.goto("/cases")
        expect(page.locator("table.cases tbody tr")).to_have_count(1)
        shot(page, shots, "11b-06-cases.png")
        events = [e.action for e in world.store.list_audit(limit=200)]
        for action in ("search", "saved_search.save", "view_entity", "view_network", "view_cases", "case.create",
                       "case.add_posts", "case.note", "case.status", "export.dossier"):
            assert action in events, action
