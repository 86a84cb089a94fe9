"""Search benchmark on a real OpenSearch node: lurewatch's bulk path and 5 query shapes vs the raw client.

    .venv/bin/python -m bench search_opensearch [N]      (default 100000; needs the launcher jar)

One run starts one OpenSearch node (tests/engines launcher, a JVM tuned for throughput, 1.5 GB
heap), generates N synthetic posts with bench.search's Corpus (same seed, same posts as the
sqlite bench), and measures:

- bulk: OpenSearchSearch.index_posts in the Corpus's batches, refresh off during the load,
  then one refresh (the ingest path), and OpenSearchSearch.reindex of all posts into a new index version (the rebuild path);
  against opensearchpy.helpers.bulk of the same documents, their bodies built beforehand by
  es_base, into an index with the same mapping and refresh off during the load, then one
  refresh (the engine's own bulk), run first and again last (the faster is the baseline). Building the bodies in Python is timed apart: it is part of
  our paths, not of the raw one.
- queries: p50/p95 of text, text+filters+facets, phrase, entity pivot (phone:), deep page
  (40th page by cursor), each through the backend (parse, body, send, read the page, snippets)
  and as the raw client search of the very same body, interleaved query by query.

Prints numbers and ratios ours/raw (target for bulk: within 1.5x); asserts nothing.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.search import BATCH, LURES, REPEAT, SEED, Corpus, deep_cursor
from index.search.base import SearchDoc
from index.search.es_base import BULK_CHUNK, index_actions, index_body, search_body
from index.search.request import FACETS, SearchRequest, resolve

HEAP_MB = 1536
CLIENT_TIMEOUT_S = 300
WARMUP_DOCS = 10_000  # a first load into a scratch index, so JIT warm-up is in no timed figure
BULK_TARGET = 1.5
START_ATTEMPTS = 3


def _start_node(data_dir: Path):  # type: ignore[no-untyped-def]
    """The node, or None with a one-line reason (no JDK, no launcher jar)."""
    from tests.engines.fixtures import MIN_JAVA, OPENSEARCH_JAR, find_java, start_engine

    java = find_java()
    if java is None:
        print(f"search_opensearch: skipped, no Java {MIN_JAVA}+ (set JAVA_HOME or install a JDK)")
        return None
    if not OPENSEARCH_JAR.is_file():
        print(f"search_opensearch: skipped, launcher not built (run bash tests/engines/build.sh): {OPENSEARCH_JAR}")
        return None
    for attempt in range(1, START_ATTEMPTS + 1):
        attempt_dir = data_dir / f"try{attempt}"
        attempt_dir.mkdir()
        try:
            # Options after the fixture's 512 MB win (the JVM takes the last -Xms/-Xmx); no fast-start flags.
            return start_engine(OPENSEARCH_JAR, java, attempt_dir, 1, "lurewatch-bench",
                                replicas=0, jvm_options=[f"-Xms{HEAP_MB}m", f"-Xmx{HEAP_MB}m"])
        except RuntimeError as exc:
            # Tests running beside the bench may take the free port block between probe and bind.
            if "Address already in use" not in str(exc) or attempt == START_ATTEMPTS:
                raise
            print(f"search_opensearch: port taken meanwhile, starting again ({attempt}/{START_ATTEMPTS})")
    raise AssertionError("unreachable")


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


def _batches(docs: list[SearchDoc], size: int = BATCH) -> Iterator[list[SearchDoc]]:
    for start in range(0, len(docs), size):
        yield docs[start : start + size]


def _raw_load(client, name: str, actions: list[dict]) -> float:  # type: ignore[no-untyped-def]
    """The engine's own bulk: refresh off during the load, one refresh after. Seconds."""
    from opensearchpy import helpers

    body = index_body(replicas=0)
    body["settings"]["refresh_interval"] = "-1"
    client.indices.create(index=name, body=body)
    t0 = time.perf_counter()
    ok, errors = helpers.bulk(client, actions, chunk_size=BULK_CHUNK, raise_on_error=False)
    client.indices.refresh(index=name)
    elapsed = time.perf_counter() - t0
    if errors or ok != len(actions):
        raise RuntimeError(f"raw bulk: {ok} ok of {len(actions)}, {len(errors)} errors, e.g. {errors[:2]}")
    return elapsed


def bench_bulk(client, url: str, docs: list[SearchDoc]) -> tuple[dict, object]:  # type: ignore[no-untyped-def]
    from index.search.opensearch import OpenSearchSearch

    n = len(docs)
    # Warm the JVM (JIT, page cache) on a scratch index first.
    _raw_load(client, "bench-warmup", list(index_actions("bench-warmup", docs[:WARMUP_DOCS])))
    client.indices.delete(index="bench-warmup")

    t0 = time.perf_counter()
    raw_actions = list(index_actions("bench-raw", docs))
    build_s = time.perf_counter() - t0
    raw_first_s = _raw_load(client, "bench-raw", raw_actions)
    client.indices.delete(index="bench-raw")

    ours = OpenSearchSearch(hosts=url, alias="bench-ours", replicas=0, timeout=CLIENT_TIMEOUT_S)
    ours.ensure_index()
    # As for the raw load: refresh off during the load, then one refresh (live ingest keeps the 1 s default).
    client.indices.put_settings(index="bench-ours", body={"index": {"refresh_interval": "-1"}})
    t0 = time.perf_counter()
    for batch in _batches(docs):
        ours.index_posts(batch)
    client.indices.put_settings(index="bench-ours", body={"index": {"refresh_interval": None}})
    client.indices.refresh(index="bench-ours")
    ingest_s = time.perf_counter() - t0
    if ours.count() != n:
        raise RuntimeError(f"index_posts: {ours.count()} documents of {n}")

    t0 = time.perf_counter()
    ours.reindex(iter(docs))
    reindex_s = time.perf_counter() - t0
    if ours.count() != n:
        raise RuntimeError(f"reindex: {ours.count()} documents of {n}")
    # Raw again, last: the JVM keeps warming during the first loads; the faster raw run is the baseline.
    raw_last_s = _raw_load(client, "bench-raw", raw_actions)
    client.indices.delete(index="bench-raw")
    raw_s = min(raw_first_s, raw_last_s)
    return {"n": n, "build_s": build_s, "raw_s": raw_s, "raw_runs_s": (raw_first_s, raw_last_s), "ingest_s": ingest_s, "reindex_s": reindex_s}, ours


def bench_queries(ours, corpus: Corpus, repeat: int = REPEAT) -> dict:  # type: ignore[no-untyped-def]
    """Shape -> (ours p50, ours p95, raw p50, raw p95, mean total); both sides see the same body."""
    rng = random.Random(SEED + corpus.n)
    texts = [f"{corpus.mid_word(rng)} {corpus.mid_word(rng)}" for _ in range(repeat)]
    phrases = [f'"{rng.choice(LURES)}"' for _ in range(repeat)]
    phones = [rng.choice(corpus.phones) for _ in range(repeat)]
    sources = [f"source{rng.randrange(20):02d}" for _ in range(repeat)]

    deep = []  # the deep-page shape times the 40th page; its cursor is walked to first
    for i in range(repeat):
        q = corpus.mid_word(random.Random(i))
        deep.append(SearchRequest(query=q, size=20, cursor=deep_cursor(ours, q)))

    shapes: dict[str, Callable[[int], SearchRequest]] = {
        "text": lambda i: SearchRequest(query=texts[i], size=20),
        "text+filters+facets": lambda i: SearchRequest(
            query=f"{texts[i]} source:{sources[i]} score:>=0.5 since:2025-09-01", facets=FACETS, size=20),
        "phrase": lambda i: SearchRequest(query=phrases[i], size=20),
        "entity pivot (phone:)": lambda i: SearchRequest(query=f"phone:{phones[i]}", sort="newest", size=20),
        "deep page (40th, cursor)": lambda i: deep[i],
    }
    results = {}
    for name, make in shapes.items():
        reqs = [make(i) for i in range(repeat)]
        bodies = [search_body(resolve(r), r) for r in reqs]
        ours.search(reqs[0])  # one warm-up each, untimed
        ours.client.search(index=ours.alias, body=bodies[0])
        ours_t, raw_t, totals = [], [], []
        for req, body in zip(reqs, bodies):
            t0 = time.perf_counter()
            page = ours.search(req)
            t1 = time.perf_counter()
            raw = ours.client.search(index=ours.alias, body=body)
            t2 = time.perf_counter()
            if raw["hits"]["total"]["value"] != page.total:
                raise RuntimeError(f"{name}: backend total {page.total} != raw {raw['hits']['total']['value']}")
            ours_t.append(t1 - t0)
            raw_t.append(t2 - t1)
            totals.append(page.total)
        results[name] = (_pct(ours_t, 0.5), _pct(ours_t, 0.95), _pct(raw_t, 0.5), _pct(raw_t, 0.95),
                         statistics.mean(totals))
    return results


def report(bulk: dict, queries: dict, version: str) -> str:
    n = bulk["n"]
    raw_rate = n / bulk["raw_s"]
    lines = [
        f"== OpenSearch {version}, 1 node, heap {HEAP_MB} MB, {n:,} posts",
        f"{'bulk path':44s} {'seconds':>8s} {'posts/s':>9s} {'ours/raw':>9s}",
        f"{'raw helpers.bulk (bodies prebuilt)':44s} {bulk['raw_s']:8.1f} {raw_rate:9,.0f} {'1.00x':>9s}"
        f"  (faster of 2 runs: {bulk['raw_runs_s'][0]:.1f} s first, {bulk['raw_runs_s'][1]:.1f} s last)",
    ]
    ours_paths = (("lurewatch index_posts + refresh", "ingest_s"),
                  ("lurewatch reindex (new version + alias)", "reindex_s"))
    for label, key in ours_paths:
        ratio = bulk[key] / bulk["raw_s"]
        verdict = "ok" if ratio <= BULK_TARGET else f"over {BULK_TARGET}x"
        lines.append(f"{label:44s} {bulk[key]:8.1f} {n / bulk[key]:9,.0f} {ratio:8.2f}x  {verdict}")
    lines.append(f"{'  of which building bodies in Python':44s} {bulk['build_s']:8.1f} {n / bulk['build_s']:9,.0f}")
    lines.append("")
    lines.append(f"{'query shape':26s} {'ours p50':>9s} {'p95':>7s} {'raw p50':>9s} {'p95':>7s} "
                 f"{'p50 x':>6s} {'p95 x':>6s} {'avg total':>10s}")
    for name, (op50, op95, rp50, rp95, avg) in queries.items():
        lines.append(f"{name:26s} {op50:9.1f} {op95:7.1f} {rp50:9.1f} {rp95:7.1f} "
                     f"{op50 / max(rp50, 1e-6):5.2f}x {op95 / max(rp95, 1e-6):5.2f}x {avg:10,.0f}")
    lines.append("(ms; ours = OpenSearchSearch.search, raw = client.search of the same body)")
    return "\n".join(lines)


def run(sizes: tuple[int, ...] = (100_000,), workdir: Path | None = None) -> list[dict]:
    from opensearchpy import OpenSearch

    results = []
    for n in sizes:
        data_dir = Path(tempfile.mkdtemp(prefix="lurewatch-bench-os-", dir=workdir))
        try:
            node = _start_node(data_dir)
            if node is None:
                return results
            try:
                t0 = time.perf_counter()
                corpus = Corpus(n)
                docs = [d for batch in corpus.batches() for d in batch]
                print(f"generated {n:,} posts in {time.perf_counter() - t0:.1f} s; node up in "
                      f"{node.start_seconds:.1f} s", flush=True)
                client = OpenSearch(hosts=[node.url], timeout=CLIENT_TIMEOUT_S)
                bulk, ours = bench_bulk(client, node.url, docs)
                del docs
                queries = bench_queries(ours, corpus)
                print(report(bulk, queries, node.version), flush=True)
                results.append({"bulk": bulk, "queries": queries})
            finally:
                node.close()
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    return results


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or (100_000,))
