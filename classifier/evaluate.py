"""Evaluation report: JSON plus PNG plots.

Two modes:
- `cross_validated_report(data)`: the honest numbers of the default recipe (5-fold CV grouped
  by source, synthetic rows in training folds only, metrics on real rows only, the plain
  baseline in the same folds: `source_grouped`) — what model cards quote;
- `model_report(assessor, data)`: a fixed trained model scored on given rows (e.g. fresh review
  decisions). If those rows trained the model the numbers are in-sample; the report says so.

Each report has precision, recall, F1, PR-AUC, recall at precision 0.90, recall per category,
the confusion matrix, calibration (reliability bins, Brier), on all rows and on the
length-matched subset. Plots (PR curve, reliability diagram) need matplotlib; without it the
JSON is written and `plots` lists why none were drawn.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_curve

from classifier.assess import Assessor
from classifier.dataset import Dataset
from classifier.metrics import binary_metrics, calibration_bins, length_matched_mask, recall_per_category
from classifier.model import ModelConfig
from classifier.subsets import mean_figures, subset_figures
from classifier.train import CVResult, cross_validate

__all__ = ["cross_validated_report", "model_report", "write_report", "report_from_scores"]


def report_from_scores(proba: np.ndarray, pred: np.ndarray, y: np.ndarray, texts: list[str],
                       categories: list[str]) -> dict:
    mask = length_matched_mask(texts, y) if y.sum() else np.ones(len(y), dtype=bool)
    out = {}
    for name, sel in (("all", np.ones(len(y), dtype=bool)), ("length_matched", mask)):
        out[name] = binary_metrics(proba[sel], pred[sel], y[sel]) | {
            "recall_per_category": recall_per_category(pred[sel], y[sel], [c for c, s in zip(categories, sel) if s]),
            "calibration": calibration_bins(proba[sel], y[sel]),
        }
    out["length_matched_definition"] = "rows with length within the 5th-95th percentile of lure lengths"
    return out


def cross_validated_report(data: Dataset, synthetic: Dataset | None, config: ModelConfig | None = None,
                           cv: CVResult | None = None, seeds: int = 1) -> tuple[dict, CVResult]:
    """The report of one CV run; with `seeds` > 1, `source_grouped_mean` adds the mean figures
    of that many fold draws (ours and the baseline, each draw in the same folds for both)."""
    cv = cv or cross_validate(data, synthetic, config)
    summary = cv.summary()
    report = {"mode": "cross-validated", "method": summary["method"], "grouping": summary["grouping"],
              "groups": summary["groups"], "fold_thresholds": summary["fold_thresholds"],
              "source_grouped": summary["source_grouped"]}
    report |= report_from_scores(cv.proba, cv.pred, cv.y, cv.texts, cv.categories)
    if seeds > 1:
        runs = [summary["source_grouped"]] + [
            cross_validate(data, synthetic, config, seed=cv.seed + k).source_grouped() for k in range(1, seeds)
        ]
        report["source_grouped_mean"] = {
            "seeds": [r["seed"] for r in runs], "baseline_model": runs[0]["baseline_model"],
            "ours": mean_figures([r["ours"] for r in runs]), "baseline": mean_figures([r["baseline"] for r in runs]),
        }
    return report, cv


def model_report(assessor: Assessor, data: Dataset, card: dict | None = None) -> tuple[dict, np.ndarray]:
    real = data.real
    proba = np.array([a.score for a in assessor.assess(real.texts)])
    pred = (proba >= assessor.threshold).astype(int)
    report = {"mode": "fixed model", "model_version": assessor.model_version, "threshold": assessor.threshold,
              "in_sample": bool(card and card.get("data_hash") == data.data_hash)}
    report |= report_from_scores(proba, pred, real.y, real.texts, real.categories)
    report["subsets"] = subset_figures(proba, real.y, real.categories, real.notes, real.row_files)
    return report, proba


def _plots(out_dir: Path, proba: np.ndarray, y: np.ndarray, report: dict) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["(no plots: matplotlib is not installed)"]
    written = []
    if 0 < y.sum() < len(y):
        precision, recall, _ = precision_recall_curve(y, proba)
        fig, ax = plt.subplots(figsize=(4, 3.2), dpi=80)
        ax.step(recall, precision, where="post")
        ax.axhline(0.9, color="grey", lw=0.8, ls="--")
        ax.set(xlabel="recall", ylabel="precision", title=f"PR (AUC {report['all']['pr_auc']})",
               xlim=(0, 1.02), ylim=(0, 1.02))
        fig.tight_layout()
        fig.savefig(out_dir / "pr_curve.png")
        plt.close(fig)
        written.append("pr_curve.png")
    bins = [b for b in report["all"]["calibration"] if b["rows"]]
    fig, ax = plt.subplots(figsize=(4, 3.2), dpi=80)
    ax.plot([0, 1], [0, 1], color="grey", lw=0.8, ls="--")
    ax.plot([b["mean_score"] for b in bins], [b["lure_rate"] for b in bins], marker="o")
    ax.set(xlabel="mean score", ylabel="observed lure rate", title=f"Reliability (Brier {report['all']['brier']})",
           xlim=(0, 1), ylim=(0, 1))
    fig.tight_layout()
    fig.savefig(out_dir / "reliability.png")
    plt.close(fig)
    written.append("reliability.png")
    return written


def write_report(out_dir: Path, report: dict, proba: np.ndarray, y: np.ndarray) -> Path:
    """report.json (+ pr_curve.png, reliability.png) in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = dict(report)
    report["plots"] = _plots(out_dir, proba, y, report)
    path = out_dir / "report.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
