"""Source kinds end to end on real parts: crawls of the local Telegram-style channel through
flows.crawl (a crawler subprocess, the cursor promoted after ingest) into a SQLite store with the
packaged classifier, and `lurewatch import` of an export with bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.assess import load_assessor
from crawlers.source import SourceDefinition
from flows.crawl import promote_state, read_items, run_crawl, state_file
from flows.demo_site.kinds import CHANNEL, KindSite
from flows.ingest import ingest_items
from index.search.sqlite_fts import SqliteSearch
from index.settings import get_index_settings
from index.store import Store

from test_flows_cli import assert_one_line_error, run_cli


@pytest.fixture(scope="module")
def assessor():
    return load_assessor()


def test_a_channel_crawled_again_after_5_new_messages_gives_exactly_5_new_posts(tmp_path: Path, assessor) -> None:
    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'lw.db'}"))
    search = SqliteSearch(store.engine)
    state = state_file(tmp_path / "state", "kenh")
    with KindSite(messages=300) as site:
        definition = SourceDefinition(name="kenh", kind="telegram", start_urls=[f"{site.url}/s/{CHANNEL}"],
                                      allow_private=True, max_pages=100,
                                      politeness={"concurrency": 4, "delay_seconds": 0, "autothrottle": False})

        def crawl_and_ingest(run: str):
            crawl = run_crawl(definition, tmp_path / run, tmp_path / "evidence", timeout=300, state=state)
            items, unreadable = read_items(crawl.items_path)
            counts = ingest_items(items, assessor, store, search)
            promote_state(crawl, state)
            return crawl, counts, unreadable

        first, counts, unreadable = crawl_and_ingest("first")
        assert (counts.new, counts.changed, unreadable) == (300, 0, 0) and first.pages_fetched == 15
        assert counts.flagged > 0  # the channel's lures reach the queue, one post per message

        site.add_messages(5)
        second, counts, _ = crawl_and_ingest("second")
        assert (counts.new, counts.changed) == (5, 0) and second.pages_fetched == 1

        site.edit_message(303, "Tin 303 đã sửa: tuyển gấp đi Campuchia, đặt cọc 10 triệu")
        _, counts, _ = crawl_and_ingest("third")
        assert (counts.new, counts.changed, counts.unchanged) == (0, 1, 19)
    assert json.loads(state.with_suffix(".cursor.json").read_text())["telegram"][CHANNEL] == 305


def test_import_with_three_bad_lines_lands_the_good_ones_and_names_2_7_9(tmp_path: Path) -> None:
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    assert run_cli("sources", "add", "nhom-fb", "--kind", "import", env_extra=env).returncode == 0
    lines = []
    for n in range(1, 11):
        row = {"url": f"https://www.facebook.com/groups/viec.lam/posts/{n}", "author": f"Thành viên {n}",
               "posted_at": "2026-05-01T08:30:00+07:00", "text": f"Tuyển gấp việc nhẹ lương cao số {n}, bao ăn ở, Zalo 0912345678",
               "html": f"<div>bài {n}</div>", "attachments": [f"https://cdn.example.org/{n}.jpg"]}
        if n == 2:
            row["url"] = "facebook.com/groups/x"
        if n == 9:
            del row["text"]
        lines.append("{not json" if n == 7 else json.dumps(row, ensure_ascii=False))
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join(lines) + "\n", "utf-8")

    done = run_cli("import", str(export), "--source", "nhom-fb", env_extra=env)
    assert_one_line_error(done, "3 bad line(s) not imported: line 2: url:")
    assert "; line 7: not a JSON object" in done.stderr and "; line 9: text: Field required" in done.stderr
    assert "imported 7 of 10 line(s)" in done.stdout and "new 7 / changed 0 / unchanged 0" in done.stdout

    store = Store.open(get_index_settings(database_url=f"sqlite:///{tmp_path / 'var' / 'lurewatch.db'}"))
    stored = [store.get_post(i) for i in range(1, 8)]
    assert sorted(p.url for p in stored) == sorted(f"https://www.facebook.com/groups/viec.lam/posts/{n}" for n in (1, 3, 4, 5, 6, 8, 10))
    assert store.get_post(8) is None
    verified = run_cli("evidence", "verify", "--source", "nhom-fb", env_extra=env)
    assert verified.returncode == 0 and "verified 8 bodies, 1 WARC files (1 records): all match" in verified.stdout

    again = run_cli("import", str(export), "--source", "nhom-fb", "--strict", env_extra=env)
    assert_one_line_error(again, "(--strict: nothing imported)")
    assert run_cli("import", str(export), "--source", "nope", env_extra=env).returncode == 1
