"""Retrain: ../shared/data plus the reviewers' decisions -> a new model version, scored against
the current model on the same held-back rows, promoted only if it is not worse.

The held-back rows are a fifth of the source groups (classifier.grouping: a site, a dataset, a
channel and their near-duplicates stay on one side), chosen by a hash of their texts: the same
rows for the same data, whatever the labels. The candidate trains on the other rows (with the shipped synthetic rows, training
only). Both models score the held-back rows; the candidate is promoted when its average
precision there is at least the current one's, otherwise it stays a candidate under
var/models/<version> with its report. Note: the packaged default model was trained on all of
../shared/data, held-back rows included, so the first comparison is biased towards it (a
candidate is promoted only when it beats a model that has seen the rows)."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from classifier.dataset import Dataset, load_rows
from classifier.errors import ClassifierError

from flows.errors import LurewatchError
from flows.exports import write_labels
from flows.models import promote
from flows.wiring import Parts

HELD_BACK_FOLDS = 5  # a fifth of the source groups is held back
METRIC = "pr_auc"


@dataclass(frozen=True)
class RetrainResult:
    version: str
    promoted: bool
    candidate: float  # the metric on the held-back rows
    current: float
    current_version: str
    held_back: int
    report_path: Path

    def line(self) -> str:
        verdict = "promoted" if self.promoted else "kept as a candidate (not better than the current model)"
        return (f"model {self.version}: average precision {self.candidate:.3f} on {self.held_back} held-back rows "
                f"vs {self.current:.3f} for {self.current_version}: {verdict}; report {self.report_path}")


def _rows_jsonl(data: Dataset, indices: np.ndarray, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in indices:
            row = {"text": data.texts[i], "label": "lure" if data.y[i] else "legit", "category": data.categories[i],
                   "source": data.sources[i], "notes": data.notes[i]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def held_back_split(data: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(train, held back) indices: every source group whose stable key falls in one fifth is held
    back. The key is the smallest hash of its rows' texts, so the split depends on the texts and
    their sources only, never on labels or row order: the same rows for the same data."""
    from classifier.grouping import source_groups

    groups = source_groups(data.sources, data.texts)
    keys: dict[int, str] = {}
    for group, text in zip(groups, data.texts):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        keys[group] = min(keys.get(group, digest), digest)
    held = np.array([int(keys[g][:12], 16) % HELD_BACK_FOLDS == 0 for g in groups])
    per_class = {label: len(set(groups[data.y == label])) for label in (0, 1)}
    if min(per_class.values()) < HELD_BACK_FOLDS or len(set(data.y[held])) < 2 or len(set(data.y[~held])) < 2:
        raise LurewatchError(
            f"too few rows to retrain: {len(data)} row(s) in {per_class[1]} lure and {per_class[0]} legit source "
            f"group(s); training and the held-back fifth each need lures and legit posts "
            f"(at least {HELD_BACK_FOLDS} source groups of each class)")
    return np.flatnonzero(~held), np.flatnonzero(held)


def _score(model_dir: Path | None, rows: Dataset) -> tuple[float, str, dict]:
    from classifier.assess import load_assessor, read_card
    from classifier.evaluate import model_report
    from classifier.settings import DEFAULT_MODEL_DIR, get_classifier_settings

    assessor = load_assessor(get_classifier_settings(model_dir=model_dir))
    report, _ = model_report(assessor, rows, read_card(model_dir or DEFAULT_MODEL_DIR))
    return float(report["all"][METRIC]), assessor.model_version, report["all"]


def retrain_model(parts: Parts, *, data_dirs: list[Path] | None = None, use_synthetic: bool = True,
                  echo=print) -> RetrainResult:
    """LurewatchError (one line) for missing data or too few rows."""
    from classifier.train import train

    settings = parts.settings
    models_dir = settings.models_dir
    work = models_dir / f".retrain-{datetime.now(timezone.utc):%Y%m%d%H%M%S%f}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        reviews = work / "review_decisions.jsonl"
        n_reviews = write_labels(parts.store.review_labels(), reviews)
        sources = list(data_dirs if data_dirs is not None else [settings.shared_data])
        sources += [reviews] if n_reviews else []
        try:
            data = load_rows(sources).real
        except (ClassifierError, OSError) as exc:
            raise LurewatchError(f"no training data: {exc}") from None
        train_idx, held_idx = held_back_split(data)
        _rows_jsonl(data, train_idx, work / "train.jsonl")
        _rows_jsonl(data, held_idx, work / "held_back.jsonl")
        echo(f"training on {len(train_idx)} rows ({n_reviews} review decision(s) in the data), "
             f"{len(held_idx)} held back…")
        try:
            card = train([work / "train.jsonl"], work / "model", use_synthetic=use_synthetic)
        except ClassifierError as exc:
            raise LurewatchError(str(exc)) from None
        card.pop("_cv_result", None)
        held = load_rows([work / "held_back.jsonl"])
        candidate, version, candidate_all = _score(work / "model", held)
        current_dir = parts.assessor_model_dir()
        current, current_version, current_all = _score(current_dir, held)
        promoted = candidate >= current
        target = models_dir / version
        if target.exists():
            shutil.rmtree(target)
        (work / "model").rename(target)
        report = {
            "version": version, "promoted": promoted, "metric": f"{METRIC} on the held-back rows",
            "rule": "promoted when the candidate's metric is at least the current model's",
            "candidate": candidate_all, "current": current_all | {"version": current_version},
            "held_back_rows": len(held_idx), "training_rows": len(train_idx), "review_decisions": n_reviews,
            "data": [str(p) for p in sources], "split": f"1/{HELD_BACK_FOLDS} of the source groups by text hash",
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        report_path = target / "retrain_report.json"
        report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if promoted:
            promote(models_dir, version)
        return RetrainResult(version, promoted, candidate, current, current_version, len(held_idx), report_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
