"""Near-duplicate clusters on SQLite and PostgreSQL: a post that bridges two clusters merges them,
other writers catch up with merges, and two concurrent writers never miss each other's
near-duplicates (SQLite: BEGIN IMMEDIATE; PostgreSQL: the ingest advisory lock)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from index import clusters
from index.document import PostIn
from index.models import Post
from index.near_dup import THRESHOLD, signature, similarity
from index.store import Store

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
TITLE = "Việc làm"
WORDS = (
    "Tuyển gấp 20 bạn nam nữ làm việc nhẹ lương cao tại Campuchia, bao ăn ở, bao vé máy bay, "
    "lương từ 25 đến 30 triệu mỗi tháng, không cần kinh nghiệm, không cần bằng cấp, được đào tạo "
    "miễn phí, làm việc trong văn phòng máy lạnh, xuất cảnh nhanh trong tuần, liên hệ ngay."
).split()
FULL = " ".join(WORDS)
HEADLESS = " ".join(WORDS[7:])  # near FULL, not near TAILLESS
TAILLESS = " ".join(WORDS[:-7])
TAILLESS_ZALO = TAILLESS + " gọi Zalo 0912345678 ngay hôm nay nhé"  # near TAILLESS only


def near(a: str, b: str) -> bool:
    return similarity(signature(TITLE, a), signature(TITLE, b)) >= THRESHOLD


def post(n: int, text: str) -> PostIn:
    return PostIn(
        source="fixture", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=TITLE, text=text,
        posted_at=None, fetched_at=T0, raw_sha256=f"{n:064x}", score=0.9, is_lure=True, threshold=0.5,
        model_version="m1", signals=[], entities=[], categories=[], minor_risk=False, priority=1,
    )


def cluster_of(store: Store, post_id: int) -> int | None:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(Post.near_dup_cluster).where(Post.id == post_id)).scalar_one()


def test_the_texts_are_what_the_tests_need():
    assert near(HEADLESS, FULL) and near(TAILLESS, FULL) and not near(HEADLESS, TAILLESS)
    assert near(TAILLESS_ZALO, TAILLESS) and not near(TAILLESS_ZALO, FULL) and not near(TAILLESS_ZALO, HEADLESS)


def test_a_post_that_bridges_two_clusters_merges_them(store):
    x, y = store.upsert_posts([post(1, HEADLESS), post(2, TAILLESS)]).post_ids
    assert (cluster_of(store, x), cluster_of(store, y)) == (x, y)  # not near each other
    (bridge,) = store.upsert_posts([post(3, FULL)]).post_ids
    assert cluster_of(store, x) == cluster_of(store, y) == cluster_of(store, bridge) == x  # the oldest
    assert set(store.network(y).post_ids) == {x, y, bridge}
    assert {(a, b) for a, b, reason in store.network(y).edges if reason == "near_dup"} == {(x, y), (x, bridge)}


def test_posts_of_one_batch_merge_too(store):
    x, y, bridge = store.upsert_posts([post(1, HEADLESS), post(2, TAILLESS), post(3, FULL)]).post_ids
    assert cluster_of(store, x) == cluster_of(store, y) == cluster_of(store, bridge) == x


def test_another_writer_catches_up_with_a_merge(store, db_url, open_store):
    x, y = store.upsert_posts([post(1, HEADLESS), post(2, TAILLESS)]).post_ids  # this store's LSH: x, y apart
    other = open_store(db_url)  # another process merges y's cluster into x's
    other.upsert_posts([post(3, FULL)])
    (late,) = store.upsert_posts([post(4, TAILLESS_ZALO)]).post_ids  # near y only
    assert cluster_of(store, late) == x  # not y's old cluster, which no longer exists
    assert set(store.network(late).post_ids) >= {x, y, late}


def test_a_changed_post_is_caught_up_by_other_writers(store, db_url, open_store):
    (x,) = store.upsert_posts([post(1, HEADLESS)]).post_ids
    other = open_store(db_url)
    other.upsert_posts([post(1, "Cửa hàng cần tuyển nhân viên bán hàng part-time ở Quận 3, lương theo giờ.")])
    (late,) = store.upsert_posts([post(2, FULL)]).post_ids  # near what x WAS
    assert cluster_of(store, late) == late  # x's old text is gone from this store's LSH


# -- concurrent writers ---------------------------------------------------------------------------


class PausedAtCommit:
    """Holds the first commit of an engine until released: its transaction stays open, with
    whatever locks it holds, while another writer runs."""

    def __init__(self, engine: sa.Engine) -> None:
        self.at_commit, self.release = threading.Event(), threading.Event()
        event.listen(engine, "commit", self._pause)

    def _pause(self, _conn) -> None:
        if not self.at_commit.is_set():
            self.at_commit.set()
            assert self.release.wait(timeout=60)


def run_in_thread(fn) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def target() -> None:
        try:
            out["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def advisory_waiters(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar_one()
    finally:
        engine.dispose()


def wait_until_blocked(db_url: str, thread: threading.Thread) -> None:
    """Until the second writer waits for the first one's lock (and has not finished)."""
    deadline = time.monotonic() + 20
    if db_url.startswith("postgresql"):
        while advisory_waiters(db_url) == 0:
            assert time.monotonic() < deadline, "the second writer never waited for the first"
            time.sleep(0.05)
    else:
        time.sleep(0.5)  # SQLite: BEGIN IMMEDIATE waits on the busy timeout (10 s)
    assert thread.is_alive()


def concurrent_upserts(db_url: str, open_store, first: list[PostIn], second: list[PostIn], *, blocked: bool):
    """`first` stops just before its commit; `second` runs meanwhile, then `first` commits."""
    store_a, store_b = open_store(db_url), open_store(db_url)  # two processes, as far as the data goes
    pause = PausedAtCommit(store_a.engine)
    thread_a, out_a = run_in_thread(lambda: store_a.upsert_posts(first))
    assert pause.at_commit.wait(timeout=60), out_a
    thread_b, out_b = run_in_thread(lambda: store_b.upsert_posts(second))
    if blocked:
        wait_until_blocked(db_url, thread_b)
    else:
        thread_b.join(timeout=60)
    pause.release.set()
    thread_a.join(timeout=60)
    thread_b.join(timeout=60)
    assert "error" not in out_a and "error" not in out_b, (out_a, out_b)
    return store_a, out_a["result"], out_b["result"]


def test_concurrent_writers_see_each_others_near_duplicates(db_url, open_store):
    store, a, b = concurrent_upserts(
        db_url, open_store, [post(1, HEADLESS)], [post(2, FULL), post(1, HEADLESS)], blocked=True,
    )
    (x,), (bridge, again) = a.post_ids, b.post_ids
    assert b.outcomes == ["new", "unchanged"] and again == x  # the same URL is not inserted twice
    assert cluster_of(store, bridge) == cluster_of(store, x) == x


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_without_the_lock_concurrent_postgresql_writers_miss_each_other(db_url, open_store, monkeypatch):
    """The control: what the advisory lock prevents does happen without it."""
    monkeypatch.setattr(clusters, "lock_writers", lambda s: None)
    store, a, b = concurrent_upserts(db_url, open_store, [post(1, HEADLESS)], [post(2, FULL)], blocked=False)
    (x,), (bridge,) = a.post_ids, b.post_ids
    assert cluster_of(store, x) == x and cluster_of(store, bridge) == bridge  # two clusters: missed
