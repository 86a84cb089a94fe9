"""Fixtures shared by every package's tests."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data beside the repository; tests that need it skip where it is absent."""
    if not (SHARED_DATA / "dev_lures.jsonl").exists():
        pytest.skip("../shared/data is not here")
    return SHARED_DATA

# Real search engines (OpenSearch, Elasticsearch; one JVM each) for any package's tests: tests/engines/fixtures.py.
pytest_plugins = ["engines.fixtures"]
