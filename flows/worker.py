"""`lurewatch worker`: takes flow runs from the work pool and runs each in a process of its own
(Prefect's process worker). Any number of workers, on any machine that reaches the Prefect server,
the store, the search engine and the evidence folder (README: multi-machine set-up)."""

from __future__ import annotations

import asyncio
import os

from flows.deployments import PrefectUnavailable, ensure_work_pool, prefect_client
from flows.settings import FlowSettings


def worker_env(settings: FlowSettings, name: str) -> dict[str, str]:
    """Flow runs start in a temporary folder: every path they read must be absolute."""
    env = {
        "LUREWATCH_VAR_DIR": str(settings.var_dir.resolve()),
        "LUREWATCH_SHARED_DATA": str(settings.shared_data.resolve()),
        "LUREWATCH_WORKER_NAME": name,
        "PREFECT_API_URL": os.environ.get("PREFECT_API_URL") or settings.api_url,
    }
    env.setdefault("PREFECT_WORKER_QUERY_SECONDS", os.environ.get("PREFECT_WORKER_QUERY_SECONDS", "5"))
    return env


def run_worker(settings: FlowSettings, *, name: str, limit: int | None, echo=print) -> None:
    os.environ.update(worker_env(settings, name))
    with prefect_client(settings) as client:  # PrefectUnavailable: one line
        ensure_work_pool(client, settings.work_pool)
    from prefect.workers.process import ProcessWorker

    async def serve() -> None:
        async with ProcessWorker(work_pool_name=settings.work_pool, name=name, limit=limit) as worker:
            await worker.start()

    echo(f"worker {name!r} takes runs from pool {settings.work_pool!r} at {os.environ['PREFECT_API_URL']}")
    asyncio.run(serve())


__all__ = ["run_worker", "worker_env", "PrefectUnavailable"]
