"""Review UI benchmark: server time of the reviewers' pages with 100k posts in a sqlite store.

    .venv/bin/python -m bench ui            (make bench BENCH=ui; `python -m bench ui 20000` for a size)

For each size: N synthetic posts (bench.search's Vietnamese-like corpus: Zipf words, lure phrases
with their signal spans, phones shared by a few posts, destinations, 20 sources, reposts that
cluster as near-duplicates, a tenth decided) are ingested through Store.upsert_posts and indexed
by SqliteSearch. Then p50/p95 of the server time (request in to last body byte out, measured by an
ASGI wrapper around the app, TestClient in the same process) of:

- the queue page (tabs and filters varied),
- a post page (a different flagged post each time),
- the search page (two words, with facets),
- an entity page: /entities/<kind>/<value> when the app has it (issue 11b), else the stand-in
  named in the table (Store.posts_by_entity, the pivot the page is built on),
- the dashboard (/dashboard, 8 to 12 weeks: the app's clock is the corpus's last day, so the
  window holds about a fifth of the posts),

each beside its baseline measured in the same run: the raw store or search call the page makes
(Store.queue_page, Store.post_page, SqliteSearch.search, Store.posts_by_entity, Store.dashboard).
Target: p95 <
150 ms for every page.

Then the hostile 10 MB ad (tests/crawlers' HUGE_TEXT, with the signals the classifier finds in
it): its post page's server time, HTML size and the process's peak memory, each in a process of
its own, with this code ("after") and with the code before the post page was bounded ("before":
the review UI and store of LUREWATCH_BENCH_BEFORE_REV, default the merge base with main that
introduced the bounds, read with `git archive`; skipped with a note when git cannot give it).
Prints tables; asserts nothing.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from bench.search import CATEGORIES, DESTINATIONS, LURES, Corpus, _pct
from bench.search import START as CORPUS_START

SEED = 20261202
REPEAT = 60  # requests per page shape
BATCH = 1000
START = datetime(2025, 12, 1, tzinfo=timezone.utc)
PASSWORD = "bench-mat-khau-dai-42"
SECRET = "bench-secret-not-for-production"
HUGE_PHRASE = "Việc nhẹ lương cao. "
REPO = Path(__file__).resolve().parents[1]
CORPUS_END = CORPUS_START + timedelta(days=365)  # posts are first seen over the year before this
DASHBOARD_WEEKS = (8, 10, 12)


# -- the corpus -------------------------------------------------------------------------------------

class UiCorpus(Corpus):
    """bench.search's corpus as assessed posts (PostIn) with signals, entities and reposts."""

    def posts(self, size: int = BATCH) -> Iterator[list]:
        from index.document import PostIn

        lures: list[tuple[str, str]] = []  # (title, text) of earlier lures, some reposted later
        for start in range(0, self.n, size):
            rng = random.Random(self.seed * 7_000_003 + start)
            batch = []
            for pid in range(start + 1, min(self.n, start + size) + 1):
                doc = self._post(rng, pid)
                title, text = doc.title, doc.text
                if doc.is_lure and lures and rng.random() < 0.15:  # a repost: a near-duplicate
                    title, text = rng.choice(lures)
                    text = text + f" Mã tin {pid}."
                elif doc.is_lure and len(lures) < 5000:
                    lures.append((title, text))
                combined = f"{title}\n{text}"
                signals = []
                for phrase in LURES:
                    at = combined.find(phrase)
                    if at >= 0:
                        signals.append({"id": f"sig_{LURES.index(phrase)}", "label_vi": phrase,
                                        "label_en": f"signal {LURES.index(phrase)}", "category": CATEGORIES[0],
                                        "start": at, "end": at + len(phrase), "phrase": phrase, "weight": 1.0})
                entities = [{"kind": "phone", "value": p, "start": 0, "end": 1, "raw": p} for p in doc.phones]
                entities += [{"kind": "destination", "value": d, "start": 0, "end": 1, "raw": d}
                             for d in doc.destinations]
                score = doc.score * 0.5 + (0.5 if doc.is_lure else 0.0)
                abroad = bool(doc.destinations)
                priority = (3 + int(doc.is_lure)) if doc.minor_risk else int(doc.is_lure) + int(doc.is_lure and abroad)
                url = f"https://{doc.source}.example.vn/tin/{pid}"
                batch.append(PostIn(
                    source=doc.source, url=url, canonical_url=url, title=title, text=text,
                    posted_at=doc.posted_at, fetched_at=doc.first_seen, raw_sha256=f"{pid:064x}", score=score,
                    is_lure=doc.is_lure, threshold=0.5, model_version="bench-1", signals=signals,
                    entities=entities, categories=list(doc.categories), minor_risk=doc.minor_risk,
                    priority=priority,
                ))
            yield batch


# -- the world -------------------------------------------------------------------------------------

@dataclass
class World:
    store: object
    search: object
    app: object
    client: object
    timer: "ServerTimer"
    flagged: list[int]
    phones: list[str]
    words: list[str]


class ServerTimer:
    """ASGI wrapper: the time from a request's arrival to its last body byte (server time)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.last = 0.0
        self.size = 0

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        size = 0

        async def timed_send(message):  # type: ignore[no-untyped-def]
            nonlocal size
            if message["type"] == "http.response.body":
                size += len(message.get("body", b""))
                if not message.get("more_body"):
                    self.last = time.perf_counter() - t0
                    self.size = size
            await send(message)

        await self.app(scope, receive, timed_send)


def build_world(n: int, workdir: Path) -> World:
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from index.search.sqlite_fts import SqliteSearch
    from index.settings import get_index_settings
    from index.store import Store
    from review_ui.app import create_app
    from review_ui.settings import get_ui_settings

    db_path = workdir / f"ui-{n}.db"
    db_url = f"sqlite:///{db_path}"
    reuse = (workdir / f"ui-{n}.built").exists()  # a kept workdir (LUREWATCH_BENCH_UI_DIR) already holds it
    if not reuse:
        db_path.unlink(missing_ok=True)  # a build that did not finish
    store = Store.open(get_index_settings(database_url=db_url))
    search = SqliteSearch(sa.create_engine(db_url))
    search.ensure_index()
    corpus = UiCorpus(n, SEED)
    if reuse:
        flagged = [p.id for p in store.queue(limit=n)]
        print(f"reused the {n:,}-post store built in {db_path}; {len(flagged):,} queued", flush=True)
    else:
        flagged = _build(store, search, corpus, n)
        (workdir / f"ui-{n}.built").touch()
    settings = get_ui_settings(secret_key=SECRET, evidence_dir=workdir / "evidence", argon2_time_cost=1,
                               argon2_memory_kib=8192, argon2_parallelism=1)
    app = create_app(settings, store, search, clock=lambda: CORPUS_END)  # the dashboard's weeks hold posts
    timer = ServerTimer(app)
    client = TestClient(timer, base_url="http://127.0.0.1")
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    return World(store, search, app, client, timer, flagged, corpus.phones, corpus.words)


def _build(store, search, corpus: UiCorpus, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Ingest and index the corpus, decide a tenth, add the bench reviewer: the queued post ids."""
    from review_ui.passwords import Argon2Params, Passwords

    t0 = time.perf_counter()
    ids: list[int] = []
    for batch in corpus.posts():
        result = store.upsert_posts(batch)
        ids.extend(result.post_ids)
        search.index_posts(store.search_docs(result.post_ids))
        store.mark_indexed(result.post_ids)
    built = time.perf_counter() - t0
    # A tenth of the flagged posts decided, as a queue that has been worked on looks.
    now = datetime.now(timezone.utc)
    rng = random.Random(SEED)
    flagged = [p.id for p in store.queue(limit=n)]
    decided = rng.sample(flagged, len(flagged) // 10)
    for i in range(0, len(decided), 500):
        store.decide(decided[i:i + 500], "bench", rng.choice(["lure", "not_lure"]), "other", "", now=now,
                     via="bulk")
    flagged = [p for p in flagged if p not in set(decided)]
    print(f"built {n:,} posts in {built:.0f} s ({n / built:,.0f} posts/s through upsert_posts + index); "
          f"{len(flagged):,} queued", flush=True)
    params = Argon2Params(1, 8192, 1)
    store.add_user("bench", Passwords(params).hash(PASSWORD), "reviewer")
    return flagged


# -- measurements -------------------------------------------------------------------------------------

def _timed(fn, repeat: int = REPEAT) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - t0)
    return _pct(samples, 0.5), _pct(samples, 0.95)


def _server(world: World, urls: list[str], before=lambda: None) -> tuple[float, float, float, float, float]:  # type: ignore[no-untyped-def]
    """p50, p95 of the server time of these GETs (ms), the mean HTML size (KB), and p50, p95 of
    the process's CPU time per request (ms: less sensitive to a loaded machine than the wall
    clock; it includes the test client's own small share); `before` runs ahead of each request,
    outside the timing."""
    samples, sizes, cpu = [], [], []
    for url in urls:
        before()
        c0 = time.process_time()
        response = world.client.get(url)
        cpu.append(time.process_time() - c0)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        samples.append(world.timer.last)
        sizes.append(world.timer.size)
    return _pct(samples, 0.5), _pct(samples, 0.95), statistics.mean(sizes) / 1024, _pct(cpu, 0.5), _pct(cpu, 0.95)


def _paths(routes) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every route path, also inside routers that FastAPI keeps as included-router objects."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _paths(route.original_router.routes)
        elif hasattr(route, "path"):
            yield route.path


def _has_route(app, prefix: str) -> bool:  # type: ignore[no-untyped-def]
    return any(path.startswith(prefix) for path in _paths(app.routes))


def bench_pages(world: World) -> list[tuple[str, tuple, tuple, str]]:
    from index.queue import QueueFilter
    from index.search.request import FACETS, SearchRequest

    store, rng = world.store, random.Random(SEED + 1)
    now = datetime.now(timezone.utc)
    queue_params = [
        ("", QueueFilter()), ("?page=3", None), ("?tab=uncertain", QueueFilter(tab="uncertain")),
        ("?minor=1", QueueFilter(minor=True)), ("?source=source03", QueueFilter(source="source03")),
        (f"?category={quote(CATEGORIES[1])}", QueueFilter(category=CATEGORIES[1])),
        ("?destination=KH", QueueFilter(destination="KH")),
        ("?since=2026-03-01&until=2026-06-30", None),
    ]
    queue_urls = [f"/{queue_params[i % len(queue_params)][0]}" for i in range(REPEAT)]
    filters = [f for _, f in queue_params if f is not None]
    posts = rng.sample(world.flagged, REPEAT)
    words = [f"{world.words[rng.randrange(30, 300)]} {world.words[rng.randrange(30, 300)]}" for _ in range(REPEAT)]
    phones = rng.sample(world.phones, REPEAT)
    rows = [
        ("queue page", _server(world, queue_urls),
         _timed(lambda i: store.queue_page(filters[i % len(filters)], now)), "Store.queue_page"),
        ("post page", _server(world, [f"/posts/{p}" for p in posts]),
         _timed(lambda i: store.post_page(posts[i], 20_000)), "Store.post_page"),
        ("search page", _server(world, [f"/search?q={quote(w)}" for w in words]),
         _timed(lambda i: world.search.search(SearchRequest(query=words[i], facets=FACETS, size=20))),
         "SqliteSearch.search + facets"),
    ]
    if _has_route(world.app, "/entities/"):
        rows.append(("entity page", _server(world, [f"/entities/phone/{quote(p, safe='')}" for p in phones]),
                     _timed(lambda i: store.posts_by_entity("phone", phones[i])), "Store.posts_by_entity"))
    else:
        pivot = _timed(lambda i: store.posts_by_entity("phone", phones[i]))
        rows.append(("entity page (stand-in*)", pivot + (float("nan"),) * 3, pivot, "Store.posts_by_entity"))
    from review_ui.rendering import DISPLAY_TZ
    from review_ui.routes.queue import CATEGORIES as QUEUE_CATEGORIES

    weeks = [DASHBOARD_WEEKS[i % len(DASHBOARD_WEEKS)] for i in range(REPEAT)]
    urls = [f"/dashboard?weeks={w}" for w in weeks]
    cold = _timed(lambda i: store.dashboard(CORPUS_END, weeks[i], DISPLAY_TZ, QUEUE_CATEGORIES))
    # As served (the figures of a window reused for a minute), and cold (computed for every request).
    rows.append(("dashboard", _server(world, urls), cold, "Store.dashboard"))
    rows.append(("dashboard, cold", _server(world, urls, before=lambda: world.app.state.dashboards.clear()), cold,
                 "Store.dashboard"))
    return rows


def report_pages(n: int, rows: list) -> str:  # type: ignore[type-arg]
    lines = [f"== review UI, sqlite, {n:,} posts: server time, ms (target p95 < 150)",
             f"{'page':26s} {'p50':>7s} {'p95':>7s} {'cpu p50':>7s} {'cpu p95':>7s} {'KB':>7s} {'base p50':>9s} "
             f"{'base p95':>9s} {'x p95':>6s}  baseline"]
    for name, (p50, p95, kb, c50, c95), (b50, b95), base in rows:
        lines.append(f"{name:26s} {p50:7.1f} {p95:7.1f} {c50:7.1f} {c95:7.1f} {kb:7.1f} {b50:9.1f} {b95:9.1f} "
                     f"{p95 / max(b95, 1e-6):6.2f}  {base}")
    if any(name.startswith("entity page (stand-in") for name, *_ in rows):
        lines.append("* the entity page (/entities/<kind>/<value>, issue 11b) is not in this app yet: its row "
                     "times the pivot it is built on, Store.posts_by_entity, as the stand-in")
    return "\n".join(lines)


# -- the hostile 10 MB ad -------------------------------------------------------------------------------

HOSTILE_SCRIPT = r'''
import json, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
import sqlalchemy as sa
from index.settings import get_index_settings
from index.store import Store

work, db_name, mode, concurrent = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
db = f"sqlite:///{work}/{db_name}"
store = Store.open(get_index_settings(database_url=db))
if mode == "prepare":  # its own process: the serving one's peak memory is the page's alone
    from index.document import PostIn
    from review_ui.passwords import hash_password
    title, text, signals = json.loads((work / "hostile.json").read_text("utf-8"))
    url = "https://hostile.example.vn/ad/huge-1005.html"
    store.upsert_posts([PostIn(
        source="hostile", url=url, canonical_url=url, title=title, text=text, posted_at=None,
        fetched_at=datetime(2026, 12, 1, tzinfo=timezone.utc), raw_sha256="f" * 64, score=0.99, is_lure=True,
        threshold=0.5, model_version="bench", signals=signals, entities=[], categories=["other"],
        minor_risk=False, priority=1)])
    store.add_user("bench", hash_password("bench-mat-khau-dai-42"), "reviewer")
    sys.exit(0)
from fastapi.testclient import TestClient
from index.search.sqlite_fts import SqliteSearch
from review_ui.app import create_app
from review_ui.settings import get_ui_settings
app = create_app(get_ui_settings(secret_key="x" * 32, evidence_dir=work / "evidence"), store,
                 SqliteSearch(sa.create_engine(db)))
client = TestClient(app, base_url="http://127.0.0.1")
page = client.get("/login")
token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
client.post("/login", data={"username": "bench", "password": "bench-mat-khau-dai-42", "csrf_token": token})
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sizes, codes = [], []
def one():
    response = client.get("/posts/1")
    codes.append(response.status_code)
    sizes.append(len(response.content))
if concurrent > 1:
    import threading
    threads = [threading.Thread(target=one) for _ in range(concurrent)]
    t0 = time.perf_counter()
    [th.start() for th in threads]; [th.join() for th in threads]
else:
    t0 = time.perf_counter(); one()
elapsed = time.perf_counter() - t0
assert codes == [200] * concurrent, codes
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "html_bytes": max(sizes), "peak_rss_mb": peak / 1024,
                  "rss_before_mb": rss_before / 1024}))
'''


def hostile_ad(workdir: Path) -> tuple[str, str, list[dict]]:
    """The 10 MB ad of tests/crawlers (HUGE_TEXT) with the signals classifier.signals finds in it."""
    from classifier.signals import find_signals
    from index.document import assessed_text

    title = "Tuyển gấp việc nhẹ lương cao"
    text = (HUGE_PHRASE * 550_000)[: 10 * 1024 * 1024]
    hits = find_signals(assessed_text(title, text))
    signals = [{"id": h.id, "label_vi": h.label_vi, "label_en": h.label_en, "category": h.category, "start": h.start,
                "end": h.end, "phrase": h.phrase, "weight": h.weight} for h in hits]
    (workdir / "hostile.json").write_text(json.dumps([title, text, signals], ensure_ascii=False), "utf-8")
    return title, text, signals


def _before_tree(workdir: Path) -> tuple[Path | None, str]:
    """The repository at the revision before the bounds (git archive), or None and why not."""
    rev = os.environ.get("LUREWATCH_BENCH_BEFORE_REV")
    try:
        if not rev:
            rev = subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"], check=True,
                                 capture_output=True, text=True).stdout.strip()
            first = subprocess.run(["git", "-C", str(REPO), "log", "--format=%H", "--reverse", f"{rev}..HEAD", "--",
                                    "index/post_page.py"], check=True, capture_output=True, text=True).stdout.split()
            if not first:
                return None, "the bounded post page is already on main: set LUREWATCH_BENCH_BEFORE_REV"
            rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", first[0] + "~1"], check=True,
                                 capture_output=True, text=True).stdout.strip()
        tree = workdir / "before"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "index", "review_ui", "classifier"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        return tree, rev
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"git could not give the earlier revision ({exc})"


def _run_hostile(tree: Path, workdir: Path, db_name: str, concurrent: int = 1, timeout: float = 900) -> dict:
    """Prepare the hostile post's store once per tree (a process of its own), then serve its page."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for mode in ("prepare", "serve"):
        if mode == "prepare" and (workdir / db_name).exists():
            continue
        done = subprocess.run([sys.executable, "-c", HOSTILE_SCRIPT, str(workdir), db_name, mode, str(concurrent)],
                              env=env, cwd=tree, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_hostile(workdir: Path) -> str:
    _, text, signals = hostile_ad(workdir)
    lines = [f"== the hostile 10 MB ad's post page ({len(text):,} characters, {len(signals):,} signals), "
             "served by a process of its own (RSS before the request and at its peak)",
             f"{'code':28s} {'requests':>8s} {'seconds':>8s} {'HTML MB':>8s} {'RSS MB pre':>10s} {'RSS MB max':>10s}"]

    def line(label: str, result: dict, concurrent: int) -> str:
        return (f"{label:28s} {concurrent:8d} {result['seconds']:8.2f} {result['html_bytes'] / 2**20:8.2f} "
                f"{result['rss_before_mb']:10.0f} {result['peak_rss_mb']:10.0f}")

    after = _run_hostile(REPO, workdir, "hostile-after.db")
    lines.append(line("after (this code)", after, 1))
    lines.append(line("after, two at once", _run_hostile(REPO, workdir, "hostile-after.db", concurrent=2), 2))
    tree, rev = _before_tree(workdir)
    if tree is None:
        lines.append(f"before: not measured ({rev})")
    else:
        try:
            before = _run_hostile(tree, workdir, "hostile-before.db")
            lines.append(line(f"before ({rev[:12]})", before, 1))
            lines.append(f"before/after: {before['seconds'] / after['seconds']:.0f}x the time, "
                         f"{before['html_bytes'] / after['html_bytes']:.0f}x the HTML")
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            lines.append(f"before ({rev[:12]}): failed: {exc}")
    return "\n".join(lines)


def run(sizes: tuple[int, ...] = (100_000,), workdir: Path | None = None) -> None:
    """LUREWATCH_BENCH_UI_DIR=dir keeps the built stores there and reuses them on the next run
    (for iterating on a page; the hostile ad is then skipped: LUREWATCH_BENCH_UI_HOSTILE=1 runs it)."""
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (a shared machine: "
          "baselines run beside ours, so both slow alike)", flush=True)
    kept = os.environ.get("LUREWATCH_BENCH_UI_DIR")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lurewatch-bench-ui-", dir=workdir) as tmp:
        for n in sizes:
            world = build_world(n, Path(kept or tmp))
            print(report_pages(n, bench_pages(world)), flush=True)
            world.client.close()
        if not kept or os.environ.get("LUREWATCH_BENCH_UI_HOSTILE"):
            print(bench_hostile(Path(tmp)), flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or (100_000,))
