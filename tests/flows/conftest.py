"""One Prefect test harness (a real local API, ~13 s) for the whole session, and a var dir."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def lurewatch_env(var_dir):
    """The flows build their settings from the environment at run time, as in production."""
    saved = dict(os.environ)
    os.environ["LUREWATCH_VAR_DIR"] = str(var_dir)
    os.environ["LUREWATCH_RETRY_DELAYS_SECONDS"] = "[0.5]"  # one quick retry: tests wait for no backoff
    os.environ.pop("LUREWATCH_DATABASE_URL", None)
    yield var_dir
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="session")
def prefect_harness(lurewatch_env):
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
