"""Builds the review UI app from the shared parts, with a secret key kept under var/."""

import secrets
from pathlib import Path

from review_ui.app import create_app
from review_ui.settings import UISettings, get_ui_settings

from flows.ui_operations import FlowsOperations
from flows.wiring import Parts


def secret_key(var_dir: Path) -> str:
    """One random key per installation, created on first use, readable by its owner only."""
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), "utf-8")
    return path.read_text("utf-8").strip()


def ui_settings(parts: Parts) -> UISettings:
    """The review UI's settings for this installation: its key, its evidence, its bind address
    (which decides Secure cookies)."""
    return get_ui_settings(
        secret_key=secret_key(parts.settings.var_dir),
        evidence_dir=parts.settings.evidence_dir,
        host=parts.settings.host,
    )


def build_ui_app(parts: Parts):
    return create_app(ui_settings(parts), parts.store, parts.search, operations=FlowsOperations(parts))
