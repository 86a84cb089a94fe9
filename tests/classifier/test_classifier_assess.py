import json
from datetime import date
from pathlib import Path

import pytest

from classifier.assess import MAX_PRIORITY, Assessment, ModelNotFoundError, load_assessor, priority_of
from classifier.errors import ClassifierError
from classifier.settings import get_classifier_settings

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
    assert r.minor_risk and r.priority == MAX_PRIORITY
    assert r.minor_span is not None and text[slice(*r.minor_span)] == "16-22 tuổi"
    assert "16-22 tuổi" in r.minor_reason and "16-22 tuổi" in r.minor_reason_en
    assert "abroad-casino/scam-compound" in r.categories
    assert "+84912345678" in {e.value for e in r.entities if e.kind == "phone"}
    for hit in r.signals:
        assert text[hit.start : hit.end] == hit.phrase
    (task,) = assessor.assess([LURES[2]])
    assert task.categories[0] == "online-task/CTV-scam" and not task.minor_risk
    assert {e.value for e in task.entities if e.kind == "telegram"} == {"@shopee_ctv88"}


def test_assess_empty_batch_and_threshold_override():
    assert load_assessor().assess([]) == []
    # The override decides the label both ways (the shipped model is near-certain on LURES, so
    # "a high threshold unflags them" is not something to rely on).
    low = load_assessor(get_classifier_settings(threshold=1e-12))
    assert all(r.is_lure and r.threshold == 1e-12 for r in low.assess(LEGIT))  # legit, flagged anyway
    high = load_assessor(get_classifier_settings(threshold=0.999999))
    results = high.assess(LURES + LEGIT)
    assert [r.is_lure for r in results] == [r.score >= 0.999999 for r in results]
    assert high.threshold == 0.999999


def test_missing_model_dir_is_an_error(tmp_path):
    with pytest.raises(ModelNotFoundError, match="card.json"):
        load_assessor(get_classifier_settings(model_dir=tmp_path / "nope"))
    (tmp_path / "card.json").write_text('{"backend": "sklearn", "threshold": 0.5, "version": "x"}')
    with pytest.raises(ModelNotFoundError, match="model.joblib"):
        load_assessor(get_classifier_settings(model_dir=tmp_path))


def test_unknown_backend_in_card_is_a_clear_error(tmp_path):
    (tmp_path / "card.json").write_text('{"backend": "nope", "threshold": 0.5, "version": "x"}')
    with pytest.raises(ClassifierError, match="unknown backend 'nope'"):
        load_assessor(get_classifier_settings(model_dir=tmp_path))


def test_settings_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("LUREWATCH_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("LUREWATCH_THRESHOLD", "0.7")
    settings = get_classifier_settings()
    assert settings.model_dir == tmp_path and settings.threshold == 0.7


def test_packaged_card_is_small_and_complete():
    model_dir = Path(__file__).resolve().parents[2] / "classifier" / "models" / "default"
    card = json.loads((model_dir / "card.json").read_text())
    assert (model_dir / "model.joblib").stat().st_size < 10_000_000
    assert card["version"].startswith("sk-") and card["version"].endswith(card["data_hash"][:8])
    assert card["backend"] == "sklearn" and card["synthetic_rows"] >= 100
    assert "# Model card" in (model_dir / "card.md").read_text()
    report = json.loads((model_dir / "report.json").read_text())
    assert {"confusion", "calibration", "recall_per_category", "brier"} <= set(report["all"])
    assert 0 < card["threshold"] < 1
    for subset in ("all", "length_matched"):
        assert {"precision", "recall", "f1", "pr_auc", "recall_at_precision_0.90"} <= set(card["cv"][subset])


def test_negated_fee_and_counter_signals_in_assessment(assessor):
    (r,) = assessor.assess(["Công ty có giấy phép số 12/LĐTBXH-GP, không thu phí, ký hợp đồng lao động."])
    got = {h.id for h in r.signals}
    assert "deposit_or_fee" not in got and {"no_fee_claim", "licensed_programme"} <= got
    assert not r.is_lure and r.categories == () and r.priority == 0


def test_minor_risk_outranks_everything_and_uses_the_posts_date(assessor):
    assert priority_of(False, False, True) > priority_of(True, True, False) > priority_of(True, False, False)
    assert priority_of(True, True, True) == MAX_PRIORITY and priority_of(False, True, False) == 0
    text = "Tuyển các bạn sinh năm 2009 phụ quán, lương 8 triệu"
    young, grown = assessor.assess([text, text], dates=[date(2025, 5, 1), date(2030, 5, 1)])
    assert young.minor_risk and young.minor_cues[0].id == "birth_year" and young.priority >= 3
    assert not grown.minor_risk and grown.minor_reason == "" and grown.minor_span is None


def test_signal_hits_carry_both_labels(assessor):
    (r,) = assessor.assess([LURES[0]])
    assert r.signals and all(h.label_vi and h.label_en and h.label == h.label_vi for h in r.signals)
