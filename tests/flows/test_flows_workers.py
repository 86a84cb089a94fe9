"""Two `lurewatch worker` processes take flow runs from one work pool (the multi-machine
set-up, on one machine): each run is recorded with the worker that ran it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from flows.demo_site import ADS, serve
from flows.demo_source import demo_definition, demo_start_url
from flows.deployments import apply_source, prefect_client, trigger_source
from flows.settings import get_flow_settings
from flows.wiring import build_parts

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def start_worker(name: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "worker", "--name", name, "--limit", "1"],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_workers_take_runs_from_one_pool(prefect_harness, tmp_path):
    from prefect.settings import PREFECT_API_URL

    pool = f"pool-{uuid.uuid4().hex[:8]}"
    settings = get_flow_settings(var_dir=tmp_path / "var", work_pool=pool)
    parts = build_parts(settings)
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "LUREWATCH_VAR_DIR": str(settings.var_dir),
           "LUREWATCH_WORK_POOL": pool, "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_LOGGING_TO_API_ENABLED": "false"}
    with serve("127.0.0.1", 0) as one, serve("127.0.0.1", 0) as two:
        names = []
        for site, name in ((one, "board-one"), (two, "board-two")):
            parts.store.upsert_source(name, "classifieds", demo_start_url(site.url),
                                      definition=demo_definition(site.url) | {"name": name})
            names.append(name)
        workers = [start_worker(f"w{i}", env) for i in (1, 2)]
        try:
            with prefect_client(settings) as client:
                runs = []
                for name in names:
                    apply_source(client, settings, parts.store.get_source(name))
                for _ in range(2):
                    runs += [trigger_source(client, settings, parts.store.get_source(name)).id for name in names]
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    states = [client.read_flow_run(r).state for r in runs]
                    if all(s.is_final() for s in states):
                        break
                    assert all(w.poll() is None for w in workers), "a worker died"
                    time.sleep(2)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(30)
    assert [s.type.value for s in states] == ["COMPLETED"] * 4
    crawl_runs = parts.store.list_runs(limit=10)
    assert len(crawl_runs) == 4 and {r.status for r in crawl_runs} == {"completed"}
    assert {r.worker for r in crawl_runs} == {"w1", "w2"}
    for name in names:
        first, second = sorted((r for r in crawl_runs if r.source == name), key=lambda r: r.id)
        assert (first.posts_new, second.posts_unchanged) == (len(ADS), len(ADS))
        assert first.finished_at <= second.started_at  # one source's runs never overlap
