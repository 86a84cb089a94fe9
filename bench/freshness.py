"""Freshness: from a new ad appearing on a board to (a) its place in the review queue and (b) the
alert about it, with the source on a one-minute schedule, on the real stack: a Prefect server,
the source's deployment on the work pool, one `lurewatch worker`, a webhook receiver; all on
127.0.0.1. Target: under 2 minutes. Baseline printed beside it: the part no code can save,
the wait for the next scheduled minute (half a minute on average), and one run's own length.

    make bench BENCH=freshness        # `make bench BENCH="freshness 5"`: five new ads
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SOURCE = "fresh-board"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """Webhook receiver: post id -> first time an alert about it arrived."""

    def __init__(self) -> None:
        self.first_seen: dict[int, float] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                for alert in body["alerts"]:
                    if alert.get("post_id") is not None:
                        receiver.first_seen.setdefault(alert["post_id"], time.time())
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _wait(what: str, check, timeout: float, step: float = 0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"timed out waiting for {what}")


def run(sizes: tuple[int, ...] = ()) -> None:
    new_ads = sizes[0] if sizes else 3
    receiver = Receiver()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"LUREWATCH_VAR_DIR": str(Path(tmp) / "var"), "LUREWATCH_PREFECT_PORT": str(_free_port()),
               "LUREWATCH_ALERT_WEBHOOK_URL": receiver.url, "LUREWATCH_ALERT_WEBHOOK_SECRET": "bench",
               "LUREWATCH_ALERT_MIN_SCORE": "0.5", "PREFECT_WORKER_QUERY_SECONDS": "5"}
        os.environ.update(env)
        from flows.demo_site import ADS, serve
        from flows.demo_source import demo_definition, demo_start_url
        from flows.deployments import prefect_client, prefect_env, reconcile
        from flows.settings import get_flow_settings
        from flows.stack import start_prefect_server, stop_process
        from flows.wiring import build_parts

        settings = get_flow_settings()
        settings.var_dir.mkdir(parents=True)
        os.environ.update(prefect_env(settings))
        parts = build_parts(settings)
        template = next(ad for ad in ADS if ad.is_lure)
        with serve("127.0.0.1", 0) as site:
            parts.store.upsert_source(SOURCE, "classifieds", demo_start_url(site.url), schedule_cron="* * * * *",
                                      definition=demo_definition(site.url) | {"name": SOURCE})
            prefect = start_prefect_server(settings)
            worker = None
            try:
                with prefect_client(settings) as client:
                    reconcile(client, settings, parts.store)
                worker = subprocess.Popen([sys.executable, "-m", "flows.cli", "worker", "--name", "bench"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                first = _wait("the first scheduled run", lambda: [r for r in parts.store.list_runs(source=SOURCE)
                                                                   if r.status == "completed"], 300)[0]
                run_s = (first.finished_at - first.started_at).total_seconds()
                results = []
                for i in range(new_ads):
                    ad = dataclasses.replace(template, id=9000 + i, slug=f"{template.slug}-{i}",
                                             posted_at=datetime.now(timezone.utc))
                    t0 = time.time()
                    site.add_ad(ad)
                    url = site.ad_url(ad.id)
                    post = _wait("the new ad in the queue", lambda: next(
                        (p for p in parts.store.queue(limit=500) if p.canonical_url == url), None), 300)
                    queued = time.time() - t0
                    alerted = _wait("the alert", lambda: receiver.first_seen.get(post.id), 120) - t0
                    results.append((queued, alerted))
                    print(f"new ad {i + 1}: in the queue after {queued:5.1f} s, alert after {alerted:5.1f} s")
                    time.sleep(7 + 13 * i)  # the next ad lands at another point of the minute
            finally:
                if worker is not None:
                    stop_process(worker)
                stop_process(prefect)
    queued, alerted = [r[0] for r in results], [r[1] for r in results]
    print(f"one-minute schedule; worker polls every 5 s; a run lasts {run_s:.1f} s (crawl + ingest + alerts)")
    print(f"baseline (schedule wait, mean 30 s, + one run): {30 + run_s:5.1f} s mean, {60 + run_s:5.1f} s worst")
    print(f"queue : median {statistics.median(queued):5.1f} s, max {max(queued):5.1f} s (target < 120 s)")
    print(f"alert : median {statistics.median(alerted):5.1f} s, max {max(alerted):5.1f} s (target < 120 s)")
