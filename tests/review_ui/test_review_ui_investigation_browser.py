"""The investigator's journey in a real headless Chromium against a real uvicorn on 127.0.0.1:
search -> entity page -> network -> case -> dossier export, with a screenshot of each page kept
as a test artifact (under $LUREWATCH_SCREENSHOTS, else the test's tmp_path). Scraped <script>
and onerror= in a post's title and text run nothing on any of these pages.

Reuses the browser, tab and server helpers of test_review_ui_browser (skipped with it where
Chromium or Playwright is absent).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_review_ui_browser import Tab, assert_png, browser, expect, log_in, open_tab  # noqa: F401 - browser is a fixture

from investigation_world import populate
from journey_steps import search_entity_network_case_dossier
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

        search_entity_network_case_dossier(page, world.base_url, world.ids["campuchia"],
                                           lambda page, name: shot(page, shots, f"11b-{name}.png"),
                                           lambda: untouched(tab, page))

        page.goto("/cases")
        expect(page.locator("table.cases tbody tr")).to_have_count(1)
        shot(page, shots, "11b-06-cases.png")
        events = [e.action for e in world.store.list_audit(limit=200)]
        for action in ("search", "saved_search.save", "view_entity", "view_network", "view_cases", "case.create",
                       "case.add_posts", "case.note", "case.status", "export.dossier"):
            assert action in events, action
