import json

import pytest

from classifier.dataset import SYNTHETIC_DIR, load_rows, load_synthetic
from classifier.errors import DataFormatError


def write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


def test_rows_with_title_and_review_labels(tmp_path):
    write(tmp_path / "reviews.jsonl", [
        {"title": "Tuyển gấp", "text": "việc nhẹ lương cao", "label": "lure"},
        {"text": "Kế toán tổng hợp", "label": "not_lure"},
        {"text": "chưa rõ", "label": "escalate"},
        {"text": "", "label": "lure"},
    ])
    data = load_rows([tmp_path])
    assert data.texts == ["Tuyển gấp\nviệc nhẹ lương cao", "Kế toán tổng hợp"]
    assert data.y.tolist() == [1, 0] and not data.synthetic.any()
    assert data.skipped == {"reviews.jsonl/label_not_lure_or_legit": 1, "reviews.jsonl/no_text": 1}


def test_bad_line_and_missing_dir_are_one_line_errors(tmp_path):
    write(tmp_path / "x.jsonl", [{"text": "a", "label": "lure"}, "{not json"])
    with pytest.raises(DataFormatError, match=r"x\.jsonl:2: not valid JSON"):
        load_rows([tmp_path])
    with pytest.raises(DataFormatError, match="not found"):
        load_rows([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFormatError, match="no \\*.jsonl"):
        load_rows([tmp_path / "empty"])


def test_shipped_synthetic_rows_are_marked_and_sized():
    data = load_synthetic()
    assert data.synthetic.all()
    assert (data.y == 0).sum() >= 60 and (data.y == 1).sum() >= 40
    for path in SYNTHETIC_DIR.glob("*.jsonl"):
        assert "synthetic" in path.name
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["synthetic"] is True
