"""Benchmark of normalisation and entity extraction (not a test: it prints numbers).

Times, on 10,000 mixed texts (rows of ../shared/data sampled with replacement when it is
beside the repository, else built-in lines with disguises), in the same run:
- baseline: `fold` alone (one str.translate per text, the cheapest pass over the text);
- `canonical_text` (characters, spellings, teencode, with offset maps);
- `extract_entities` (canonical text + every extractor + span mapping).
Prints wall and CPU seconds and the ratio to the baseline. The target is well under 10 s for
`extract_entities` on 10,000 texts.

    python -c "import bench.entities as b; b.run()"
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

__all__ = ["run"]

N_TEXTS = 10_000
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FALLBACK = [
    "Tuyển gấp CTV, lg 15tr/tháng, ib Z@lo 0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣, đi c4mpuchia, 16-25 tuổi",
    "Chuyển cọc 2tr vào STK 19036789012345 Techcombank, Momo 0987.654.321, sang Bavet làm",
    "Công ty TNHH ABC tuyển kế toán tổng hợp, lương 12 - 15 triệu, cam kết đóng BHXH đầy đủ. "
    "Hotline 1900 1234, email tuyendung@abc.vn. Làm việc tại Hà Nội, thứ 2 - thứ 6.",
    "Trung tâm Lao động ngoài nước tuyển lao động đi Hàn Quốc theo chương trình EPS, "
    "độ tuổi từ 18 đến 39, không thu phí môi giới.",
]


def _texts() -> list[str]:
    rows: list[str] = []
    for name in ("dev_lures.jsonl", "dev_legit.jsonl", "dev_informal_legit.jsonl"):
        path = SHARED_DATA / name
        if path.is_file():
            rows += [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    rows = rows or FALLBACK
    rng = random.Random(0)
    return [rng.choice(rows) for _ in range(N_TEXTS)]


def _time(fn, texts):
    wall, cpu = time.perf_counter(), time.process_time()
    out = [fn(t) for t in texts]
    return time.perf_counter() - wall, time.process_time() - cpu, out


def run() -> dict[str, float]:
    from classifier.canonical import canonical_text
    from classifier.entities import extract_entities
    from classifier.text import fold

    texts = _texts()
    chars = sum(map(len, texts))
    extract_entities(texts[0])  # compile regexes outside the timings
    base_wall, base_cpu, _ = _time(fold, texts)
    canon_wall, canon_cpu, _ = _time(canonical_text, texts)
    ent_wall, ent_cpu, ents = _time(extract_entities, texts)
    kinds = Counter(e.kind for row in ents for e in row)
    print(f"entities bench: {len(texts)} texts, {chars / 1e6:.2f} M chars")
    print(f"  fold (baseline)   wall {base_wall:6.2f} s  cpu {base_cpu:6.2f} s")
    print(f"  canonical_text    wall {canon_wall:6.2f} s  cpu {canon_cpu:6.2f} s  x{canon_cpu / base_cpu:.1f} baseline")
    print(f"  extract_entities  wall {ent_wall:6.2f} s  cpu {ent_cpu:6.2f} s  x{ent_cpu / base_cpu:.1f} baseline"
          f"  ({len(texts) / ent_wall:,.0f} texts/s wall)")
    print(f"  entities found: {dict(sorted(kinds.items()))}")
    return {"fold_s": base_wall, "canonical_s": canon_wall, "extract_s": ent_wall,
            "extract_cpu_s": ent_cpu, "texts_per_s": len(texts) / ent_wall}


if __name__ == "__main__":
    run()
