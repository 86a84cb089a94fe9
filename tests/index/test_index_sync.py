"""Nothing is lost when the search engine is down: posts stay pending and a catch-up indexes them."""

from datetime import datetime, timezone

from index.document import PostIn
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store

from index.sync import catch_up


class FlakySearch(SqliteSearch):
    """The real SQLite backend with a switch that makes writes fail like an unreachable engine."""

    down = False

    def index_posts(self, docs):
        if self.down:
            raise ConnectionError("connection refused")
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

