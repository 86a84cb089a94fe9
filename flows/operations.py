"""The operations flows (Prefect 3), each building its parts once and recording its figures as
an artifact: send-alerts (also finds crashed runs), catch-up-index, rescore, retrain,
verify-evidence."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, task
from prefect.cache_policies import NONE as NO_CACHE

from index.sync import IndexSync, catch_up

from flows.artifacts import publish
from flows.wiring import Parts, build_parts


@flow(name="send-alerts", log_prints=True)
def send_alerts() -> dict:
    """Periodic: runs whose heartbeat stopped become crashed; every alert rule is checked and
    what is new is told (sources broken or late, growing networks, posts missed by no crawl)."""
    from flows.alerts import check_and_send

    outcome = check_and_send(build_parts())
    figures = asdict(outcome)
    publish("send-alerts", "alerts", [(k, str(v)) for k, v in figures.items()])
    print(f"alerts: {outcome.found} found, {outcome.sent} sent, {outcome.failed} failed; "
          f"{outcome.crashed_runs} crashed run(s) marked")
    return figures


@task(cache_policy=NO_CACHE)
def index_task(parts: Parts) -> IndexSync:
    return catch_up(parts.store, parts.search)


@flow(name="catch-up-index", log_prints=True)
def catch_up_index() -> dict:
    """Index the posts still pending (the search engine was down during their ingest)."""
    parts = build_parts()
    sync = index_task(parts)
    publish("catch-up-index", "catch-up index", [("indexed", str(sync.indexed)), ("pending", str(sync.pending)),
                                                  ("error", sync.error or "-")])
    print(f"indexed {sync.indexed}, still pending {sync.pending}{' — ' + sync.error if sync.error else ''}")
    return asdict(sync)


@flow(name="rescore", log_prints=True)
def rescore(source: str | None = None, batch: int = 500) -> dict:
    """Every post (or one source's) scored by another model gets the current model's assessment."""
    from flows.rescore import rescore_posts

    summary = rescore_posts(build_parts(), source=source, batch=batch)
    publish("rescore", "rescore", [(k, str(v)) for k, v in asdict(summary).items()])
    print(summary.line())
    return asdict(summary)


@flow(name="retrain", log_prints=True)
def retrain(then_rescore: bool = True) -> dict:
    """A new model version from ../shared/data and the review decisions, promoted only if not
    worse on the same held-back rows; a promoted model rescored the store."""
    from flows.retrain import retrain_model
    from flows.rescore import rescore_posts

    parts = build_parts()
    result = retrain_model(parts)
    print(result.line())
    figures = {"version": result.version, "promoted": result.promoted, "candidate": result.candidate,
               "current": result.current, "current_version": result.current_version,
               "held_back": result.held_back, "report": str(result.report_path)}
    publish("retrain", "retrain", [(k, str(v)) for k, v in figures.items()])
    if result.promoted and then_rescore:
        print(rescore_posts(build_parts()).line())  # fresh parts: the promoted model
    return figures


@flow(name="verify-evidence", log_prints=True)
def verify_evidence(source: str | None = None) -> dict:
    """Re-hash the stored bodies and WARC records (`lurewatch evidence verify` as a flow); a file
    that no longer matches fails the run, each one named."""
    from crawlers.verify import verify

    parts = build_parts()
    bodies = parts.store.raw_hashes(source) if source is not None else None
    report = verify(parts.settings.evidence_dir, source=source, bodies=bodies)
    figures = [("bodies", str(report.bodies)), ("WARC files", str(report.warc_files)),
               ("WARC records", str(report.warc_records))] + [("problem", p) for p in report.problems]
    publish("verify-evidence", "evidence verified" if report.ok else "evidence NOT verified", figures)
    for problem in report.problems:
        print(problem)
    if not report.ok:
        raise RuntimeError(f"{len(report.problems)} evidence file(s) no longer match")
    print(f"verified {report.bodies} bodies, {report.warc_files} WARC files: all match")
    return {"bodies": report.bodies, "warc_files": report.warc_files, "problems": report.problems}
