"""The store and the search backend chosen by settings, on SQLite and on PostgreSQL: posts stored,
indexed by the catch-up, found without accents, pivoted by phone, status kept in step."""

from datetime import datetime, timezone

import pytest

from index.document import PostIn
from index.search.factory import open_search
from index.settings import get_index_settings
from index.sync import catch_up


def post(n: int, title: str, text: str, phone: str | None = None) -> PostIn:
    entities = [{"kind": "phone", "value": phone, "start": 0, "end": 0, "raw": phone}] if phone else []
    return PostIn(
        source="board", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=title, text=text,
        posted_at=None, fetched_at=datetime.now(timezone.utc), raw_sha256=f"{n:064x}", score=0.9,
        is_lure=True, threshold=0.5, model_version="m", signals=[], entities=entities,
        categories=["abroad-casino/scam-compound"], minor_risk=False, priority=2,
    )


def test_store_plus_sqlite_search_on_either_engine(store, db_url, tmp_path):
    search_url = None if db_url.startswith("sqlite") else f"sqlite:///{tmp_path / 'search.db'}"
    settings = get_index_settings(database_url=db_url, search_sqlite_url=search_url)
    search = open_search(settings, store.engine)
    search.ensure_index()
    a, b = store.upsert_posts([
        post(1, "Tuyển gấp đi Campuchia", "Việc nhẹ lương cao, đặt cọc 5 triệu giữ chỗ.", "+84912345678"),
        post(2, "Kế toán tổng hợp", "Lương 12 triệu, không đặt cọc.", None),
    ]).post_ids
    assert catch_up(store, search).pending == 0

    page = search.search("dat coc")
    assert page.total == 2
    hit = next(h for h in page.hits if h.post_id == a)
    assert {seg for seg, marked in hit.text if marked} == {"đặt", "cọc"}  # the original, accented words

    assert [h.post_id for h in search.search("phone:0912.345.678").hits] == [a]
    store.record_review(a, "thu", "lure", "")
    catch_up(store, search)
    assert [h.post_id for h in search.search("status:confirmed").hits] == [a]


def test_sqlite_search_needs_its_own_file_beside_postgresql():
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(ValueError, match="LUREWATCH_SEARCH_SQLITE_URL"):
        open_search(get_index_settings(database_url=str(engine.url)), engine)


def test_cluster_backends_get_every_node_from_settings():
    from sqlalchemy import create_engine

    settings = get_index_settings(
        search_backend="opensearch", search_urls="http://127.0.0.1:9201, http://127.0.0.1:9202",
        search_replicas=0,
    )
    backend = open_search(settings, create_engine("sqlite://"))
    assert type(backend).__name__ == "OpenSearchSearch"
    assert settings.search_urls == ["http://127.0.0.1:9201", "http://127.0.0.1:9202"]
    assert backend.replicas == 0 and backend.alias == "lurewatch-posts"
