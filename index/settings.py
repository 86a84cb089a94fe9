"""Settings of the index package: where the system of record lives and which search backend serves."""

from __future__ import annotations

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    database_url: str = "sqlite:///var/lurewatch.db"
    search_backend: str = "sqlite"  # sqlite | opensearch | elasticsearch
    # sqlite search: its own file when the store is not SQLite (e.g. PostgreSQL + FTS5 search);
    # by default it shares the store's SQLite file.
    search_sqlite_url: str | None = None
    # opensearch / elasticsearch: every node of the cluster, comma-separated in the environment.
    search_urls: Annotated[list[str], NoDecode] = ["http://127.0.0.1:9200"]
    search_alias: str = "lurewatch-posts"
    search_timeout_s: float = 10.0
    search_max_retries: int = 3
    # None keeps the cluster's default; 0 lets a single-node deployment go green instead of yellow.
    search_replicas: int | None = None

    @field_validator("search_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value


def get_index_settings(**overrides: object) -> IndexSettings:
    """Build settings from the environment; keyword overrides win (tests, CLI flags)."""
    return IndexSettings(**overrides)
