import json
from pathlib import Path

import numpy as np
import pytest

from classifier.assess import Assessment, ModelNotFoundError, load_assessor
from classifier.settings import get_classifier_settings
from classifier.train import cross_validate, load_dataset

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

LURES = [
    "Tuyển gấp 10 bạn nữ 16-22 tuổi đi làm karaoke bên Campuchia, bao vé máy bay, bao ăn ở, "
    "lương 30tr/tháng, không cần kinh nghiệm, ib zalo 0912 345 678",
    "Viec nhe luong cao 500k/ngay, ko can kinh nghiem, chi can dien thoai, ib zalo nhan viec",
    "Shopee cần tuyển CTV làm nhiệm vụ online tại nhà, nhận hoa hồng 10%, nạp tiền hoàn ngay "
    "trong ngày. Liên hệ Telegram: @shopee_ctv88",
]
LEGIT = [
    "Nhân Viên Kế Toán Tổng Hợp\n- Hạch toán các nghiệp vụ kế toán phát sinh hằng ngày.\n"
    "- Lập báo cáo thuế GTGT, TNCN, TNDN theo quy định.\n- Đối chiếu công nợ với khách hàng, "
    "nhà cung cấp.\n- Kiểm tra chứng từ, hóa đơn đầu vào, đầu ra.\nYêu cầu: tốt nghiệp đại học "
    "chuyên ngành kế toán, 2 năm kinh nghiệm, sử dụng thành thạo MISA, Excel.\nQuyền lợi: lương "
    "12-15 triệu, BHXH đầy đủ, thưởng tháng 13, nghỉ phép 12 ngày/năm.",
]


@pytest.fixture(scope="module")
def assessor():
    return load_assessor(get_classifier_settings())


def test_assess_handwritten_lures_and_legit(assessor):
    results = assessor.assess(LURES + LEGIT)
    assert [r.is_lure for r in results] == [True] * len(LURES) + [False] * len(LEGIT)
    for r in results:
        assert isinstance(r, Assessment) and 0.0 <= r.score <= 1.0
        assert r.model_version.startswith("sk-") and r.threshold == assessor.threshold


def test_assess_evidence_and_triage(assessor):
    text = LURES[0]
    (r,) = assessor.assess([text])
    assert r.minor_risk and r.priority == 3
    assert "abroad-casino/scam-compound" in r.categories
    assert "+84912345678" in {e.value for e in r.entities if e.kind == "phone"}
    for hit in r.signals:
        assert text[hit.start : hit.end] == hit.phrase
    (task,) = assessor.assess([LURES[2]])
    assert task.categories[0] == "online-task/CTV-scam" and not task.minor_risk
    assert {e.value for e in task.entities if e.kind == "telegram"} == {"@shopee_ctv88"}


def test_assess_empty_batch_and_threshold_override():
    assert load_assessor().assess([]) == []
    high = load_assessor(get_classifier_settings(threshold=0.999999))
    assert not any(r.is_lure for r in high.assess(LURES[1:2] + LEGIT))  # still scored, not flagged
    assert high.threshold == 0.999999


def test_missing_model_dir_is_an_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="model.joblib"):
        load_assessor(get_classifier_settings(model_dir=tmp_path / "nope"))


def test_settings_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("LUREWATCH_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("LUREWATCH_THRESHOLD", "0.7")
    settings = get_classifier_settings()
    assert settings.model_dir == tmp_path and settings.threshold == 0.7


def test_packaged_card_is_small_and_complete():
    model_dir = Path(__file__).resolve().parents[2] / "classifier" / "models" / "default"
    card = json.loads((model_dir / "card.json").read_text())
    assert (model_dir / "model.joblib").stat().st_size < 5_000_000
    assert card["version"].startswith("sk-") and card["version"].endswith(card["data_hash"][:8])
    assert 0 < card["threshold"] < 1
    for subset in ("all", "length_matched"):
        assert {"precision", "recall", "f1", "pr_auc", "recall_at_precision_0.90"} <= set(card["cv"][subset])


@pytest.mark.needs_shared_data
def test_cross_validated_quality_floors():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} absent")
    data = load_dataset(SHARED_DATA)
    cv = cross_validate(data.texts, data.y)
    # Measured: PR-AUC 0.90, R@P0.90 0.79 (all); 0.91 / 0.88 length-matched. Floors sit below.
    assert cv["all"]["pr_auc"] >= 0.85
    assert cv["all"]["recall_at_precision_0.90"] >= 0.70
    assert cv["length_matched"]["pr_auc"] >= 0.85
    assert cv["length_matched"]["recall_at_precision_0.90"] >= 0.75
    assert np.isfinite(cv["oof_proba"]).all()
