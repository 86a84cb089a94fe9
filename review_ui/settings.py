"""Settings of the review web app (one class, built by a factory, never at import time)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class UISettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    secret_key: str  # required: signs the session cookie; flows writes one into var/secret_key
    evidence_dir: Path = Path("var/evidence")
    default_lang: str = "vi"  # Vietnamese first; "en" via ?lang=en (remembered in a cookie)
    session_max_age: int = 8 * 3600


def get_ui_settings(**overrides: object) -> UISettings:
    """Build settings from the environment (LUREWATCH_*), explicit overrides winning."""
    return UISettings(**overrides)  # type: ignore[arg-type]
