"""Real search engines for the tests, each started in one JVM by a launcher under tests/engines.

A pytest plugin module (exposed by ``pytest_plugins`` in tests/conftest.py). Fixtures, all
session-scoped, yielding an EngineCluster (``.url``, ``.urls``, ``.version``, ``.stop_node(i)``):

- ``opensearch_node``: one OpenSearch node; new indices default to 0 replicas (green).
- ``opensearch_cluster``: three OpenSearch nodes in one JVM; new indices default to 1 replica.
  A test may ``stop_node(i)`` mid-test and should ``start_node(i)`` again before it ends.
- ``elasticsearch_node``: one Elasticsearch 8 node (server + netty4 only: no analysis-common,
  painless, mapper-extras, x-pack; no ``GET /``); indices default to 1 replica, so create them
  with ``number_of_replicas: 0`` to be green.

Each skips, with the reason, where no Java 21+ or no built launcher jar is found
(``tests/engines/build.sh`` builds them; CI runs it before the tests).
"""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ENGINES_DIR = Path(__file__).resolve().parent
OPENSEARCH_JAR = ENGINES_DIR / "opensearch" / "target" / "opensearch-launcher.jar"
ELASTICSEARCH_JAR = ENGINES_DIR / "elasticsearch" / "target" / "elasticsearch-launcher.jar"
JVM_ROOT = Path("/usr/lib/jvm")
MIN_JAVA = 21
HEAP_PER_NODE_MB = 512
# The first node may need ~15 s on an idle 2-core machine; leave room for a busy one.
START_TIMEOUT_S = 240.0
COMMAND_TIMEOUT_S = 120.0
# HTTP ports are BASE+1.., transport ports BASE+101..; the runner refuses HTTP ports above 9299.
BASE_PORTS = range(9200, 9291, 10)


def java_major(java_home: Path) -> int | None:
    """The feature version of the JDK at java_home, read from its `release` file."""
    try:
        text = (java_home / "release").read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)', text, re.MULTILINE)
    return int(match.group(1)) if match else None


def find_java(min_major: int = MIN_JAVA) -> Path | None:
    """A `java` of version >= min_major: $JAVA_HOME first, then the newest JDK under /usr/lib/jvm."""
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    if JVM_ROOT.is_dir():
        homes = [p for p in JVM_ROOT.iterdir() if p.is_dir() and not p.is_symlink()]
        candidates += sorted(homes, key=lambda p: java_major(p) or 0, reverse=True)
    for home in candidates:
        java = home / "bin" / "java"
        if (java_major(home) or 0) >= min_major and java.is_file():
            return java
    return None


def ports_free(ports: list[int]) -> bool:
    """True when nothing listens on, or holds, any of these ports on 127.0.0.1."""
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_base_port(nodes: int) -> int:
    for base in BASE_PORTS:
        wanted = [base + i for i in range(1, nodes + 1)] + [base + 100 + i for i in range(1, nodes + 1)]
        if ports_free(wanted):
            return base
    raise RuntimeError(f"no free port block for {nodes} node(s) in 9201-9299/9301-9399")


@dataclass
class EngineCluster:
    """A running launcher process: its nodes' URLs, the server version, and node stop/start.

    Nodes are numbered from 1, as the launcher names them ("Node 1" ...).
    """

    process: subprocess.Popen[str]
    log_path: Path
    version: str = ""
    http_ports: list[int] = field(default_factory=list)
    stopped: set[int] = field(default_factory=set)
    start_seconds: float = 0.0
    _lines: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @property
    def urls(self) -> list[str]:
        """Every node's URL, stopped ones included (their position is their number - 1)."""
        return [f"http://127.0.0.1:{port}" for port in self.http_ports]

    @property
    def running_urls(self) -> list[str]:
        return [url for i, url in enumerate(self.urls, start=1) if i not in self.stopped]

    @property
    def url(self) -> str:
        """The URL of the first running node."""
        return self.running_urls[0]

    @property
    def major_version(self) -> int:
        return int(self.version.split(".")[0])

    def stop_node(self, number: int) -> None:
        """Closes node `number` (1-based) and waits until it is down."""
        self._command(f"stop {number}", f"STOPPED {number}")
        self.stopped.add(number)

    def start_node(self, number: int) -> None:
        """Starts a stopped node again and waits until it has rejoined the cluster."""
        self._command(f"start {number}", f"STARTED {number}")
        self.stopped.discard(number)

    def start_all(self) -> None:
        for number in sorted(self.stopped):
            self.start_node(number)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the launcher's stderr and of the engine's own log file, if it writes one."""
        tails = []
        for path in (self.log_path, self.log_path.parent / "cluster" / "opensearch.log"):
            try:
                tails.append(f"--- {path}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:]))
            except OSError:
                continue
        return "\n".join(tails)

    def _next_line(self, deadline: float) -> str | None:
        try:
            return self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("no answer from the engine launcher in time") from None

    def _command(self, command: str, expected: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + COMMAND_TIMEOUT_S
        while True:
            line = self._next_line(deadline)
            if line is None:
                raise RuntimeError(f"engine launcher exited during {command!r}:\n{self.log_tail()}")
            if line == expected:
                return
            if line.startswith("ERROR"):
                raise RuntimeError(f"{command!r} failed: {line}")

    def wait_ready(self) -> None:
        started = time.monotonic()
        deadline = started + START_TIMEOUT_S
        while True:
            line = self._next_line(deadline)
            if line is None or line.startswith("FAILED"):
                raise RuntimeError(f"engine did not start: {line}\n{self.log_tail()}")
            if line.startswith("READY "):
                ready = json.loads(line[len("READY ") :])
                self.version = ready["version"]
                self.http_ports = list(ready["http_ports"])
                self.start_seconds = time.monotonic() - started
                return

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
                self.process.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def _pump(stream, lines: queue.Queue[str | None]) -> None:
    for raw in stream:
        lines.put(raw.rstrip("\n"))
    lines.put(None)


def fast_start_options(jar: Path, nodes: int) -> list[str]:
    """JVM options that cut start-up 2-4x, for tests; benchmarks should not use them.

    A class-data archive beside the jar is written by the first run (at its exit, ~10 s once)
    and reused after; the JVM rebuilds it when the jar changes. One archive per cluster size, so
    the single node and the cluster of a session never write the same file. C1 alone compiles
    fast enough for test-sized data.
    """
    archive = jar.with_name(f"{jar.stem}-{nodes}.jsa")
    return ["-XX:+AutoCreateSharedArchive", f"-XX:SharedArchiveFile={archive}", "-XX:TieredStopAtLevel=1"]


def start_engine(
    jar: Path,
    java: Path,
    data_dir: Path,
    nodes: int,
    cluster_name: str,
    replicas: int | None = None,
    jvm_options: list[str] | None = None,
) -> EngineCluster:
    """Starts a launcher jar and returns once every node has joined (READY) or raises with its log.

    replicas: the default number_of_replicas of new indices (OpenSearch only).
    jvm_options defaults to fast_start_options(jar, nodes); pass [] for a JVM tuned for throughput.
    """
    base = free_base_port(nodes)
    log_path = data_dir / "launcher.log"
    command = [
        str(java),
        f"-Xms{HEAP_PER_NODE_MB * nodes}m",
        f"-Xmx{HEAP_PER_NODE_MB * nodes}m",
        "-XX:+UseSerialGC" if nodes == 1 else "-XX:+UseG1GC",
        "--enable-native-access=ALL-UNNAMED",
        "-Djava.awt.headless=true",
        *(fast_start_options(jar, nodes) if jvm_options is None else jvm_options),
        "-jar",
        str(jar),
        cluster_name,
        str(nodes),
        str(base),
        str(data_dir / "cluster"),
        *([] if replicas is None else [str(replicas)]),
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1
        )
    cluster = EngineCluster(process=process, log_path=log_path)
    threading.Thread(target=_pump, args=(process.stdout, cluster._lines), daemon=True).start()
    try:
        cluster.wait_ready()
    except BaseException:
        cluster.close()
        raise
    return cluster


def _require(jar: Path) -> Path:
    java = find_java()
    if java is None:
        pytest.skip(f"the search engines need Java {MIN_JAVA}+ (set JAVA_HOME or install a JDK under {JVM_ROOT})")
    if not jar.is_file():
        pytest.skip(f"engine launcher not built: run tests/engines/build.sh ({jar} is absent)")
    return java


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineCluster]:
    """One real OpenSearch node on 127.0.0.1 (new indices get 0 replicas)."""
    java = _require(OPENSEARCH_JAR)
    data_dir = tmp_path_factory.mktemp("opensearch-node")
    node = start_engine(OPENSEARCH_JAR, java, data_dir, 1, "lurewatch-test-node", replicas=0)
    yield node
    node.close()


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineCluster]:
    """Three real OpenSearch nodes in one JVM (new indices get 1 replica); nodes can be stopped."""
    java = _require(OPENSEARCH_JAR)
    data_dir = tmp_path_factory.mktemp("opensearch-cluster")
    cluster = start_engine(OPENSEARCH_JAR, java, data_dir, 3, "lurewatch-test-cluster", replicas=1)
    yield cluster
    cluster.close()


@pytest.fixture(scope="session")
def elasticsearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineCluster]:
    """One real Elasticsearch 8 node on 127.0.0.1 (core server + netty4; see the module doc)."""
    java = _require(ELASTICSEARCH_JAR)
    data_dir = tmp_path_factory.mktemp("elasticsearch-node")
    node = start_engine(ELASTICSEARCH_JAR, java, data_dir, 1, "lurewatch-test-es")
    yield node
    node.close()
