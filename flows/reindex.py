"""Rebuild a search backend from the store (the system of record) without downtime."""

from collections.abc import Iterator
from datetime import datetime, timezone

from index.search.base import SearchBackend, SearchDoc
from index.store import Store
from index.sync import catch_up

PROGRESS_EVERY = 10_000


def rebuild_index(store: Store, search: SearchBackend, echo=print) -> tuple[str, int]:
    """Readers keep the old index until the backend switches; a post that changes during the
    rebuild stays pending in the store and the catch-up after the switch indexes it."""
    started = datetime.now(timezone.utc)
    count = 0

    def documents() -> Iterator[SearchDoc]:
        nonlocal count
        for ids in store.all_post_ids(batch=1000):
            yield from store.search_docs(ids)
            count += len(ids)
            if count % PROGRESS_EVERY < len(ids):
                echo(f"… {count} posts")

    name = search.reindex(documents())
    for ids in store.all_post_ids(batch=10_000):
        store.mark_indexed(ids, as_of=started)
    catch_up(store, search)
    return name, count
