"""`lurewatch up` served for real (Prefect server, worker, review UI), and sources managed from
the CLI and from the review UI's operations page while it runs: each change reaches the Prefect
API at once; a pause survives a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import re

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
READY = "Ctrl-C stops everything"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    def __init__(self, env: dict) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "flows.cli", "up", "--no-demo"], env=env, cwd=REPO,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 240
        while not any(READY in line for line in self.lines):
            assert self.process.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, "\n".join(self.lines)
            time.sleep(0.5)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group, as in a terminal
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def cli(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def operations_action(ui: str, username: str, password: str, source: str, action: str) -> str:
    """Log in to the served review UI as an operator and press `action` on the operations page;
    the notice it answers with."""
    csrf = re.compile(r'name="csrf_token" value="([^"]+)"')
    with httpx.Client(base_url=ui, timeout=60, follow_redirects=True) as browser:
        token = csrf.search(browser.get("/login").text).group(1)
        landed = browser.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert landed.url.path == "/operations", landed.url
        done = browser.post(f"/operations/sources/{source}/{action}", data={"csrf_token": csrf.search(landed.text).group(1)})
        assert done.status_code == 200, done.text[-500:]
        return re.search(r'class="line">([^<]*)<', done.text).group(1)


def test_sources_added_paused_resumed_and_removed_while_up_runs(tmp_path):
    prefect_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    ui_port = free_port()
    env |= {"LUREWATCH_VAR_DIR": str(tmp_path / "var"), "LUREWATCH_PREFECT_PORT": str(prefect_port),
            "LUREWATCH_UI_PORT": str(ui_port), "LUREWATCH_DEMO_PORT": str(free_port())}
    api = f"http://127.0.0.1:{prefect_port}/api"
    password = "Trăng-rằm-trên-biển-Mũi-Né-2026"
    done = subprocess.run([sys.executable, "-m", "flows.cli", "users", "add", "olga", "--role", "operator",
                           "--password-stdin"], input=password + "\n", env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    def deployment(name: str) -> dict | None:
        answer = httpx.get(f"{api}/deployments/name/crawl-and-ingest/{name}", timeout=10)
        return None if answer.status_code == 404 else answer.raise_for_status().json()

    stack = Stack(env)
    try:
        assert "follows at once" in cli(env, "sources", "add", "board", "https://board.example.vn/", "--cron", "15m")
        added = deployment("board")
        assert added["paused"] is False and added["schedules"][0]["schedule"]["interval"] == 900
        assert added["work_pool_name"] == "lurewatch"
        workers = httpx.post(f"{api}/work_pools/lurewatch/workers/filter", json={}, timeout=10).json()
        assert [w["name"] for w in workers] and workers[0]["name"].startswith("local-")
        cli(env, "sources", "pause", "board")
        assert deployment("board")["paused"] is True
        # The same actions from the operations page of the served UI, through the same code.
        ui = f"http://127.0.0.1:{ui_port}"
        assert operations_action(ui, "olga", password, "board", "resume") == \
            "source &#39;board&#39; resumed; its deployment follows at once"
        assert deployment("board")["paused"] is False
        operations_action(ui, "olga", password, "board", "pause")
        assert deployment("board")["paused"] is True
        assert "queued for a worker" in operations_action(ui, "olga", password, "board", "run")
    finally:
        stack.stop()
    assert stack.process.returncode == 0 and any("stopped" in line for line in stack.lines[-3:])

    stack = Stack(env)  # a restart reconciles with the store: the pause holds
    try:
        assert deployment("board")["paused"] is True
        cli(env, "sources", "resume", "board")
        assert deployment("board")["paused"] is False
        cli(env, "sources", "remove", "board")
        assert deployment("board") is None
        assert "paused" not in cli(env, "status") and "board" not in cli(env, "sources", "list")
    finally:
        stack.stop()
