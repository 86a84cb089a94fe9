"""Pure helpers of the transformer backend (no torch needed): rows, split, threshold."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from classifier.transformer_data import choose_threshold, holdout_metrics, holdout_split, labelled_rows

REPO = Path(__file__).resolve().parents[2]


def test_rows_accept_jsonl_mappings_and_pairs_and_count_skips():
    rows = [
        {"text": "Việc nhẹ lương cao", "label": "lure"},
        ("Tuyển kế toán", "legit"),
        ("bao vé máy bay", 1),
        {"text": "tin tức", "label": 0},
        {"text": "không rõ", "label": "unsure"},
        {"text": "   ", "label": "lure"},
        ("thiếu nhãn",),
    ]
    data = labelled_rows(rows)
    assert data.texts == ["Việc nhẹ lương cao", "Tuyển kế toán", "bao vé máy bay", "tin tức"]
    assert data.y.tolist() == [1, 0, 1, 0]
    assert data.skipped == {"bad_label": 2, "empty_text": 1}
    # Same rows, same hash; a flipped label changes it.
    assert labelled_rows(rows).data_hash == data.data_hash
    assert labelled_rows([("Tuyển kế toán", "lure")]).data_hash != labelled_rows([("Tuyển kế toán", "legit")]).data_hash


def test_holdout_split_is_stratified_seeded_and_disjoint():
    y = np.array([1] * 20 + [0] * 20)
    train, held = holdout_split(y, 0.25, seed=3)
    assert len(held) == 10 and y[held].sum() == 5
    assert set(train).isdisjoint(held) and len(train) + len(held) == 40
    assert np.array_equal(held, holdout_split(y, 0.25, seed=3)[1])
    with pytest.raises(ValueError, match="both labels"):
        holdout_split(np.array([1, 1, 1, 1, 1]), 0.2, seed=0)


def test_threshold_reaches_precision_090_when_possible_else_best_f1():
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    threshold, method = choose_threshold(p, y)
    assert threshold == 0.5 and "precision >= 0.90" in method  # 5/5 lures above 0.5, none legit
    assert holdout_metrics(p, y, threshold)["precision"] == 1.0
    # The top score is a legit text and lures mix with legit below: precision 0.90 is out of
    # reach, the best-F1 threshold (0.5: P 0.6, R 1.0) is used.
    y2 = np.array([0, 1, 0, 1, 1, 0])
    p2 = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    threshold2, method2 = choose_threshold(p2, y2)
    assert "best F1" in method2 and threshold2 == 0.5
    assert choose_threshold(np.array([0.2, 0.7]), np.array([1, 1]))[0] == 0.5


def test_backend_imports_without_torch_and_names_the_extra(tmp_path, monkeypatch):
    """`import classifier...` never needs torch; using the backend without it says what to install."""
    code = (
        "import sys, classifier.transformer_backend, classifier.transformer_tiny; "
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)

    from classifier.transformer_backend import load_transformer_assessor

    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "card.json").write_text(json.dumps({"backend": "transformer", "version": "tf-x", "threshold": 0.5}))
    monkeypatch.setitem(sys.modules, "torch", None)  # None in sys.modules makes `import torch` fail
    with pytest.raises(ImportError, match=r"lurewatch\[transformer\]"):
        load_transformer_assessor(tmp_path)
