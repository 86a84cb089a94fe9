"""Cross-validate, train and save a model directory (default backend: sklearn).

    python -m classifier.train --data ../shared/data --out classifier/models/default

Honest numbers, predictive of sources the model has never seen:
- 5-fold cross-validation GROUPED BY SOURCE (`classifier.grouping.source_groups`: a site, a
  dataset, a channel, and every near-duplicate of their rows, stay in one fold), stratified;
- the plain baseline (`classifier.baseline`) is trained and scored in the very same folds, and
  every figure is reported beside it (`classifier.subsets`: A formal / B informal / all, AP and
  recall at <= 2% false flags, per category, verbatim vs paraphrase);
- synthetic rows (classifier/data/synthetic_*.jsonl, "synthetic": true) join the TRAINING
  folds only, and not when they are near-duplicates of a row being scored; metrics are computed
  on real rows only;
- calibration and the threshold are chosen inside each training split from its inner grouped
  out-of-fold scores on real rows, never on the rows being scored; the threshold is the lowest
  one reaching precision >= 0.90 there (not max-F1).
The shipped threshold is chosen the same way on all rows. A model directory holds
model.joblib, card.json and card.md (data hash, rows, metrics, threshold, date, version).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from classifier.dataset import Dataset, concat, load_rows, load_synthetic
from classifier.errors import ClassifierError
from classifier.baseline import PlainBaseline
from classifier.grouping import JACCARD, PREFIX_CHARS, source_groups
from classifier.metrics import (
    PRECISION_TARGET, binary_metrics, calibration_bins, length_matched_mask, recall_per_category,
    threshold_for_precision,
)
from classifier.model import Featurizer, LureModel, ModelConfig, SklearnBackend, grouped_folds
from classifier.signals import catalogue_table
from classifier.subsets import subset_figures, table_lines

__all__ = ["CVResult", "cross_validate", "fit_final", "train", "write_card", "main", "GROUPING_RULE"]

GROUPING_RULE = (
    "source groups: the row's source (URL registered domain, github owner/repo, dataset name) joined "
    f"with its near-duplicates (Jaccard of folded char 5-gram shingles >= {JACCARD} or equal first "
    f"{PREFIX_CHARS} folded alphanumeric chars), connected components; StratifiedGroupKFold"
)


@dataclass
class CVResult:
    """Out-of-fold outputs on the real rows, and the summary metrics."""

    proba: np.ndarray
    pred: np.ndarray
    y: np.ndarray
    texts: list[str]
    categories: list[str]
    fold_thresholds: list[float]
    groups: int
    baseline: np.ndarray  # the plain baseline's decision values, same folds
    notes: list[str]
    files: list[str]
    seed: int = 0

    def figures(self, scores: np.ndarray, mask: np.ndarray | None = None) -> dict:
        sel = np.ones(len(self.y), dtype=bool) if mask is None else mask
        pick = np.flatnonzero(sel)
        return subset_figures(scores[pick], self.y[pick], [self.categories[i] for i in pick],
                              [self.notes[i] for i in pick], [self.files[i] for i in pick])

    def source_grouped(self) -> dict:
        """Ours and the baseline's figures (classifier.subsets), all rows and length-matched."""
        mask = length_matched_mask(self.texts, self.y)
        return {
            "ours": self.figures(self.proba), "baseline": self.figures(self.baseline),
            "length_matched": {"ours": self.figures(self.proba, mask), "baseline": self.figures(self.baseline, mask)},
            "baseline_model": PlainBaseline.description, "seed": self.seed,
        }

    def summary(self) -> dict:
        mask = length_matched_mask(self.texts, self.y)
        return {
            "method": "5-fold stratified CV grouped by source; synthetic rows in training folds only "
            "(not near-duplicates of scored rows); calibration and threshold (precision >= 0.90 on "
            "inner grouped out-of-fold scores of real rows) chosen inside each training split",
            "grouping": GROUPING_RULE,
            "groups": self.groups,
            "all": binary_metrics(self.proba, self.pred, self.y),
            "length_matched": binary_metrics(self.proba[mask], self.pred[mask], self.y[mask]),
            "length_matched_definition": "rows with length within the 5th-95th percentile of lure lengths",
            "recall_per_category": recall_per_category(self.pred, self.y, self.categories),
            "calibration": calibration_bins(self.proba, self.y),
            "fold_thresholds": [round(t, 4) for t in self.fold_thresholds],
            "source_grouped": self.source_grouped(),
        }


def _groups(data: Dataset) -> np.ndarray:
    """Source groups (classifier.grouping.source_groups). Synthetic rows have no source: they
    join a group only as near-duplicates of a real row (and are then kept out of the training
    folds that score that row)."""
    sources = [s if not synthetic else "" for s, synthetic in zip(data.sources, data.synthetic)]
    return source_groups(sources, data.texts)


def _with_synthetic(data: Dataset, synthetic: Dataset | None) -> Dataset:
    real = data.real
    return concat(real, synthetic) if synthetic is not None and len(synthetic) else real


def check_enough_rows(y: np.ndarray, groups: np.ndarray, folds: int) -> None:
    """Grouped k-fold needs k source groups, and each training split k more for the inner
    folds (k + 2 in all), with both classes in two groups at least; say so instead of sklearn's
    traceback ("Cannot have number of splits n_splits=5 greater than the number of groups")."""
    per_class = {label: len(set(groups[y == label])) for label in (0, 1)}
    total = len(set(groups))
    if total < folds + 2 or min(per_class.values()) < 2:
        raise ClassifierError(
            f"too few rows to train: {len(y)} real row(s), {int(y.sum())} lure(s), in {total} source group(s) "
            f"({per_class[1]} with lures, {per_class[0]} legit); {folds}-fold cross-validation grouped by source "
            f"needs at least {folds + 2} source groups, two of each class")


def cross_validate(
    data: Dataset, synthetic: Dataset | None = None, config: ModelConfig | None = None, folds: int = 5,
    seed: int | None = None,
) -> CVResult:
    """Outer CV grouped by source on the real rows of `data`; `synthetic` rows train every fold
    (except near-duplicates of its test rows). The plain baseline runs in the same folds."""
    config = config or ModelConfig()
    seed = config.seed + 1 if seed is None else seed
    real = data.real
    full = _with_synthetic(data, synthetic)
    X = Featurizer(config).transform(full.texts)
    groups = _groups(full)
    n_real = len(real)
    check_enough_rows(real.y, groups[:n_real], folds)
    is_real = np.arange(len(full)) < n_real
    proba = np.zeros(n_real)
    baseline = np.zeros(n_real)
    pred = np.zeros(n_real, dtype=int)
    thresholds = []
    for train_real, test in grouped_folds(real.y, groups[:n_real], folds, seed):
        held_out = np.isin(groups, groups[test])
        train = np.concatenate([train_real, np.flatnonzero(~is_real & ~held_out)])
        texts = [full.texts[i] for i in train]
        model, inner = LureModel.fit(texts, X[train], full.y[train], config, groups=groups[train],
                                     real=is_real[train], folds=folds)
        inner_real = is_real[train]
        threshold = threshold_for_precision(inner[inner_real], full.y[train][inner_real], PRECISION_TARGET)
        thresholds.append(threshold)
        test_texts = [real.texts[i] for i in test]
        proba[test] = model.proba_features(X[test], test_texts)
        pred[test] = (proba[test] >= threshold).astype(int)
        plain = PlainBaseline().fit([real.texts[i] for i in train_real], real.y[train_real])
        baseline[test] = plain.decision_function(test_texts)
    return CVResult(proba, pred, real.y, real.texts, real.categories, thresholds, int(len(set(groups[:n_real]))),
                    baseline, real.notes, real.row_files, seed)


def fit_final(data: Dataset, synthetic: Dataset | None, config: ModelConfig) -> tuple[LureModel, float]:
    """Fit on every real + synthetic row; threshold from grouped OOF scores of real rows."""
    full = _with_synthetic(data, synthetic)
    is_real = np.arange(len(full)) < len(data.real)
    X = Featurizer(config).transform(full.texts)
    model, oof = LureModel.fit(full.texts, X, full.y, config, groups=_groups(full), real=is_real)
    return model, threshold_for_precision(oof[is_real], full.y[is_real], PRECISION_TARGET)


def write_card(out_dir: Path, card: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cv = card.get("cv", {})
    lines = [
        f"# Model card: {card['version']}", "",
        f"- backend: {card['backend']}",
        f"- trained: {card['trained_at']}",
        f"- data: {card['rows']} real rows ({card['positives']} lures) + {card['synthetic_rows']} synthetic "
        "rows (training only); data hash `" + card["data_hash"] + "`",
        f"- threshold: {card['threshold']} (lowest with precision >= 0.90 on grouped out-of-fold scores)",
        f"- grouping: {cv.get('grouping', '')}", "",
        "| subset | rows | lures | precision | recall | F1 | PR-AUC | recall@P0.90 | Brier |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("all", "length_matched"):
        m = cv.get(name)
        if m:
            lines.append(f"| {name} | {m['rows']} | {m['positives']} | {m['precision']} | {m['recall']} | "
                         f"{m['f1']} | {m['pr_auc']} | {m['recall_at_precision_0.90']} | {m['brier']} |")
    grouped = cv.get("source_grouped")
    if grouped:
        lines += ["", f"Source-grouped 5-fold CV (fold seed {grouped['seed']}), ours beside the baseline "
                  f"({grouped['baseline_model']}) in the same folds:", ""]
        lines += table_lines(grouped["ours"], grouped["baseline"])
    lines += ["", "Metrics are cross-validated on real rows only (see card.json `cv.method`).",
              "Intended use: ranking posts for human review by cyber police; never an automatic decision.", ""]
    (out_dir / "card.md").write_text("\n".join(lines), encoding="utf-8")


def train(
    data_paths: Sequence[Path], out_dir: Path, config: ModelConfig | None = None, *,
    use_synthetic: bool = True, folds: int = 5,
) -> dict:
    """Cross-validate, fit on all rows, write model.joblib + card.json + card.md; return the card."""
    config = config or ModelConfig()
    data = load_rows(list(data_paths))
    synthetic = load_synthetic() if use_synthetic else None
    if synthetic is not None:
        # Synthetic rows found in --data join the synthetic set (training only).
        synthetic = concat(synthetic, data.subset(data.synthetic)) if data.synthetic.any() else synthetic
    cv = cross_validate(data, synthetic, config, folds)
    model, threshold = fit_final(data, synthetic, config)
    real = data.real
    now = datetime.now(timezone.utc)
    card = {
        "version": f"sk-{now:%Y%m%d%H%M}-{data.data_hash[:8]}",  # minutes: same data, new recipe
        "backend": "sklearn",
        "data_hash": data.data_hash,
        "synthetic_hash": synthetic.data_hash if synthetic is not None else None,
        "data_files": [Path(f).name for f in data.files],
        "rows": int(len(real)),
        "positives": int(real.y.sum()),
        "synthetic_rows": int(len(synthetic)) if synthetic is not None else 0,
        "skipped": data.skipped,
        "threshold": round(threshold, 6),
        "precision_target": PRECISION_TARGET,
        "config": asdict(config),
        "cv": cv.summary(),
        "signals": [s["id"] for s in catalogue_table()],
        "trained_at": now.isoformat(timespec="seconds"),
    }
    SklearnBackend(model).save(out_dir)
    write_card(out_dir, card)
    card["_cv_result"] = cv  # for callers that write a report; not serialised
    return card


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m classifier.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="directories or files of *.jsonl rows")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    args = parser.parse_args(argv)
    card = train(args.data, args.out)
    card.pop("_cv_result")
    print(json.dumps({k: card[k] for k in ("version", "rows", "threshold")} | {"all": card["cv"]["all"],
          "length_matched": card["cv"]["length_matched"]}, indent=2))


if __name__ == "__main__":
    main()
