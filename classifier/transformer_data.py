"""Pure data helpers of the transformer backend: labelled rows, held-out split, threshold.

No torch here, so these are cheap to import and test. Rows are what `fine_tune` accepts:
JSONL-style mappings ({"text": ..., "label": "lure"|"legit"}) as in ../shared/data and the
review exports, or (text, label) pairs; labels may also be 1/0 or booleans. Rows with any
other label or an empty text are counted in `LabelledRows.skipped`, never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import train_test_split

from classifier.text import normalize

__all__ = [
    "LabelledRows",
    "labelled_rows",
    "model_input",
    "holdout_split",
    "choose_threshold",
    "holdout_metrics",
    "TARGET_PRECISION",
]

# Reviewers' time is the scarce resource: prefer a threshold that keeps 9 in 10 flags right.
TARGET_PRECISION = 0.90
_LABELS: dict[object, int] = {"lure": 1, "legit": 0, 1: 1, 0: 0, True: 1, False: 0}


@dataclass(frozen=True)
class LabelledRows:
    texts: list[str]
    y: np.ndarray  # 1 = lure, 0 = legit
    data_hash: str  # sha256 over "label\ttext\n" lines, as classifier.train.load_dataset
    skipped: dict[str, int]


def labelled_rows(rows: Iterable[Mapping[str, object] | Sequence[object]]) -> LabelledRows:
    texts: list[str] = []
    labels: list[int] = []
    skipped: Counter[str] = Counter()
    digest = hashlib.sha256()
    for row in rows:
        if isinstance(row, Mapping):
            text, raw_label = row.get("text"), row.get("label")
        else:
            text, raw_label = (row[0], row[1]) if len(row) == 2 else (None, None)
        label = _LABELS.get(raw_label) if isinstance(raw_label, (str, int, bool)) else None
        if label is None:
            skipped["bad_label"] += 1
            continue
        if not isinstance(text, str) or not text.strip():
            skipped["empty_text"] += 1
            continue
        texts.append(text)
        labels.append(label)
        digest.update(f"{label}\t{text}\n".encode())
    return LabelledRows(texts, np.array(labels, dtype=int), digest.hexdigest(), dict(skipped))


def model_input(text: str) -> str:
    """What the transformer reads: the normalised text, accents kept (PhoBERT/XLM-R need them)."""
    return normalize(text)


def holdout_split(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, held_out), stratified when both classes have at least 2 rows."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"holdout fraction must be in (0, 1), got {fraction}")
    counts = np.bincount(y, minlength=2)
    if len(y) < 4 or counts.min() < 1:
        raise ValueError(f"need at least 4 rows with both labels to fine-tune, got {counts.tolist()}")
    stratify = y if counts.min() >= 2 else None
    idx = np.arange(len(y))
    train, held = train_test_split(idx, test_size=fraction, random_state=seed, stratify=stratify)
    return np.sort(train), np.sort(held)


def choose_threshold(
    proba: np.ndarray, y: np.ndarray, target_precision: float = TARGET_PRECISION
) -> tuple[float, str]:
    """(threshold, how it was chosen) on held-out probabilities.

    The lowest threshold whose precision reaches `target_precision` (so the highest recall at
    that precision); if no threshold reaches it, the one with the best F1; if the held-out rows
    have a single class, 0.5."""
    if len(y) == 0 or y.min() == y.max():
        return 0.5, "default 0.5: the held-out split has a single class"
    precision, recall, thresholds = precision_recall_curve(y, proba)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no threshold
    reach = precision >= target_precision
    if reach.any():
        best = int(np.flatnonzero(reach)[np.argmax(recall[reach])])
        return float(thresholds[best]), f"highest recall at precision >= {target_precision:.2f} on held-out rows"
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1))
    return float(thresholds[best]), f"best F1 on held-out rows (precision {target_precision:.2f} not reachable)"


def holdout_metrics(proba: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float | int]:
    pred = proba >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    out: dict[str, float | int] = {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "false_positives": fp,
        "false_negatives": fn,
    }
    if 0 < y.sum() < len(y):
        out["pr_auc"] = round(float(average_precision_score(y, proba)), 4)
    return out
