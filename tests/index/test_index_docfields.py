"""The one table of search fields (index.search.docfields): every backend and the store read it,
so a new entity filter is one row."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from index.search import docfields, es_base
from index.search.docfields import FIELDS, TERMS, UPDATABLE_FIELDS
from index.search.sqlite_fts import SqliteSearch

REPO = Path(__file__).resolve().parents[2]


def test_every_sqlite_column_of_the_table_exists(tmp_path):
    backend = SqliteSearch(sa.create_engine(f"sqlite:///{tmp_path}/s.db"))
    backend.ensure_index()
    with backend._engine.connect() as conn:
        columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(search_docs)")}
    assert {f.sqlite for f in FIELDS if f.sqlite != TERMS} <= columns


def test_the_engine_mapping_is_the_table():
    props = es_base.index_body()["mappings"]["properties"]
    for f in FIELDS:
        assert props[f.es] == {"type": f.type}, f.name
    assert UPDATABLE_FIELDS == {"status", "score", "is_lure", "minor_risk", "priority", "model_version",
                                "categories", "destinations"}


# A kind the table does not have yet (e-wallets and USDT were added this way, one row each).
TIKTOK_ROW = (
    '    DocField("tiktok", "tiktoks", "tiktoks", KEYWORD, TERMS, KEY | Use.FACET, entity="tiktok"),\n'
)
SCRIPT = """
from datetime import datetime, timezone
from index.document import PostIn
from index.search import es_base
from index.search.factory import open_search
from index.search.query import parse_query
from index.search.request import SearchRequest
from index.settings import get_index_settings
from index.store import Store
from index.sync import catch_up

settings = get_index_settings(database_url="sqlite:///{db}")
store = Store.open(settings)
search = open_search(settings, store.engine)
handle = {{"kind": "tiktok", "value": "@tuyendung.vn", "start": 0, "end": 4, "raw": "tiktok"}}
store.upsert_posts([PostIn(
    source="s", url="https://ex.vn/1", canonical_url="https://ex.vn/1", title="Tuyển", text="qua tiktok",
    posted_at=None, fetched_at=datetime.now(timezone.utc), raw_sha256="0" * 64, score=0.9, is_lure=True,
    threshold=0.5, model_version="m", signals=[], entities=[handle], categories=[], minor_risk=False, priority=1,
)])
catch_up(store, search)
page = search.search(SearchRequest(query="tiktok:@tuyendung.vn", facets=("tiktok",)))
assert page.total == 1, page
assert page.facets["tiktok"] == [("@tuyendung.vn", 1)], page.facets
assert search.search("tiktok:@other").total == 0
assert es_base.index_body()["mappings"]["properties"]["tiktoks"] == {{"type": "keyword"}}
clause = es_base.query_clause(parse_query("tiktok:@x"))
assert clause == {{"bool": {{"filter": [{{"terms": {{"tiktoks": ["@x"]}}}}]}}}}, clause
print("ok")
"""


def test_a_new_entity_filter_is_one_row(tmp_path):
    """A copy of index/ with one more row in docfields.FIELDS: the store fills the field from the
    entities of that kind, sqlite filters and facets on it, the engines map and query it."""
    shutil.copytree(REPO / "index", tmp_path / "index", ignore=shutil.ignore_patterns("__pycache__"))
    table = tmp_path / "index" / "search" / "docfields.py"
    source = table.read_text(encoding="utf-8")
    anchor = '    DocField("bank", "banks"'
    assert source.count(anchor) == 1
    table.write_text(source.replace(anchor, TIKTOK_ROW + anchor), encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(db=tmp_path / "lw.db")], capture_output=True, text=True,
        env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_derived_values_agree_between_engines():
    from datetime import datetime, timezone

    from index.search.base import SearchDoc
    from index.search.sqlite_fts import doc_row

    doc = SearchDoc(1, "t", "x", "fb", 0.5, minor_risk=True, banks=("VCB:0123",),
                    first_seen=datetime(2026, 2, 14, 18, tzinfo=timezone.utc))
    src = es_base.doc_source(doc)
    assert src["day"] == "2026-02-15" and src["bank_accounts"] == ["0123"] and src["minor"] is True
    assert "posted_at" not in src  # unknown: absent on the engines, NULL in sqlite
    row = dict(zip(["post_id", *[f.sqlite for f in docfields.DOC_COLUMNS if f.derive is None],
                    *[f.sqlite for f in docfields.DOC_COLUMNS if f.derive is not None]], doc_row(doc)))
    assert row["day"] == src["day"] and row["first_seen"] == src["first_seen"] and row["posted_at"] is None
    assert ("bank_account", "0123") in docfields.terms_of(doc)
