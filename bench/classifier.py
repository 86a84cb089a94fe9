"""Benchmark of the default classifier (not a test: it prints numbers and ratios).

On 10,000 mixed texts (rows of ../shared/data repeated with small perturbations when it is
beside the repository, else synthetic rows shipped in classifier/data/), on at most 2 cores:
- model load time (`load_assessor()` of the shipped model, imports included);
- assessments per second of `Assessor.assess` in batches of 256 (signals, entities, score),
  in one process (wall and per CPU-second) and in 2 worker processes (one per core);
- baselines measured in the same run on 2,000 texts: the plain baseline of the quality figures
  (classifier.baseline: char 2-5-gram TF-IDF + logistic regression, trained here on the same
  rows) and the regex signal catalogue alone; ratios printed;
- peak Python memory (tracemalloc) for one batch, and the process max RSS.
Target: >= 500 assessments per second.

    python -m bench classifier
"""

from __future__ import annotations

import json
import os
import random
import resource
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

__all__ = ["run"]

N_TEXTS = 10_000
BATCH = 256
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _rows() -> tuple[list[str], list[int], str]:
    """Texts and labels of ../shared/data (or LUREWATCH_SHARED_DATA), else the synthetic rows."""
    from classifier.dataset import load_rows, load_synthetic

    data_dir = Path(os.environ.get("LUREWATCH_SHARED_DATA") or SHARED_DATA)
    if (data_dir / "dev_lures.jsonl").is_file():
        data, source = load_rows([data_dir]), str(data_dir)
    else:
        data, source = load_synthetic(), "classifier/data synthetic rows"
    return data.texts, [int(v) for v in data.y], source


def _texts(rows: list[str]) -> list[str]:
    rng = random.Random(0)
    out = []
    for _ in range(N_TEXTS):
        text = rng.choice(rows)
        # perturb: a random cut and a suffix so texts are not byte-identical repeats
        cut = rng.randint(max(1, len(text) // 2), len(text))
        out.append(text[:cut] + rng.choice(["", " ib zalo", " LH 0912 345 678", "!!", " lương cao"]))
    return out


def _rate(fn, texts) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        fn(texts[i : i + BATCH])
    return len(texts) / (time.perf_counter() - start)


_WORKER = None


def _worker_assess(batch: list[str]) -> int:
    global _WORKER
    if _WORKER is None:
        from classifier.assess import load_assessor

        _WORKER = load_assessor()
    return len(_WORKER.assess(batch))


def _rate_two_processes(texts: list[str]) -> float:
    """Throughput of 2 worker processes (one per core), each with its own loaded model."""
    from concurrent.futures import ProcessPoolExecutor

    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_worker_assess, [texts[:BATCH], texts[BATCH : 2 * BATCH]]))  # load + warm up
        start = time.perf_counter()
        done = sum(pool.map(_worker_assess, batches))
        return done / (time.perf_counter() - start)


def run() -> dict[str, float]:
    try:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
    except (AttributeError, OSError):
        pass
    from classifier.assess import load_assessor
    from classifier.baseline import PlainBaseline
    from classifier.signals import find_signals

    load_start = os.getloadavg()[0]
    rows, labels, source = _rows()
    texts = _texts(rows)
    start = time.perf_counter()
    assessor = load_assessor()
    load_s = time.perf_counter() - start
    plain = PlainBaseline().fit(rows, labels)

    def regex_only(batch):  # baseline 2: the signal catalogue alone
        return [find_signals(t) for t in batch]

    _rate(assessor.assess, texts[:512])  # warm-up (regex caches, fold table)
    sample = texts[:2000]
    base_ngram = _rate(plain.decision_function, sample)
    base_regex = _rate(regex_only, sample)
    cpu = time.process_time()
    one = _rate(assessor.assess, texts)
    one_cpu = len(texts) / (time.process_time() - cpu)
    two = _rate_two_processes(texts)
    tracemalloc.start()
    assessor.assess(texts[:BATCH])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "texts": len(texts), "model_load_s": round(load_s, 3), "assess_per_s_1_process": round(one),
        "assess_per_cpu_s_1_process": round(one_cpu), "assess_per_s_2_processes": round(two),
        "load_average_start": round(load_start, 2),
        "baseline_plain_tfidf_lr_per_s": round(base_ngram), "baseline_regex_only_per_s": round(base_regex),
        "ratio_vs_plain_baseline": round(one / base_ngram, 3), "ratio_vs_regex_only": round(one / base_regex, 3),
        "peak_tracemalloc_mb_per_batch": round(peak / 2**20, 1), "max_rss_mb": round(rss_mb, 1),
    }
    print(f"texts: {len(texts)} from {source}; batch {BATCH}; load average at the start {load_start:.1f}")
    print(f"model load: {load_s:.3f} s (version {assessor.model_version})")
    print(f"assess, 1 process:   {one:,.0f} texts/s wall, {one_cpu:,.0f} texts per CPU-second")
    print(f"assess, 2 processes: {two:,.0f} texts/s wall   (target >= 500 on 2 cores)")
    print(f"assess on 2 dedicated cores, from CPU time: {2 * one_cpu:,.0f} texts/s (the wall figure above "
          "falls when other processes share the cores)")
    print(f"baseline plain char 2-5 TF-IDF + LR (1 process): {base_ngram:,.0f} texts/s -> assess is {one / base_ngram:.2f}x")
    print(f"baseline regex signals only (1 process):          {base_regex:,.0f} texts/s -> assess is {one / base_regex:.2f}x")
    print(f"peak traced memory for one batch of {BATCH}: {peak / 2**20:.1f} MB; process max RSS {rss_mb:.0f} MB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared: run twice)")
    return result


if __name__ == "__main__":
    run()
