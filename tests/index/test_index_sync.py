"""Nothing is lost when the search engine is down: posts stay pending and a catch-up indexes them.
Any other failure is a bug, not an outage: it propagates."""

import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import event

from index.document import PostIn
from index.engine import create_db_engine
from index.search.base import SearchUnavailable
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store
from index.sync import catch_up, index_now


class FlakySearch(SqliteSearch):
    """The real SQLite backend with switches: writes fail like an unreachable engine, or like a bug."""

    down = False
    bug = False

    def index_posts(self, docs):
        if self.down:
            raise SearchUnavailable("Indexing is unavailable", "test engine: connection refused")
        if self.bug:
            raise KeyError("a bug in the backend")
        super().index_posts(docs)


def post(n: int) -> PostIn:
    return PostIn(
        source="t", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=f"Tuyển gấp {n}",
        text="Việc nhẹ lương cao, đặt cọc giữ chỗ", posted_at=None, fetched_at=datetime.now(timezone.utc),
        raw_sha256=f"{n:064x}", score=0.9, is_lure=True, threshold=0.5, model_version="m", signals=[],
        entities=[], categories=[], minor_risk=False, priority=1,
    )


def test_engine_down_then_back(tmp_path):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"))
    search = FlakySearch(engine=store.engine)
    search.ensure_index()
    store.upsert_posts([post(n) for n in range(3)])

    search.down = True
    sync = catch_up(store, search)
    assert (sync.indexed, sync.pending) == (0, 3)
    assert "unavailable" in sync.error
    assert search.search("dat coc").total == 0

    search.down = False
    sync = catch_up(store, search, batch=2)  # several batches
    assert (sync.indexed, sync.pending, sync.error) == (3, 0, "")
    assert search.search("dat coc").total == 3



def test_a_bug_is_not_an_outage(tmp_path):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"))
    search = FlakySearch(engine=store.engine)
    (pid,) = store.upsert_posts([post(1)]).post_ids
    search.bug = True
    with pytest.raises(KeyError, match="a bug"):
        catch_up(store, search)
    with pytest.raises(KeyError, match="a bug"):
        index_now(store, search, [pid])
    assert store.pending_post_ids() == [pid]  # nothing was marked on the way out


def test_a_locked_sqlite_search_file_is_unavailable_and_posts_stay_pending(tmp_path):
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"))
    search_file = tmp_path / "search.sqlite"
    engine = create_db_engine(f"sqlite:///{search_file}")
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=50"))  # after ours
    search = SqliteSearch(engine)
    search.ensure_index()
    store.upsert_posts([post(n) for n in range(2)])

    other_writer = sqlite3.connect(search_file, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock, like a long reindex elsewhere
    try:
        with pytest.raises(SearchUnavailable, match="busy"):
            search.index_posts(store.search_docs(store.pending_post_ids()))
        sync = catch_up(store, search)
        assert (sync.indexed, sync.pending) == (0, 2) and "busy" in sync.error
        assert search.search("dat coc").total == 0  # readers are not blocked (WAL)
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert catch_up(store, search).pending == 0
    assert search.search("dat coc").total == 2
