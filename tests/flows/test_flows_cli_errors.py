"""Every command, each bad input the operations issue lists: exactly one `error:` line on stderr,
a non-zero exit, never a traceback; and library logs stay off the terminal unless --verbose."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flows.demo_site import ADS, serve
from flows.demo_source import demo_definition, demo_start_url
from flows.settings import get_flow_settings
from flows.wiring import build_parts

REPO = Path(__file__).resolve().parents[2]
# Makes `import torch` / `import transformers` fail, as on a machine without the extra.
WITHOUT_TORCH = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'transformers'):
            raise ModuleNotFoundError(f'No module named {name!r}', name=name)
sys.meta_path.insert(0, Block())
from flows.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(args: list[str], env: dict, *, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "flows.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env}, cwd=REPO, timeout=300)


def one_error_line(done: subprocess.CompletedProcess, contains: str) -> None:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error:") and contains in lines[0], lines[0]


@pytest.fixture
def env(tmp_path, unused_port):
    var = tmp_path / "var"
    parts = build_parts(get_flow_settings(var_dir=var))
    parts.store.upsert_source("board", "classifieds", "https://board.example.vn/", schedule_cron="0 6 * * *")
    return {"LUREWATCH_VAR_DIR": str(var), "LUREWATCH_PREFECT_PORT": str(unused_port),
            "PREFECT_API_URL": f"http://127.0.0.1:{unused_port}/api"}


CASES = [
    # (arguments, extra environment, what the line says)
    (["search", "luong cao"], {"LUREWATCH_SEARCH_BACKEND": "opensearch", "LUREWATCH_SEARCH_URLS": "http://127.0.0.1:9"},
     "search engine does not answer"),
    (["search", "luong cao"], {"LUREWATCH_SEARCH_BACKEND": "solr"}, "unknown search backend 'solr'"),
    (["crawl", "no_such_source"], {}, "unknown source 'no_such_source'"),
    (["reviews", "export", "."], {}, "is a folder"),
    (["reviews", "export", "/proc/no/such/dir/x.jsonl"], {}, "cannot write"),
    (["sources", "add", "x", "https://x.vn/", "--cron", "not a cron"], {}, "schedule: a cron expression has five fields"),
    (["sources", "add", "x", "https://x.vn/", "--cron", "99 * * * *"], {}, "schedule: '99 * * * *': bad minute"),
    (["sources", "add", "x", "https://x.vn/", "--cron", "10s"], {}, "at least 60 s"),
    (["sources", "pause", "nope"], {}, "unknown source 'nope'"),
    (["sources", "resume", "nope"], {}, "unknown source 'nope'"),
    (["sources", "remove", "nope"], {}, "unknown source 'nope'"),
    (["sources", "run", "nope"], {}, "unknown source 'nope'"),
    (["sources", "run", "board"], {}, "does not answer"),
    (["runs", "--source", "nope"], {}, "unknown source 'nope'"),
    (["rescore", "--source", "nope"], {}, "unknown source 'nope'"),
    (["retrain", "--data", "/no/such/folder"], {}, "no training data"),
    (["watchlist", "add", "fax", "123"], {}, "unknown kind 'fax'"),
    (["watchlist", "add", "bank", "chuyển khoản"], {}, "NAME:NUMBER"),
    (["watchlist", "remove", "phone", "0912345678"], {}, "not on the watchlist"),
    (["worker"], {}, "does not answer"),
    (["status"], {"LUREWATCH_UI_PORT": "abc"}, "LUREWATCH_UI_PORT='abc'"),
]


@pytest.mark.parametrize("args, extra, message", CASES, ids=[" ".join(c[0])[:40] for c in CASES])
def test_each_mistake_is_one_line(env, args, extra, message):
    one_error_line(run(args, env | extra), message)


@pytest.fixture
def failing_prefect():
    """A server on 127.0.0.1 that passes Prefect's health check and fails every other call."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            healthy = self.path.rstrip("/").endswith("/health")
            body = b"true" if healthy else b'{"detail": "database is locked"}'
            self.send_response(200 if healthy else 500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()


@pytest.mark.parametrize("args, message", [
    (["sources", "pause", "board"], "source 'board' paused; but its deployment did not follow: the Prefect server"),
    (["sources", "run", "board"], "failed"),
])
def test_a_prefect_server_failing_its_calls_is_one_line(env, failing_prefect, args, message):
    done = run(args, env | {"PREFECT_API_URL": failing_prefect})
    one_error_line(done, message)
    assert failing_prefect in done.stderr


def test_up_with_a_bad_schedule_in_the_store_is_one_line(env, tmp_path):
    build_parts(get_flow_settings(var_dir=Path(env["LUREWATCH_VAR_DIR"]))).store.upsert_source(
        "old", "classifieds", "https://old.example.vn/", schedule_cron="not a cron")
    free = []  # the ports must be free, or `up` stops at them first
    for _ in range(2):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            free.append(str(sock.getsockname()[1]))
    done = run(["up", "--no-demo"], env | {"LUREWATCH_UI_PORT": free[0], "LUREWATCH_DEMO_PORT": free[1]})
    one_error_line(done, "source 'old': schedule: 'not a cron'")


def test_too_few_rows_to_retrain_is_one_line(env, tmp_path):
    rows = tmp_path / "rows"
    rows.mkdir()
    (rows / "few.jsonl").write_text('{"text": "Tuyển gấp việc nhẹ lương cao", "label": "lure", "source": "a.vn"}\n'
                                    '{"text": "Tuyển kế toán", "label": "legit", "source": "b.vn"}\n', "utf-8")
    one_error_line(run(["retrain", "--data", str(rows), "--no-synthetic"], env), "too few rows")
    one_error_line(run(["classifier", "train", "--data", str(rows), "--out", str(tmp_path / "m"), "--no-synthetic"], env),
                   "too few rows")


def test_transformer_training_without_torch_is_one_line(env, tmp_path):
    done = run(["classifier", "train", "--backend", "transformer", "--base-model", str(tmp_path),
                "--data", str(REPO / "classifier" / "data"), "--out", str(tmp_path / "m")], env, code=WITHOUT_TORCH)
    one_error_line(done, "transformer backend unavailable")


@pytest.mark.e2e
def test_crawl_with_the_search_engine_down_prints_its_summary_and_no_log(prefect_harness, env, unused_port):
    from prefect.settings import PREFECT_API_URL

    with serve("127.0.0.1", 0) as site:
        build_parts(get_flow_settings(var_dir=Path(env["LUREWATCH_VAR_DIR"]))).store.upsert_source(
            "local", "classifieds", demo_start_url(site.url), definition=demo_definition(site.url) | {"name": "local"})
        down = {"LUREWATCH_SEARCH_BACKEND": "opensearch", "LUREWATCH_SEARCH_URLS": f"http://127.0.0.1:{unused_port}",
                "PREFECT_API_URL": PREFECT_API_URL.value()}
        done = run(["crawl", "local"], env | down)
        loud = run(["--verbose", "search", "x"], env | down)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.strip().splitlines() == [done.stdout.strip()]
    assert f"posts new {len(ADS)}" in done.stdout and f"waiting for the index {len(ADS)}" in done.stdout
    assert "search index unavailable" in done.stdout
    # --verbose lets the search client's own warnings through, then the same one error line.
    assert loud.returncode != 0 and loud.stderr.strip().splitlines()[-1].startswith("error:")
    assert len(loud.stderr.strip().splitlines()) > 1
