"""Quality gate: 5-fold CV GROUPED BY SOURCE of the default recipe on ../shared/data (real rows
only), with the plain baseline (classifier.baseline) trained and scored in the same folds.

Floors live in classifier/quality_floors.py; lowering one is a deliberate, reviewed change.
The recipe must also beat the baseline on the source-grouped figures (issue 9: a change is kept
only if it does). Runs in about 2-4 min on 2 shared cores."""

import numpy as np
import pytest

from classifier import quality_floors as floors
from classifier.dataset import load_rows, load_synthetic
from classifier.grouping import near_duplicate_groups, source_groups
from classifier.train import _groups, cross_validate


@pytest.fixture(scope="module")
def cv(shared_data_dir):
    return cross_validate(load_rows([shared_data_dir]), load_synthetic())


@pytest.mark.needs_shared_data
def test_source_grouped_quality_floors(cv):
    grouped = cv.summary()["source_grouped"]
    ours, base = grouped["ours"], grouped["baseline"]
    print("\nours", {k: ours[k] for k in ("A", "B", "all")}, "\nbaseline", {k: base[k] for k in ("A", "B", "all")})
    assert ours["A"]["ap"] >= floors.AP_A
    assert ours["B"]["ap"] >= floors.AP_B
    assert ours["all"]["ap"] >= floors.AP_ALL
    assert ours["A"]["recall_at_2pct"] >= floors.RECALL_AT_2PCT_A
    assert ours["B"]["recall_at_2pct"] >= floors.RECALL_AT_2PCT_B
    assert ours["all"]["recall_at_2pct"] >= floors.RECALL_AT_2PCT_ALL
    assert grouped["length_matched"]["ours"]["all"]["ap"] >= floors.AP_LENGTH_MATCHED
    assert np.isfinite(cv.proba).all() and ((cv.proba >= 0) & (cv.proba <= 1)).all()


@pytest.mark.needs_shared_data
def test_recipe_beats_the_plain_baseline_in_the_same_folds(cv):
    grouped = cv.summary()["source_grouped"]
    ours, base = grouped["ours"], grouped["baseline"]
    for subset in ("A", "B", "all"):
        assert ours[subset]["ap"] > base[subset]["ap"], subset
    assert ours["B"]["recall_at_2pct"] > base["B"]["recall_at_2pct"]  # the headline
    assert ours["by_style"]["paraphrase"]["caught_at_B_bar"] >= base["by_style"]["paraphrase"]["caught_at_B_bar"]


@pytest.mark.needs_shared_data
def test_metrics_are_on_real_rows_only(cv, shared_data_dir):
    real = load_rows([shared_data_dir])
    assert len(cv.y) == len(real) and int(cv.y.sum()) == int(real.y.sum())
    assert len(cv.fold_thresholds) == 5 and all(0 < t < 1 for t in cv.fold_thresholds)
    assert cv.summary()["source_grouped"]["ours"]["lures"] == int(real.y.sum())


@pytest.mark.needs_shared_data
def test_folds_never_split_a_source(shared_data_dir):
    from classifier.grouping import source_key
    from classifier.model import grouped_folds

    data = load_rows([shared_data_dir])
    groups = source_groups(data.sources, data.texts)
    for _, test in grouped_folds(data.y, groups, 5, 14):
        inside = {source_key(data.sources[i]) for i in test}
        outside = {source_key(s) for i, s in enumerate(data.sources) if i not in set(test)}
        assert not inside & outside


def test_synthetic_near_copies_of_a_real_row_share_its_group():
    from classifier.dataset import Dataset

    real = "Tuyển gấp nhân viên làm việc tại nhà, lương trả theo ngày 500k, liên hệ zalo ngay hôm nay để nhận việc"
    data = Dataset([real, "một bài khác", real + " nhé"], np.array([1, 0, 1]), ["", "", ""],
                   np.array([False, False, True]), "h", [], sources=["https://a.vn/1", "https://b.vn/2", "synthetic"])
    groups = _groups(data)
    assert groups[0] == groups[2] != groups[1]


def test_near_duplicates_share_a_group():
    base = ("Xin chào, tôi là trưởng phòng nhân sự của Công ty ABC, đang tuyển nhân viên bán thời gian, "
            "tiền lương được trả hàng ngày, thu nhập từ 15 triệu đến 30 triệu một tháng")
    texts = [base, base.replace("ABC", "XYZ") + "!!", "Tuyển kế toán tổng hợp 3 năm kinh nghiệm", base.upper()]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1] == groups[3] != groups[2]
