"""Alembic migrations on real SQLite and PostgreSQL: the migrated schema IS the ORM metadata."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from index.document import PostIn
from index.engine import create_db_engine, writer
from index.migrate import alembic_config, current_revision, head_revision, include_name, upgrade_to_head
from index.models import Base

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database of its own (no tables at all)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/m.db"
    return request.getfixturevalue("pg_server").create_database()


@pytest.fixture
def engine(fresh_url):
    eng = create_db_engine(fresh_url)
    yield eng
    eng.dispose()


def schema_diffs(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def migrate(engine: sa.Engine, action, revision: str) -> None:
    with writer(engine).begin() as conn:
        action(alembic_config(conn), revision)


def test_migrated_schema_equals_the_models(engine, open_store, fresh_url):
    store = open_store(fresh_url)
    assert sa.inspect(store.engine).has_table("assessments")
    assert schema_diffs(engine) == []
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_open_twice_takes_the_fast_path(engine):
    assert upgrade_to_head(engine) is True
    assert upgrade_to_head(engine) is False


def test_downgrade_to_base_and_back(engine):
    upgrade_to_head(engine)
    migrate(engine, command.downgrade, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    assert upgrade_to_head(engine) is True
    assert schema_diffs(engine) == []


def test_pre_alembic_database_is_adopted_and_upgraded(engine, open_store, fresh_url):
    # The walking skeleton made revision 0001's tables with create_all and no version table.
    migrate(engine, command.upgrade, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.execute(
            sa.text(
                "INSERT INTO posts (source, url, canonical_url, title, text, content_hash, fetched_at,"
                " first_seen, last_seen, raw_sha256, score, is_lure, threshold, model_version,"
                " signals, categories, minor_risk, priority, status, updated_at) VALUES"
                " ('s', 'u', 'cu', 'Tuyển', 'Việc nhẹ lương cao', 'h', :t, :t, :t, 'r', 0.9, :yes,"
                " 0.5, 'm0', '[]', '[\"easy_money\"]', :no, 1, 'new', :t)"
            ),
            {"t": T0.replace(tzinfo=None), "yes": True, "no": False},
        )
    store = open_store(fresh_url)
    assert schema_diffs(engine) == []
    assert store.pending_post_ids() == [1]  # old posts are sent to the index once more
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT post_id, model_version, score, categories FROM assessments")).one()
    assert (row.post_id, row.model_version, row.score) == (1, "m0", 0.9)
    # Its near-dup signature is computed on the first ingest, so a repost clusters with it.
    repost = PostIn(
        source="s", url="u2", canonical_url="cu2", title="Tuyển", text="Việc nhẹ lương cao",
        posted_at=None, fetched_at=T0, raw_sha256="r2", score=0.9, is_lure=True, threshold=0.5,
        model_version="m1", signals=[], entities=[], categories=[], minor_risk=False, priority=1,
    )
    (pid,) = store.upsert_posts([repost]).post_ids
    assert store.network(pid).post_ids == [pid, 1]


def test_search_backend_tables_are_left_alone(tmp_path, open_store):
    url = f"sqlite:///{tmp_path}/fts.db"
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE search_docs (post_id INTEGER PRIMARY KEY, title TEXT)")
    assert schema_diffs(store.engine) == []
    again = open_store(url)
    assert sa.inspect(again.engine).has_table("search_docs")


def test_near_dup_revisions_start_at_one_for_signed_posts(engine, open_store, fresh_url):
    migrate(engine, command.upgrade, "0002")
    with engine.begin() as conn:
        for n, sig in ((1, b"\x01" * 512), (2, None)):
            conn.execute(
                sa.text(
                    "INSERT INTO posts (source, url, canonical_url, title, text, content_hash, fetched_at,"
                    " first_seen, last_seen, raw_sha256, score, is_lure, threshold, model_version, signals,"
                    " categories, minor_risk, priority, status, updated_at, index_state, near_dup_sig,"
                    " near_dup_cluster) VALUES ('s', :u, :u, 't', 'x', 'h', :t, :t, :t, 'r', 0.9, :yes, 0.5,"
                    " 'm0', '[]', '[]', :no, 1, 'new', :t, 'indexed', :sig, :cluster)"
                ),
                {"u": f"u{n}", "t": T0.replace(tzinfo=None), "yes": True, "no": False, "sig": sig,
                 "cluster": n if sig else None},
            )
    upgrade_to_head(engine)
    assert schema_diffs(engine) == []
    with engine.connect() as conn:
        revs = dict(conn.execute(sa.text("SELECT canonical_url, near_dup_rev FROM posts")).all())
    assert revs == {"u1": 1, "u2": None}  # the unsigned one is signed by the next ingest


def test_review_workflow_migration_counts_the_network_of_stored_posts(engine):
    migrate(engine, command.upgrade, "0004_sessions_and_login_throttle")
    with engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(
                sa.text(
                    "INSERT INTO posts (id, source, url, canonical_url, title, text, content_hash, fetched_at,"
                    " first_seen, last_seen, raw_sha256, score, is_lure, threshold, model_version, signals,"
                    " categories, minor_risk, priority, status, updated_at, index_state, minor_cues) VALUES"
                    " (:n, 's', :u, :u, 't', 'x', 'h', :t, :t, :t, 'r', 0.9, :yes, 0.5, 'm0', '[]', '[]', :no, 1,"
                    " 'new', :t, 'indexed', '[]')"
                ),
                {"n": n, "u": f"u{n}", "t": T0.replace(tzinfo=None), "yes": True, "no": False},
            )
        # Posts 1 and 2 share a phone; 3 has only a destination (not a contact).
        for post_id, kind, value in ((1, "phone", "+84912345678"), (2, "phone", "+84912345678"),
                                     (3, "destination", "KH")):
            conn.execute(
                sa.text("INSERT INTO entities (post_id, kind, value, span_start, span_end, raw)"
                        " VALUES (:p, :k, :v, 0, 1, :raw)"),
                {"p": post_id, "k": kind, "v": value, "raw": value},
            )
        conn.execute(sa.text("INSERT INTO reviews (post_id, username, decision, note, created_at)"
                             " VALUES (1, 'alice', 'lure', '', :t)"), {"t": T0.replace(tzinfo=None)})
    upgrade_to_head(engine)
    assert schema_diffs(engine) == []
    with engine.connect() as conn:
        sizes = dict(conn.execute(sa.text("SELECT id, network_size FROM posts ORDER BY id")).all())
        review = conn.execute(sa.text("SELECT reason, uncertain FROM reviews")).one()
    assert sizes == {1: 2, 2: 2, 3: 1}
    assert (review[0], bool(review[1])) == ("", False)
