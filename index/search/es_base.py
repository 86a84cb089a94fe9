"""The shared base of the Elasticsearch and OpenSearch backends.

Pure functions build every request body (mapping, documents, bulk actions, queries, facets,
sorts, alias switches) and read every response; `EsLikeSearch` runs the use cases and leaves
only the sending to a subclass, which wraps its own client (opensearch.py, elasticsearch.py).

Text is folded AND tokenized in Python (classifier.text.fold and the query's TOKEN, the same
as sqlite and the query): `title_folded`/`text_folded` hold the tokens joined by spaces, so the
engine's core `standard` analyzer finds exactly those tokens. Nothing needs the analysis-common
module (pattern/whitespace tokenizers), which a bare Elasticsearch node lacks. The ORIGINAL
title/text ride along in _source: snippets are cut from them in Python, so every backend
highlights the same way. Deletes are bulk deletes by id (delete-by-query needs the reindex
module).

Indices are versioned (`<alias>-v<N>`) behind an alias that readers and writers use; reindex
builds the next version and moves the alias in one atomic request. One primary shard keeps
facet counts exact (terms aggregations are approximate across shards).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Self

from index.search.base import SearchBackend, SearchDoc, SearchHit, SearchPage, SearchUnavailable
from index.search.docfields import FIELD, FIELDS, KEYWORD, SORT_FIELDS, UPDATABLE, check_updatable, es_value
from index.search.query import Phrase, Query, Range, tokens
from index.search.request import FACET_SIZE, SearchRequest, decode_cursor, encode_cursor, range_is_empty, resolve
from index.search.snippets import make_snippet

if TYPE_CHECKING:
    import sqlalchemy as sa

    from index.settings import IndexSettings

DEFAULT_ALIAS = "lurewatch-posts"
MAPPING_VERSION = 2  # 2: text tokenized in Python, core standard analyzer (was a pattern tokenizer)
TITLE_BOOST = 5.0  # as sqlite's bm25 title weight
BULK_CHUNK = 1000

# sort -> the engine's sort clause, post_id breaking ties (docfields.SORT_FIELDS: descending).
SORTS = {
    "relevance": [{"_score": "desc"}, {"post_id": "asc"}],
    **{sort: [{FIELD[name].es: "desc"}, {"post_id": "desc"}] for sort, name in SORT_FIELDS.items()},
}

# -- index layout ---------------------------------------------------------------------------------


def index_name(alias: str, version: int) -> str:
    return f"{alias}-v{version}"


def index_version(alias: str, name: str) -> int | None:
    m = re.fullmatch(re.escape(alias) + r"-v(\d+)", name)
    return int(m.group(1)) if m else None


def next_index_name(alias: str, existing: Iterable[str]) -> str:
    versions = [v for v in (index_version(alias, n) for n in existing) if v is not None]
    return index_name(alias, max(versions, default=0) + 1)


def index_body(replicas: int | None = None) -> dict:
    """Settings and mapping of one index version; replicas None keeps the cluster's default."""
    settings: dict = {"number_of_shards": 1}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    return {
        "settings": settings,
        "mappings": {
            "dynamic": "strict",
            "_meta": {"mapping_version": MAPPING_VERSION},
            "properties": {
                "post_id": {"type": "long"},
                "title": {"type": "text", "index": False},
                "text": {"type": "text", "index": False},
                # Tokens already cut in Python (folded_tokens): "standard" only splits at the spaces.
                "title_folded": {"type": "text", "analyzer": "standard"},
                "text_folded": {"type": "text", "analyzer": "standard"},
                "url": {"type": KEYWORD, "index": False},
                # The search fields (docfields): score is a double so score:>=0.8 agrees with
                # sqlite's REAL; dates are epoch seconds.
                **{f.es: {"type": f.type} for f in FIELDS},
            },
        },
    }


def loading_index_body(replicas: int | None = None) -> dict:
    """index_body for a bulk load: no periodic refresh until LOADED_SETTINGS is put."""
    body = index_body(replicas)
    body["settings"]["refresh_interval"] = "-1"
    return body


# After a bulk load: the default refresh interval again (null resets a setting).
LOADED_SETTINGS = {"index": {"refresh_interval": None}}


def alias_switch_actions(alias: str, old: Iterable[str], new: str) -> dict:
    """One atomic request: the alias leaves every old index and points at the new one."""
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new, "alias": alias, "is_write_index": True}})
    return {"actions": actions}


# -- documents ------------------------------------------------------------------------------------


def folded_tokens(text: str) -> str:
    """The query tokenizer's tokens of fold(text), joined by spaces (what the engine indexes)."""
    return " ".join(tokens(text))


def doc_source(d: SearchDoc) -> dict:
    body: dict = {
        "post_id": d.post_id,
        "title": d.title,
        "text": d.text,
        "title_folded": folded_tokens(d.title),
        "text_folded": folded_tokens(d.text),
        "url": d.url,
    }
    for f in FIELDS:
        value = es_value(f, f.value(d))
        if value is not None:  # absent, as a missing posted_at or day
            body[f.es] = value
    return body


def index_actions(index: str, docs: Iterable[SearchDoc]) -> Iterator[dict]:
    for d in docs:
        yield {"_op_type": "index", "_index": index, "_id": str(d.post_id), "_source": doc_source(d)}


def update_doc(fields: dict[str, object]) -> dict:
    check_updatable(fields)
    return {UPDATABLE[name].es: es_value(UPDATABLE[name], value) for name, value in fields.items()}


def delete_operations(index: str, post_ids: Iterable[int]) -> list[dict]:
    """_bulk body lines that delete these posts by id."""
    return [{"delete": {"_index": index, "_id": str(i)}} for i in post_ids]


def read_deleted(response: dict) -> int:
    """How many documents a bulk of deletes removed; a failure other than "not found" raises."""
    deleted = 0
    failed = []
    for item in response.get("items", []):
        result = item.get("delete", {})
        if result.get("result") == "deleted":
            deleted += 1
        elif result.get("status") != 404:
            failed.append(item)  # as the bulk helpers report failures: {"delete": {...}}
    if failed:
        raise BulkError(len(failed), failed)
    return deleted


# -- queries --------------------------------------------------------------------------------------


def phrase_clause(phrase: Phrase) -> dict:
    """The phrase in the title (boosted) or in the text."""
    text = " ".join(phrase)
    return {
        "bool": {
            "should": [
                {"match_phrase": {"title_folded": {"query": text, "boost": TITLE_BOOST}}},
                {"match_phrase": {"text_folded": {"query": text}}},
            ],
            "minimum_should_match": 1,
        }
    }


def range_clause(field: str, rng: Range) -> dict:
    if range_is_empty(rng):
        return {"match_none": {}}
    bounds: dict = {}
    if rng.lo is not None:
        bounds["gte" if rng.lo_inclusive else "gt"] = rng.lo
    if rng.hi is not None:
        bounds["lte" if rng.hi_inclusive else "lt"] = rng.hi
    return {"range": {field: bounds}}


def query_clause(q: Query) -> dict:
    must = []
    for group in q.required:
        if len(group) == 1:
            must.append(phrase_clause(group[0]))
        else:
            must.append({"bool": {"should": [phrase_clause(p) for p in group], "minimum_should_match": 1}})
    must_not = [phrase_clause(p) for p in q.excluded]
    filters = [{"terms": {FIELD[name].es: list(values)}} for name, values in sorted(q.filters.items())]
    must_not += [{"terms": {FIELD[name].es: list(values)}} for name, values in sorted(q.excluded_filters.items())]
    if q.minor is not None:
        filters.append({"term": {FIELD["minor"].es: q.minor}})
    filters += [range_clause(FIELD[name].es, rng) for name, rng in sorted(q.ranges.items())]
    if not (must or must_not or filters):
        return {"match_all": {}}
    clause: dict = {}
    if must:
        clause["must"] = must
    if filters:
        clause["filter"] = filters
    if must_not:
        clause["must_not"] = must_not
    return {"bool": clause}


def facet_aggs(facets: Iterable[str]) -> dict:
    aggs = {}
    for facet in facets:
        order = [{"_key": "desc"}] if facet == "day" else [{"_count": "desc"}, {"_key": "asc"}]
        aggs[facet] = {"terms": {"field": FIELD[facet].es, "size": FACET_SIZE, "order": order}}
    return aggs


def search_body(q: Query, req: SearchRequest) -> dict:
    """The whole _search body: query, exact total, sort with a tie-breaker, page, facets."""
    body: dict = {
        "query": query_clause(q),
        "track_total_hits": True,
        "sort": SORTS[q.effective_sort],
        "size": req.size,
        "_source": ["post_id", "title", "text"],
    }
    if req.cursor:
        body["search_after"] = decode_cursor(q, req.cursor, 2)
    elif req.offset:
        body["from"] = req.offset
    if req.facets:
        body["aggs"] = facet_aggs(req.facets)
    return body


def read_page(q: Query, req: SearchRequest, response: dict) -> SearchPage:
    hits_part = response["hits"]
    terms = q.positive_tokens if req.highlight else set()
    hits = []
    for h in hits_part["hits"]:
        src = h.get("_source", {})
        score = h.get("_score") if q.effective_sort == "relevance" else None
        hits.append(SearchHit(
            post_id=int(src.get("post_id", h["_id"])),
            score=float(score or 0.0),
            title=make_snippet(src.get("title", ""), terms),
            text=make_snippet(src.get("text", ""), terms),
        ))
    facets = {
        name: [(str(b["key"]), int(b["doc_count"])) for b in agg["buckets"]]
        for name, agg in (response.get("aggregations") or {}).items()
    }
    next_cursor = None
    raw_hits = hits_part["hits"]
    if raw_hits and len(raw_hits) == req.size:
        next_cursor = encode_cursor(q, list(raw_hits[-1]["sort"]))
    return SearchPage(total=int(hits_part["total"]["value"]), hits=hits, facets=facets, next_cursor=next_cursor)


# -- the use cases, over an abstract client ----------------------------------------------------------


class EsLikeSearch(SearchBackend):
    """Everything but the transport; subclasses implement the `_send_*` methods with their client.

    Every use case runs inside `_engine_call`: a client error that means "engine down or not
    serving" (subclass's `_unavailable_reason`) becomes SearchUnavailable with a one-line
    message; any other error (a bug, a bad request) propagates unchanged.
    """

    engine_name = "search engine"  # in log details: "OpenSearch at http://...: <cause>"

    def __init__(self, hosts: list[str] | str = "http://127.0.0.1:9200", alias: str = DEFAULT_ALIAS,
                 refresh: bool = False, replicas: int | None = None, client: object | None = None,
                 timeout: float = 10.0, max_retries: int = 3, retry_on_timeout: bool = True,
                 **client_options: object) -> None:
        """hosts: every node's URL (a list, or one comma-separated string): a dead node is retried
        on the next one. timeout is per request, in seconds; max_retries counts retries over the
        nodes. Extra keyword arguments go to the engine's client as they are (auth, TLS, ...)."""
        self.alias = alias
        # True in tests (a write is visible to the next search); False in production bulk paths.
        self.refresh = refresh
        self.replicas = replicas  # None: the cluster's default (a single test node wants 0)
        self.hosts = parse_hosts(hosts)  # for messages; the client holds the connections
        self._ready = False
        options = self._client_options(timeout, max_retries, retry_on_timeout) | client_options
        self.client = client or self._make_client(self.hosts, options)

    @classmethod
    def from_settings(cls, settings: IndexSettings, store_engine: sa.Engine) -> Self:
        """Every node of the cluster, the alias, timeouts, retries and replicas from settings."""
        return cls(hosts=settings.search_urls, alias=settings.search_alias, timeout=settings.search_timeout_s,
                   max_retries=settings.search_max_retries, replicas=settings.search_replicas)

    @abstractmethod
    def _client_options(self, timeout: float, max_retries: int, retry_on_timeout: bool) -> dict:
        """The client's own names for these; sniffing stays off (nodes may publish addresses the
        application cannot reach)."""

    @abstractmethod
    def _make_client(self, hosts: list[str], options: dict) -> object:
        """The engine's client; its package is imported here because it is optional."""

    @abstractmethod
    def _bulk_helpers(self):  # type: ignore[no-untyped-def]
        """The client package's `helpers` module (bulk)."""

    def ensure_index(self) -> None:
        with self._engine_call("the search index"):
            self._ensure_index()

    def _ensure_index(self) -> None:
        if self._ready:
            return
        if not self._send_alias_exists(self.alias):
            name = next_index_name(self.alias, self._send_list_indices(self.alias))
            self._send_create_index(name, index_body(self.replicas))
            self._send_update_aliases(alias_switch_actions(self.alias, [], name))
        else:
            # An index made before a search field was added (docfields) would refuse documents
            # that carry it (dynamic: strict): adding fields to a mapping is allowed in place,
            # and putting the fields it already has changes nothing.
            self._send_put_mapping(self.alias, index_body()["mappings"]["properties"])
        self._ready = True

    def index_posts(self, docs: list[SearchDoc]) -> None:
        latest = list({d.post_id: d for d in docs}.values())
        with self._engine_call("indexing"):
            self._ensure_index()
            if latest:
                self._send_bulk(index_actions(self.alias, latest), refresh=self.refresh)

    def update_fields(self, post_id: int, **fields: object) -> bool:
        body = update_doc(fields)
        with self._engine_call("indexing"):
            self._ensure_index()
            return self._send_update(self.alias, post_id, body, refresh=self.refresh)

    def delete(self, post_ids: list[int]) -> int:
        ids = sorted(set(post_ids))
        deleted = 0
        with self._engine_call("indexing"):
            self._ensure_index()
            for start in range(0, len(ids), BULK_CHUNK):
                chunk = delete_operations(self.alias, ids[start : start + BULK_CHUNK])
                deleted += read_deleted(self._send_bulk_operations(chunk, refresh=self.refresh))
        return deleted

    def count(self) -> int:
        with self._engine_call("search"):
            self._ensure_index()
            return self._send_count(self.alias)

    def search_request(self, req: SearchRequest) -> SearchPage:
        q = resolve(req)
        body = search_body(q, req)  # before any I/O: a bad cursor is a QueryError, not a 400
        with self._engine_call("search"):
            self._ensure_index()
            response = self._send_search(self.alias, body)
        return read_page(q, req, response)

    def reindex(self, docs: Iterable[SearchDoc]) -> str:
        """Next versioned index, bulk loaded and refreshed, then one atomic alias switch."""
        with self._engine_call("reindexing"):
            self._ensure_index()
            old = self._send_alias_targets(self.alias)
            new = next_index_name(self.alias, self._send_list_indices(self.alias))
            # No refresh during the load (a refresh per bulk chunk halved the rate), one at the end.
            self._send_create_index(new, loading_index_body(self.replicas))
            self._send_bulk(index_actions(new, docs), refresh=False)
            self._send_put_settings(new, LOADED_SETTINGS)
            self._send_refresh(new)
            self._send_update_aliases(alias_switch_actions(self.alias, old, new))
            for name in old:
                self._send_delete_index(name)
        return new

    def drop_all(self) -> None:
        """Delete every version of this alias's index (tests and teardown)."""
        with self._engine_call("the search index"):
            for name in self._send_list_indices(self.alias):
                self._send_delete_index(name)
        self._ready = False

    @contextmanager
    def _engine_call(self, what: str) -> Iterator[None]:
        try:
            yield
        except SearchUnavailable:
            raise
        except Exception as exc:
            reason = self._unavailable_reason(exc)
            if reason is None and isinstance(exc, BulkError) and bulk_failures_mean_unavailable(exc.errors):
                reason = f"bulk items refused: {str(exc)[:200]}"
            if reason is None:
                raise
            raise SearchUnavailable(
                f"{what[:1].upper()}{what[1:]} is unavailable: the search engine is not responding; "
                "try again later",
                f"{self.engine_name} at {', '.join(self.hosts) or '?'}: {reason}",
            ) from exc

    def _unavailable_reason(self, exc: Exception) -> str | None:
        """A short reason when `exc` means the engine is down or not serving; None otherwise."""
        return None

    # -- transport (one client call each) ------------------------------------------------------

    @abstractmethod
    def _send_alias_exists(self, alias: str) -> bool: ...

    @abstractmethod
    def _send_alias_targets(self, alias: str) -> list[str]: ...

    @abstractmethod
    def _send_list_indices(self, alias: str) -> list[str]:
        """Names of the `<alias>-v*` indices."""

    @abstractmethod
    def _send_create_index(self, name: str, body: dict) -> None: ...

    @abstractmethod
    def _send_delete_index(self, name: str) -> None: ...

    @abstractmethod
    def _send_update_aliases(self, body: dict) -> None: ...

    def _send_bulk(self, actions: Iterable[dict], *, refresh: bool) -> None:
        """Raise if any action failed (count, never drop silently)."""
        ok, errors = self._bulk_helpers().bulk(self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=False,
                                               refresh="true" if refresh else "false")
        if errors:
            raise BulkError(len(errors), list(errors))

    @abstractmethod
    def _send_put_settings(self, index: str, settings: dict) -> None: ...

    @abstractmethod
    def _send_put_mapping(self, index: str, properties: dict) -> None: ...

    @abstractmethod
    def _send_refresh(self, index: str) -> None: ...

    @abstractmethod
    def _send_update(self, index: str, post_id: int, doc: dict, *, refresh: bool) -> bool: ...

    @abstractmethod
    def _send_bulk_operations(self, operations: list[dict], *, refresh: bool) -> dict:
        """One _bulk request of these body lines; the raw response (items are read by the caller)."""

    @abstractmethod
    def _send_count(self, index: str) -> int: ...

    @abstractmethod
    def _send_search(self, index: str, body: dict) -> dict: ...


def bulk_failures_mean_unavailable(errors: list) -> bool:
    """True when every failed bulk item was refused for capacity or availability (429, 5xx)."""
    statuses = [_item_status(item) for item in errors]
    return bool(statuses) and all(unavailable_status(s) for s in statuses)


def _item_status(item: object) -> object:
    """The HTTP status of one failed bulk item, reported as {"<op>": {"status": ...}}."""
    if not isinstance(item, dict) or len(item) != 1:
        return None
    result = next(iter(item.values()))
    return result.get("status") if isinstance(result, dict) else None


def unavailable_status(status: object) -> bool:
    """HTTP statuses that mean "not serving now" rather than "bad request"."""
    return isinstance(status, int) and (status == 429 or status >= 500)


def parse_hosts(hosts: str | Iterable[str]) -> list[str]:
    """Node URLs from a list, or from one string of URLs separated by commas or spaces."""
    items = re.split(r"[,\s]+", hosts) if isinstance(hosts, str) else list(hosts)
    urls = [h.strip() for h in items if h and h.strip()]
    if not urls:
        raise ValueError("no search engine URL given (hosts)")
    return urls


class BulkError(RuntimeError):
    """Some bulk actions failed; `errors` holds the engine's item errors (first ones)."""

    def __init__(self, failed: int, errors: list) -> None:
        super().__init__(f"{failed} bulk actions failed, e.g. {errors[:3]}")
        self.failed = failed
        self.errors = errors
