"""Classifier test fixtures: where the development data is.

`../shared/data` beside the repository (as in CI), or the directory named by
LUREWATCH_SHARED_DATA (a worktree whose parent has no shared/ folder); skip when neither has it.
"""

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    for candidate in (SHARED_DATA, Path(os.environ.get("LUREWATCH_SHARED_DATA", "") or SHARED_DATA)):
        if (candidate / "dev_lures.jsonl").exists():
            return candidate
    pytest.skip("../shared/data is not here")
