"""Search benchmark on sqlite: lurewatch's bulk path and 5 query shapes against raw FTS5.

    .venv/bin/python -m bench.search 100000 1000000      (or bench.search.run(sizes=(...)))

For each size: N synthetic posts (Vietnamese-like syllables with tones, Zipf word frequencies,
lure phrases in some posts, phones shared by a few posts, 20 sources, 7 categories, a year of
dates; fixed seed) are indexed through SqliteSearch.index_posts (posts/s), and the same titles
and texts are inserted by a plain executemany into a bare FTS5 table (the engine's own bulk,
no folding and no side tables). Then p50/p95 latency of: text, text+filters+facets, phrase,
entity pivot (phone:), deep page (page 40 by cursor); and the raw FTS5 search (MATCH + count +
top 20 by bm25, page 40 by OFFSET for the deep page) of the same text and phrase. Only the
indexing calls are timed for the bulk rates (not the generation of the posts). Prints a table of
numbers and ratios; asserts nothing. `python -m bench search` runs the default sizes.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from index.engine import create_db_engine
from index.search.base import SearchDoc
from classifier.text import canonical_phone
from index.search.query import tokens
from index.search.request import FACETS, SearchRequest
from index.search.sqlite_fts import SqliteSearch

SEED = 20260101
BATCH = 2000
REPEAT = 40  # queries per shape (different parameters each time)
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph",
          "qu", "r", "s", "t", "th", "tr", "v", "x"]
RIMES = ["a", "ai", "am", "an", "ang", "anh", "ao", "au", "ay", "e", "em", "en", "eo", "i", "ia", "iêt",
         "inh", "o", "oa", "oan", "oi", "om", "on", "ong", "ô", "ôi", "ơ", "ơi", "u", "ua", "ui", "um",
         "un", "ung", "ư", "ưa", "ươi", "ương", "y"]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
LURES = ["việc nhẹ lương cao", "đặt cọc trước", "xuất khẩu lao động", "bao ăn ở", "không cần kinh nghiệm",
         "làm việc tại Campuchia", "cộng tác viên online", "tuyển người mẫu"]
CATEGORIES = ["online-task/CTV-scam", "fake-export-labour", "abroad-casino/scam-compound",
              "fake-modelling/hostess/escort", "minor-targeting", "marriage/bride-brokering", "other"]
DESTINATIONS = ["KH:Sihanoukville", "KH:Phnom Penh", "MM:Myawaddy", "LA:Bokeo", "AE:Dubai", "PH:Manila"]
MOBILE_PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "35", "37", "39", "77", "78"]
START = datetime(2025, 6, 1, tzinfo=timezone.utc)


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    import unicodedata

    words = set()
    while len(words) < size:
        rime = rng.choice(RIMES)
        word = unicodedata.normalize("NFC", rng.choice(ONSETS) + rime[0] + rng.choice(TONES) + rime[1:])
        words.add(word)
    return sorted(words)


class Corpus:
    """Deterministic synthetic posts, produced in batches (1M posts never sit in memory)."""

    def __init__(self, n: int, seed: int = SEED) -> None:
        self.n = n
        rng = random.Random(seed)
        self.words = vocabulary(rng)
        rng.shuffle(self.words)
        self.cum = list(_cumulative([1 / (r + 1) for r in range(len(self.words))]))
        self.phones = []  # valid VN mobiles (what ingest would have stored), ~3 posts each
        while len(self.phones) < max(10, n // 8):
            phone = canonical_phone(f"+84{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**6, 10**7)}")
            if phone:
                self.phones.append(phone)
        self.seed = seed

    def batches(self, size: int = BATCH) -> Iterator[list[SearchDoc]]:
        for start in range(0, self.n, size):
            rng = random.Random(self.seed * 1_000_003 + start)
            yield [self._post(rng, pid) for pid in range(start + 1, min(self.n, start + size) + 1)]

    def _post(self, rng: random.Random, pid: int) -> SearchDoc:
        title = " ".join(rng.choices(self.words, cum_weights=self.cum, k=rng.randint(4, 9))).capitalize()
        body = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(40, 120))
        lure = rng.random() < 0.15
        if lure:
            body.insert(rng.randrange(len(body)), rng.choice(LURES))
        phones = (rng.choice(self.phones),) if rng.random() < 0.4 else ()
        cats = tuple(sorted({rng.choice(CATEGORIES) for _ in range(rng.randint(1, 2))})) if lure else ()
        first = START + timedelta(seconds=rng.randrange(365 * 86400))
        return SearchDoc(
            pid, title, " ".join(body) + ".", f"source{rng.randrange(20):02d}", round(rng.random(), 3),
            status=rng.choices(["new", "confirmed", "dismissed", "escalated"], [80, 8, 10, 2])[0],
            categories=cats, destinations=(rng.choice(DESTINATIONS),) if lure and rng.random() < 0.5 else (),
            minor_risk=lure and rng.random() < 0.05, phones=phones, first_seen=first,
            posted_at=first - timedelta(hours=rng.randrange(72)), is_lure=lure,
        )

    def mid_word(self, rng: random.Random) -> str:
        """A word of middle frequency (ranks 30-300): the typical investigator's term."""
        return self.words[rng.randrange(30, 300)]


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


def _timed(fn, repeat: int = REPEAT) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    samples, sizes = [], []
    for i in range(repeat):
        t0 = time.perf_counter()
        sizes.append(fn(i))
        samples.append(time.perf_counter() - t0)
    return _pct(samples, 0.5), _pct(samples, 0.95), statistics.mean(sizes)



def deep_cursor(backend, query: str, depth: int = 40) -> str | None:  # type: ignore[no-untyped-def]
    """Walk `depth` pages of 20 by cursor; the deep-page shape then times one fetch from there."""
    page = backend.search(SearchRequest(query=query, size=20))
    for _ in range(depth - 1):
        if page.next_cursor is None:
            break
        page = backend.search(SearchRequest(query=query, size=20, cursor=page.next_cursor))
    return page.next_cursor

def bench_size(n: int, workdir: Path) -> dict:
    corpus = Corpus(n)
    ours = SqliteSearch(create_db_engine(f"sqlite:///{workdir}/lurewatch-{n}.db"))
    ours.ensure_index()
    raw = sqlite3.connect(workdir / f"raw-{n}.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute("CREATE VIRTUAL TABLE raw USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')")
    # Each batch goes to both, one after the other, so a busy shared machine slows both alike;
    # only the indexing calls are timed (generating the synthetic posts is not indexing).
    ours_spent = raw_spent = 0.0
    for batch in corpus.batches():
        t0 = time.perf_counter()
        ours.index_posts(batch)
        t1 = time.perf_counter()
        raw.execute("BEGIN")
        raw.executemany("INSERT INTO raw(rowid, title, text) VALUES (?, ?, ?)",
                        [(d.post_id, d.title, d.text) for d in batch])
        raw.execute("COMMIT")
        t2 = time.perf_counter()
        ours_spent += t1 - t0
        raw_spent += t2 - t1
    ours_rate, raw_rate = n / ours_spent, n / raw_spent

    rng = random.Random(SEED + n)
    texts = [f"{corpus.mid_word(rng)} {corpus.mid_word(rng)}" for _ in range(REPEAT)]
    phrases = [f'"{rng.choice(LURES)}"' for _ in range(REPEAT)]
    phones = [rng.choice(corpus.phones) for _ in range(REPEAT)]
    sources = [f"source{rng.randrange(20):02d}" for _ in range(REPEAT)]

    def search(q: str, **kw) -> int:  # type: ignore[no-untyped-def]
        return ours.search(SearchRequest(query=q, size=20, **kw)).total

    cursors = []  # the deep-page shape times one page fetch at depth 40, cursor prepared first
    for i in range(REPEAT):
        q = corpus.mid_word(random.Random(i))
        cursors.append((q, deep_cursor(ours, q)))

    def raw_search(q: str, offset: int = 0) -> int:
        """The engine alone: exact count + one page by bm25 (+ the page's title/text)."""
        expr = " AND ".join(f'"{" ".join(tokens(part))}"' for part in _split(q))
        total = raw.execute("SELECT count(*) FROM raw WHERE raw MATCH ?", (expr,)).fetchone()[0]
        raw.execute("SELECT rowid, bm25(raw, 5.0, 1.0) AS r, title, text FROM raw WHERE raw MATCH ? "
                    "ORDER BY r LIMIT 20 OFFSET ?", (expr, offset)).fetchall()
        return total

    raw_text = _timed(lambda i: raw_search(texts[i]))
    # shape -> (ours, the raw FTS5 baseline it is compared with, or None: FTS5 has no such query)
    shapes = {
        "text": (_timed(lambda i: search(texts[i])), raw_text),
        "text+filters+facets": (_timed(lambda i: ours.search(SearchRequest(
            query=f"{texts[i]} source:{sources[i]} score:>=0.5 since:2025-09-01", facets=FACETS, size=20)).total),
            raw_text),
        "text+facets (no filter)": (_timed(lambda i: ours.search(SearchRequest(
            query=texts[i], facets=FACETS, size=20)).total), raw_text),
        "phrase": (_timed(lambda i: search(phrases[i])), _timed(lambda i: raw_search(phrases[i]))),
        "entity pivot": (_timed(lambda i: search(f"phone:{phones[i]}", sort="newest")), None),
        "deep page (40th)": (_timed(lambda i: search(cursors[i][0], cursor=cursors[i][1]) if cursors[i][1] else 0),
                             _timed(lambda i: raw_search(cursors[i][0], offset=780))),
    }
    raw.close()
    return {"n": n, "ours_rate": ours_rate, "raw_rate": raw_rate, "shapes": shapes}


def _split(q: str) -> list[str]:
    if q.startswith('"'):
        return [q.strip('"')]
    return q.split()


def report(result: dict) -> str:
    """The table: p50/p95 per shape, ours vs raw FTS5 on the same data in the same run."""
    ratio = result["raw_rate"] / result["ours_rate"]
    lines = [
        f"== sqlite, {result['n']:,} posts",
        f"bulk index posts/s: lurewatch {result['ours_rate']:,.0f} | raw FTS5 executemany "
        f"{result['raw_rate']:,.0f} | raw/ours {ratio:.2f}x (target <= 1.50x, >= 2,000 posts/s)",
        f"{'shape':26s} {'ours p50':>9s} {'ours p95':>9s} {'raw p50':>8s} {'raw p95':>8s} "
        f"{'x p50':>6s} {'x p95':>6s} {'avg total':>10s}",
    ]
    for name, (ours, raw) in result["shapes"].items():
        p50, p95, avg = ours
        if raw is None:
            lines.append(f"{name:26s} {p50:9.1f} {p95:9.1f} {'-':>8s} {'-':>8s} {'-':>6s} {'-':>6s} {avg:10,.0f}")
        else:
            r50, r95, _ = raw
            lines.append(f"{name:26s} {p50:9.1f} {p95:9.1f} {r50:8.1f} {r95:8.1f} "
                         f"{p50 / max(r50, 1e-6):6.2f} {p95 / max(r95, 1e-6):6.2f} {avg:10,.0f}")
    lines.append("ms; x = ours/raw. raw = FTS5 alone: exact count + top 20 by bm25 (no folding, filters "
                 "or facets); target: text+filters+facets p95 < 50 ms at 1M")
    return "\n".join(lines)


def run(sizes: tuple[int, ...] = (100_000, 1_000_000), workdir: Path | None = None) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="lurewatch-bench-", dir=workdir) as tmp:
        for n in sizes:
            result = bench_size(n, Path(tmp))
            print(report(result), flush=True)
            results.append(result)
    return results


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or (100_000, 1_000_000))
