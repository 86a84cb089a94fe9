"""Train, cross-validate and save the default model.

    python -m classifier.train --data ../shared/data --out classifier/models/default

Every *.jsonl in --data is read (rows with label "lure" or "legit"; others are counted and
skipped). Honest numbers: the reported metrics come from an outer 5-fold CV in which the
calibration AND the threshold are chosen inside each outer training split (inner out-of-fold
scores), never on the rows being scored. The shipped threshold is then chosen the same way on
all rows. Metrics are also reported on a length-matched subset (rows whose length lies within
the 5th-95th percentile of lure lengths) because lures are short and job ads long.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import joblib
import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import StratifiedKFold

from classifier.model import Featurizer, LureModel, ModelConfig

__all__ = ["Dataset", "load_dataset", "choose_threshold", "cross_validate", "train", "main"]

LABELS = {"lure": 1, "legit": 0}


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    y: np.ndarray
    data_hash: str
    skipped: dict[str, int]


def load_dataset(data_dir: Path) -> Dataset:
    texts: list[str] = []
    labels: list[int] = []
    skipped: Counter[str] = Counter()
    digest = hashlib.sha256()
    files = sorted(data_dir.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no *.jsonl files in {data_dir}")
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            label = LABELS.get(row.get("label"))
            text = row.get("text")
            if label is None or not isinstance(text, str) or not text.strip():
                skipped[f"{path.name}/bad_label_or_text"] += 1
                continue
            texts.append(text)
            labels.append(label)
            digest.update(f"{label}\t{text}\n".encode())
    return Dataset(texts, np.array(labels), digest.hexdigest(), dict(skipped))


def choose_threshold(proba: np.ndarray, y: np.ndarray) -> float:
    """Threshold maximising F1 on (out-of-fold) probabilities; ties go to the lower one."""
    precision, recall, thresholds = precision_recall_curve(y, proba)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    best = int(np.argmax(f1))
    return float(thresholds[best])


def recall_at_precision(proba: np.ndarray, y: np.ndarray, target: float = 0.90) -> float:
    precision, recall, _ = precision_recall_curve(y, proba)
    ok = precision >= target
    return float(recall[ok].max()) if ok.any() else 0.0


def metrics(proba: np.ndarray, pred: np.ndarray, y: np.ndarray) -> dict[str, float | int]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "pr_auc": round(float(average_precision_score(y, proba)), 4),
        "recall_at_precision_0.90": round(recall_at_precision(proba, y), 4),
        "false_positives": fp,
        "false_negatives": fn,
    }


def length_matched_mask(texts: Sequence[str], y: np.ndarray) -> np.ndarray:
    lengths = np.array([len(t) for t in texts])
    lo, hi = np.percentile(lengths[y == 1], [5, 95])
    return (lengths >= lo) & (lengths <= hi)


def cross_validate(
    texts: Sequence[str], y: np.ndarray, config: ModelConfig | None = None, folds: int = 5
) -> dict:
    """Outer CV with inner calibration + threshold; returns metrics and out-of-fold outputs."""
    config = config or ModelConfig()
    X = Featurizer(config).transform(texts)
    proba = np.zeros(len(y))
    pred = np.zeros(len(y), dtype=int)
    thresholds = []
    outer = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config.seed + 1)
    for train_idx, test_idx in outer.split(np.zeros(len(y)), y):
        model, inner_proba = LureModel.fit(X[train_idx], y[train_idx], config, folds)
        threshold = choose_threshold(inner_proba, y[train_idx])
        thresholds.append(threshold)
        proba[test_idx] = model.proba_features(X[test_idx])
        pred[test_idx] = (proba[test_idx] >= threshold).astype(int)
    mask = length_matched_mask(texts, y)
    return {
        "all": metrics(proba, pred, y),
        "length_matched": metrics(proba[mask], pred[mask], y[mask]),
        "fold_thresholds": [round(t, 4) for t in thresholds],
        "oof_proba": proba,
        "oof_pred": pred,
    }


def train(data_dir: Path, out_dir: Path, config: ModelConfig | None = None) -> dict:
    """Cross-validate, fit on all rows, write model.joblib + card.json; returns the card."""
    config = config or ModelConfig()
    data = load_dataset(data_dir)
    cv = cross_validate(data.texts, data.y, config)
    X = Featurizer(config).transform(data.texts)
    model, oof = LureModel.fit(X, data.y, config)
    threshold = choose_threshold(oof, data.y)
    today = datetime.now(timezone.utc).strftime("%Y%m%d")
    card = {
        "version": f"sk-{today}-{data.data_hash[:8]}",
        "data_hash": data.data_hash,
        "rows": int(len(data.y)),
        "positives": int(data.y.sum()),
        "skipped": data.skipped,
        "threshold": round(threshold, 6),
        "config": asdict(config),
        "cv": {
            "method": "outer 5-fold stratified CV; calibration and threshold chosen on inner "
            "out-of-fold scores of each outer training split",
            "all": cv["all"],
            "length_matched": cv["length_matched"],
            "length_matched_definition": "rows with length within the 5th-95th percentile of lure lengths",
            "fold_thresholds": cv["fold_thresholds"],
        },
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out_dir / "model.joblib", compress=("zlib", 6))
    (out_dir / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return card


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classifier.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="directory of *.jsonl rows")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    args = parser.parse_args(argv)
    card = train(args.data, args.out)
    print(json.dumps({k: card[k] for k in ("version", "rows", "threshold")} | {"cv": card["cv"]}, indent=2))


if __name__ == "__main__":
    main()
