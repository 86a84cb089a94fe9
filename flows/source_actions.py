"""What an operator does to a source, from the CLI or the review UI's operations page: each
changes the store (the source of truth) and the source's Prefect deployment at once. With no
Prefect server running, the store changes and `lurewatch up` applies it at start (reconcile).
Each returns one line to show; mistakes raise LurewatchError (one line)."""

from __future__ import annotations

from index.rows import SourceRow

from flows import deployments
from flows.errors import LurewatchError
from flows.wiring import Parts

NOT_RUNNING = "the Prefect server is not running: `lurewatch up` applies it at start"


def _known(parts: Parts, name: str) -> SourceRow:
    row = parts.store.get_source(name)
    if row is None:
        raise LurewatchError(f"unknown source {name!r}; see `lurewatch sources list`")
    return row


def _on_prefect(parts: Parts, action, done: str = "") -> str:
    """Run action(client) on the server; without a server the store alone has changed."""
    try:
        with deployments.prefect_client(parts.settings) as client:
            action(client)
    except deployments.PrefectUnavailable:
        return f"{done}{NOT_RUNNING}"
    except deployments.PrefectFailed as exc:  # the store has changed; the deployment has not
        raise LurewatchError(f"{done}but its deployment did not follow: {exc}; `lurewatch up` applies it at its "
                             "next start") from None
    return f"{done}its deployment follows at once"


def source_saved(parts: Parts, row: SourceRow) -> str:
    """After an add or edit (flows.sources.save): create or update the deployment (schedule, pause)."""
    return _on_prefect(parts, lambda c: deployments.apply_source(c, parts.settings, row))


def pause_source(parts: Parts, name: str) -> str:
    _known(parts, name)
    row = parts.store.set_paused(name, True)
    return _on_prefect(parts, lambda c: deployments.set_paused(c, parts.settings, row), f"source {name!r} paused; ")


def resume_source(parts: Parts, name: str) -> str:
    _known(parts, name)
    row = parts.store.set_paused(name, False)
    return _on_prefect(parts, lambda c: deployments.set_paused(c, parts.settings, row), f"source {name!r} resumed; ")


def source_removed(parts: Parts, name: str) -> str:
    """After the store removed the source (flows.sources.remove): its deployment goes too."""
    return _on_prefect(parts, lambda c: deployments.remove_source(c, name))


def run_source_now(parts: Parts, name: str) -> str:
    """A flow run of the source's deployment, taken by a worker (a paused source runs too: it
    was asked for)."""
    row = _known(parts, name)
    try:
        with deployments.prefect_client(parts.settings) as client:
            run = deployments.trigger_source(client, parts.settings, row)
    except deployments.PrefectUnavailable as exc:
        raise LurewatchError(f"{exc}: start `lurewatch up`, or crawl here with `lurewatch crawl {name}`") from None
    return f"run {run.name!r} of {name!r} queued for a worker (flow run {run.id})"
