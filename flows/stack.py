"""`lurewatch up`: the local stack on the embedded default, in one terminal.

Prefect server (subprocess, SQLite under var/prefect), the review UI (uvicorn thread), the bundled
demo site (thread), one crawl-and-ingest run at start, then a Prefect `serve` process loop that
runs every source on its cron schedule.
"""

import os
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

from flows.errors import LurewatchError
from flows.ports import port_is_free, wait_for_http
from flows.settings import FlowSettings

PREFECT_STARTUP_SECONDS = 120


def prefect_env(settings: FlowSettings) -> dict[str, str]:
    """Environment for this process and every flow-run subprocess: one local, offline server."""
    return {
        "PREFECT_HOME": str(settings.prefect_home.resolve()),
        "PREFECT_API_URL": f"http://{settings.host}:{settings.prefect_port}/api",
        "PREFECT_SERVER_API_HOST": settings.host,
        "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_UI_API_URL": f"http://{settings.host}:{settings.prefect_port}/api",
    }


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


def run_stack(settings: FlowSettings, *, with_demo: bool, echo=print) -> None:
    """Blocks until Ctrl-C. Ports are checked before anything starts, so a second `up` fails fast."""
    check_ports(settings, with_demo)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings = settings.model_copy(update={"var_dir": settings.var_dir.resolve()})
    # Before prefect is imported, for this process and every flow-run subprocess it starts.
    os.environ.update(prefect_env(settings), LUREWATCH_VAR_DIR=str(settings.var_dir))

    from flows.app_factory import build_ui_app
    from flows.demo_source import DEMO_SOURCE, register_demo_source
    from flows.wiring import build_parts

    parts = build_parts(settings)
    with ExitStack() as stack:
        if with_demo:
            from flows.demo_site import serve as serve_demo

            demo = stack.enter_context(serve_demo(settings.host, settings.demo_port))
            register_demo_source(parts.store, demo.url, settings.demo_schedule_cron)
            echo(f"demo site:    {demo.url}/")
        echo("starting the Prefect server (this takes 10-30 s)…")
        prefect_server = start_prefect_server(settings)
        stack.callback(stop_process, prefect_server)
        echo(f"Prefect UI:   http://{settings.host}:{settings.prefect_port}/")
        ui = start_ui(build_ui_app(parts), settings)
        stack.callback(setattr, ui, "should_exit", True)
        echo(f"review UI:    http://{settings.host}:{settings.ui_port}/")
        if not parts.store.list_users():
            echo("no users yet: create the first admin with `lurewatch users add NAME --role admin`")
        serve_sources(parts, settings, first_run=DEMO_SOURCE if with_demo else None, echo=echo)


def serve_sources(parts, settings: FlowSettings, *, first_run: str | None, echo) -> None:
    from prefect import serve
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from flows.pipeline import crawl_and_ingest

    if first_run:
        echo(f"first crawl of {first_run!r}…")
        try:
            crawl_and_ingest(first_run)
        except Exception as exc:  # the stack stays up; the run is recorded as failed
            echo(f"error: first crawl of {first_run!r} failed: {exc}")
    deployments = [
        crawl_and_ingest.to_deployment(
            name=source.name,
            schedules=[Cron(source.schedule_cron, timezone=settings.schedule_timezone)],
            parameters={"source_name": source.name},
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
        for source in parts.store.list_sources()
        if source.schedule_cron
    ]
    echo(f"serving {len(deployments)} scheduled source(s); Ctrl-C stops everything")
    serve(*deployments, print_starting_message=False)
