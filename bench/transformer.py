"""Benchmark of the transformer backend on a tiny BERT (not a test: it prints numbers).

Builds a tiny randomly initialised BERT (hidden 32, 2 layers, 2 heads) as a local base model,
fine-tunes it for one epoch, then measures, on 1,000 mixed texts: model load time, assessments
per second (transformer score + the rule-based evidence), and the same for the default
scikit-learn assessor in the same run as the baseline. Texts come from ../shared/data when it
is beside the repository, else from a few built-in lines. Needs `lurewatch[transformer]`.

    python -c "import bench.transformer as b; b.run()"
"""

from __future__ import annotations

import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

__all__ = ["run"]

N_TEXTS = 1000
FINE_TUNE_ROWS = 160
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FALLBACK_ROWS = [
    ("Việc nhẹ lương cao 500k/ngày, không cần kinh nghiệm, ib zalo nhận việc", "lure"),
    ("Tuyển nữ 16-22 tuổi đi làm karaoke bên Campuchia, bao vé máy bay, bao ăn ở", "lure"),
    ("Cần CTV làm nhiệm vụ online, nạp tiền nhận hoa hồng ngay, liên hệ Telegram", "lure"),
    ("Đặt cọc 20 triệu đi XKLĐ Nhật Bản không cần tiếng, bay sau hai tuần", "lure"),
    ("Công ty tuyển kế toán tổng hợp, hai năm kinh nghiệm, lương 12-15 triệu, BHXH đầy đủ", "legit"),
    ("Cửa hàng điện máy tuyển nhân viên bán hàng làm ca, có thưởng tháng 13", "legit"),
    ("Công an cảnh báo thủ đoạn tuyển việc nhẹ lương cao sang Campuchia để lừa đảo", "legit"),
    ("Khách sạn tuyển lễ tân giao tiếp tiếng Anh tốt, làm giờ hành chính", "legit"),
]


def _rows() -> tuple[list[tuple[str, str]], str]:
    files = sorted(SHARED_DATA.glob("*.jsonl")) if SHARED_DATA.is_dir() else []
    rows = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("label") in ("lure", "legit") and isinstance(row.get("text"), str):
                rows.append((row["text"], row["label"]))
    return (rows, f"{len(rows)} rows of {SHARED_DATA}") if rows else (FALLBACK_ROWS, "built-in lines")


def _per_second(assess, texts: list[str]) -> tuple[float, float]:
    assess(texts[:32])  # warm-up: lazy tables, first-call allocations
    start = time.perf_counter()
    assess(texts)
    seconds = time.perf_counter() - start
    return len(texts) / seconds, seconds


def run() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a benchmark never reaches a model hub
    import torch

    from classifier.assess import load_assessor
    from classifier.transformer_backend import fine_tune, load_transformer_assessor
    from classifier.transformer_tiny import build_tiny_bert

    rows, source = _rows()
    rng = random.Random(13)
    texts = [rows[rng.randrange(len(rows))][0] for _ in range(N_TEXTS)]
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"transformer bench: {N_TEXTS} texts drawn from {source}, mean {mean_chars:.0f} chars, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    with tempfile.TemporaryDirectory() as tmp:
        base = build_tiny_bert([t for t, _ in rows], Path(tmp) / "base", hidden_size=32, layers=2, heads=2)
        # The speed of assess does not depend on how well the model learnt: a short fine-tune.
        train_rows = rng.sample(rows, min(len(rows), FINE_TUNE_ROWS))
        start = time.perf_counter()
        model_dir = fine_tune(
            [{"text": t, "label": label} for t, label in train_rows], base, Path(tmp) / "tf",
            epochs=1, batch_size=16, lr=1e-3, max_length=128, seed=13,
        )
        print(f"  tiny BERT fine-tune, 1 epoch on {len(train_rows)} rows, max_length 128: "
              f"{time.perf_counter() - start:.2f} s")

        start = time.perf_counter()
        tf_assessor = load_transformer_assessor(model_dir)
        print(f"  transformer model load: {(time.perf_counter() - start) * 1000:.0f} ms")

        threads = torch.get_num_threads()
        tf_rate, tf_s = _per_second(tf_assessor.assess, texts)
        score_rate, _ = _per_second(tf_assessor.scores, texts)
        print(f"  transformer assess, {threads} torch threads: {tf_rate:,.0f} texts/s "
              f"({tf_s:.2f} s for {N_TEXTS}); transformer scores alone: {score_rate:,.0f} texts/s")
        torch.set_num_threads(1)  # a model this small may do better without OpenMP hand-offs
        one_rate, _ = _per_second(tf_assessor.assess, texts)
        torch.set_num_threads(threads)
        print(f"  transformer assess, 1 torch thread: {one_rate:,.0f} texts/s")

    # Baseline in the same run: the default assessor (rules + scikit-learn) on the same texts.
    try:
        start = time.perf_counter()
        default_assessor = load_assessor()
        default_load = time.perf_counter() - start
        default_rate, default_s = _per_second(default_assessor.assess, texts)
    except Exception as exc:  # the default model may be mid-retrain; still report the rest
        print(f"  default assessor baseline unavailable: {type(exc).__name__}: {exc}")
    else:
        print(f"  default assess (baseline, same texts): {default_rate:,.0f} texts/s ({default_s:.2f} s), "
              f"load {default_load * 1000:.0f} ms; ratio transformer/default {tf_rate / default_rate:.2f}x")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    run()
