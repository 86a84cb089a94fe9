"""Reviewers' decisions become training rows, and the classifier trains on them."""

import json
from datetime import datetime, timezone

from classifier.train import train
from index.document import PostIn
from index.settings import get_index_settings
from index.store import Store

from flows.exports import write_labels


def post(n: int, title: str, text: str, score: float = 0.9) -> PostIn:
    return PostIn(
        source="t", url=f"https://ex.vn/{n}", canonical_url=f"https://ex.vn/{n}", title=title, text=text,
        posted_at=None, fetched_at=datetime.now(timezone.utc), raw_sha256=f"{n:064x}", score=score,
        is_lure=True, threshold=0.5, model_version="m", signals=[], entities=[], categories=[],
        minor_risk=False, priority=1,
    )


def reviewed_store(tmp_path) -> Store:
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}"))
    a, b, c = store.upsert_posts([
        post(1, "Tuyển gấp đi Campuchia", "Việc nhẹ lương cao 30 triệu, bao vé máy bay, ib zalo."),
        # Near the threshold: decided in the "uncertain" tab, first in the export.
        post(2, "Kế toán tổng hợp", "Công ty TNHH tuyển kế toán 3 năm kinh nghiệm, lương 12 triệu.", score=0.55),
        post(3, "Tuyển CTV online", "Làm nhiệm vụ chốt đơn, nạp tiền nhận hoa hồng 30%."),
    ]).post_ids
    store.record_review(a, "thu", "lure", "", reason="job_abroad_high_pay")
    store.record_review(b, "thu", "lure", "nhầm")
    store.reopen([b], "an", "wrong_decision", "tin thật", now=datetime.now(timezone.utc))
    store.record_review(b, "an", "not_lure", "sửa lại: tin thật", reason="legitimate_employer")  # the latest wins
    store.record_review(c, "thu", "escalate", "")  # not a label
    return store


def test_export_keeps_the_latest_verdict_and_skips_escalations(tmp_path):
    out = tmp_path / "labels" / "reviews.jsonl"
    assert write_labels(reviewed_store(tmp_path).review_labels(), out) == 2
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    # The decision made near the threshold comes first.
    assert [(r["title"], r["label"], r["uncertain"]) for r in rows] == [
        ("Kế toán tổng hợp", "legit", True), ("Tuyển gấp đi Campuchia", "lure", False),
    ]
    assert "an" in rows[0]["notes"]


def test_classifier_trains_on_shared_data_plus_exported_reviews(tmp_path, shared_data_dir):
    exported = tmp_path / "reviews.jsonl"
    write_labels(reviewed_store(tmp_path).review_labels(), exported)
    card = train([shared_data_dir, exported], tmp_path / "model", use_synthetic=False, folds=3)
    assert card["rows"] == sum(1 for f in shared_data_dir.glob("*.jsonl") for _ in f.open()) + 2
    assert (tmp_path / "model" / "card.json").exists()
