"""Classifier settings (env prefix LUREWATCH_), built by a factory and passed in."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ClassifierSettings", "get_classifier_settings", "DEFAULT_MODEL_DIR"]

# The model trained on ../shared/data and shipped with the package.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"


class ClassifierSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore", protected_namespaces=())

    model_dir: Path | None = None  # None: the packaged default model
    threshold: float | None = None  # overrides the threshold in card.json


def get_classifier_settings(**overrides: object) -> ClassifierSettings:
    return ClassifierSettings(**overrides)
