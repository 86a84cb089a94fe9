"""The reviewers' pages over a real Store on a temp SQLite file (TestClient, the app's own clock):
queue tabs, filters and near-duplicate rows, claims, keyboard-dialog and bulk decisions, the
second reviewer's confirmation, reopening, and the bounded post page."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from review_ui_world import Clock, build_app, csrf_of, log_in, open_world

from classifier.entities import __doc__ as ENTITIES_DOC
from classifier.gazetteer import PLACES
from classifier.signals import CATEGORIES, COUNTER
from index.decisions import DECISIONS, REASONS
from index.document import PostIn
from index.queue import TABS
from index.search.docfields import STATUSES
from review_ui.i18n import CATALOGUE

USERS = {"alice": "reviewer", "bob": "reviewer", "ivan": "investigator", "olga": "operator", "ana": "admin"}
DUP = ("Tuyển gấp 20 bạn nam nữ làm việc nhẹ lương cao tại Campuchia, bao ăn ở, bao vé máy bay, lương từ 25 "
       "đến 30 triệu mỗi tháng, không cần kinh nghiệm, không cần bằng cấp, xuất cảnh nhanh trong tuần.")
PHRASE = "việc nhẹ lương cao"


def unique_text(n: int) -> str:
    return " ".join(f"w{n * 7919 + i * 104729:x}" for i in range(40))


def make(clock: Clock, n: int, *, score: float = 0.9, is_lure: bool = True, minor: bool = False, text: str | None = None,
         phone: str | None = None, source: str = "board-a", categories: tuple[str, ...] = ("fake-export-labour",),
         title: str | None = None, signals: tuple = (), sha: str | None = None, destination: str | None = None) -> PostIn:
    title = title or f"Tin tuyển dụng {n}"
    text = unique_text(n) if text is None else f"{text} Mã {n}."
    entities = []
    combined = f"{title}\n{text}"
    if phone:
        at = combined.find(phone)
        entities.append({"kind": "phone", "value": "+84" + phone[1:], "start": max(at, 0),
                         "end": max(at, 0) + len(phone), "raw": phone})
    if destination:
        entities.append({"kind": "destination", "value": destination, "start": 0, "end": 1, "raw": destination})
    if not signals and PHRASE in combined:
        at = combined.index(PHRASE)
        signals = ({"id": "high_pay_easy_work", "label_vi": "Việc nhẹ lương cao", "label_en": "Easy work, high pay",
                    "category": "abroad-casino/scam-compound", "start": at, "end": at + len(PHRASE), "phrase": PHRASE,
                    "weight": 2.0},)
    url = f"https://vieclam.example.vn/tin/{n}"
    return PostIn(source=source, url=url, canonical_url=url, title=title, text=text, posted_at=None,
                  fetched_at=clock.now - timedelta(days=30 - n), raw_sha256=sha or f"{n:064x}", score=score,
                  is_lure=is_lure, threshold=0.5, model_version="m1", signals=list(signals), entities=entities,
                  categories=list(categories), minor_risk=minor, priority=(4 if minor else 1) if is_lure else 0)


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, USERS)
    clock = Clock()
    evidence = tmp_path / "evidence"

    def client(**overrides) -> TestClient:  # type: ignore[no-untyped-def]
        return TestClient(build_app(store, search, clock, evidence_dir=evidence, **overrides),
                          base_url="http://127.0.0.1")

    def post(*posts: PostIn) -> list[int]:
        ids = store.upsert_posts(list(posts)).post_ids
        search.index_posts(store.search_docs(ids))
        store.mark_indexed(ids)
        return ids

    return {"store": store, "search": search, "clock": clock, "client": client, "post": post, "evidence": evidence}


def signed_in(world, name: str, **overrides) -> TestClient:  # type: ignore[no-untyped-def]
    client = world["client"](**overrides)
    assert log_in(client, name).status_code == 303
    return client


def token(client: TestClient, path: str = "/account/totp") -> str:
    return csrf_of(client.get(path).text)


def queue_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-post="(\d+)"', html)]


def events(store, action: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in reversed(store.list_audit(limit=500)) if e.action == action]


# -- the queue ------------------------------------------------------------------------------------------

def test_queue_rows_collapse_near_duplicates_and_say_who_reviews(world):
    clock = world["clock"]
    a, b, c, d = world["post"](make(clock, 1, text=DUP), make(clock, 2, text=DUP), make(clock, 3, text=DUP),
                               make(clock, 4, score=0.95, minor=True))
    world["store"].claim([d], "bob", clock.now, 900)
    alice = signed_in(world, "alice")
    page = alice.get("/")
    assert page.status_code == 200
    assert queue_ids(page.text)[0] == d  # minor risk first
    assert len(queue_ids(page.text)) == 2 and set(queue_ids(page.text)) & {a, b, c}
    assert "+2 tin gần giống" in page.text
    assert "2 dòng, 4 tin" in page.text
    assert "bob đang xét" in page.text
    view = events(world["store"], "view_queue")[-1]
    assert view.username == "alice" and view.detail["rows"] == 2 and view.detail["posts"] == 4


def test_queue_tabs_and_filters_by_url(world):
    clock = world["clock"]
    a, b, c, d = world["post"](
        make(clock, 1, source="board-a", destination="KH:Sihanoukville"),
        make(clock, 2, source="board-b", categories=("online-task/CTV-scam",)),
        make(clock, 3, score=0.45, is_lure=False),  # near the threshold: only in "uncertain"
        make(clock, 4, minor=True, categories=("minor-targeting",)),
    )
    alice = signed_in(world, "alice")
    assert set(queue_ids(alice.get("/").text)) == {a, b, d}
    assert queue_ids(alice.get("/?tab=uncertain").text) == [c]
    assert queue_ids(alice.get("/?source=board-b").text) == [b]
    assert queue_ids(alice.get("/?category=online-task%2FCTV-scam").text) == [b]
    assert queue_ids(alice.get("/?destination=KH").text) == [a]
    assert queue_ids(alice.get("/?minor=1").text) == [d]
    since = (clock.now - timedelta(days=26)).date().isoformat()  # posts 1-3 were found earlier
    assert queue_ids(alice.get(f"/?since={since}").text) == [d]
    english = alice.get("/?tab=uncertain&lang=en").text
    assert "Uncertain" in english and "decisions made here go first into the retraining data" in english
    for bad in ("/?tab=everything", "/?since=hôm-qua", "/?minor=maybe", "/?page=0"):
        assert alice.get(bad).status_code == 400, bad


def test_htmx_gets_the_queue_table_alone(world):
    world["post"](make(world["clock"], 1))
    alice = signed_in(world, "alice")
    part = alice.get("/?source=board-a", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert part.text.lstrip().startswith('<div id="queue-table">') and "<html" not in part.text
    assert "<html" in alice.get("/?source=board-a").text


def test_keyboard_dialog_decides_a_near_duplicate_group_and_returns_to_the_queue(world):
    clock, store = world["clock"], world["store"]
    a, b, c = world["post"](make(clock, 1, text=DUP), make(clock, 2, text=DUP), make(clock, 3))
    alice = signed_in(world, "alice")
    page = alice.get("/?source=board-a")
    row = next(i for i in queue_ids(page.text) if i in (a, b))  # the group's row
    response = alice.post(f"/posts/{row}/decision", data={
        "decision": "lure", "reason": "job_abroad_high_pay", "note": "", "group": "1", "next": "/?source=board-a",
        "source": "board-a", "tab": "queue", "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?source=board-a&decided=2"
    assert store.get_post(a).status == store.get_post(b).status == "confirmed"
    assert store.get_post(c).status == "new"
    after = alice.get(response.headers["location"])
    assert "Đã ghi nhận cho 2 tin." in after.text and queue_ids(after.text) == [c]
    assert [e.detail["via"] for e in events(store, "review.decision")] == ["group", "group"]


def test_bulk_decision_on_a_selection_states_the_count_then_decides(world):
    clock, store = world["clock"], world["store"]
    a, b, c, d = world["post"](make(clock, 1, text=DUP), make(clock, 2, text=DUP), make(clock, 3), make(clock, 4))
    alice = signed_in(world, "alice")
    page = alice.get("/")
    rows = {i for i in queue_ids(page.text) if i in (a, b)} | {c}
    form = {"decision": "not_lure", "reason": "spam_or_duplicate", "note": "", "scope": "selected",
            "csrf_token": csrf_of(page.text)}
    preview = alice.post("/queue/bulk", data={**form, "post": sorted(rows)})
    assert preview.status_code == 200
    assert "«Không phải lừa đảo» (lý do: Rác hoặc trùng lặp) cho 3 tin (2 dòng)" in preview.text
    assert store.get_post(a).status == "new"  # nothing decided by the preview
    applied = alice.post("/queue/bulk/apply", data={**form, "post": sorted(rows), "expected": "3"},
                         follow_redirects=False)
    assert applied.status_code == 303 and applied.headers["location"] == "/?decided=3"
    assert [store.get_post(p).status for p in (a, b, c, d)] == ["dismissed", "dismissed", "dismissed", "new"]
    bulk = events(store, "review.bulk")[-1]
    assert bulk.detail["decided"] == 3 and bulk.detail["scope"] == "selected" and bulk.detail["rows"] == 2
    assert len(events(store, "review.decision")) == 3 and events(store, "view_bulk_confirmation")


def test_bulk_decision_on_a_filter_reconfirms_when_the_queue_moved(world):
    clock, store = world["clock"], world["store"]
    ids = world["post"](*(make(clock, n, source="spam-board") for n in range(1, 5)), make(clock, 9))
    alice = signed_in(world, "alice")
    page = alice.get("/?source=spam-board")
    assert "Quyết định cho tất cả 4 tin khớp bộ lọc" in page.text
    form = {"decision": "not_lure", "reason": "spam_or_duplicate", "note": "", "scope": "filter",
            "source": "spam-board", "csrf_token": csrf_of(page.text)}
    assert "cho 4 tin (4 dòng)" in alice.post("/queue/bulk", data=form).text
    world["post"](make(clock, 5, source="spam-board"))  # one more arrives before the confirmation
    moved = alice.post("/queue/bulk/apply", data={**form, "expected": "4"})
    assert moved.status_code == 409 and "nay có 5 tin khớp" in moved.text
    assert store.get_post(ids[0]).status == "new"
    done = alice.post("/queue/bulk/apply", data={**form, "expected": "5"}, follow_redirects=False)
    assert done.headers["location"] == "/?source=spam-board&decided=5"
    assert store.get_post(ids[4]).status == "new"  # another source: untouched


def test_bulk_refusals(world):
    clock = world["clock"]
    world["post"](make(clock, 1), make(clock, 2))
    alice = signed_in(world, "alice", bulk_max=1)
    page = alice.get("/")
    form = {"decision": "lure", "reason": "task_scam", "scope": "filter", "csrf_token": csrf_of(page.text)}
    assert "Quá 1 tin" in alice.post("/queue/bulk", data=form).text
    assert alice.post("/queue/bulk", data={**form, "scope": "selected"}).status_code == 400  # nothing selected
    assert alice.post("/queue/bulk", data={**form, "reason": "legitimate_employer"}).status_code == 400
    other = alice.post("/queue/bulk", data={**form, "reason": "other", "post": "1", "scope": "selected"})
    assert other.status_code == 400 and "Lý do «Khác» cần có ghi chú." in other.text


# -- decisions on the post page --------------------------------------------------------------------------

def test_referral_needs_a_second_different_reviewer(world):
    clock, store = world["clock"], world["store"]
    (pid,) = world["post"](make(clock, 1))
    alice, bob = signed_in(world, "alice"), signed_in(world, "bob")
    page = alice.get(f"/posts/{pid}")
    escalated = alice.post(f"/posts/{pid}/decision", data={
        "decision": "escalate", "reason": "organised_network", "note": "đường dây", "csrf_token": csrf_of(page.text)},
        follow_redirects=False)
    assert escalated.status_code == 303 and store.get_post(pid).status == "referral_pending"
    own = alice.get(f"/posts/{pid}")
    assert "Cần một người xét duyệt khác xác nhận." in own.text and "referral-confirm" not in own.text
    refused = alice.post(f"/posts/{pid}/referral", data={"action": "confirm", "csrf_token": csrf_of(own.text)})
    assert refused.status_code == 409 and "người đề nghị không thể tự xác nhận" in refused.text
    assert store.get_post(pid).status == "referral_pending"
    queue = bob.get("/?tab=escalations")
    assert queue_ids(queue.text) == [pid] and "Chờ người thứ hai xác nhận chuyển điều tra" in queue.text
    theirs = bob.get(f"/posts/{pid}")
    assert "Đề nghị bởi alice" in theirs.text and "referral-confirm" in theirs.text
    confirmed = bob.post(f"/posts/{pid}/referral", data={"action": "confirm", "note": "đồng ý",
                                                         "csrf_token": csrf_of(theirs.text)}, follow_redirects=False)
    assert confirmed.status_code == 303 and store.get_post(pid).status == "escalated"
    assert [e.username for e in events(store, "review.referral_confirmed")] == ["bob"]
    assert "Đã chuyển điều tra" in bob.get(f"/posts/{pid}").text


def test_a_final_decision_is_reopened_with_a_reason_before_it_changes(world):
    clock, store = world["clock"], world["store"]
    (pid,) = world["post"](make(clock, 1))
    alice = signed_in(world, "alice")
    page = alice.get(f"/posts/{pid}")
    alice.post(f"/posts/{pid}/decision", data={"decision": "lure", "reason": "task_scam",
                                               "csrf_token": csrf_of(page.text)})
    final = alice.get(f"/posts/{pid}")
    assert 'form class="reopen"' in final.text and 'form class="decision"' not in final.text
    flip = alice.post(f"/posts/{pid}/decision", data={"decision": "not_lure", "reason": "legitimate_employer",
                                                      "csrf_token": csrf_of(final.text)})
    assert flip.status_code == 409 and "đã có quyết định cuối cùng (hãy mở lại trước)" in flip.text
    assert store.get_post(pid).status == "confirmed"
    assert alice.post(f"/posts/{pid}/reopen", data={"reason": "", "csrf_token": csrf_of(final.text)}).status_code == 400
    no_note = alice.post(f"/posts/{pid}/reopen", data={"reason": "other", "csrf_token": csrf_of(final.text)})
    assert no_note.status_code == 400 and store.get_post(pid).status == "confirmed"
    reopened = alice.post(f"/posts/{pid}/reopen", data={"reason": "wrong_decision", "note": "công ty thật",
                                                        "csrf_token": csrf_of(final.text)}, follow_redirects=False)
    assert reopened.status_code == 303 and store.get_post(pid).status == "new"
    again = alice.get(f"/posts/{pid}")
    assert "Mở lại" in again.text and "Quyết định trước đó sai" in again.text
    alice.post(f"/posts/{pid}/decision", data={"decision": "not_lure", "reason": "legitimate_employer",
                                               "csrf_token": csrf_of(again.text)})
    assert store.get_post(pid).status == "dismissed"
    assert [e.action for e in reversed(store.list_audit(limit=50)) if e.action.startswith("review.")] == [
        "review.decision", "review.reopen", "review.decision"]


def test_claims_keep_a_second_reviewer_off_until_they_expire(world):
    clock, store = world["clock"], world["store"]
    (pid,) = world["post"](make(clock, 1))
    alice, bob = signed_in(world, "alice"), signed_in(world, "bob")
    assert "Bạn đang xét tin này" in alice.get(f"/posts/{pid}").text
    page = bob.get(f"/posts/{pid}")
    assert "alice đang xét tin này đến" in page.text
    assert re.search(r'<button type="submit" disabled>Ghi nhận quyết định</button>', page.text)
    refused = bob.post(f"/posts/{pid}/decision", data={"decision": "lure", "reason": "task_scam",
                                                       "csrf_token": csrf_of(page.text)})
    assert refused.status_code == 409 and "người khác đang xét" in refused.text
    assert store.get_post(pid).status == "new"
    clock.advance(16 * 60)  # alice's claim (15 minutes) expired; sessions live 30 idle minutes
    page = bob.get(f"/posts/{pid}")
    assert "Bạn đang xét tin này" in page.text
    done = bob.post(f"/posts/{pid}/decision", data={"decision": "lure", "reason": "task_scam",
                                                    "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303 and store.get_post(pid).status == "confirmed"
    assert store.live_claims([pid], clock.now) == {}  # the decision released it


def test_investigators_read_but_neither_claim_nor_decide(world):
    clock, store = world["clock"], world["store"]
    (pid,) = world["post"](make(clock, 1))
    ivan = signed_in(world, "ivan")
    page = ivan.get(f"/posts/{pid}")
    assert page.status_code == 200 and 'form class="decision"' not in page.text
    assert store.live_claims([pid], clock.now) == {}
    assert ivan.get("/").status_code == 200 and 'name="post"' not in ivan.get("/").text


# -- the post page --------------------------------------------------------------------------------------

def test_a_huge_post_page_is_capped_and_its_whole_text_downloads(world):
    clock, store = world["clock"], world["store"]
    text = "Việc nhẹ lương cao. " * 50_000  # 1 MB
    title = "Tuyển gấp việc nhẹ lương cao"
    combined = f"{title}\n{text} Mã 1."
    signals = tuple({"id": "high_pay_easy_work", "label_vi": "Việc nhẹ lương cao", "label_en": "Easy work, high pay",
                     "category": "abroad-casino/scam-compound", "start": m.start(), "end": m.start() + 18,
                     "phrase": combined[m.start():m.start() + 18], "weight": 2.0}
                    for m in re.finditer("(?i)việc nhẹ lương cao", combined))
    (pid,) = world["post"](make(clock, 1, title=title, text=text, signals=signals))
    alice = signed_in(world, "alice", post_text_cap=2000)
    page = alice.get(f"/posts/{pid}")
    assert page.status_code == 200 and len(page.content) < 200_000
    assert f"Chỉ hiển thị 2000 / {len(text) + 6} ký tự đầu." in page.text
    assert page.text.count('<mark class="signal"') == 2000 // 20 + 1  # the title's one, and the shown text's
    assert page.text.count('data-signal="high_pay_easy_work"') == 1  # listed once...
    assert "×101" in page.text and "Hơn 101 lần khớp trong toàn bộ nội dung" in page.text  # ...with its count
    whole = alice.get(f"/posts/{pid}/text")
    assert whole.status_code == 200 and whole.headers["content-type"] == "text/plain; charset=utf-8"
    assert whole.headers["content-disposition"] == f'attachment; filename="post-{pid}.txt"'
    assert whole.content.decode("utf-8") == f"{title}\n\n{text} Mã 1.\n"
    assert events(store, "download_text")[-1].detail == {"characters": len(title) + len(text) + 6}


def test_post_page_lists_versions_with_a_diff_and_related_posts(world):
    clock, store = world["clock"], world["store"]
    a, b, c = world["post"](make(clock, 1, text=DUP + " Gọi 0912345678", phone="0912345678"), make(clock, 2, text=DUP),
                            make(clock, 3, text="Kho hàng Bình Dương gọi 0912345678", phone="0912345678"))
    changed = make(clock, 1, text="Lương 40 triệu ở Campuchia. Gọi 0912345678", phone="0912345678")
    world["post"](changed)
    alice = signed_in(world, "alice")
    page = alice.get(f"/posts/{a}")
    assert f'href="/posts/{c}"' in page.text  # shares the phone
    assert 'href="/entities/phone/%2B84912345678"' in page.text and "2 tin" in page.text
    version = store.post_page(a, 100).versions[0]
    assert f'href="/posts/{a}/versions/{version.id}"' in page.text
    diff = alice.get(f"/posts/{a}/versions/{version.id}")
    assert diff.status_code == 200
    assert "<del>" in diff.text and "<ins>40</ins>" in diff.text and "Nội dung hiện tại" in diff.text
    assert alice.get(f"/posts/{b}/versions/{version.id}").status_code == 404
    assert events(store, "view_version")[-1].detail == {"version": version.id}
    dup_page = alice.get(f"/posts/{b}")
    assert "Tin gần giống" in dup_page.text


def _snapshot(evidence, body: bytes, name: str | None = None, meta_sha: str | None = None) -> str:
    sha = name or hashlib.sha256(body).hexdigest()
    folder = evidence / sha[:2] / sha[2:4]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{sha}.gz").write_bytes(gzip.compress(body))
    (folder / f"{sha}.json").write_text(json.dumps({
        "sha256": meta_sha or sha, "url": "https://vieclam.example.vn/tin/1", "fetched_at": "2026-11-01T03:00:00+00:00",
        "http_status": 200, "headers": {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'}}))
    return sha


def test_a_snapshot_changed_on_disk_is_flagged(world):
    clock, store, evidence = world["clock"], world["store"], world["evidence"]
    good = _snapshot(evidence, b"<html><body>tin that</body></html>")
    bad = hashlib.sha256(b"the page as fetched").hexdigest()
    _snapshot(evidence, b"<html><body>a page someone edited later</body></html>", name=bad)
    a, b = world["post"](make(clock, 1, sha=good), make(clock, 2, sha=bad))
    alice = signed_in(world, "alice")
    fine = alice.get(f"/posts/{a}")
    assert "Bản lưu khớp mã băm SHA-256." in fine.text and "CẢNH BÁO" not in fine.text
    assert good in fine.text and '&#34;abc&#34;' in fine.text and "https://vieclam.example.vn/tin/1" in fine.text
    warned = alice.get(f"/posts/{b}")
    actual = hashlib.sha256(b"<html><body>a page someone edited later</body></html>").hexdigest()
    assert "CẢNH BÁO: bản lưu trên đĩa không còn khớp mã băm SHA-256" in warned.text and actual in warned.text
    assert events(store, "evidence.mismatch")[-1].detail == {"expected": bad, "actual": actual}
    english = alice.get(f"/posts/{b}?lang=en").text
    assert "WARNING: the stored snapshot no longer matches its SHA-256" in english


def test_english_labels_for_categories_kinds_statuses_and_facets(world):
    clock, store = world["clock"], world["store"]
    (pid,) = world["post"](make(clock, 1, text="Gọi 0912345678 việc nhẹ lương cao", phone="0912345678",
                                destination="KH:Sihanoukville"))
    store.record_review(pid, "bob", "escalate", "", reason="organised_network")
    world["search"].index_posts(store.search_docs([pid]))
    alice = signed_in(world, "alice")
    page = alice.get(f"/posts/{pid}?lang=en").text
    for shown in ("Fake export labour", "Casino / scam compound abroad", "Phone", "Destination",
                  "Cambodia: Sihanoukville", "Referral awaiting a second reviewer", "Organised network",
                  "Refer to investigation", 'title="Phone"'):
        assert shown in page, shown
    found = alice.get("/search?q=viec&lang=en").text
    assert ">Referral awaiting a second reviewer</a>" in found and ">Fake export labour</a>" in found
    assert ">Cambodia: Sihanoukville</a>" in found


def test_every_code_has_both_languages():
    for lang in ("vi", "en"):
        messages = CATALOGUE[lang]
        codes = [f"category.{c}" for c in (*CATEGORIES, COUNTER)] + [f"status.{s}" for s in STATUSES]
        codes += [f"decision.{d}" for d in (*DECISIONS, "confirm_referral", "decline_referral", "reopen")]
        codes += [f"reason.{r}" for reasons in REASONS.values() for r in reasons] + [f"tab.{t}" for t in TABS]
        kinds = re.findall(r"^\| (\w+)\s+\|", ENTITIES_DOC, re.MULTILINE)
        codes += [f"entity.{k}" for k in kinds if k != "kind"]
        codes += [f"country.{place.value.split(':')[0]}" for place in PLACES]
        missing = [c for c in codes if c not in messages]
        assert missing == [], (lang, missing)


def test_favicon_needs_no_login(world):
    response = world["client"]().get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = signed_in(world, "alice").get("/")
    assert '<link rel="icon" href="/favicon.ico"' in page.text
    assert '<script src="/static/htmx.min.js" defer></script>' in page.text
    assert world["client"]().get("/static/htmx.min.js").status_code == 200
