"""`lurewatch sources add --kind … | list | show | edit | export | import | remove`, `evidence
verify` and `parse` of every kind, as an operator types them; every mistake is one error line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from test_flows_cli import assert_one_line_error, run_cli

PAGES = Path(__file__).resolve().parents[3] / "shared" / "pages"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crawlers" / "kinds"


@pytest.fixture
def env(tmp_path: Path) -> dict:
    return {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}


def ok(done) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_sources_of_every_kind_are_versioned_exported_and_imported(tmp_path: Path, env: dict) -> None:
    assert "(telegram) saved as version 1 (allowed domains: t.me)" in ok(
        run_cli("sources", "add", "kenh", "https://t.me/s/vieclam_cpc", "--kind", "telegram", env_extra=env))
    ok(run_cli("sources", "add", "bao", "https://vnexpress.net/rss/tin-moi-nhat.rss", "https://vnexpress.net/sitemap.xml",
               "--kind", "feed", "--cron", "*/30 * * * *", env_extra=env))
    ok(run_cli("sources", "add", "voz", "https://voz.vn/f/chuyen-tro-linh-tinh.17/", "--kind", "forum", env_extra=env))
    ok(run_cli("sources", "add", "spa", "https://vieclam.example.vn/", "--render", env_extra=env))
    assert "allowed domains: none" in ok(run_cli("sources", "add", "nhom-fb", "--kind", "import", env_extra=env))
    listed = ok(run_cli("sources", "list", env_extra=env)).splitlines()
    assert listed == [
        "bao\tfeed\tv1\t*/30 * * * *\thttps://vnexpress.net/rss/tin-moi-nhat.rss",
        "kenh\ttelegram\tv1\t0 */6 * * *\thttps://t.me/s/vieclam_cpc",
        "nhom-fb\timport\tv1\t-\t-",
        "spa\tclassifieds\tv1\t0 */6 * * *\thttps://vieclam.example.vn/",
        "voz\tforum\tv1\t0 */6 * * *\thttps://voz.vn/f/chuyen-tro-linh-tinh.17/",
    ]
    assert "version 2" in ok(run_cli("sources", "edit", "kenh", "--set", "politeness.delay_seconds=3",
                                     "--set", "max_pages=5", env_extra=env))
    ok(run_cli("sources", "edit", "kenh", "--set", "max_pages=5", env_extra=env))  # the same again: no new version
    shown = yaml.safe_load(ok(run_cli("sources", "show", "kenh", env_extra=env)))
    assert shown["politeness"]["delay_seconds"] == 3.0 and shown["max_pages"] == 5 and shown["kind"] == "telegram"
    history = ok(run_cli("sources", "show", "kenh", "--history", env_extra=env))
    assert history.count("# version") == 2 and "# version 2: edit" in history

    exported = tmp_path / "sources.yaml"
    ok(run_cli("sources", "export", "--out", str(exported), env_extra=env))
    data = yaml.safe_load(exported.read_text("utf-8"))
    assert [s["name"] for s in data["sources"]] == ["bao", "kenh", "nhom-fb", "spa", "voz"]
    assert data["sources"][3]["render"] is True

    assert "removed" in ok(run_cli("sources", "remove", "voz", env_extra=env))
    assert "voz" not in ok(run_cli("sources", "list", env_extra=env))
    imported = ok(run_cli("sources", "import", str(exported), env_extra=env))
    assert "5 source(s) imported" in imported and "voz v3" in imported and "kenh v2" in imported
    removed_and_back = ok(run_cli("sources", "show", "voz", "--history", env_extra=env))
    assert [line.split(":")[0] for line in removed_and_back.splitlines() if line.startswith("#")] == [
        "# version 1", "# version 2", "# version 3"]
    assert "# version 2: remove" in removed_and_back and "# version 3: import" in removed_and_back


def test_source_mistakes_are_one_line_naming_the_field(tmp_path: Path, env: dict) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("sources:\n- {name: a, kind: feed, start_urls: ['ftp://x.vn/']}\n- {name: b, kind: video}\n", "utf-8")
    broken_yaml = tmp_path / "broken.yaml"
    broken_yaml.write_text("name: [a\n", "utf-8")
    ok(run_cli("sources", "add", "kenh", "https://t.me/s/vieclam_cpc", "--kind", "telegram", env_extra=env))
    cases = [
        (("sources", "add", "x", "https://t.me/vieclam_cpc", "--kind", "telegram"), "not a public channel preview"),
        (("sources", "add", "x", "https://a.vn/", "--kind", "video"), "kind: Input should be"),
        (("sources", "add", "x", "--kind", "feed"), "start_urls: a feed source needs at least one URL"),
        (("sources", "add", "x", "https://a.vn/", "--kind", "import"), "start_urls: an import source is not crawled"),
        (("sources", "add", "x", "https://a.vn/", "--cron", "hourly"), "schedule: a cron expression has five fields"),
        (("sources", "edit", "kenh", "--set", "politeness.delay_seconds=-1"), "politeness.delay_seconds"),
        (("sources", "edit", "kenh", "--set", "colour=blue"), "colour: Extra inputs are not permitted"),
        (("sources", "edit", "kenh", "--set", "name=other"), "name cannot be edited"),
        (("sources", "edit", "kenh", "--set", "max_pages"), "FIELD=VALUE"),
        (("sources", "edit", "kenh"), "nothing to change"),
        (("sources", "edit", "nope", "--set", "max_pages=2"), "unknown source 'nope'"),
        (("sources", "show", "nope"), "unknown source 'nope'"),
        (("sources", "remove", "nope"), "unknown source 'nope'"),
        (("sources", "export", "nope"), "unknown source 'nope'"),
        (("sources", "import", str(bad_yaml)), "sources[0].start_urls: must be an http(s) URL; sources[1].kind:"),
        (("sources", "import", str(broken_yaml)), "not valid YAML at line"),
        (("sources", "import", str(tmp_path / "missing.yaml")), "cannot read"),
        (("import", str(tmp_path / "x.jsonl"), "--source", "kenh"), "kenh is a telegram source"),
        (("import", str(tmp_path / "x.jsonl")), "--source"),
        (("evidence", "verify", "--source", "nope"), "unknown source 'nope'"),
    ]
    for args, message in cases:
        assert_one_line_error(run_cli(*args, env_extra=env), message)
    assert "a: " not in ok(run_cli("sources", "list", env_extra=env))  # the bad file added nothing


def _real(name: str) -> Path:
    path = PAGES / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


def test_parse_reads_every_kind(tmp_path: Path) -> None:
    channel = json.loads(ok(run_cli("parse", str(_real("telegram/tme_s_durov_2026-08.html")), "--url", "https://t.me/s/durov",
                                    cwd=tmp_path)))
    assert channel["kind"] == "channel" and len(channel["posts"]) == 19
    assert channel["posts"][0]["external_id"] == "durov/519" and channel["next"] == "https://t.me/s/durov?before=519"
    rss = json.loads(ok(run_cli("parse", str(_real("vnexpress/rss_tin-moi-nhat_2017-04-19.xml")), "--url",
                                "https://vnexpress.net/rss/tin-moi-nhat.rss", cwd=tmp_path)))
    assert rss["kind"] == "rss" and len(rss["follow"]) == 25 and rss["posts"] == []
    board = json.loads(ok(run_cli("parse", str(_real("voz/forum_view_f17_2026-01-10.html")), "--url",
                                  "https://voz.vn/f/chuyen-tro-linh-tinh%E2%84%A2.17/", cwd=tmp_path)))
    assert board["kind"] == "forum" and len(board["follow"]) == 23
    thread = json.loads(ok(run_cli("parse", str(FIXTURES / "forum_thread_xenforo" / "input.html"), "--url",
                                   "https://diendan.example.vn/threads/x.9001/page-2", cwd=tmp_path)))
    assert [p["external_id"] for p in thread["posts"]] == ["77010", "77015"]
    assert_one_line_error(run_cli("parse", str(_real("telegram/tme_durov_landing.html")), "--url", "https://t.me/durov",
                                  cwd=tmp_path), "not a public channel preview")
    assert_one_line_error(run_cli("parse", str(FIXTURES / "forum_listing" / "input.html"), "--url", "https://a.vn/",
                                  "--kind", "feed", cwd=tmp_path), "not an RSS/Atom feed")
    assert_one_line_error(run_cli("parse", str(FIXTURES / "forum_listing" / "input.html"), "--url", "https://a.vn/",
                                  "--kind", "video", cwd=tmp_path), "unknown kind 'video'")
