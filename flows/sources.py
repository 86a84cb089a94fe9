"""Managing sources: every add, edit, import and removal goes through `save` / `remove` here,
which also create, update or remove the source's Prefect deployment at once (flows.source_actions), definitions are checked as a whole
(crawlers.source.SourceDefinition) and read from or written to YAML.

A YAML file holds one definition, or several under `sources:`; an invalid one is refused with
the field named (`sources[1].start_urls.0: must be an http(s) URL`).
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import ValidationError

from crawlers.source import SourceDefinition, definition_problems
from flows.errors import LurewatchError
from index.rows import SourceRow

from flows import source_actions
from flows.schedules import ScheduleError, parse_schedule
from flows.wiring import Parts


def validated(data: Any, where: str = "") -> SourceDefinition:
    if not isinstance(data, dict):
        raise LurewatchError(f"invalid source{' ' + where if where else ''}: a definition is a mapping of fields")
    try:
        definition = SourceDefinition.model_validate(data)
    except ValidationError as exc:
        problems = definition_problems(exc)
        if where:
            problems = "; ".join(f"{where}.{p}" for p in problems.split("; "))
        raise LurewatchError(f"invalid source: {problems}") from None
    if definition.schedule is not None:  # what Prefect will accept, checked now (flows.schedules)
        try:
            parse_schedule(definition.schedule)
        except ScheduleError as exc:
            raise LurewatchError(f"invalid source: {where + '.' if where else ''}schedule: {exc}") from None
    return definition


def stored(row: SourceRow) -> SourceDefinition:
    """The stored definition (a row saved before definitions existed gets its start URL's default)."""
    from flows.crawl import definition_for

    return definition_for(row.name, row.start_url, row.definition)


def save(parts: Parts, definition: SourceDefinition, action: str | None = None) -> tuple[SourceRow, str]:
    """Add or update a source (a new version when its definition changed) and its Prefect
    deployment at once; returns the row and what happened to the deployment."""
    row = parts.store.upsert_source(
        definition.name, definition.kind, definition.start_urls[0] if definition.start_urls else "",
        schedule_cron=definition.schedule, definition=definition.model_dump(mode="json"), action=action)
    return row, source_actions.source_saved(parts, row)


def remove(parts: Parts, name: str) -> str:
    """Remove a source and its deployment; returns what happened to the deployment."""
    if parts.store.remove_source(name) is None:
        raise LurewatchError(f"unknown source {name!r}; see `lurewatch sources list`")
    return source_actions.source_removed(parts, name)


def edited(current: SourceDefinition, assignments: list[str]) -> SourceDefinition:
    """`politeness.delay_seconds=2`, `start_urls=[https://a.vn/, https://b.vn/]`: values are YAML."""
    data = current.model_dump(mode="json")
    for assignment in assignments:
        path, sep, raw = assignment.partition("=")
        if not sep or not path.strip():
            raise LurewatchError(f"--set {assignment!r}: write FIELD=VALUE, e.g. politeness.delay_seconds=2")
        keys = path.strip().split(".")
        if keys[0] == "name":
            raise LurewatchError("a source's name cannot be edited: export it, change the name, import it")
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError as exc:
            raise LurewatchError(f"--set {assignment!r}: not a YAML value ({exc.problem})") from None
        target = data
        for key in keys[:-1]:
            if not isinstance(target.get(key), dict):
                raise LurewatchError(f"--set {assignment!r}: {key} has no fields")
            target = target[key]
        target[keys[-1]] = value
    return validated(data)


def to_yaml(definitions: list[SourceDefinition]) -> str:
    docs = [d.model_dump(mode="json", exclude_defaults=False) for d in definitions]
    return yaml.safe_dump({"sources": docs}, allow_unicode=True, sort_keys=False)


def from_yaml(text: str) -> list[SourceDefinition]:
    """Every definition of the file, or LurewatchError naming the first bad field of each."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise LurewatchError(f"not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    items = data.get("sources") if isinstance(data, dict) and "sources" in data else [data]
    if not isinstance(items, list) or not items:
        raise LurewatchError("no source definitions: give one mapping, or a list under `sources:`")
    definitions, problems = [], []
    for i, item in enumerate(items):
        try:
            definitions.append(validated(item, f"sources[{i}]" if len(items) > 1 or "sources" in (data or {}) else ""))
        except LurewatchError as exc:
            problems.append(str(exc).removeprefix("invalid source: "))
    names = [d.name for d in definitions]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"the file defines {', '.join(dupes)} more than once")
    if problems:
        raise LurewatchError(f"invalid source: {'; '.join(problems)}")
    return definitions


def import_yaml(parts: Parts, text: str) -> list[SourceRow]:
    """All the file's sources, or none (every definition is checked before any is saved)."""
    return [save(parts, d, action="import")[0] for d in from_yaml(text)]
