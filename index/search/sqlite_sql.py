"""Query -> SQL for the sqlite backend (FTS5 + side tables). Pure functions, bound parameters only.

Tables (see sqlite_fts.ddl): search_docs (one NARROW row per post: the filter/sort/facet
columns only, so the whole table stays in the page cache at 1M posts), search_text (original
title/text/url, read for the hits of one page only), search_terms (multi-valued fields: kind,
value, post_id) and search_fts (contentless FTS5 over the FOLDED title/text, rowid = post_id).

A text query runs as ONE statement (`text_search_sql`): the FTS5 match joined to search_docs is
materialised once, with bm25 computed only for rows that pass the filters; the exact total, the
exact facet buckets and the page are all read from that set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.search.docfields import FIELD, FIELDS, SORT_FIELDS, Use
from index.search.query import Phrase, Query, Range
from index.search.request import FACET_SIZE, range_is_empty

TITLE_WEIGHT = 5.0  # bm25 column weight of the title against 1.0 for the text
RANK = f"bm25(search_fts, {TITLE_WEIGHT}, 1.0)"

# sort -> (key expression, direction); the post_id tie-breaker goes the same direction.
SORT_KEYS = {
    "relevance": ("rank", "ASC"),
    **{sort: (f"d.{FIELD[name].sqlite}", "DESC") for sort, name in SORT_FIELDS.items()},
}
# Facets kept in a search_docs column (the others are search_terms rows of their name).
FACET_COLUMNS = {f.name: f.sqlite for f in FIELDS if Use.FACET in f.use and not f.multi}


def quote_phrase(phrase: Phrase) -> str:
    # Tokens hold letters and digits only; quoting still makes every token a plain string.
    return '"' + " ".join(phrase).replace('"', '""') + '"'


def to_fts5(required: tuple[tuple[Phrase, ...], ...], excluded: tuple[Phrase, ...] = ()) -> str | None:
    """The MATCH expression of the text part, or None without a positive term."""
    if not required:
        return None
    groups = []
    for group in required:
        alternatives = " OR ".join(quote_phrase(p) for p in group)
        groups.append(f"({alternatives})" if len(group) > 1 else alternatives)
    expr = " AND ".join(groups)
    for phrase in excluded:
        expr = f"({expr}) NOT {quote_phrase(phrase)}"
    return expr


@dataclass
class Plan:
    """FROM + WHERE of the matching set, shared by the count/facet and the page statements."""

    source: str
    where: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    has_text: bool = False
    match: str = ""  # the MATCH condition alone

    @property
    def text_only(self) -> bool:
        """Only the MATCH filters: count and relevance pages need not touch search_docs."""
        return self.has_text and self.where == [self.match]

    @property
    def filters(self) -> list[str]:
        """The conditions other than the MATCH (all on search_docs d or d.post_id)."""
        return [w for w in self.where if w != self.match]

    def bind(self, value: object) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def binds(self, values: tuple[str, ...]) -> str:
        return ", ".join(self.bind(v) for v in values)

    @property
    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def plan(query: Query) -> Plan:
    match = to_fts5(query.required, query.excluded)
    if match is not None:
        # CROSS JOIN keeps FTS5 as the outer loop: the MATCH is the selective part.
        p = Plan("search_fts CROSS JOIN search_docs d ON d.post_id = search_fts.rowid", has_text=True)
        p.match = f"search_fts MATCH {p.bind(match)}"
        p.where.append(p.match)
    else:
        p = Plan("search_docs d")
        for phrase in query.excluded:
            p.where.append(
                f"d.post_id NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {p.bind(quote_phrase(phrase))})"
            )
    for negate, filters in ((False, query.filters), (True, query.excluded_filters)):
        for name, values in sorted(filters.items()):
            op = "NOT IN" if negate else "IN"
            if not FIELD[name].multi:
                p.where.append(f"d.{FIELD[name].sqlite} {op} ({p.binds(values)})")
            else:
                p.where.append(
                    f"d.post_id {op} (SELECT post_id FROM search_terms WHERE kind = {p.bind(name)} "
                    f"AND value IN ({p.binds(values)}))"
                )
    if query.minor is not None:
        p.where.append(f"d.{FIELD['minor'].sqlite} = {p.bind(int(query.minor))}")
    for name, rng in sorted(query.ranges.items()):
        p.where.extend(_range_sql(p, f"d.{FIELD[name].sqlite}", rng))
    return p


def _range_sql(p: Plan, column: str, rng: Range) -> list[str]:
    if range_is_empty(rng):
        return ["0"]
    out = []
    if rng.lo is not None:
        out.append(f"{column} {'>=' if rng.lo_inclusive else '>'} {p.bind(rng.lo)}")
    if rng.hi is not None:
        out.append(f"{column} {'<=' if rng.hi_inclusive else '<'} {p.bind(rng.hi)}")
    return out


def count_sql(p: Plan) -> str:
    if p.text_only:
        return f"SELECT count(*) FROM search_fts WHERE {p.match}"
    return f"SELECT count(*) FROM {p.source} WHERE {p.where_sql}"


def facets_sql(p: Plan, facets: tuple[str, ...]) -> str:
    """Listings (no text): the exact total and the top buckets of each facet over a set built once.

    Rows are (facet, value, count); the total is the row whose facet is ''.
    """
    cols = ["d.post_id AS id"] + [f"d.{c} AS {c}" for f, c in FACET_COLUMNS.items() if f in facets]
    parts = ["SELECT '' AS facet, '' AS value, count(*) AS n FROM m"]
    parts += [f"SELECT facet, value, n FROM ({_facet_select(facet, PART_FACET)})" for facet in facets]
    return (
        f"WITH m AS MATERIALIZED (SELECT {', '.join(cols)} FROM {p.source} WHERE {p.where_sql}) "
        + " UNION ALL ".join(parts)
    )


def page_sql(p: Plan, sort: str, after: list | None, limit: int, offset: int) -> str:
    """Rows (id, key, rank) of one page in sort order; keyset on (key, id) when `after` is given.

    The backend uses it for listings (no text), which a sort index serves without a full sort;
    text queries go through text_search_sql."""
    key, direction = SORT_KEYS[sort]
    rank = RANK if p.has_text and sort == "relevance" else "0.0"
    key_expr = rank if key == "rank" else key
    if p.text_only and sort == "relevance":
        inner = f"SELECT rowid AS id, {rank} AS k, {rank} AS rank FROM search_fts WHERE {p.match}"
    else:
        inner = f"SELECT d.post_id AS id, {key_expr} AS k, {rank} AS rank FROM {p.source} WHERE {p.where_sql}"
    outer_where = ""
    if after is not None:
        cmp = ">" if direction == "ASC" else "<"
        outer_where = f" WHERE (k, id) {cmp} ({p.bind(after[0])}, {p.bind(after[1])})"
    sql = (
        f"SELECT id, k, rank FROM ({inner}){outer_where} ORDER BY k {direction}, id {direction} "
        f"LIMIT {p.bind(limit)}"
    )
    if offset and after is None:
        sql += f" OFFSET {p.bind(offset)}"
    return sql


# Row kinds of text_search_sql: (part, value, n, id, k, rank)
PART_TOTAL, PART_FACET, PART_HIT = 0, 1, 2


def text_search_sql(
    p: Plan, sort: str, after: list | None, limit: int, offset: int, facets: tuple[str, ...]
) -> str:
    """Total, facet buckets and one page of a text query from a single FTS5 pass.

    Rows are (part, facet/value, n, id, k, rank): part PART_TOTAL has the exact total in n;
    PART_FACET rows carry a bucket (value, count) and the facet name in `id`; PART_HIT rows are the
    page in order. The FTS5 match is evaluated once: m is MATERIALIZED.
    """
    assert p.has_text
    key, direction = SORT_KEYS[sort]
    rank = RANK if sort == "relevance" else "0.0"
    key_expr = rank if key == "rank" else key
    doc_facets = [c for f, c in FACET_COLUMNS.items() if f in facets]
    needs_docs = bool(p.filters) or key != "rank" or bool(doc_facets)
    id_col = "d.post_id" if needs_docs else "search_fts.rowid"
    cols = [f"{id_col} AS id", f"{key_expr} AS k", f"{rank} AS r"] + [f"d.{c} AS {c}" for c in doc_facets]
    source = p.source if needs_docs else "search_fts"
    m = f"SELECT {', '.join(cols)} FROM {source} WHERE {p.where_sql}"
    parts = ["SELECT 0, '', count(*), NULL, NULL, NULL FROM m"]
    for facet in facets:
        parts.append(f"SELECT * FROM ({_facet_select(facet, PART_FACET)})")
    hit_where = ""
    if after is not None:
        cmp = ">" if direction == "ASC" else "<"
        hit_where = f" WHERE (k, id) {cmp} ({p.bind(after[0])}, {p.bind(after[1])})"
    page = (
        f"SELECT {PART_HIT}, '', 0, id, k, r FROM m{hit_where} "
        f"ORDER BY k {direction}, id {direction} LIMIT {p.bind(limit)}"
    )
    if offset and after is None:
        page += f" OFFSET {p.bind(offset)}"
    parts.append(f"SELECT * FROM ({page})")
    return f"WITH m AS MATERIALIZED ({m}) " + " UNION ALL ".join(parts)


def _facet_select(facet: str, part: int) -> str:
    """Rows (part, value, n, facet, NULL, NULL) of one facet's top buckets over m (exact counts)."""
    tail = f"'{facet}' AS facet, NULL, NULL FROM m"
    if facet == "day":
        return (
            f"SELECT {part} AS part, day AS value, count(*) AS n, {tail} WHERE day != '' "
            f"GROUP BY day ORDER BY day DESC LIMIT {FACET_SIZE}"
        )
    if facet in FACET_COLUMNS:
        col = FACET_COLUMNS[facet]
        return (
            f"SELECT {part} AS part, {col} AS value, count(*) AS n, {tail} "
            f"GROUP BY {col} ORDER BY n DESC, {col} LIMIT {FACET_SIZE}"
        )
    if facet in FIELD and FIELD[facet].multi:
        return (
            f"SELECT {part} AS part, t.value AS value, count(*) AS n, {tail} "
            f"JOIN search_terms t ON t.post_id = m.id AND t.kind = '{facet}' "
            f"GROUP BY t.value ORDER BY n DESC, t.value LIMIT {FACET_SIZE}"
        )
    raise ValueError(f"unknown facet {facet!r}")  # SearchRequest validates names; guards direct callers
