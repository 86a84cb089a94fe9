"""Quality metrics over scores: pure functions of (probabilities, predictions, labels)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve

__all__ = [
    "PRECISION_TARGET", "threshold_for_precision", "recall_at_precision", "binary_metrics",
    "calibration_bins", "recall_per_category", "length_matched_mask", "MAX_FALSE_FLAG_RATE",
    "recall_at_false_flag_rate", "score_bar_at_false_flag_rate",
]

PRECISION_TARGET = 0.90


def threshold_for_precision(proba: np.ndarray, y: np.ndarray, target: float = PRECISION_TARGET) -> float:
    """Lowest threshold whose precision on these (out-of-fold) scores is >= target, i.e. the
    most recall at that precision; max-F1 threshold when no threshold reaches the target."""
    precision, recall, thresholds = precision_recall_curve(y, proba)
    precision, recall = precision[:-1], recall[:-1]
    ok = precision >= target
    if ok.any():
        idx = np.flatnonzero(ok)
        return float(thresholds[idx[np.argmax(recall[idx])]])
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[int(np.argmax(f1))])


def recall_at_precision(proba: np.ndarray, y: np.ndarray, target: float = PRECISION_TARGET) -> float:
    if y.sum() == 0:
        return 0.0
    precision, recall, _ = precision_recall_curve(y, proba)
    ok = precision >= target
    return float(recall[ok].max()) if ok.any() else 0.0


def binary_metrics(proba: np.ndarray, pred: np.ndarray, y: np.ndarray) -> dict[str, float | int]:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    tn = int(((pred == 0) & (y == 0)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    has_both = 0 < y.sum() < len(y)
    return {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "pr_auc": round(float(average_precision_score(y, proba)), 4) if has_both else 0.0,
        "recall_at_precision_0.90": round(recall_at_precision(proba, y), 4),
        "brier": round(float(np.mean((proba - y) ** 2)), 4) if len(y) else 0.0,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "false_positives": fp,
        "false_negatives": fn,
    }


def calibration_bins(proba: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float | int]]:
    """Reliability table: per equal-width score bin, rows, mean score, observed lure rate."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        sel = idx == b
        out.append({
            "low": round(float(edges[b]), 2), "high": round(float(edges[b + 1]), 2), "rows": int(sel.sum()),
            "mean_score": round(float(proba[sel].mean()), 4) if sel.any() else None,
            "lure_rate": round(float(y[sel].mean()), 4) if sel.any() else None,
        })
    return out


def recall_per_category(pred: np.ndarray, y: np.ndarray, categories: Sequence[str]) -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    cats = np.array(categories, dtype=object)
    for cat in sorted({c for c, label in zip(categories, y) if label == 1}):
        sel = (cats == cat) & (y == 1)
        out[cat or "(none)"] = {"lures": int(sel.sum()), "recall": round(float(pred[sel].mean()), 4)}
    return out


def length_matched_mask(texts: Sequence[str], y: np.ndarray) -> np.ndarray:
    """Rows (both labels) whose length lies within the 5th-95th percentile of lure lengths."""
    lengths = np.array([len(t) for t in texts])
    lo, hi = np.percentile(lengths[y == 1], [5, 95])
    return (lengths >= lo) & (lengths <= hi)


MAX_FALSE_FLAG_RATE = 0.02


def recall_at_false_flag_rate(proba: np.ndarray, y: np.ndarray, rate: float = MAX_FALSE_FLAG_RATE) -> float:
    """Share of lures scored strictly above every legitimate row but the top `rate` of them: the
    recall a reviewer gets when at most `rate` of legitimate posts may be flagged (ties with a
    legitimate row count as not caught)."""
    if y.sum() == 0 or (y == 0).sum() == 0:
        return 0.0
    return float((proba[y == 1] > score_bar_at_false_flag_rate(proba, y, rate)).mean())


def score_bar_at_false_flag_rate(proba: np.ndarray, y: np.ndarray, rate: float = MAX_FALSE_FLAG_RATE) -> float:
    """The score a lure must exceed for `recall_at_false_flag_rate` (same rule)."""
    legit = np.sort(proba[y == 0])[::-1]
    allowed = int(np.floor(rate * len(legit) + 1e-9))
    return float(legit[allowed]) if allowed < len(legit) else float("-inf")
