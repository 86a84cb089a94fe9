"""Settings of the index package (database URL, search backend name)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    database_url: str = "sqlite:///var/lurewatch.db"
    search_backend: str = "sqlite"


def get_index_settings(**overrides: object) -> IndexSettings:
    """Build settings from the environment; keyword overrides win (tests, CLI flags)."""
    return IndexSettings(**overrides)
