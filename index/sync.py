"""Keep the search index in step with the store: the store is the system of record.

A post is "pending" from the moment it is stored or reviewed until a backend holds its document.
When the engine is down (SearchUnavailable) nothing is lost: posts stay pending and the next
catch-up indexes them. Any other error is a bug, not an outage: it propagates to the caller,
which records it (flows.pipeline marks the crawl run failed).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from index.search.base import SearchBackend, SearchUnavailable
from index.store import Store

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class IndexSync:
    indexed: int
    pending: int  # still pending after this catch-up (0 when the engine took everything)
    error: str = ""


def catch_up(store: Store, search: SearchBackend, batch: int = BATCH) -> IndexSync:
    indexed = 0
    while ids := store.pending_post_ids(limit=batch):
        as_of = datetime.now(timezone.utc)
        try:
            search.index_posts(store.search_docs(ids))
        except SearchUnavailable as exc:  # keep the posts pending, say why
            log.warning("search index unavailable, %d posts stay pending: %s", store.pending_count(), exc)
            return IndexSync(indexed, store.pending_count(), f"search index unavailable: {exc}")
        marked = store.mark_indexed(ids, as_of=as_of)
        indexed += marked
        if marked == 0:  # every post changed while we indexed it; the next catch-up takes them
            break
    return IndexSync(indexed, store.pending_count())


def index_now(store: Store, search: SearchBackend, post_ids: list[int]) -> bool:
    """Index these posts right away (a reviewer's decision should show in search at once).

    On failure they simply stay pending for the next catch-up; returns whether it worked.
    """
    as_of = datetime.now(timezone.utc)
    try:
        search.index_posts(store.search_docs(post_ids))
    except SearchUnavailable as exc:
        log.warning("search index unavailable, posts %s stay pending: %s", post_ids, exc)
        return False
    store.mark_indexed(post_ids, as_of=as_of)
    return True
