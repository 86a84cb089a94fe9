"""Operations on real parts inside one Prefect test harness (a real API): deployments follow
sources at once, an ingest killed half-way and rerun, rescoring after a model change,
a worse retrain kept as a candidate."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from index.document import assessed_text

from flows.demo_site import ADS, serve
from flows.demo_source import demo_definition, demo_start_url
from flows.deployments import prefect_client, read_source_deployment, reconcile
from flows.errors import LurewatchError
from flows.ingest import ingest_items
from flows.pipeline import crawl_and_ingest
from flows.settings import get_flow_settings
from flows.source_actions import pause_source, resume_source, run_source_now, source_removed, source_saved
from flows.wiring import build_parts

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def parts(tmp_path):
    return build_parts(get_flow_settings(var_dir=tmp_path / "var"))


def cron_of(deployment) -> list[str]:
    return [s.schedule.cron for s in deployment.schedules]


def test_a_source_added_paused_resumed_edited_run_and_removed_changes_its_deployment_at_once(prefect_harness, parts):
    store, settings = parts.store, parts.settings
    row = store.upsert_source("ops-board", "classifieds", "https://ops.example.vn/", schedule_cron="*/5 * * * *")
    assert source_saved(parts, row).endswith("follows at once")
    with prefect_client(settings) as client:
        deployment = read_source_deployment(client, "ops-board")
        assert deployment.paused is False and deployment.work_pool_name == settings.work_pool
        assert cron_of(deployment) == ["*/5 * * * *"]
        assert deployment.schedules[0].schedule.timezone == "Asia/Ho_Chi_Minh"
        assert deployment.global_concurrency_limit.limit == 1  # two runs of one source never overlap
        assert deployment.concurrency_options.collision_strategy == "ENQUEUE"

        pause_source(parts, "ops-board")
        assert read_source_deployment(client, "ops-board").paused is True
        # A restart: `up` reconciles with the store, and the pause holds.
        reconcile(client, settings, store)
        assert read_source_deployment(client, "ops-board").paused is True

        resume_source(parts, "ops-board")
        assert read_source_deployment(client, "ops-board").paused is False
        edited = store.upsert_source("ops-board", "classifieds", "https://ops.example.vn/", schedule_cron="2h")
        source_saved(parts, edited)
        schedules = read_source_deployment(client, "ops-board").schedules
        assert len(schedules) == 1 and schedules[0].schedule.interval == timedelta(hours=2)

        # A pause made in the Prefect UI survives the next start too.
        client.pause_deployment(read_source_deployment(client, "ops-board").id)
        notes = reconcile(client, settings, store)
        assert store.get_source("ops-board").paused and any("paused in Prefect" in n for n in notes)
        assert read_source_deployment(client, "ops-board").paused is True

        run_source_now(parts, "ops-board")
        runs = client.read_flow_runs()
        deployment = read_source_deployment(client, "ops-board")
        assert any(r.deployment_id == deployment.id and r.parameters == {"source_name": "ops-board"} for r in runs)

        store.remove_source("ops-board")
        source_removed(parts, "ops-board")
        assert read_source_deployment(client, "ops-board") is None


def test_reconcile_removes_deployments_of_removed_sources_and_adds_the_operations_flows(prefect_harness, parts):
    store, settings = parts.store, parts.settings
    with prefect_client(settings) as client:
        store.upsert_source("gone-board", "classifieds", "https://gone.example.vn/", schedule_cron="0 6 * * *")
        reconcile(client, settings, store)
        assert read_source_deployment(client, "gone-board") is not None
        store.remove_source("gone-board")
        reconcile(client, settings, store)
        assert read_source_deployment(client, "gone-board") is None
        alerts = client.read_deployment_by_name("send-alerts/every-minute")
        assert alerts.schedules[0].schedule.interval == timedelta(seconds=settings.alerts_every_seconds)
        assert client.read_deployment_by_name("retrain/on-demand").schedules == []


def count_posts(store, source: str) -> tuple[int, int]:
    """(posts, distinct canonical URLs) of a source."""
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.text(
            "SELECT count(*), count(DISTINCT canonical_url) FROM posts WHERE source = :s"), {"s": source}).one())


def test_an_ingest_killed_half_way_is_marked_crashed_and_its_rerun_loses_and_duplicates_nothing(
        prefect_harness, parts, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    store = parts.store
    monkeypatch.setenv("LUREWATCH_VAR_DIR", str(parts.settings.var_dir))  # the flow builds its own parts
    with serve("127.0.0.1", 0) as site:
        name = "killed-board"
        store.upsert_source(name, "classifieds", demo_start_url(site.url),
                            definition=demo_definition(site.url) | {"name": name})
        env = {**os.environ, "LUREWATCH_VAR_DIR": str(parts.settings.var_dir), "LUREWATCH_INGEST_BATCH": "1",
               "LUREWATCH_HEARTBEAT_SECONDS": "0.5", "PREFECT_API_URL": PREFECT_API_URL.value(),
               "PREFECT_LOGGING_TO_API_ENABLED": "false"}
        process = subprocess.Popen(
            [sys.executable, "-c", f"from flows.pipeline import crawl_and_ingest; crawl_and_ingest({name!r})"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and process.poll() is None:
            stored = count_posts(store, name)[0]
            if stored >= 3:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        process.wait(30)
        assert 3 <= stored < len(ADS), "the ingest was not caught half-way"
        stored = count_posts(store, name)[0]
        run = store.list_runs(limit=1, source=name)[0]
        assert run.status == "running"
        time.sleep(1.5)  # no heartbeat any more
        crashed = store.mark_crashed(datetime.now(timezone.utc) - timedelta(seconds=1))
        assert [r.id for r in crashed] == [run.id]
        assert store.get_run(run.id).status == "crashed" and "process died" in store.get_run(run.id).errors[-1]

        again = crawl_and_ingest(name)
    assert again.status == "completed"
    assert (again.new, again.unchanged + again.changed) == (len(ADS) - stored, stored)
    assert count_posts(store, name) == (len(ADS), len(ADS))
    assert [r.status for r in store.list_runs(limit=2, source=name)] == ["completed", "crashed"]


def test_a_second_live_run_of_one_source_is_refused(prefect_harness, parts):
    from index.runs import RunOverlap

    store = parts.store
    store.upsert_source("busy-board", "classifieds", "https://busy.example.vn/")
    live_after = datetime.now(timezone.utc) - timedelta(minutes=2)
    first = store.start_run("busy-board", live_after=live_after)
    with pytest.raises(RunOverlap, match=f"run {first}"):
        store.start_run("busy-board", live_after=live_after)


LURE = "Tuyển gấp việc nhẹ lương cao tại Campuchia, bao vé máy bay, đặt cọc 2 triệu, liên hệ Zalo 0912345678."
LEGIT = "Công ty TNHH tuyển kế toán 3 năm kinh nghiệm, lương 12 triệu, làm giờ hành chính."


def test_a_rescore_after_a_model_change_updates_every_post_and_resumes(prefect_harness, parts):
    now = datetime.now(timezone.utc).isoformat()
    items = [{"source": "board", "url": f"https://ex.vn/{n}", "title": f"Tin {n}", "text": LURE if n % 2 else LEGIT,
              "fetched_at": now, "sha256": f"{n:064x}"} for n in range(7)]
    ingest_items(items, parts.assessor, parts.store, parts.search)
    with parts.store.engine.begin() as conn:  # what an older model said
        conn.execute(sa.text("UPDATE posts SET model_version = 'sk-old', score = 0.0, is_lure = 0"))
    from flows.rescore import rescore_posts

    class Stop(Exception):
        pass

    def stop_after_first_batch(line: str) -> None:
        raise Stop(line)

    with pytest.raises(Stop):
        rescore_posts(parts, batch=3, echo=stop_after_first_batch)
    summary = rescore_posts(parts, batch=3, echo=lambda line: None)
    assert (summary.to_do, summary.rescored) == (4, 4)  # the 3 of the stopped batch stayed done
    version = parts.assessor.model_version
    posts = [parts.store.get_post(i) for i in range(1, 8)]
    expected = parts.assessor.assess([assessed_text(p.title, p.text) for p in posts])
    assert [p.model_version for p in posts] == [version] * 7
    assert [round(p.score, 6) for p in posts] == [round(a.score, 6) for a in expected]
    assert [p.is_lure for p in posts] == [a.is_lure for a in expected] == [bool(n % 2) for n in range(7)]
    assert parts.store.count_to_rescore(version) == 0 and parts.store.pending_count() == 0


def synthetic_as_real(tmp_path: Path, lures: int, legit: int) -> Path:
    """The shipped synthetic rows as real rows, one source each (a folder of training rows)."""
    data = REPO / "classifier" / "data"
    rows = [json.loads(x) for x in (data / "synthetic_lures.jsonl").read_text("utf-8").splitlines()][:lures]
    rows += [json.loads(x) for x in (data / "synthetic_hard_negatives.jsonl").read_text("utf-8").splitlines()][:legit]
    folder = tmp_path / "rows"
    folder.mkdir()
    with (folder / "rows.jsonl").open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps({"text": row["text"], "label": row["label"], "category": row.get("category", ""),
                                 "source": f"https://site{i}.vn/"}, ensure_ascii=False) + "\n")
    return folder


def test_a_retrain_worse_than_the_current_model_is_kept_as_a_candidate(prefect_harness, parts, tmp_path):
    from classifier.dataset import load_rows

    from flows.retrain import held_back_split, retrain_model

    folder = synthetic_as_real(tmp_path, 40, 40)
    data = load_rows([folder])
    train, held = held_back_split(data)
    # Training rows with their labels turned over: the candidate learns the opposite.
    rows = [json.loads(x) for x in (folder / "rows.jsonl").read_text("utf-8").splitlines()]
    for i in train:
        rows[i]["label"] = "legit" if rows[i]["label"] == "lure" else "lure"
    (folder / "rows.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert list(held_back_split(load_rows([folder]))[1]) == list(held)  # the split ignores labels

    result = retrain_model(parts, data_dirs=[folder], use_synthetic=False, echo=lambda line: None)
    assert not result.promoted and result.candidate < result.current
    report = json.loads(result.report_path.read_text("utf-8"))
    assert report["promoted"] is False and report["held_back_rows"] == len(held)
    assert (parts.settings.models_dir / result.version / "model.joblib").exists()
    assert not (parts.settings.models_dir / "current.json").exists()
    assert build_parts(parts.settings).assessor_model_dir() is None  # ingest keeps the packaged model


def test_a_retrain_on_too_few_rows_says_so(prefect_harness, parts, tmp_path):
    from flows.retrain import retrain_model

    with pytest.raises(LurewatchError, match="too few rows"):
        retrain_model(parts, data_dirs=[synthetic_as_real(tmp_path, 3, 2)], use_synthetic=False)


def test_verify_evidence_fails_on_a_changed_body(prefect_harness, parts, monkeypatch):
    from flows.operations import verify_evidence

    monkeypatch.setenv("LUREWATCH_VAR_DIR", str(parts.settings.var_dir))
    assert verify_evidence()["problems"] == []
    body = parts.settings.evidence_dir / "ab" / "cd" / ("abcd" + "0" * 60 + ".gz")
    body.parent.mkdir(parents=True)
    body.write_bytes(b"not the body that hash names")
    with pytest.raises(RuntimeError, match="1 evidence file"):
        verify_evidence()
