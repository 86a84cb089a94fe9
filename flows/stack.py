"""`lurewatch up`: the local stack on the embedded default, in one terminal.

Prefect server (subprocess, SQLite under var/prefect), deployments reconciled with the store
(flows.deployments), runs left `running` by a dead process marked crashed, the review UI
(uvicorn thread), the bundled demo site (thread), and one `lurewatch worker` (subprocess) on the
work pool, which runs every scheduled or triggered flow run; the demo source is run once at start.
Sources added, paused or removed meanwhile change their deployments at once (no restart).
"""

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from contextlib import ExitStack
from pathlib import Path

from flows.deployments import prefect_env
from flows.errors import LurewatchError
from flows.ports import port_is_free, wait_for_http
from flows.settings import FlowSettings

PREFECT_STARTUP_SECONDS = 120


def check_ports(settings: FlowSettings, with_demo: bool) -> None:
    wanted = {"review UI": settings.ui_port, "Prefect server": settings.prefect_port}
    if with_demo:
        wanted["demo site"] = settings.demo_port
    for what, port in wanted.items():
        if not port_is_free(settings.host, port):
            raise LurewatchError(
                f"port {settings.host}:{port} for the {what} is taken: is `lurewatch up` already running?"
            )


def start_prefect_server(settings: FlowSettings) -> subprocess.Popen:
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    log = (settings.var_dir / "prefect-server.log").open("ab")
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", settings.host, "--port", str(settings.prefect_port)]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
    ready = wait_for_http(
        f"http://{settings.host}:{settings.prefect_port}/api/health",
        PREFECT_STARTUP_SECONDS,
        alive=lambda: process.poll() is None,
    )
    if not ready:
        process.terminate()
        raise LurewatchError(f"the Prefect server did not start; see {settings.var_dir / 'prefect-server.log'}")
    return process


def start_ui(app, settings: FlowSettings):
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.ui_port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="review-ui", daemon=True)
    thread.start()
    if not wait_for_http(f"http://{settings.host}:{settings.ui_port}/healthz", 30, alive=thread.is_alive):
        raise LurewatchError(f"the review UI did not start on port {settings.ui_port}")
    return server


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def check_schedules(store) -> None:
    """Before anything starts: a stored schedule Prefect would refuse names its source and field."""
    from flows.schedules import ScheduleError, parse_schedule

    for source in store.list_sources():
        if source.schedule_cron:
            try:
                parse_schedule(source.schedule_cron)
            except ScheduleError as exc:
                raise LurewatchError(f"source {source.name!r}: schedule: {exc}; fix it with "
                                     f"`lurewatch sources add` or pause it") from None


def start_worker(settings: FlowSettings) -> subprocess.Popen:
    """The local worker: its flow runs print their summary lines to this terminal."""
    command = [sys.executable, "-m", "flows.cli", "worker", "--name", f"local-{os.getpid()}"]
    return subprocess.Popen(command, env=os.environ.copy())


def run_stack(settings: FlowSettings, *, with_demo: bool, echo=print) -> None:
    """Blocks until Ctrl-C. Ports and schedules are checked before anything starts, so a second
    `up` (or a bad schedule) fails fast with one line."""
    check_ports(settings, with_demo)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings = settings.model_copy(update={"var_dir": settings.var_dir.resolve()})
    # Before prefect is imported, for this process and every flow-run subprocess it starts.
    os.environ.update(prefect_env(settings), LUREWATCH_VAR_DIR=str(settings.var_dir))

    from flows.app_factory import build_ui_app
    from flows.deployments import prefect_client, reconcile, trigger_source
    from flows.demo_source import DEMO_SOURCE, register_demo_source
    from flows.wiring import build_parts

    parts = build_parts(settings)
    check_schedules(parts.store)
    with ExitStack() as stack:
        if with_demo:
            from flows.demo_site import serve as serve_demo

            demo = stack.enter_context(serve_demo(settings.host, settings.demo_port))
            register_demo_source(parts.store, demo.url, settings.demo_schedule_cron)
            echo(f"demo site:    {demo.url}/")
        crashed = parts.store.mark_crashed(datetime.now(timezone.utc) - timedelta(seconds=settings.run_stale_seconds))
        for run in crashed:
            echo(f"run {run.id} of {run.source!r} marked crashed (its process died)")
        echo("starting the Prefect server (this takes 10-30 s)…")
        prefect_server = start_prefect_server(settings)
        stack.callback(stop_process, prefect_server)
        echo(f"Prefect UI:   http://{settings.host}:{settings.prefect_port}/")
        with prefect_client(settings) as client:
            for note in reconcile(client, settings, parts.store):
                echo(note)
        ui = start_ui(build_ui_app(parts), settings)
        stack.callback(setattr, ui, "should_exit", True)
        echo(f"review UI:    http://{settings.host}:{settings.ui_port}/")
        if not parts.store.list_users():
            echo("no users yet: create the first admin with `lurewatch users add NAME --role admin`")
        worker = start_worker(settings)
        stack.callback(stop_process, worker)
        scheduled = sum(1 for s in parts.store.list_sources() if s.schedule_cron and not s.paused)
        echo(f"{scheduled} scheduled source(s), worker on pool {settings.work_pool!r}; Ctrl-C stops everything")
        if with_demo:
            with prefect_client(settings) as client:
                trigger_source(client, settings, parts.store.get_source(DEMO_SOURCE))
            echo(f"first crawl of {DEMO_SOURCE!r} queued")
        while worker.poll() is None and prefect_server.poll() is None:
            time.sleep(1)
        raise LurewatchError("the worker or the Prefect server stopped; see the lines above")
