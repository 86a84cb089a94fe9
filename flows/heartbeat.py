"""A running crawl run's heartbeat: a thread that stamps the run every few seconds, so a run
whose process died is told from a slow one (index.runs.mark_crashed)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from index.store import Store

log = logging.getLogger(__name__)


def worker_identity(configured: str | None) -> str:
    return configured or f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def heartbeat(store: Store, run_id: int, every: float) -> Iterator[None]:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            try:
                store.heartbeat(run_id)
            except Exception as exc:  # a busy database must not kill the run; the next beat retries
                log.warning("heartbeat of run %d failed: %s", run_id, exc)

    thread = threading.Thread(target=beat, name=f"heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
