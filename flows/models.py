"""Model versions under var/models: every retrained version in a folder of its own, the
promoted one named in current.json. The packaged default serves until a version is promoted;
LUREWATCH_MODEL_DIR, when set, wins over both."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

CURRENT = "current.json"


def current_model_dir(models_dir: Path) -> Path | None:
    path = models_dir / CURRENT
    if not path.is_file():
        return None
    folder = models_dir / json.loads(path.read_text("utf-8"))["version"]
    return folder if folder.is_dir() else None


def promote(models_dir: Path, version: str) -> None:
    """Atomically name `version` (a folder under models_dir) the current model."""
    record = {"version": version, "promoted_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    fd, tmp = tempfile.mkstemp(dir=models_dir, prefix=".current.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(record, fh)
    os.replace(tmp, models_dir / CURRENT)


def model_dir_for(models_dir: Path, configured: Path | None) -> Path | None:
    """The model ingest and rescoring use: the configured one, the promoted one, or None (the default)."""
    return configured or current_model_dir(models_dir)
