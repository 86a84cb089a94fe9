"""Steps of the browser journeys, shared by the reviewers' journey (test_review_ui_journey), the
investigator's (test_review_ui_investigation_browser) and the whole team's
(test_review_ui_full_journey), so that each step is written once.

Every step takes a Playwright page (or the browser, when it needs two people at two computers),
does what a user does, checks what they would see, and screenshots each page through `shot(page,
name)`.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, Page, expect

from investigation_world import MOMO, PHONE
from review_ui_world import PASSWORD

Shot = Callable[[Page, str], Path]


def new_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page, list[str], list[str]]:
    """A fresh browser context (one more person at one more computer): its page, and the dialogs and
    page errors it met."""
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, dialogs, errors


def sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator("header .who strong")).to_have_text(name)


def queue_rows(page: Page) -> list[int]:
    return [int(x) for x in page.locator("table.queue tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-post'))")]


def current(page: Page, post_id: int) -> None:
    expect(page.locator(f"tr[data-post='{post_id}']")).to_have_class(re.compile(r"\bcurrent\b"))


def keyboard_decision_and_referral(browser: Browser, base_url: str, store, shot: Shot,  # type: ignore[no-untyped-def]
                                   reviewer: str = "alice", second: str = "bob") -> tuple[list[int], int, int]:
    """Login → queue → j, 1: the second row decided a lure by keyboard (with a note) → 3: the next
    row referred to investigation → a second reviewer confirms that referral from the escalations
    tab. Returns (the queue's rows at first, the decided post, the referred post)."""
    context, page, dialogs, errors = new_page(browser, base_url)
    page.goto("/login")
    shot(page, "01_login")
    sign_in(page, reviewer)
    expect(page.locator("h1")).to_have_text("Tin bị gắn cờ chờ xét duyệt")
    rows = queue_rows(page)
    decided, referred = rows[1], rows[2]
    current(page, rows[0])
    shot(page, "02_queue")

    page.keyboard.press("?")
    expect(page.locator("#keys-help")).to_be_visible()
    shot(page, "03_keys_help")
    page.keyboard.press("Escape")
    expect(page.locator("#keys-help")).to_be_hidden()

    # j moves to the second row; 1 opens the decision dialog on it with "lure" and a reason.
    page.keyboard.press("j")
    current(page, decided)
    page.keyboard.press("1")
    dialog = page.locator("#decide-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[name=decision][value=lure]")).to_be_checked()
    expect(dialog.locator("select.reason")).to_have_value("job_abroad_high_pay")
    expect(dialog.locator(".row-title")).to_have_text(store.get_post(decided).title)
    page.keyboard.press("n")
    page.keyboard.type("Lừa sang Campuchia")
    shot(page, "04_decision_dialog")
    page.locator("#decide-dialog select.reason").focus()
    page.keyboard.press("Enter")  # recorded through htmx: only the queue table is swapped
    expect(page.locator("#queue-table .notice.decided")).to_have_text("Đã ghi nhận cho 1 tin.")
    expect(page.locator(f"tr[data-post='{decided}']")).to_have_count(0)
    assert store.get_post(decided).status == "confirmed"
    review = store.get_post(decided).reviews[-1]
    assert (review.username, review.reason, review.note) == (reviewer, "job_abroad_high_pay", "Lừa sang Campuchia")
    current(page, referred)  # the cursor stayed at the same position: now the next post
    shot(page, "05_queue_after_decision")

    # 3 refers the current post to investigation: it waits for a second reviewer.
    page.keyboard.press("3")
    expect(page.locator("#decide-dialog select.reason")).to_have_value("trafficking_suspected")
    expect(page.locator("#decide-dialog textarea[name=note]")).to_have_value("")  # not the last row's note
    page.locator("#decide-dialog select.reason").select_option("organised_network")
    page.locator("#decide-dialog select.reason").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"tr[data-post='{referred}']")).to_have_count(0)
    assert store.get_post(referred).status == "referral_pending"

    page.goto(f"/posts/{referred}")
    expect(page.locator("section.referral .own-referral")).to_have_text("Cần một người xét duyệt khác xác nhận.")
    expect(page.locator("form.referral-confirm")).to_have_count(0)
    assert dialogs == [] and errors == []
    context.close()

    context, page, dialogs, errors = new_page(browser, base_url)
    sign_in(page, second)
    page.locator("header a[href='/?tab=escalations']").click()
    expect(page.locator("nav.tabs a.current")).to_contain_text("Chuyển điều tra")
    expect(page.locator(f"tr[data-post='{referred}'] .badge.status")).to_have_text(
        "Chờ người thứ hai xác nhận chuyển điều tra")
    shot(page, "06_escalations")
    page.locator(f"tr[data-post='{referred}'] a[href='/posts/{referred}']").click()
    expect(page.locator("section.referral")).to_contain_text(f"Đề nghị bởi {reviewer}")
    shot(page, "07_referral_to_confirm")
    page.locator("form.referral-confirm textarea[name=note]").fill("Đồng ý chuyển")
    page.locator("form.referral-confirm button[type=submit]").click()
    expect(page.locator("dd.status")).to_have_text("Đã chuyển điều tra")
    expect(page.locator("ol.reviews li[data-decision=confirm_referral] .reviewer")).to_have_text(second)
    shot(page, "08_referral_confirmed")
    assert store.get_post(referred).status == "escalated"
    assert dialogs == [] and errors == []
    context.close()
    return rows, decided, referred


def search_entity_network_case_dossier(page: Page, base_url: str, campuchia: int, shot: Shot,
                                       untouched: Callable[[], None]) -> Path:
    """On investigation_world's posts: search (narrowed by an e-wallet, saved) → the phone's entity
    page → its network → a new case with a note, referred → the dossier downloaded, every hash of
    its manifest checked and its PDF's Vietnamese text read. Returns the saved PDF."""
    import pypdf

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
    shot(page, "01-search")
    untouched()

    # From a hit to the phone's entity page.
    page.locator("form.search input[name=q]").fill("dat coc")
    page.locator("form.search button").click()
    page.locator(f"li[data-post='{campuchia}'] a.entity-link").first.click()
    expect(page).to_have_url(f"{base_url}/entities/phone/{quote(PHONE, safe='')}")
    expect(page.locator("h1.entity .value")).to_have_text(PHONE)
    expect(page.locator("table.posts tbody tr")).to_have_count(3)  # the hostile post among them
    expect(page.locator("ul.co-entities")).to_contain_text(MOMO)
    shot(page, "02-entity")
    untouched()

    # The network of every post of that phone: the MoMo wallet brings in the task scam.
    page.locator("a.button", has_text="Xem mạng lưới").click()
    expect(page.locator("svg.network-svg")).to_be_visible()
    expect(page.locator("svg a.node-post")).to_have_count(4)
    expect(page.locator(f"svg a[data-key='ewallet:{MOMO}']")).to_have_count(1)
    box = page.locator("svg.network-svg").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 350  # drawn at a readable size
    shot(page, "03-network")
    untouched()

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
    shot(page, "04-case")
    untouched()

    # The dossier, downloaded as a browser does; every hash of its manifest checked.
    with page.expect_download() as info:
        page.locator("a.export").click()
    saved = shot(page, "05-dossier").with_suffix(".zip")  # the case page it was exported from, then the file
    info.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    [manifest] = [n for n in archive.namelist() if n.endswith("MANIFEST.sha256")]
    top = manifest.rsplit("/", 1)[0] + "/"
    for line in archive.read(manifest).decode().splitlines():
        sha, path = line.split("  ", 1)
        assert hashlib.sha256(archive.read(top + path)).hexdigest() == sha, path
    pdf = pypdf.PdfReader(io.BytesIO(archive.read(top + "dossier.pdf")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for phrase in ("Đường dây lừa đảo đi Campuchia", "đặt cọc 2 triệu", "lương", "bị giữ hộ chiếu"):
        assert phrase in text, phrase
    pdf_path = saved.with_suffix(".pdf")
    pdf_path.write_bytes(archive.read(top + "dossier.pdf"))
    return pdf_path
