"""Database fixtures for the index tests: a real SQLite file and a real PostgreSQL server.

PostgreSQL comes from Debian's packages (`apt-get install -y postgresql`, binaries in
/usr/lib/postgresql/<major>/bin). The session fixture runs initdb into a fresh directory and
starts the server on 127.0.0.1 at a free port (unix socket in that directory too), as the
`postgres` system user when the tests run as root (initdb refuses root). Tests get a database
per module, emptied before each test. Where the binaries are absent, the PostgreSQL variants
skip with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from index.migrate import SEARCH_TABLE_PREFIX
from index.settings import get_index_settings
from index.store import Store

ENGINES = ["sqlite", "postgresql"]
PG_USER = "postgres"


def _pg_bindir() -> Path | None:
    """Newest /usr/lib/postgresql/<major>/bin with initdb, else initdb on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str
    admin_url: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self) -> str:
        name = "lw_" + uuid.uuid4().hex[:12]
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries absent (apt-get install -y postgresql; "
            "they land in /usr/lib/postgresql/<major>/bin)"
        )
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", PG_USER, "--"] if as_root else []
    # Not pytest's tmp_path: its parents are private to root and postgres could not reach it.
    base = Path(tempfile.mkdtemp(prefix="lurewatch-pg-"))
    data, log = base / "data", base / "server.log"
    if as_root:
        shutil.chown(base, user=PG_USER)
    port = _free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, "-A", "trust",
         "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {base} "
        # A throwaway test server: durability off, start and queries faster.
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        # Autovacuum would hold locks that TRUNCATE between tests waits a second on.
        "-c autovacuum=off"
    )
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
         "-t", "60", "start"],
        check=True, capture_output=True,
    )
    try:
        yield PgServer("127.0.0.1", port, PG_USER, f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def pg_module_url(pg_server: PgServer) -> str:
    """One PostgreSQL database per test module (migrated by the first Store.open)."""
    return pg_server.create_database()


def _empty_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = [
                name for name in sa.inspect(conn).get_table_names()
                if name != "alembic_version" and not name.startswith(SEARCH_TABLE_PREFIX)
            ]
            if tables:
                quoted = ", ".join(f'"{t}"' for t in tables)
                conn.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database, once per engine: a SQLite file, or the module's PostgreSQL
    database truncated."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/sub/dir/lw.db"
    url = request.getfixturevalue("pg_module_url")
    Store.open(get_index_settings(database_url=url)).engine.dispose()
    _empty_postgres(url)
    return url


@pytest.fixture
def open_store() -> Iterator[Callable[[str], Store]]:
    """Store.open for a URL; engines are disposed after the test (PostgreSQL connections)."""
    stores: list[Store] = []

    def _open(url: str) -> Store:
        store = Store.open(get_index_settings(database_url=url))
        stores.append(store)
        return store

    yield _open
    for store in stores:
        store.engine.dispose()


@pytest.fixture
def store(db_url: str, open_store: Callable[[str], Store]) -> Store:
    return open_store(db_url)
