"""Transformer backend on a tiny randomly initialised BERT built here: fine-tune a few steps,
save, reload, same scores; real Assessment objects; clear errors for bad directories.

No model hub: HF_HUB_OFFLINE is set before transformers is imported, and every load in the
backend passes local_files_only=True.
"""

import json
import os

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers reads it at import
os.environ["TRANSFORMERS_OFFLINE"] = "1"
torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from classifier.assess import Assessment, ModelNotFoundError, categories_of, load_assessor, priority_of  # noqa: E402
from classifier.entities import extract_entities  # noqa: E402
from classifier.settings import get_classifier_settings  # noqa: E402
from classifier.signals import find_signals  # noqa: E402
from classifier.transformer_backend import (  # noqa: E402
    NotATransformerModelError,
    fine_tune,
    load_transformer_assessor,
    save_transformer,
    train_transformer,
)
from classifier.transformer_tiny import build_tiny_bert  # noqa: E402

# Handwritten for this test (not taken from ../shared/data).
LURES = [
    "Tuyển gấp 5 bạn nữ 17-22 tuổi làm tiếp viên karaoke ở Campuchia, bao vé máy bay, lương 25tr",
    "Viec nhe luong cao 400k/ngay, ko can kinh nghiem, ib zalo 0987 654 321 de nhan viec",
    "Cần CTV làm nhiệm vụ online, nạp tiền nhận hoa hồng 15% ngay trong ngày, LH Telegram @nhiemvu_vip",
    "Đi làm bên Bavet, bao ăn ở, không cần ngoại ngữ, thu nhập 30 triệu/tháng, đi ngay tuần này",
    "XKLĐ Nhật Bản không cần tiếng, đặt cọc trước 20 triệu giữ chỗ, bay sau 2 tuần",
    "Tuyển người mẫu ảnh tuổi 16-20, cát-xê 2tr/buổi, bao đi lại, inbox riêng để trao đổi",
    "Job online tại nhà, chỉ cần điện thoại, mỗi đơn nhận 50k, rút tiền về ngân hàng liền",
    "Sang Myanmar làm chăm sóc khách hàng, lương 1.500 USD, công ty lo visa hộ chiếu",
    "Tuyển lễ tân casino Sihanoukville, nữ dưới 25t, không cần kinh nghiệm, kết bạn zalo nhé",
    "Lấy chồng Hàn Quốc, gia đình được hỗ trợ 50 triệu, không mất phí, liên hệ chị Hoa",
    "việc nhẹ lương cao bên Lào, bao vé xe, ăn ở miễn phí, ai cần việc gấp ib mình",
    "Cần 10 bạn làm like dạo TikTok, 300k/ngày, làm ngay không cần cọc, nhắn telegram",
    "Tuyển nhân viên massage KTV ở Dubai, 2000 USD/tháng, bao vé, bao visa, đi gấp",
    "Kiếm tiền online chốt đơn shopee ảo, nạp 500k nhận về 650k, uy tín 100%",
    "Tuyển nữ phục vụ quán bar bên Poipet 15-18 tuổi, lương cao, bao ăn ngủ, kín đáo",
    "Làm dịch vụ tại Philippines, thu nhập 40tr, không cần bằng cấp, zalo 0912.888.777",
    "Tuyển gấp cộng tác viên đánh giá sản phẩm, hoa hồng cao, chỉ cần nạp đơn đầu tiên",
    "Đi Malaysia làm nhà hàng, công ty trả vé máy bay, cọc 5 triệu làm hồ sơ",
    "Cần người trông coi máy tính bên Cam, không cần biết tiếng, lương 35 triệu, đi liền",
    "Nhận người đi Đài Loan không qua trung tâm, phí trọn gói 3000 USD, bay nhanh",
]
LEGIT = [
    "Công ty TNHH Minh Phát tuyển kế toán tổng hợp, 2 năm kinh nghiệm, lương 12-15 triệu",
    "Trường tiểu học Hòa Bình thông báo lịch họp phụ huynh vào sáng thứ bảy tuần này",
    "Tuyển nhân viên bán hàng tại cửa hàng điện máy Quận 3, làm ca xoay, có BHXH đầy đủ",
    "Công an tỉnh cảnh báo thủ đoạn tuyển việc nhẹ lương cao sang Campuchia để lừa đảo",
    "Cần thợ điện nước có kinh nghiệm, làm việc tại Hà Nội, thỏa thuận lương khi phỏng vấn",
    "Bệnh viện đa khoa tuyển điều dưỡng có chứng chỉ hành nghề, nộp hồ sơ tại phòng tổ chức",
    "Công ty xuất khẩu lao động được cấp phép tuyển thực tập sinh đi Nhật, học tiếng 6 tháng",
    "Quán cà phê cần tuyển phục vụ part-time sinh viên, 25k/giờ, làm gần Đại học Bách Khoa",
    "Ngân hàng thông báo tuyển giao dịch viên, yêu cầu tốt nghiệp đại học chuyên ngành tài chính",
    "Hướng dẫn nộp thuế thu nhập cá nhân trực tuyến cho người lao động năm nay",
    "Tuyển lập trình viên Python, làm việc từ xa, yêu cầu 3 năm kinh nghiệm và tiếng Anh",
    "Siêu thị tuyển nhân viên kho, làm 8 tiếng một ngày, nghỉ chủ nhật, thưởng tháng 13",
    "Bài viết: năm dấu hiệu nhận biết tin tuyển dụng lừa đảo trên mạng xã hội",
    "Nhà hàng Hương Sen tuyển đầu bếp chính, yêu cầu kinh nghiệm món Việt tối thiểu 5 năm",
    "Công ty may mặc tuyển công nhân may, có xe đưa đón, hợp đồng lao động chính thức",
    "Trung tâm tiếng Anh tuyển giáo viên có chứng chỉ IELTS 7.0, lương theo giờ dạy",
    "Thông báo tuyển sinh lớp 10 năm học mới của Sở Giáo dục và Đào tạo",
    "Cần tuyển tài xế xe tải bằng C, chạy tuyến Bắc Nam, lương cứng cộng phụ cấp",
    "Văn phòng luật tuyển thư ký, thành thạo tin học văn phòng, làm giờ hành chính",
    "Khách sạn bốn sao tuyển lễ tân, yêu cầu giao tiếp tiếng Anh tốt, có đồng phục",
]
ROWS = [{"text": t, "label": "lure"} for t in LURES] + [{"text": t, "label": "legit"} for t in LEGIT]
# 10 epochs x 4 batches: enough for the tiny BERT to separate its training texts.
TRAIN = dict(epochs=10, batch_size=8, lr=5e-3, max_length=64, seed=7, holdout_fraction=0.25)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """A model this small is faster on one thread (no OpenMP hand-offs on a shared 2-core box)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    return build_tiny_bert(LURES + LEGIT, tmp_path_factory.mktemp("tiny-bert"), hidden_size=32, layers=2, heads=2)


@pytest.fixture(scope="module")
def trained(base_dir, tmp_path_factory):
    """(in-memory fine-tuned model, its scores before saving, the saved dir)."""
    fitted = train_transformer(ROWS, base_dir, **TRAIN)
    before = fitted.assessor().scores(LURES + LEGIT)
    out = save_transformer(fitted, tmp_path_factory.mktemp("tf-model"))
    return fitted, before, out


def test_tiny_base_model_is_a_local_bert_with_a_folded_vocab(base_dir):
    config = json.loads((base_dir / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]) == (
        "bert", 32, 2, 2,
    )
    vocab = (base_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    assert vocab[:5] == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    assert {"luong", "tuyen", "campuchia", "##g"} <= set(vocab)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base_dir), local_files_only=True)
    tokens = tokenizer.tokenize("Lương cao ở Campuchia")
    assert tokens == ["luong", "cao", "o", "campuchia"]  # accents folded, no [UNK]


def test_fine_tune_writes_card_and_learns(trained):
    fitted, before, out = trained
    card = json.loads((out / "card.json").read_text(encoding="utf-8"))
    assert card["backend"] == "transformer" and card["base_model_type"] == "bert"
    assert card["version"].startswith("tf-") and card["version"].endswith(card["data_hash"][:8])
    assert (card["rows"], card["positives"], card["fine_tune_rows"], card["holdout_rows"]) == (40, 20, 30, 10)
    assert 0.0 <= card["threshold"] <= 1.0 and card["threshold_method"]
    assert card["holdout_metrics"]["rows"] == 10 and card["holdout_metrics"]["positives"] == 5
    losses = card["training"]["epoch_loss"]
    assert len(losses) == TRAIN["epochs"] and losses[-1] < 0.8 * losses[0]
    # Mostly its own training texts: lures must now score clearly above legit texts.
    assert before[: len(LURES)].mean() > before[len(LURES) :].mean() + 0.2
    assert {"config.json", "tokenizer.json"} <= {p.name for p in out.iterdir()}
    assert fitted.card == card


def test_reloaded_model_gives_the_same_scores(trained):
    _, before, out = trained
    assessor = load_transformer_assessor(out)
    after = assessor.scores(LURES + LEGIT)
    assert after.shape == before.shape == (len(LURES) + len(LEGIT),)
    assert abs(after - before).max() < 1e-5
    assert after.std() > 0  # the scores depend on the text: a dead model would pass the above too
    # Batch size and order do not change a text's score (padding is masked).
    small = load_transformer_assessor(out, batch_size=3).scores(list(reversed(LURES + LEGIT)))
    assert abs(small[::-1] - before).max() < 1e-5


def test_assess_returns_assessments_with_rule_evidence(trained):
    _, before, out = trained
    assessor = load_transformer_assessor(out)
    texts = [LURES[0], LURES[2], LEGIT[0]]
    results = assessor.assess(texts)
    assert [type(r) for r in results] == [Assessment] * 3
    first, task, legit = results
    for text, r, score in zip(texts, results, before[[0, 2, len(LURES)]]):
        assert 0.0 <= r.score <= 1.0 and abs(r.score - score) < 1e-5
        assert r.is_lure == (r.score >= assessor.threshold) and r.threshold == assessor.threshold
        assert r.model_version == assessor.model_version and r.model_version.startswith("tf-")
        for hit in r.signals:
            assert text[hit.start : hit.end] == hit.phrase
    assert first.minor_risk and "abroad_destination" in {h.id for h in first.signals}
    assert first.priority == priority_of(first.is_lure, True, True) and first.minor_reason
    assert {e.value for e in task.entities if e.kind == "telegram"} == {"@nhiemvu_vip"}
    assert not legit.minor_risk
    # The evidence is exactly what the rule-based functions of the default assessor give.
    for text, r in zip(texts, results):
        assert r.signals == tuple(find_signals(text)) and r.entities == tuple(extract_entities(text))
        assert r.categories == categories_of(r.signals, r.is_lure)
    assert assessor.assess([]) == []
    assert load_transformer_assessor(out, threshold=0.0).assess(texts[:1])[0].is_lure


def test_load_assessor_picks_the_transformer_backend_from_the_card(trained):
    _, before, out = trained
    assessor = load_assessor(get_classifier_settings(model_dir=out))
    results = assessor.assess(LURES + LEGIT)
    assert max(abs(r.score - b) for r, b in zip(results, before)) < 1e-5
    assert results[0].model_version.startswith("tf-")


def test_same_seed_same_model(base_dir, trained, tmp_path):
    _, before, _ = trained
    out = fine_tune(ROWS, base_dir, tmp_path / "again", **TRAIN)
    again = load_transformer_assessor(out).scores(LURES + LEGIT)
    assert abs(again - before).max() < 1e-5


def test_missing_or_wrong_directories_fail_clearly(base_dir, tmp_path):
    with pytest.raises(ModelNotFoundError, match="not found"):
        load_transformer_assessor(tmp_path / "nowhere")
    with pytest.raises(ModelNotFoundError, match="base model directory not found"):
        fine_tune(ROWS, tmp_path / "no-base", tmp_path / "out", **TRAIN)
    # A base model that was never fine-tuned: no card, no threshold.
    with pytest.raises(NotATransformerModelError, match="no card.json"):
        load_transformer_assessor(base_dir)
    # The default (scikit-learn) model directory is not a transformer one.
    sk_dir = tmp_path / "sk"
    sk_dir.mkdir()
    (sk_dir / "card.json").write_text(json.dumps({"version": "sk-20250101-abcdef12", "threshold": 0.5}))
    with pytest.raises(NotATransformerModelError, match="not a transformer model card"):
        load_transformer_assessor(sk_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotATransformerModelError, match="no config.json"):
        fine_tune(ROWS, empty, tmp_path / "out2", **TRAIN)
    assert not (tmp_path / "out").exists() and not (tmp_path / "out2").exists()
