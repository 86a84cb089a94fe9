"""Quality gate: grouped 5-fold CV of the default recipe on ../shared/data (real rows only).

Floors live in classifier/quality_floors.py; lowering one is a deliberate, reviewed change.
Runs in about 15 s on 2 cores."""

import numpy as np
import pytest

from classifier import quality_floors as floors
from classifier.dataset import load_rows, load_synthetic
from classifier.grouping import near_duplicate_groups
from classifier.train import cross_validate


@pytest.fixture(scope="module")
def cv(shared_data_dir):
    return cross_validate(load_rows([shared_data_dir]), load_synthetic())


@pytest.mark.needs_shared_data
def test_cross_validated_quality_floors(cv):
    s = cv.summary()
    print("\nall", s["all"], "\nlength_matched", s["length_matched"])
    assert s["all"]["pr_auc"] >= floors.PR_AUC_ALL
    assert s["all"]["recall_at_precision_0.90"] >= floors.RECALL_AT_P90_ALL
    assert s["length_matched"]["pr_auc"] >= floors.PR_AUC_LENGTH_MATCHED
    assert s["length_matched"]["recall_at_precision_0.90"] >= floors.RECALL_AT_P90_LENGTH_MATCHED
    assert np.isfinite(cv.proba).all() and ((cv.proba >= 0) & (cv.proba <= 1)).all()


@pytest.mark.needs_shared_data
def test_metrics_are_on_real_rows_only(cv, shared_data_dir):
    real = load_rows([shared_data_dir])
    assert len(cv.y) == len(real) and int(cv.y.sum()) == int(real.y.sum())
    assert len(cv.fold_thresholds) == 5 and all(0 < t < 1 for t in cv.fold_thresholds)


def test_near_duplicates_share_a_group():
    base = ("Xin chào, tôi là trưởng phòng nhân sự của Công ty ABC, đang tuyển nhân viên bán thời gian, "
            "tiền lương được trả hàng ngày, thu nhập từ 15 triệu đến 30 triệu một tháng")
    texts = [base, base.replace("ABC", "XYZ") + "!!", "Tuyển kế toán tổng hợp 3 năm kinh nghiệm", base.upper()]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1] == groups[3] != groups[2]
