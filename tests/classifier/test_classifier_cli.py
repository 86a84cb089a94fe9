import json

from typer import BadParameter
from typer.testing import CliRunner

from classifier.cli import classifier_app, mark_spans

runner = CliRunner()


def test_explain_marks_fired_phrases():
    text = "Tuyển gấp, bao vé máy bay sang Campuchia, không thu phí, ib zalo 0912 345 678"
    result = runner.invoke(classifier_app, ["explain", text])
    assert result.exit_code == 0, result.output
    assert "»bao vé máy bay«" in result.output and "»Campuchia«" in result.output
    assert "LURE" in result.output and "+84912345678" in result.output
    assert "abroad_destination" in result.output and "priority 2" in result.output


def test_mark_spans_merges_overlaps():
    assert mark_spans("abcdef", [(1, 3), (2, 4)], color=False) == "a»bcd«ef"


def test_errors_are_one_line_without_traceback(tmp_path):
    # standalone_mode=False: the exception the lurewatch CLI maps to one "error: ..." line
    result = runner.invoke(classifier_app, ["evaluate", "--data", str(tmp_path / "missing")], standalone_mode=False)
    assert isinstance(result.exception, BadParameter) and "data path not found" in result.exception.format_message()
    (tmp_path / "bad.jsonl").write_text('{"text": "a", "label": "lure"}\n{oops\n')
    result = runner.invoke(classifier_app, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "m")],
                           standalone_mode=False)
    assert isinstance(result.exception, BadParameter)
    assert "bad.jsonl:2: not valid JSON" in result.exception.format_message()
    assert "\n" not in result.exception.format_message()
    assert runner.invoke(classifier_app, ["evaluate", "--data", str(tmp_path / "missing")]).exit_code == 2


def test_train_then_evaluate_a_small_model(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    lures = ["Việc nhẹ lương cao {} triệu, bao vé sang Campuchia, ib zalo", "Làm nhiệm vụ online nạp tiền nhận hoa hồng {}%",
             "Tuyển nữ 16-{} tuổi làm karaoke bao ăn ở", "XKLĐ bay nhanh đặt cọc {} triệu giữ suất"]
    legit = ["Kế toán tổng hợp {} năm kinh nghiệm, BHXH đầy đủ", "Tuyển lái xe tải bằng C, lương {} triệu, ký hợp đồng",
             "Giáo viên tiếng Anh {} buổi mỗi tuần tại trung tâm", "Nhân viên kho ca ngày, hợp đồng lao động {} tháng"]
    rows = [{"text": t.format(i), "label": "lure"} for t in lures for i in range(20, 26)]
    rows += [{"text": t.format(i), "label": "legit"} for t in legit for i in range(2, 14)]
    (data / "rows.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    out = tmp_path / "model"
    result = runner.invoke(classifier_app, ["train", "--data", str(data), "--out", str(out), "--no-synthetic"])
    assert result.exit_code == 0, result.output
    assert {"model.joblib", "card.json", "card.md", "report.json"} <= {p.name for p in out.iterdir()}
    card = json.loads((out / "card.json").read_text())
    assert card["rows"] == len(rows) and card["synthetic_rows"] == 0
    result = runner.invoke(classifier_app, ["evaluate", "--data", str(data), "--model", str(out),
                                            "--report", str(tmp_path / "rep")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "rep" / "report.json").read_text())
    assert report["mode"] == "fixed model" and report["in_sample"] is True
    assert report["all"]["recall"] >= 0.9


def test_explain_shows_the_minor_reason_in_the_asked_language():
    text = "Tuyển các bạn nữ lứa tuổi 12-15 làm mẫu ảnh, bao ăn ở, ib zalo"
    vi = runner.invoke(classifier_app, ["explain", text])
    en = runner.invoke(classifier_app, ["explain", text, "--lang", "en"])
    assert vi.exit_code == 0 and en.exit_code == 0, vi.output + en.output
    assert "minor_risk True" in vi.output and "«lứa tuổi 12-15»" in vi.output and "độ tuổi" in vi.output
    assert "age bracket includes under-18s" in en.output


def test_evaluate_rejects_a_bad_seed_count(tmp_path):
    result = runner.invoke(classifier_app, ["evaluate", "--data", str(tmp_path), "--seeds", "0"], standalone_mode=False)
    assert isinstance(result.exception, BadParameter) and "\n" not in result.exception.format_message()
    assert runner.invoke(classifier_app, ["evaluate", "--data", str(tmp_path), "--seeds", "0"]).exit_code == 2
