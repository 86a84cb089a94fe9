"""The CLI answers every user mistake with one line on stderr and a non-zero exit."""

import socket
import subprocess
import sys


def run_cli(*args: str, env_extra: dict | None = None, stdin: str = "", cwd=None) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=120,
    )


def assert_one_line_error(done: subprocess.CompletedProcess, contains: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error:") and contains in lines[0]


def test_unknown_option(tmp_path):
    assert_one_line_error(run_cli("--no-such-flag", cwd=tmp_path), "No such option")


def test_unknown_role(tmp_path):
    assert_one_line_error(run_cli("users", "add", "anh", "--role", "god", cwd=tmp_path), "unknown role")


def test_users_add_then_duplicate(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    first = run_cli("users", "add", "anh", "--role", "admin", "--password-stdin", stdin="mat-khau-dai\n", env_extra=env)
    assert first.returncode == 0, first.stderr
    again = run_cli("users", "add", "anh", "--password-stdin", stdin="mat-khau-dai\n", env_extra=env)
    assert_one_line_error(again, "already exists")


def test_short_password_is_refused(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    done = run_cli("users", "add", "anh", "--password-stdin", stdin="short\n", env_extra=env)
    assert_one_line_error(done, "at least 12")


def test_second_up_while_port_taken(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var"), "LUREWATCH_UI_PORT": str(port)}
        done = run_cli("up", env_extra=env)
    assert_one_line_error(done, f"{port}")
    assert "already running" in done.stderr


def test_source_with_a_bad_url_is_refused(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    assert_one_line_error(run_cli("sources", "add", "x", "ftp://example", env_extra=env), "http(s) URL")


def test_sources_add_refuses_hostile_definitions(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    cases = [
        (("x", "http://10.0.0.1/"), "private, loopback or link-local"),
        (("x", "http://169.254.169.254/latest/meta-data"), "private, loopback or link-local"),
        (("x", "http://"), "must have a host name"),
        (("x", "http://viec lam.vn/"), "spaces"),
        (("", "https://www.topcv.vn/viec-lam"), "name:"),
        (("x", "https://www.topcv.vn/", "--item-pattern", "("), "item_url_pattern"),
        (("x", "https://www.topcv.vn/", "--delay", "-1"), "politeness.delay_seconds"),
    ]
    for args, message in cases:
        assert_one_line_error(run_cli("sources", "add", *args, env_extra=env), message)


def test_sources_add_stores_the_definition(tmp_path):
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    done = run_cli("sources", "add", "topcv", "https://www.topcv.vn/viec-lam", "--delay", "2", env_extra=env)
    assert done.returncode == 0, done.stderr
    assert "allowed domains: topcv.vn" in done.stdout


def test_parse_prints_the_page_as_json(tmp_path):
    import json

    page = tmp_path / "stub.html"
    page.write_text('<html><head><meta http-equiv="refresh" content="0;url=/b"></head></html>', "utf-8")
    done = run_cli("parse", str(page), "--url", "https://x.example.vn/a", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"url": "https://x.example.vn/a", "kind": "redirect", "posts": [],
                                       "follow": ["https://x.example.vn/b"], "next": None, "dropped": None}


def test_parse_errors_are_one_line(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html></html>", "utf-8")
    env = {"LUREWATCH_VAR_DIR": str(tmp_path / "var")}
    assert_one_line_error(run_cli("parse", str(tmp_path / "missing.html"), "--url", "https://x.vn/", cwd=tmp_path), "cannot read")
    assert_one_line_error(run_cli("parse", str(page), "--url", "ftp://x.vn/", cwd=tmp_path), "http(s)")
    assert_one_line_error(run_cli("parse", str(page), "--url", "https://x.vn/", "--fetched-at", "hôm qua", cwd=tmp_path), "ISO 8601")
    assert_one_line_error(run_cli("parse", str(page), "--url", "https://x.vn/", "--role", "feed", cwd=tmp_path), "unknown role")
    assert_one_line_error(run_cli("parse", str(page), "--url", "https://x.vn/", "--source", "nope", env_extra=env), "unknown source")
    assert_one_line_error(run_cli("parse", str(page), cwd=tmp_path), "--url")
