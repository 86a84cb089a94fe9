"""The whole team's journey in one real headless Chromium against a real uvicorn on 127.0.0.1, on
one store: a reviewer logs in, works the queue by keyboard (a decision, a referral), a second
reviewer confirms the referral; an investigator searches, opens the phone's entity page and its
network, makes a case and exports its dossier (every manifest hash checked); then an admin reads
the dashboard (the decisions counted against the goals) and the audit page (each of those actions,
by whom), and exports the audit as CSV.

Screenshots of every page under $LUREWATCH_SCREENSHOTS (else the test's tmp_path), named full_*.png.
The steps are journey_steps' (shared with the reviewers' and the investigator's journeys).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_review_ui_browser import assert_png, browser, expect  # noqa: F401 - browser is a fixture

from investigation_world import populate
from journey_steps import keyboard_decision_and_referral, new_page, search_entity_network_case_dossier, sign_in
from review_ui_world import USERS, Clock, build_app, open_world, serving

pytestmark = pytest.mark.e2e
pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("full_journey")
    store, search = open_world(root, {**USERS, "bob": "reviewer"})
    evidence = root / "evidence"
    ids = populate(store, search, evidence)
    with serving(build_app(store, search, Clock(), evidence_dir=evidence)) as base_url:
        yield {"base_url": base_url, "store": store, "ids": ids}


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LUREWATCH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_review_investigate_then_dashboard_and_audit(browser, world, shots: Path) -> None:  # noqa: F811
    store, ids, base_url = world["store"], world["ids"], world["base_url"]
    taken: list[str] = []

    def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = shots / f"full_{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert_png(path)
        taken.append(path.name)
        return path

    # Reviewers: alice decides the second row by keyboard and refers the next; bob confirms.
    rows, decided, referred = keyboard_decision_and_referral(browser, base_url, store, shot)
    # campuchia was decided before (populate): the phone's network first, newest first.
    assert rows[:3] == [ids["hostile"], ids["xkld"], ids["task"]] and (decided, referred) == (ids["xkld"], ids["task"])

    # The investigator, on the same store.
    context, page, dialogs, errors = new_page(browser, base_url)
    sign_in(page, "ivan")

    def untouched() -> None:
        assert dialogs == [] and "SCRIPT RAN" not in page.title()

    search_entity_network_case_dossier(page, base_url, ids["campuchia"], lambda p, name: shot(p, f"inv_{name}"),
                                       untouched)
    assert errors == []
    context.close()

    # The admin: the dashboard counts those decisions against the goals.
    context, page, dialogs, errors = new_page(browser, base_url)
    sign_in(page, "ana")
    page.locator("header a[href='/dashboard']").click()
    expect(page.locator("h1")).to_have_text("Tổng quan tiếp nhận và xử lý tin")
    counts = {term: page.locator(f"dd[data-term={term}]").inner_text()
              for term in ("received", "classified", "to_review", "triaged", "resolved", "pending")}
    assert counts == {"received": "5", "classified": "5", "to_review": "4", "triaged": "3", "resolved": "3",
                      "pending": "1"}  # the four lures: campuchia, xkld, task resolved; the hostile one waits
    expect(page.locator("p[data-goal=resolve]")).to_contain_text("75.0%")
    expect(page.locator("p[data-goal=resolve]")).to_have_class(re.compile(r"\bmissed\b"))
    expect(page.locator("figure.chart svg")).to_have_count(3)
    expect(page.locator("figure.shares svg rect.col")).to_have_count(24)  # 12 weeks, two shares each
    expect(page.locator(".dash-definitions dl dt")).to_have_count(6)
    shot(page, "mgr_01_dashboard")

    # ... and the audit page shows who did each of those actions.
    page.locator("header a[href='/audit']").click()
    expect(page.locator("h1")).to_have_text("Nhật ký truy cập và thao tác")
    shot(page, "mgr_02_audit")
    seen: dict[str, set[str]] = {}
    for action, user, target in (
        ("view_queue", "alice", "queue:queue"),
        ("review.decision", "alice", f"post:{decided}"),
        ("review.referral_confirmed", "bob", f"post:{referred}"),
        ("search", "ivan", "dat coc"),
        ("view_entity", "ivan", "entity:phone:"),
        ("view_network", "ivan", ""),
        ("case.create", "ivan", "case:"),
        ("export.dossier", "ivan", "case:"),
        ("view_dashboard", "ana", "dashboard"),
    ):
        page.locator("form.audit-filter input[name=user]").fill(user)
        page.locator("form.audit-filter select[name=action]").select_option(action)
        page.locator("form.audit-filter button[type=submit]").click()
        found = page.locator("table.audit-log tbody tr")
        expect(found.first).to_be_visible()
        seen[action] = set(found.locator("td.target").all_inner_texts())
        assert any(t.startswith(target) for t in seen[action]), (action, seen[action])
        if action == "review.decision":
            shot(page, "mgr_03_audit_filtered")

    # The filtered audit as CSV, downloaded as a browser does: UTF-8 with a BOM, and itself audited.
    with page.expect_download() as info:
        page.locator("form.audit-filter a.button").click()
    saved = shots / "full_mgr_04_audit.csv"
    info.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    exported = list(csv.DictReader(io.StringIO(text[1:])))
    assert exported and {(r["username"], r["action"]) for r in exported} == {("ana", "view_dashboard")}
    page.goto("/audit?action=export.audit_csv")
    expect(page.locator("table.audit-log tbody tr")).to_have_count(1)
    expect(page.locator("table.audit-log tbody tr td").nth(1)).to_have_text("ana")
    shot(page, "mgr_05_audit_export_audited")
    assert dialogs == [] and errors == []
    context.close()
    print("screenshots:", ", ".join(taken))
