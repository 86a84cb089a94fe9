"""Prefect deployments follow the store: one per source (crawl-and-ingest/<source>) and one per
operations flow, all on one process work pool that `lurewatch worker` serves on any machine.

Every function acts at once on the Prefect server named by PREFECT_API_URL (`prefect_env`):
sources added, edited, paused, resumed, removed or run need no restart. `reconcile` brings the
server in line with the store when `lurewatch up` starts; the store is the source of truth, and a
pause made in the Prefect UI after the source's last change is taken into the store.
Two runs of one source never overlap: each source deployment has a concurrency limit of 1
(later runs wait their turn), and the store refuses a second live run (index.runs).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from index.rows import SourceRow
from index.store import Store

from flows.errors import LurewatchError
from flows.schedules import parse_schedule
from flows.settings import FlowSettings

SOURCE_FLOW = "crawl-and-ingest"
SOURCE_ENTRYPOINT = "flows.pipeline.crawl_and_ingest"


@dataclass(frozen=True)
class OpsDeployment:
    flow: str
    name: str
    entrypoint: str
    every_seconds: str | None  # the FlowSettings field holding its interval; None: run on demand


OPS_DEPLOYMENTS = (
    OpsDeployment("send-alerts", "every-minute", "flows.operations.send_alerts", "alerts_every_seconds"),
    OpsDeployment("catch-up-index", "periodic", "flows.operations.catch_up_index", "catch_up_every_seconds"),
    OpsDeployment("rescore", "on-demand", "flows.operations.rescore", None),
    OpsDeployment("retrain", "on-demand", "flows.operations.retrain", None),
    OpsDeployment("verify-evidence", "on-demand", "flows.operations.verify_evidence", None),
)


class PrefectUnavailable(LurewatchError):
    pass


class PrefectFailed(LurewatchError):
    """The server answered its health check but failed a call (an HTTP error or a dropped
    connection): one line, not a traceback."""


def prefect_env(settings: FlowSettings) -> dict[str, str]:
    """Environment for this process and every flow-run subprocess: one offline Prefect server."""
    return {
        "PREFECT_HOME": str(settings.prefect_home.resolve()),
        "PREFECT_API_URL": settings.api_url,
        "PREFECT_SERVER_API_HOST": settings.host,
        "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_UI_API_URL": settings.api_url,
    }


def prefect_reachable(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@contextmanager
def prefect_client(settings: FlowSettings) -> Iterator:
    """A sync client of the configured server, or PrefectUnavailable; a call the server fails
    inside the block is PrefectFailed (each one line)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = PREFECT_API_URL.value() or settings.api_url
    if not prefect_reachable(url):
        raise PrefectUnavailable(f"the Prefect server at {url} does not answer")
    import httpx

    try:
        with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
            yield client
    except httpx.HTTPError as exc:  # PrefectHTTPStatusError is one too
        said = (str(exc) or type(exc).__name__).splitlines()[0][:300]
        raise PrefectFailed(f"the Prefect server at {url} failed: {said}") from None


def ensure_work_pool(client, name: str) -> None:
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.workers.process import ProcessWorker

    try:
        client.read_work_pool(name)
    except ObjectNotFound:
        try:
            client.create_work_pool(WorkPoolCreate(name=name, type="process",
                                                   base_job_template=ProcessWorker.get_default_base_job_template()))
        except ObjectAlreadyExists:  # another process made it meanwhile
            pass


def _upsert(client, settings: FlowSettings, *, flow: str, name: str, entrypoint: str, schedule, parameters: dict,
            paused: bool, description: str, one_at_a_time: bool) -> UUID:
    from prefect.client.schemas.objects import ConcurrencyLimitStrategy, ConcurrencyOptions
    from prefect.deployments.schedules import create_deployment_schedule_create

    ensure_work_pool(client, settings.work_pool)
    flow_id = client.create_flow_from_name(flow)
    return client.create_deployment(
        flow_id=flow_id, name=name, entrypoint=entrypoint, work_pool_name=settings.work_pool,
        schedules=[create_deployment_schedule_create(schedule)] if schedule is not None else [],
        parameters=parameters, paused=paused, description=description, enforce_parameter_schema=False,
        concurrency_limit=1 if one_at_a_time else None,
        concurrency_options=ConcurrencyOptions(collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
        if one_at_a_time else None,
    )


def apply_source(client, settings: FlowSettings, source: SourceRow) -> UUID:
    """Create or update the source's deployment: its schedule, its pause, one run at a time."""
    schedule = parse_schedule(source.schedule_cron).prefect_schedule(settings.schedule_timezone) \
        if source.schedule_cron else None
    return _upsert(client, settings, flow=SOURCE_FLOW, name=source.name, entrypoint=SOURCE_ENTRYPOINT,
                   schedule=schedule, parameters={"source_name": source.name}, paused=source.paused,
                   description=f"Crawl and ingest {source.start_url}", one_at_a_time=True)


def apply_ops(client, settings: FlowSettings) -> list[UUID]:
    from datetime import timedelta

    from prefect.schedules import Interval

    ids = []
    for ops in OPS_DEPLOYMENTS:
        every = getattr(settings, ops.every_seconds) if ops.every_seconds else None
        schedule = Interval(timedelta(seconds=every), timezone=settings.schedule_timezone) if every else None
        ids.append(_upsert(client, settings, flow=ops.flow, name=ops.name, entrypoint=ops.entrypoint,
                           schedule=schedule, parameters={}, paused=False, description=ops.flow,
                           one_at_a_time=True))
    return ids


def read_source_deployment(client, name: str):
    """The deployment, or None."""
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_deployment_by_name(f"{SOURCE_FLOW}/{name}")
    except ObjectNotFound:
        return None


def remove_source(client, name: str) -> bool:
    deployment = read_source_deployment(client, name)
    if deployment is None:
        return False
    client.delete_deployment(deployment.id)
    return True


def set_paused(client, settings: FlowSettings, source: SourceRow) -> None:
    deployment = read_source_deployment(client, source.name)
    if deployment is None:
        apply_source(client, settings, source)
    elif source.paused:
        client.pause_deployment(deployment.id)
    else:
        client.resume_deployment(deployment.id)


def trigger_source(client, settings: FlowSettings, source: SourceRow):
    """A flow run of the source's deployment now (created first if missing); returns the flow run."""
    deployment = read_source_deployment(client, source.name)
    deployment_id = deployment.id if deployment is not None else apply_source(client, settings, source)
    return client.create_flow_run_from_deployment(deployment_id, parameters={"source_name": source.name})


def reconcile(client, settings: FlowSettings, store: Store) -> list[str]:
    """At start: one deployment per source as the store says, none for removed sources, the
    operations deployments. Returns one line per change worth telling."""
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    notes = []
    sources = {s.name: s for s in store.list_sources()}
    existing = client.read_deployments(flow_filter=FlowFilter(name=FlowFilterName(any_=[SOURCE_FLOW])))
    for deployment in existing:
        source = sources.get(deployment.name)
        if source is None:
            client.delete_deployment(deployment.id)
            notes.append(f"removed the deployment of {deployment.name!r} (no such source)")
        elif deployment.paused and not source.paused and deployment.updated and deployment.updated > source.updated_at:
            sources[source.name] = store.set_paused(source.name, True) or source
            notes.append(f"{source.name!r} stays paused (paused in Prefect)")
    for source in sources.values():
        apply_source(client, settings, source)
    apply_ops(client, settings)
    return notes
