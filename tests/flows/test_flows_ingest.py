"""flows.ingest on real parts: the packaged classifier, a SQLite store and the FTS5 search backend."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pytest

from classifier.assess import SignalHit, load_assessor
from index.document import SignalIn, assessed_text
from index.search.base import SearchUnavailable
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store

from flows import ingest

LURE_TITLE = "Tuyển gấp việc nhẹ lương cao tại Campuchia"
LURE_TEXT = "Bao vé máy bay, không cần kinh nghiệm.\nLiên hệ Zalo 0912345678, đặt cọc 2 triệu."
LEGIT_TITLE = "Kế toán tổng hợp"
LEGIT_TEXT = "Công ty TNHH tuyển kế toán 3 năm kinh nghiệm, lương 12 triệu, làm giờ hành chính."


def item(n: int, title: str, text: str, **kw) -> dict:
    base = {"source": "board", "url": f"https://ex.vn/tin/{n}?utm_source=x", "canonical_url": f"https://ex.vn/tin/{n}",
            "title": title, "text": text, "posted_at": "2026-11-01T09:00:00+07:00",
            "fetched_at": "2026-11-02T03:00:00+00:00", "sha256": f"{n:064x}"}
    return base | kw


@pytest.fixture(scope="module")
def assessor():
    return load_assessor()


@pytest.fixture
def parts(tmp_path):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'lw.db'}"))
    search = SqliteSearch(store.engine)
    return store, search


def test_parse_time():
    assert ingest.parse_time(None) is None and ingest.parse_time("") is None
    assert ingest.parse_time("2026-11-01T09:00:00") == datetime(2026, 11, 1, 9, tzinfo=timezone.utc)  # naive: UTC
    aware = ingest.parse_time("2026-11-01T09:00:00+07:00")
    assert aware == datetime(2026, 11, 1, 2, tzinfo=timezone.utc) and aware.utcoffset() == timedelta(hours=7)


def test_titles_and_texts_are_normalised():
    decomposed = unicodedata.normalize("NFD", "Lương  cao\r\n\r\n\r\nĐặt cọc")
    assert ingest.normalized({"title": decomposed, "text": None}) == ("Lương cao\n\nĐặt cọc", "")


def test_a_post_carries_typed_evidence_whose_spans_index_into_the_assessed_text(assessor):
    (post,) = ingest.assess_items([item(1, LURE_TITLE, LURE_TEXT)], assessor)
    assert (post.canonical_url, post.url) == ("https://ex.vn/tin/1", "https://ex.vn/tin/1?utm_source=x")
    assert post.posted_at == datetime(2026, 11, 1, 2, tzinfo=timezone.utc) and post.raw_sha256 == f"{1:064x}"
    assert post.is_lure and post.score >= post.threshold and post.categories
    assert post.model_version == assessor.model_version
    text = assessed_text(post.title, post.text)
    assert {s.id for s in post.signals} >= {"easy_work", "deposit_or_fee"}
    for s in post.signals:
        assert isinstance(s, SignalIn) and text[s.start : s.end] == s.phrase
        assert s.label_vi and s.label_en and s.label("en") == s.label_en != s.label_vi  # translatable
    phones = [e for e in post.entities if e.kind == "phone"]
    assert [(e.value, text[e.start : e.end]) for e in phones] == [("+84912345678", "0912345678")]


def test_missing_canonical_url_and_fetch_time_have_defaults(assessor):
    before = datetime.now(timezone.utc)
    (post,) = ingest.assess_items([item(1, LEGIT_TITLE, LEGIT_TEXT, canonical_url="", fetched_at=None)], assessor)
    assert post.canonical_url == post.url and post.fetched_at >= before
    assert not post.is_lure


def test_a_signal_the_catalogue_does_not_know_keeps_its_own_label():
    hit = SignalHit("not_in_catalogue", "nhãn riêng", "other", 0, 4, "abcd", 0.1)
    assert ingest.signal_in(hit) == SignalIn("not_in_catalogue", "nhãn riêng", "nhãn riêng", "other", 0, 4, "abcd", 0.1)


def test_ingest_counts_batches_and_indexes(parts, assessor, monkeypatch):
    store, search = parts
    monkeypatch.setattr(ingest, "BATCH", 2)  # several committed batches
    items = [item(1, LURE_TITLE, LURE_TEXT), item(2, LEGIT_TITLE, LEGIT_TEXT), item(3, LURE_TITLE, LURE_TEXT + " Gấp!")]
    counts = ingest.ingest_items(items, assessor, store, search)
    assert (counts.new, counts.changed, counts.unchanged, counts.flagged) == (3, 0, 0, 2)
    assert (counts.index_pending, counts.index_error) == (0, "")
    assert search.search("dat coc").total == 2 and search.search("phone:0912345678").total == 2

    edited = item(2, LEGIT_TITLE, LEGIT_TEXT + " Nghỉ thứ bảy.")
    again = ingest.ingest_items([items[0], edited, items[2]], assessor, store, search)
    assert (again.new, again.changed, again.unchanged, again.flagged) == (0, 1, 2, 2)
    assert search.search("nghi thu bay").total == 1


def test_author_external_id_and_fields_from_are_stored(parts, assessor):
    store, search = parts
    layers = {"title": "json-ld", "text": "trafilatura", "external_id": "url"}
    raw = item(7, LEGIT_TITLE, LEGIT_TEXT, author="Công ty TNHH Số 7", external_id="551229", fields_from=layers)
    (post_id,) = store.upsert_posts(ingest.assess_items([raw], assessor)).post_ids
    post = store.get_post(post_id)
    assert (post.author, post.external_id, post.fields_from) == ("Công ty TNHH Số 7", "551229", layers)
    # an unchanged post read again takes what the parser says now
    again = ingest.ingest_items([raw | {"author": None, "fields_from": {"title": "html"}}], assessor, store, search)
    assert again.unchanged == 1
    post = store.get_post(post_id)
    assert (post.author, post.fields_from) == (None, {"title": "html"})


class DownSearch(SqliteSearch):
    """The real backend, with writes that fail like an unreachable engine, or like a bug."""

    failure: Exception = SearchUnavailable("Indexing is unavailable", "test engine: connection refused")

    def index_posts(self, docs):
        raise self.failure


def test_a_search_engine_that_is_down_leaves_posts_pending(parts, assessor):
    store, _ = parts
    counts = ingest.ingest_items([item(1, LURE_TITLE, LURE_TEXT)], assessor, store, DownSearch(store.engine))
    assert counts.new == 1 and counts.index_pending == 1
    assert counts.index_error.startswith("search index unavailable: Indexing is unavailable")
    assert store.queue_count() == 1  # stored and queued all the same


def test_a_bug_in_the_search_backend_propagates_after_the_store_committed(parts, assessor):
    store, _ = parts
    broken = DownSearch(store.engine)
    broken.failure = TypeError("a bug")
    with pytest.raises(TypeError, match="a bug"):
        ingest.ingest_items([item(1, LURE_TITLE, LURE_TEXT)], assessor, store, broken)
    assert store.pending_count() == 1 and store.queue_count() == 1


MINOR_TITLE = "Tuyển mẫu nhí chụp ảnh quảng cáo"
MINOR_TEXT = "Nhận các bé sinh năm 2012, có thưởng. Inbox ngay."


def test_minor_cues_are_stored_with_their_reason_in_both_languages_and_queue_first(parts, assessor):
    store, search = parts
    counts = ingest.ingest_items(
        [item(1, LEGIT_TITLE, LEGIT_TEXT), item(2, LURE_TITLE, LURE_TEXT), item(3, MINOR_TITLE, MINOR_TEXT)],
        assessor, store, search,
    )
    assert counts.new == 3
    queue = store.queue()
    # The minor-risk post queues whatever its score, and above the flagged adult-job lure.
    assert [p.canonical_url for p in queue][0] == "https://ex.vn/tin/3" and len(queue) == 2
    view = store.get_post(queue[0].id)
    assert view.minor_risk and view.minor_cues
    text = assessed_text(view.title, view.text)
    for cue in view.minor_cues:
        assert text[cue.start : cue.end] == cue.phrase and cue.phrase in cue.label_vi and cue.phrase in cue.label_en
    assert cue.label("en") != cue.label("vi")
    assert search.search("minor:true").total == 1


def test_a_birth_year_is_an_age_at_the_posts_date(assessor):
    text = "Tuyển bạn nữ sinh năm 2010 làm việc online tại nhà."
    (then,) = ingest.assess_items([item(1, "Tuyển CTV", text, posted_at="2024-06-01T09:00:00+07:00")], assessor)
    (later,) = ingest.assess_items([item(2, "Tuyển CTV", text, posted_at="2035-06-01T09:00:00+07:00")], assessor)
    assert then.minor_risk and any("2010" in c.phrase for c in then.minor_cues)  # 14 in 2024
    assert not later.minor_risk  # 25 in 2035
