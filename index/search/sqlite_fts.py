"""Search backend on SQLite FTS5, in the same database file as the store.

FTS5's `unicode61 remove_diacritics 2` strips tones but keeps đ, so we index FOLDED text
(classifier.text.fold, the same folding the query goes through). The folded text lives in
`search_docs`, the external content of the FTS table: FTS5 needs the exact indexed values to
delete a document when it is replaced. The original text stays in `posts` and snippets are cut
from it.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from classifier.text import fold

from index.engine import writer
from index.models import Post
from index.search.base import SearchBackend, SearchDoc, SearchHit, SearchPage, register
from index.search.query import parse_query, to_fts5
from index.search.snippets import make_snippet

TITLE_WEIGHT = 5.0  # bm25 column weight of the title against 1.0 for the text
MAX_LIMIT = 500
_CHUNK = 500

_DDL = (
    """CREATE TABLE IF NOT EXISTS search_docs (
        post_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        score REAL NOT NULL
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, text,
        content='search_docs', content_rowid='post_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
)
_MATCH_COUNT = sa.text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q")
_MATCH_PAGE = sa.text(
    f"SELECT rowid, bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS rank FROM search_fts "
    "WHERE search_fts MATCH :q ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
)
_FTS_DELETE = sa.text(
    "INSERT INTO search_fts(search_fts, rowid, title, text) VALUES('delete', :post_id, :title, :text)"
)
_FTS_INSERT = sa.text("INSERT INTO search_fts(rowid, title, text) VALUES (:post_id, :title, :text)")
_DOC_INSERT = sa.text(
    "INSERT INTO search_docs(post_id, title, text, source, score) "
    "VALUES (:post_id, :title, :text, :source, :score)"
)


@register("sqlite")
class SqliteSearch(SearchBackend):
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._ready = False

    def ensure_index(self) -> None:
        if self._ready:
            return
        if self._engine.dialect.name != "sqlite":
            raise RuntimeError(
                f"the sqlite search backend needs a SQLite database, not {self._engine.dialect.name}"
            )
        with self._writer.begin() as conn:
            for ddl in _DDL:
                conn.exec_driver_sql(ddl)
        self._ready = True

    def index_posts(self, docs: list[SearchDoc]) -> None:
        """Upsert by post_id, in one transaction; the last doc wins if an id repeats."""
        self.ensure_index()
        latest = {d.post_id: d for d in docs}
        if not latest:
            return
        rows = [
            {
                "post_id": d.post_id,
                "title": fold(d.title),
                "text": fold(d.text),
                "source": d.source,
                "score": float(d.score),
            }
            for d in latest.values()
        ]
        with self._writer.begin() as conn:
            for chunk in _chunks(list(latest), _CHUNK):
                old = conn.execute(
                    sa.text("SELECT post_id, title, text FROM search_docs WHERE post_id IN :ids")
                    .bindparams(sa.bindparam("ids", expanding=True)),
                    {"ids": chunk},
                ).mappings().all()
                if old:
                    conn.execute(_FTS_DELETE, [dict(r) for r in old])
                    conn.execute(
                        sa.text("DELETE FROM search_docs WHERE post_id IN :ids")
                        .bindparams(sa.bindparam("ids", expanding=True)),
                        {"ids": chunk},
                    )
            conn.execute(_DOC_INSERT, rows)
            conn.execute(_FTS_INSERT, [{k: r[k] for k in ("post_id", "title", "text")} for r in rows])

    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchPage:
        self.ensure_index()
        parsed = parse_query(query or "")
        expr = to_fts5(parsed)
        if expr is None:
            return SearchPage(total=0, hits=[])
        limit = max(0, min(int(limit), MAX_LIMIT))
        offset = max(0, int(offset))
        with self._engine.connect() as conn:
            total = conn.execute(_MATCH_COUNT, {"q": expr}).scalar_one()
            ranked = conn.execute(_MATCH_PAGE, {"q": expr, "limit": limit, "offset": offset}).all()
            texts = self._originals(conn, [r.rowid for r in ranked])
        terms = parsed.positive_tokens
        hits = []
        for r in ranked:
            title, text = texts.get(r.rowid, ("", ""))
            hits.append(
                SearchHit(
                    post_id=r.rowid,
                    score=-float(r.rank),  # bm25 is "lower is better"; hits are "higher is better"
                    title=make_snippet(title, terms),
                    text=make_snippet(text, terms),
                )
            )
        return SearchPage(total=total, hits=hits)

    def _originals(self, conn: sa.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Original title/text from posts; the folded indexed text if a post is not stored."""
        if not ids:
            return {}
        out: dict[int, tuple[str, str]] = {}
        if sa.inspect(conn).has_table(Post.__tablename__):
            rows = conn.execute(sa.select(Post.id, Post.title, Post.text).where(Post.id.in_(ids)))
            out = {r.id: (r.title, r.text) for r in rows}
        missing = [i for i in ids if i not in out]
        if missing:
            rows = conn.execute(
                sa.text("SELECT post_id, title, text FROM search_docs WHERE post_id IN :ids")
                .bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": missing},
            )
            out.update({r.post_id: (r.title, r.text) for r in rows})
        return out


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
