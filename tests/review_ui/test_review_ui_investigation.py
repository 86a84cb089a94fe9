"""Investigators' pages over a real Store, real FTS search and real evidence files (TestClient):
entity pages, the network view, saved searches, entity filters, cases, the dossier archive (PDF
text extracted, every manifest hash verified) and the CSV export, each audited."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from investigation_world import BANK, HOSTILE, MOMO, PHONE, TELEGRAM, USDT, populate
from review_ui_world import USERS, Clock, build_app, csrf_of, log_in, open_world

pypdf = pytest.importorskip("pypdf")


@pytest.fixture()
def world(tmp_path):
    store, search = open_world(tmp_path, USERS)
    evidence = tmp_path / "evidence"
    ids = populate(store, search, evidence)

    def client(username: str | None = None) -> TestClient:
        c = TestClient(build_app(store, search, Clock(), evidence_dir=evidence), base_url="http://127.0.0.1")
        if username:
            assert log_in(c, username).status_code == 303
        return c

    return {"store": store, "ids": ids, "client": client, "evidence": evidence}


def last_audit(store, action: str):
    return next(e for e in store.list_audit(limit=100) if e.action == action)


def token(client: TestClient, path: str = "/search") -> str:
    return csrf_of(client.get(path).text)


def words(text: str) -> str:
    return " ".join(text.split())


# -- entity pages -------------------------------------------------------------------------------------

def test_entity_page_lists_every_post_first_last_seen_and_sources(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    page = ivan.get(f"/entities/phone/{quote(PHONE, safe='')}")
    assert page.status_code == 200
    html = page.text
    for key in ("campuchia", "xkld", "hostile"):
        assert f'href="/posts/{ids[key]}"' in html
    assert f'href="/posts/{ids["legit"]}"' not in html
    assert "2026-10-01 09:00" in html and "2026-10-09 09:00" in html  # first and last seen, Vietnam time
    assert "facebook-groups (1)" in html and "chotot (1)" in html and "tiktok (1)" in html
    assert HOSTILE not in html and "&lt;script&gt;" in html  # scraped titles escaped
    # Contacts found with it link to their own pages.
    assert f'href="/entities/bank/{quote(BANK, safe="")}"' in html
    assert f'href="/entities/ewallet/{quote(MOMO, safe="")}"' in html
    assert f'/network?kind=phone&amp;value={quote(PHONE, safe="")}' in html
    event = last_audit(world["store"], "view_entity")
    assert (event.username, event.target, event.detail["posts"]) == ("ivan", f"entity:phone:{PHONE}", 3)


def test_entity_page_redirects_a_written_value_to_its_canonical_page(world):
    alice = world["client"]("alice")  # reviewers follow entity links from the post page too
    response = alice.get("/entities/phone/0912%20345%20678", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/entities/phone/{quote(PHONE, safe='')}"
    wallet = alice.get("/entities/ewallet/momo%3A0987.654.321")
    assert wallet.status_code == 200 and "Ví điện tử" in wallet.text
    assert f'href="/posts/{world["ids"]["task"]}"' in wallet.text


@pytest.mark.parametrize("path", ["/entities/money/1", "/entities/nope/x", "/entities/ewallet/0912345678"])
def test_unknown_kinds_and_empty_values_are_404(world, path):
    assert world["client"]("ivan").get(path).status_code == 404


def test_usdt_and_telegram_pages_in_english(world):
    ivan = world["client"]("ivan")
    page = ivan.get(f"/entities/usdt_trc20/{USDT}?lang=en")
    assert page.status_code == 200 and "USDT address (TRC-20)" in page.text and "Posts carrying it" in page.text
    tg = ivan.get(f"/entities/telegram/{quote(TELEGRAM, safe='')}")
    assert f'href="/posts/{world["ids"]["task"]}"' in tg.text


def test_entity_posts_are_paged(world, monkeypatch):
    import review_ui.routes.entities as entities

    monkeypatch.setattr(entities, "PAGE_SIZE", 2)
    ivan, ids = world["client"]("ivan"), world["ids"]
    first = ivan.get(f"/entities/phone/{quote(PHONE, safe='')}")
    second = ivan.get(f"/entities/phone/{quote(PHONE, safe='')}?page=2")
    assert f'/posts/{ids["hostile"]}"' in first.text and f'/posts/{ids["campuchia"]}"' not in first.text
    assert f'/posts/{ids["campuchia"]}"' in second.text and "?page=1" in second.text


# -- network -----------------------------------------------------------------------------------------

def test_network_from_an_entity_is_drawn_as_svg_with_links(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    page = ivan.get(f"/network?kind=phone&value={quote(PHONE, safe='')}")
    assert page.status_code == 200
    html = page.text
    # No script but our own static files (htmx, keys.js in the layout): the drawing is plain SVG.
    assert "<svg" in html and "<script" not in html.replace('<script src="/static/', "")
    linked = {ids[k] for k in ("campuchia", "task", "xkld", "hostile")}
    for post_id in linked:
        assert f'data-key="post:{post_id}"' in html
    assert f'data-key="post:{ids["legit"]}"' not in html
    # The contacts that tie them: the phone, and the MoMo wallet that brings in the task scam.
    assert f'data-key="phone:{PHONE}"' in html and f'data-key="ewallet:{MOMO}"' in html
    assert f'href="/entities/ewallet/{quote(MOMO, safe="")}"' in html
    event = last_audit(world["store"], "view_network")
    assert (event.target, event.detail["posts"]) == (f"entity:phone:{PHONE}", 4)


def test_network_of_one_post_and_refusals(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    page = ivan.get(f"/network?post={ids['task']}")
    assert page.status_code == 200 and f'data-key="post:{ids["xkld"]}"' in page.text
    assert ivan.get("/network?post=999999").status_code == 404
    assert ivan.get("/network?kind=phone&value=0900111222").status_code == 404
    assert ivan.get("/network").status_code == 404


# -- search: entity filters, saved searches, CSV ---------------------------------------------------------

def test_entity_filter_form_writes_the_filter_into_the_query(world):
    ivan = world["client"]("ivan")
    response = ivan.get("/search?q=tuyen&fk=ewallet&fv=momo:0987654321", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/search?q=tuyen+ewallet%3Amomo%3A0987654321"
    page = ivan.get(f"/search?q=usdt:{USDT}")
    assert page.status_code == 200 and f'data-post="{world["ids"]["task"]}"' in page.text
    assert "Ví USDT (TRC-20)" in page.text  # the filter form names every entity filter


def test_saved_searches_are_per_user_and_audited(world):
    ivan = world["client"]("ivan")
    saved = ivan.post("/search/saved", data={"name": "Ví Momo", "q": "ewallet:momo:0987654321",
                                             "csrf_token": token(ivan)}, follow_redirects=False)
    assert saved.status_code == 303
    page = ivan.get("/search")
    assert "Ví Momo" in page.text and "ewallet%3Amomo%3A0987654321" in page.text
    [mine] = world["store"].list_saved_searches("ivan")
    alice = world["client"]("alice")
    assert "Ví Momo" not in alice.get("/search").text
    assert alice.post(f"/search/saved/{mine.id}/delete", data={"csrf_token": token(alice)}).status_code == 404
    gone = ivan.post(f"/search/saved/{mine.id}/delete", data={"csrf_token": token(ivan)}, follow_redirects=False)
    assert gone.status_code == 303 and world["store"].list_saved_searches("ivan") == []
    assert last_audit(world["store"], "saved_search.delete").username == "ivan"


def test_search_results_as_csv_with_bom_contacts_and_no_formulas(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    response = ivan.get("/search/export.csv?q=tuyen+OR+coc")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv") and "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_id = {int(r["post_id"]): r for r in rows}
    assert set(by_id) == {ids["campuchia"], ids["xkld"], ids["hostile"], ids["legit"]}
    lure = by_id[ids["campuchia"]]
    assert lure["title"] == "Tuyển gấp việc nhẹ lương cao tại Campuchia"
    assert lure["phone"] == "'" + PHONE and lure["ewallet"] == MOMO and lure["status"] == "confirmed"
    assert by_id[ids["xkld"]]["bank"] == BANK
    event = last_audit(world["store"], "export.search_csv")
    assert (event.username, event.detail["rows"], event.detail["truncated"]) == ("ivan", 4, False)


def test_csv_cells_that_look_like_formulas_are_defused():
    from review_ui.csv_export import cell

    assert [cell(v) for v in ("=HYPERLINK(1)", "+84912", "-1", "@SUM(A1)", "bình thường", None)] == [
        "'=HYPERLINK(1)", "'+84912", "'-1", "'@SUM(A1)", "bình thường", ""]


def test_csv_is_for_investigators_and_needs_a_valid_query(world):
    assert world["client"]("alice").get("/search/export.csv?q=tuyen").status_code == 403
    ivan = world["client"]("ivan")
    assert ivan.get("/search/export.csv?q=").status_code == 422
    assert ivan.get('/search/export.csv?q="unclosed').status_code == 400


# -- cases -------------------------------------------------------------------------------------------

def new_case(client: TestClient, title: str = "Đường dây Campuchia") -> int:
    response = client.post("/cases", data={"title": title, "csrf_token": token(client, "/cases")},
                           follow_redirects=False)
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_case_life_from_the_ui(world):
    ivan, ids, store = world["client"]("ivan"), world["ids"], world["store"]
    case_id = new_case(ivan)
    added = ivan.post("/cases/add-posts", data={"case_id": case_id, "post_id": [ids["campuchia"], ids["task"]],
                                                "csrf_token": token(ivan)}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == f"/cases/{case_id}?added=2"
    assert "Đã thêm 2 tin" in ivan.get(added.headers["location"]).text
    csrf = token(ivan, f"/cases/{case_id}")
    assert ivan.post(f"/cases/{case_id}/notes", data={"text": "Cùng ví Momo.", "csrf_token": csrf},
                     follow_redirects=False).status_code == 303
    assert ivan.post(f"/cases/{case_id}/status", data={"status": "referred", "csrf_token": csrf},
                     follow_redirects=False).status_code == 303
    page = ivan.get(f"/cases/{case_id}")
    assert "Cùng ví Momo." in page.text and "Đã chuyển cơ quan điều tra" in page.text
    assert f'data-post="{ids["task"]}"' in page.text
    listing = ivan.get("/cases?status=referred")
    assert f'data-case="{case_id}"' in listing.text and "Đường dây Campuchia" in listing.text
    removed = ivan.post(f"/cases/{case_id}/posts/{ids['task']}/remove", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert removed.status_code == 303
    assert [link.post.id for link in store.get_case(case_id).posts] == [ids["campuchia"]]
    assert [e.action for e in store.get_case(case_id).history] == [
        "case.create", "case.add_posts", "case.note", "case.status", "case.remove_post"]


def test_posts_go_into_a_new_case_from_a_network(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    page = ivan.get(f"/network?kind=phone&value={quote(PHONE, safe='')}")
    assert 'action="/cases/add-posts"' in page.text
    response = ivan.post("/cases/add-posts", data={"new_title": "Mạng lưới số 0912", "csrf_token": csrf_of(page.text),
                                                   "post_id": [ids["campuchia"], ids["task"], ids["xkld"]]},
                         follow_redirects=False)
    case_id = int(response.headers["location"].split("/")[2].split("?")[0])
    assert world["store"].get_case(case_id).case.title == "Mạng lưới số 0912"


@pytest.mark.parametrize(("form", "status", "message"), [
    ({"case_id": "1", "post_id": ["999999"]}, 400, "Có mã tin không tồn tại"),
    ({"post_id": ["1"]}, 400, "Hãy chọn một vụ việc"),
    ({"case_id": "1"}, 400, "Chưa chọn tin nào"),
    ({"case_id": "424242", "post_id": ["1"]}, 404, "Không có vụ việc này"),
])
def test_bad_case_forms_are_refused_with_a_message(world, form, status, message):
    ivan = world["client"]("ivan")
    new_case(ivan)
    response = ivan.post("/cases/add-posts", data={**form, "csrf_token": token(ivan)})
    assert response.status_code == status and message in response.text


def test_case_routes_refuse_reviewers_and_missing_csrf(world):
    alice, ivan = world["client"]("alice"), world["client"]("ivan")
    case_id = new_case(ivan)
    assert alice.get("/cases").status_code == 403
    assert alice.get(f"/cases/{case_id}/dossier.zip").status_code == 403
    assert ivan.post(f"/cases/{case_id}/status", data={"status": "closed"}).status_code == 403
    assert world["store"].get_case(case_id).case.status == "open"
    assert "Vụ việc" not in alice.get("/").text.split("</nav>")[0]  # no Cases link for reviewers


# -- the dossier ---------------------------------------------------------------------------------------

@pytest.fixture()
def dossier(world):
    ivan, ids = world["client"]("ivan"), world["ids"]
    case_id = new_case(ivan, "Đường dây lừa đảo đi Campuchia")
    ivan.post("/cases/add-posts", data={"case_id": case_id, "csrf_token": token(ivan),
                                        "post_id": [ids["campuchia"], ids["task"], ids["xkld"], ids["hostile"]]})
    ivan.post(f"/cases/{case_id}/notes", data={"text": "Nạn nhân báo lương không được trả.",
                                               "csrf_token": token(ivan, f"/cases/{case_id}")})
    response = ivan.get(f"/cases/{case_id}/dossier.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert f"lurewatch-case-{case_id}-" in response.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    folder = f"lurewatch-case-{case_id}/"
    return {"zip": archive, "folder": folder, "case_id": case_id, "bytes": response.content, **world}


def test_every_manifest_hash_matches_its_file(dossier):
    archive, folder = dossier["zip"], dossier["folder"]
    names = set(archive.namelist())
    manifest = archive.read(folder + "MANIFEST.sha256").decode("utf-8").splitlines()
    listed = {}
    for line in manifest:
        sha, path = line.split("  ", 1)
        listed[path] = sha
        assert hashlib.sha256(archive.read(folder + path)).hexdigest() == sha, path
    assert names == {folder + p for p in listed} | {folder + "MANIFEST.sha256"}
    assert {"dossier.pdf", "case.json", "README.txt"} <= set(listed)


def test_snapshots_are_the_stored_bytes_and_their_checks_are_said(dossier):
    archive, folder, ids = dossier["zip"], dossier["folder"], dossier["ids"]
    case = json.loads(archive.read(folder + "case.json"))
    posts = {p["id"]: p for p in case["posts"]}
    intact, changed, missing = posts[ids["campuchia"]], posts[ids["task"]], posts[ids["xkld"]]
    assert intact["snapshot"]["check"] == "ok" and changed["snapshot"]["check"] == "mismatch"
    assert missing["snapshot"] == {"sha256": missing["snapshot"]["sha256"], "check": "missing"}
    body = gzip.decompress(archive.read(folder + intact["snapshot"]["gz"]))
    assert hashlib.sha256(body).hexdigest() == intact["snapshot"]["sha256"]  # gunzip + hash = its name
    sha = intact["snapshot"]["sha256"]
    stored = (dossier["evidence"] / sha[:2] / sha[2:4] / f"{sha}.gz").read_bytes()
    assert archive.read(folder + intact["snapshot"]["gz"]) == stored  # byte for byte
    assert json.loads(archive.read(folder + intact["snapshot"]["metadata"]))["url"] == intact["url"]
    dom = gzip.decompress(archive.read(folder + intact["snapshot"]["rendered_gz"]))  # the rendered DOM too
    assert intact["snapshot"]["rendered_check"] == "ok"
    assert hashlib.sha256(dom).hexdigest() == intact["snapshot"]["rendered_sha256"]
    assert [r["username"] for r in intact["reviews"]] == ["alice"]
    assert intact["entities"][2] == {"kind": "ewallet", "value": MOMO, "start": intact["entities"][2]["start"],
                                     "end": intact["entities"][2]["end"], "raw": "Momo 0987.654.321"}
    assert case["notes"][0]["text"] == "Nạn nhân báo lương không được trả."


def test_the_pdf_is_vietnamese_with_diacritics_intact(dossier):
    archive, folder, ids = dossier["zip"], dossier["folder"], dossier["ids"]
    reader = pypdf.PdfReader(io.BytesIO(archive.read(folder + "dossier.pdf")))
    text = words("\n".join(p.extract_text() for p in reader.pages))
    for phrase in ("Hồ sơ vụ việc", "Đường dây lừa đảo đi Campuchia", "việc nhẹ lương cao", "đặt cọc 2 triệu",
                   "Campuchia", "lương", "Nạn nhân báo lương không được trả", "Tin lừa đảo", "alice",
                   "Lừa đi Campuchia, đặt cọc qua Momo", "MOMO:+84987654321", USDT, "anh Đức",
                   "KHÔNG khớp mã băm", "Khớp mã băm (nguyên vẹn)", "Không có bản lưu"):
        assert phrase in text, phrase
    case = json.loads(archive.read(folder + "case.json"))
    for post in case["posts"]:
        assert post["snapshot"]["sha256"] in text.replace(" ", "") or post["snapshot"]["sha256"] in text
    snapshot_file = next(p for p in archive.namelist() if p.endswith(".gz"))
    sha_of_file = hashlib.sha256(archive.read(snapshot_file)).hexdigest()
    assert sha_of_file in text  # the files' hashes are listed in the PDF too
    assert "<script>" not in text or HOSTILE[:8] in text  # hostile text is inert text, shown as written
    assert len(reader.pages) >= 5


def test_the_export_is_audited_with_the_archives_hash(dossier):
    event = last_audit(dossier["store"], "export.dossier")
    assert event.username == "ivan" and event.target == f"case:{dossier['case_id']}"
    assert event.detail["archive_sha256"] == hashlib.sha256(dossier["bytes"]).hexdigest()
    assert event.detail["posts"] == 4 and event.detail["snapshots"] == {"missing": 2, "mismatch": 1, "ok": 2}
