"""A run's stats as a Prefect artifact (a markdown table): the same figures the store keeps."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)


def stats_rows(stats: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Flattened: {"dropped": {"no_text": 2}} -> ("dropped/no_text", "2"); lists are counted."""
    rows: list[tuple[str, str]] = []
    for key, value in stats.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += stats_rows(value, f"{name}/")
        elif isinstance(value, list):
            rows.append((name, f"{len(value)} item(s)"))
        else:
            rows.append((name, str(value)))
    return rows


def markdown_table(title: str, rows: list[tuple[str, str]]) -> str:
    cell = lambda text: text.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [f"### {cell(title)}", "", "| figure | value |", "|---|---|"]
    lines += [f"| {cell(k)} | {cell(v)} |" for k, v in rows]
    return "\n".join(lines) + "\n"


def artifact_key(*parts: str) -> str:
    """Prefect keys: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")[:100] or "run"


def publish(key: str, title: str, rows: list[tuple[str, str]]) -> None:
    """In a flow run: a markdown artifact; outside one (or with the API away) nothing, logged."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:
        return
    try:
        create_markdown_artifact(key=artifact_key(key), markdown=markdown_table(title, rows), description=title)
    except Exception as exc:  # the figures are in the store anyway
        log.warning("could not publish the artifact %s: %s", key, exc)
