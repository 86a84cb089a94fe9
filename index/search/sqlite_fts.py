"""Search backend on SQLite FTS5 (in the store's file or a file of its own).

FTS5's `unicode61 remove_diacritics 2` strips tones but keeps đ, so we index FOLDED text
(classifier.text.fold, the same folding the query goes through) in a CONTENTLESS FTS5 table.
The other tables are split by how often a query touches them:
- search_docs: one narrow row per post with the filter/sort/facet columns only. Every match of
  a text query is checked against it, so it must stay in the page cache (≈60 MB at 1M posts);
- search_text: the ORIGINAL title/text/url, read only for the hits of the page (snippets are
  cut from it, even when the store is PostgreSQL);
- search_terms: the multi-valued fields (kind, value, post_id).
Replacing a document tells FTS5 the folded values it indexed, recomputed from the stored
original (fold is deterministic; a change of fold needs `reindex`).
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from contextlib import AbstractContextManager, contextmanager
from operator import attrgetter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Self

import sqlalchemy as sa
from classifier.text import fold
from sqlalchemy import event

from index.engine import create_db_engine, writer
from index.search import sqlite_sql as sql
from index.search.base import SearchBackend, SearchDoc, SearchHit, SearchPage, SearchUnavailable
from index.search.docfields import DOC_COLUMNS, UPDATABLE, check_updatable, sqlite_value, terms_of
from index.search.query import Query
from index.search.request import SearchRequest, decode_cursor, encode_cursor, resolve
from index.search.snippets import make_snippet

if TYPE_CHECKING:
    from index.settings import IndexSettings

SCHEMA_VERSION = "3"
_CHUNK = 500
REINDEX_BATCH = 5000
CACHE_KIB = 128 * 1024  # page cache per connection: search_docs + hot FTS pages at 1M posts
MMAP_BYTES = 1 << 30  # reads of a big index go through the OS page cache without a copy

TABLES = ("search_docs", "search_text", "search_terms", "search_fts")


# Characters on which FTS5's own folding (unicode61 remove_diacritics 2: lowercase, strip every
# diacritic) gives the same tokens as classifier.text.fold: ASCII and the precomposed Vietnamese
# letters except đ/Đ (FTS5 keeps đ; fold makes it d). tests/index/test_index_sqlite_fts_form.py
# checks each of them against SQLite's tokenizer.
VIETNAMESE_LETTERS = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
)
FTS_SAFE = "\x00-\x7f" + VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
_UNSAFE = re.compile(f"[^{FTS_SAFE}đĐ]")


def fts_form(text: str) -> str:
    """What FTS5 is given for `text`: tokenises exactly like fold(text), at a fraction of its cost.

    fold translates char by char in Python (about a third of the bulk indexing time); on the
    usual Vietnamese text only đ needs our help, the rest FTS5 folds the same way itself. Any
    other character sends the text through fold.
    """
    if _UNSAFE.search(text) is None:
        return text.replace("đ", "d").replace("Đ", "D")  # str.replace runs in C; translate does not
    return fold(text)


def table_ddl(suffix: str = "") -> list[str]:
    """CREATE TABLE statements of one generation (suffix "" is the live one)."""
    docs, text, terms, fts = (f"{t}{suffix}" for t in TABLES)
    return [
        f"""CREATE TABLE IF NOT EXISTS {docs} (
            post_id INTEGER PRIMARY KEY,
            source TEXT NOT NULL, score REAL NOT NULL,
            status TEXT NOT NULL DEFAULT 'new',
            is_lure INTEGER NOT NULL DEFAULT 0, minor INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            first_seen INTEGER NOT NULL DEFAULT 0, posted_at INTEGER,
            day TEXT NOT NULL DEFAULT '', model_version TEXT NOT NULL DEFAULT ''
        )""",
        f"""CREATE TABLE IF NOT EXISTS {text} (
            post_id INTEGER PRIMARY KEY,
            title TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL DEFAULT ''
        )""",
        f"""CREATE TABLE IF NOT EXISTS {terms} (
            kind TEXT NOT NULL, value TEXT NOT NULL, post_id INTEGER NOT NULL,
            PRIMARY KEY (kind, value, post_id)
        ) WITHOUT ROWID""",
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(
            title, text, content='', tokenize='unicode61 remove_diacritics 2'
        )""",
    ]


def index_ddl(suffix: str = "") -> list[str]:
    """Secondary indexes; a reindex creates them after the bulk load (one sort, not 1M inserts)."""
    tag = secrets.token_hex(3)  # index names must not collide with the live ones during reindex
    docs, _, terms, _ = (f"{t}{suffix}" for t in TABLES)
    return [
        # Filter-only listings sort by newest/score; these serve them without a sort step.
        f"CREATE INDEX IF NOT EXISTS {docs}_newest_{tag} ON {docs}(first_seen)",
        f"CREATE INDEX IF NOT EXISTS {docs}_source_{tag} ON {docs}(source, first_seen)",
        f"CREATE INDEX IF NOT EXISTS {docs}_status_{tag} ON {docs}(status, first_seen)",
        f"CREATE INDEX IF NOT EXISTS {docs}_score_{tag} ON {docs}(score)",
        # Facets and deletes go from a post to its terms.
        f"CREATE INDEX IF NOT EXISTS {terms}_post_{tag} ON {terms}(post_id, kind, value)",
    ]


def ddl(suffix: str = "") -> list[str]:
    return table_ddl(suffix) + index_ddl(suffix)


_META = "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
# search_docs columns: those read from a SearchDoc attribute as is (sqlite3 binds bools as 0/1),
# then the derived ones (epoch seconds, the Vietnam day).
_PLAIN = [f for f in DOC_COLUMNS if f.derive is None]
_DERIVED = [f for f in DOC_COLUMNS if f.derive is not None]
_plain_values = attrgetter(*(f.attr for f in _PLAIN))
_derived_values = [(f.derive, f.missing) for f in _DERIVED]
_INSERT_DOC = (
    f"INSERT INTO search_docs{{suffix}} (post_id, {', '.join(f.sqlite for f in _PLAIN + _DERIVED)}) "
    f"VALUES ({', '.join('?' * (len(DOC_COLUMNS) + 1))})"
)


def doc_row(d: SearchDoc) -> tuple:
    """The search_docs values of a doc, in _INSERT_DOC's order (bulk indexing: kept lean)."""
    return (d.post_id, *_plain_values(d), *[missing if (v := derive(d)) is None else v  # type: ignore[misc]
                                            for derive, missing in _derived_values])


class SqliteSearch(SearchBackend):
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._ready = False
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _tune_connection)

    @classmethod
    def from_settings(cls, settings: IndexSettings, store_engine: sa.Engine) -> Self:
        """Its own file (search_sqlite_url), else the store's SQLite file."""
        if settings.search_sqlite_url:
            return cls(create_db_engine(settings.search_sqlite_url))
        if store_engine.dialect.name != "sqlite":
            raise ValueError(
                "the sqlite search backend needs LUREWATCH_SEARCH_SQLITE_URL when the store is not SQLite"
            )
        return cls(store_engine)

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._available(self._writer.begin) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._available(self._engine.connect) as conn:
            yield conn

    @contextmanager
    def _available(self, connect: Callable[[], AbstractContextManager[sa.Connection]]) -> Iterator[sa.Connection]:
        """A database still locked by another writer after the busy timeout is an engine that
        cannot serve now (SearchUnavailable: posts stay pending); any other error propagates."""
        try:
            with connect() as conn:
                yield conn
        except (sqlite3.OperationalError, sa.exc.OperationalError) as exc:
            if not any(word in str(exc) for word in ("locked", "busy")):
                raise
            raise SearchUnavailable(
                "Search is unavailable: the search database is busy; try again later",
                f"SQLite search at {self._engine.url.database}: {exc}",
            ) from exc

    # -- schema ------------------------------------------------------------------------------

    def ensure_index(self) -> None:
        if self._ready:
            return
        if self._engine.dialect.name != "sqlite":
            raise RuntimeError(
                f"the sqlite search backend needs a SQLite database, not {self._engine.dialect.name}"
            )
        with self._write() as conn:
            c = conn.connection.driver_connection
            c.execute(_META)
            row = c.execute("SELECT value FROM search_meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                # An index of another layout (or none): rebuild empty; `reindex` refills it.
                for table in reversed(TABLES):
                    c.execute(f"DROP TABLE IF EXISTS {table}")
                c.execute("INSERT OR REPLACE INTO search_meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            for stmt in ddl():
                c.execute(stmt)
        self._ready = True

    # -- writes ------------------------------------------------------------------------------

    def index_posts(self, docs: list[SearchDoc]) -> None:
        """Upsert by post_id, in one transaction; the last doc wins if an id repeats."""
        self.ensure_index()
        latest = list({d.post_id: d for d in docs}.values())
        if not latest:
            return
        with self._write() as conn:
            c = conn.connection.driver_connection
            for chunk in _chunks(latest, _CHUNK):
                self._remove(c, [d.post_id for d in chunk])
                _insert(c, chunk)

    def delete(self, post_ids: list[int]) -> int:
        self.ensure_index()
        removed = 0
        with self._write() as conn:
            c = conn.connection.driver_connection
            for chunk in _chunks(list(dict.fromkeys(post_ids)), _CHUNK):
                removed += self._remove(c, chunk)
        return removed

    def update_fields(self, post_id: int, **fields: object) -> bool:
        check_updatable(fields)
        self.ensure_index()
        with self._write() as conn:
            c = conn.connection.driver_connection
            if c.execute("SELECT 1 FROM search_docs WHERE post_id = ?", (post_id,)).fetchone() is None:
                return False
            columns = {UPDATABLE[k]: v for k, v in fields.items() if not UPDATABLE[k].multi}
            if columns:
                sets = ", ".join(f"{f.sqlite} = ?" for f in columns)
                values = [sqlite_value(f, v) for f, v in columns.items()]
                c.execute(f"UPDATE search_docs SET {sets} WHERE post_id = ?", (*values, post_id))
            for name, values in fields.items():
                f = UPDATABLE[name]
                if f.multi:
                    c.execute("DELETE FROM search_terms WHERE post_id = ? AND kind = ?", (post_id, f.name))
                    c.executemany(
                        "INSERT OR IGNORE INTO search_terms VALUES (?, ?, ?)",
                        [(f.name, v, post_id) for v in values],  # type: ignore[attr-defined]
                    )
        return True

    def reindex(self, docs: Iterable[SearchDoc]) -> str:
        """New tables filled in committed chunks (readers keep the live ones), then one swap.

        The new tables get their secondary indexes after the load and their FTS5 segments
        merged into one ('optimize'), so the new index starts as fast as it can be.
        """
        self.ensure_index()
        suffix = "__next"
        with self._write() as conn:
            c = conn.connection.driver_connection
            for table in reversed(TABLES):
                c.execute(f"DROP TABLE IF EXISTS {table}{suffix}")  # a crashed earlier attempt
            for stmt in table_ddl(suffix):
                c.execute(stmt)
        batch: list[SearchDoc] = []

        def flush() -> None:
            with self._write() as conn:
                _insert(conn.connection.driver_connection, list({d.post_id: d for d in batch}.values()), suffix)
            batch.clear()

        for doc in docs:
            batch.append(doc)
            if len(batch) >= REINDEX_BATCH:
                flush()
        if batch:
            flush()
        with self._write() as conn:
            c = conn.connection.driver_connection
            for stmt in index_ddl(suffix):
                c.execute(stmt)
            c.execute(f"INSERT INTO search_fts{suffix}(search_fts{suffix}) VALUES ('optimize')")
        with self._write() as conn:
            c = conn.connection.driver_connection
            for table in TABLES:
                c.execute(f"DROP TABLE {table}")
            for table in TABLES:
                c.execute(f"ALTER TABLE {table}{suffix} RENAME TO {table}")
            row = c.execute("SELECT value FROM search_meta WHERE key = 'generation'").fetchone()
            generation = int(row[0]) + 1 if row else 2
            c.execute("INSERT OR REPLACE INTO search_meta VALUES ('generation', ?)", (str(generation),))
        return f"search_fts-v{generation}"

    @staticmethod
    def _remove(c, ids: list[int], suffix: str = "") -> int:  # type: ignore[no-untyped-def]
        """Delete docs (and their FTS entries, given the folded text they were indexed with)."""
        marks = ", ".join("?" * len(ids))
        old = c.execute(
            f"SELECT post_id, title, text FROM search_text{suffix} WHERE post_id IN ({marks})", ids
        ).fetchall()
        if not old:
            return 0
        fts = f"search_fts{suffix}"
        c.executemany(
            f"INSERT INTO {fts}({fts}, rowid, title, text) VALUES('delete', ?, ?, ?)",
            [(pid, fts_form(title), fts_form(text)) for pid, title, text in old],
        )
        gone = [r[0] for r in old]
        marks = ", ".join("?" * len(gone))
        for table in ("search_docs", "search_text", "search_terms"):
            c.execute(f"DELETE FROM {table}{suffix} WHERE post_id IN ({marks})", gone)
        return len(gone)

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        self.ensure_index()
        with self._read() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar_one()

    def search_request(self, req: SearchRequest) -> SearchPage:
        self.ensure_index()
        query = resolve(req)
        sort = query.effective_sort
        after = decode_cursor(query, req.cursor, 2) if req.cursor else None
        plan = sql.plan(query)
        facets: dict[str, list[tuple[str, int]]] = {f: [] for f in req.facets}
        with self._read() as conn:
            c = conn.connection.driver_connection
            if plan.has_text:
                total, rows = self._text_search(c, plan, sort, after, req, facets)
            else:
                total, rows = self._listing(c, plan, sort, after, req, facets)
            texts = _originals(c, [r[0] for r in rows])
        hits = [self._hit(query, pid, rank, texts.get(pid, ("", "")), req.highlight) for pid, _, rank in rows]
        next_cursor = None
        if rows and len(rows) == req.size:
            last = rows[-1]
            next_cursor = encode_cursor(query, [last[1], last[0]])
        return SearchPage(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    @staticmethod
    def _text_search(c, plan, sort, after, req, facets):  # type: ignore[no-untyped-def]
        """One FTS5 pass: total, facets and the page from the same materialised match set."""
        total, rows = 0, []
        stmt = sql.text_search_sql(plan, sort, after, req.size, req.offset, req.facets)
        for part, value, n, ident, key, rank in c.execute(stmt, plan.params):
            if part == sql.PART_TOTAL:
                total = n
            elif part == sql.PART_FACET:
                facets[ident].append((value, n))  # ident is the facet name on facet rows
            else:
                rows.append((ident, key, rank))  # and the post id on hit rows
        return total, rows

    @staticmethod
    def _listing(c, plan, sort, after, req, facets):  # type: ignore[no-untyped-def]
        """No text: count/facets over the filters, the page straight from a sort index."""
        if req.facets:
            total = 0
            for facet, value, n in c.execute(sql.facets_sql(plan, req.facets), plan.params):
                if facet == "":
                    total = n
                else:
                    facets[facet].append((value, n))
        else:
            total = c.execute(sql.count_sql(plan), plan.params).fetchone()[0]
        rows = []
        if total and req.size:
            rows = c.execute(sql.page_sql(plan, sort, after, req.size, req.offset), plan.params).fetchall()
        return total, rows

    @staticmethod
    def _hit(query: Query, pid: int, rank: float, texts: tuple[str, str], highlight: bool) -> SearchHit:
        terms = query.positive_tokens if highlight else set()
        title, text = texts
        # bm25 is "lower is better"; hits are "higher is better".
        return SearchHit(post_id=pid, score=-float(rank) if rank else 0.0,
                         title=make_snippet(title, terms), text=make_snippet(text, terms))


def _insert(c, docs: list[SearchDoc], suffix: str = "") -> None:  # type: ignore[no-untyped-def]
    c.executemany(_INSERT_DOC.format(suffix=suffix), [doc_row(d) for d in docs])
    c.executemany(
        f"INSERT INTO search_text{suffix} VALUES (?, ?, ?, ?)", [(d.post_id, d.title, d.text, d.url) for d in docs]
    )
    c.executemany(
        f"INSERT INTO search_fts{suffix}(rowid, title, text) VALUES (?, ?, ?)",
        [(d.post_id, fts_form(d.title), fts_form(d.text)) for d in docs],
    )
    c.executemany(
        f"INSERT OR IGNORE INTO search_terms{suffix} VALUES (?, ?, ?)",
        [(kind, value, d.post_id) for d in docs for kind, value in terms_of(d)],
    )


def _originals(c, ids: list[int]) -> dict[int, tuple[str, str]]:  # type: ignore[no-untyped-def]
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = c.execute(f"SELECT post_id, title, text FROM search_text WHERE post_id IN ({marks})", ids)
    return {pid: (title, text) for pid, title, text in rows}


def _tune_connection(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]

