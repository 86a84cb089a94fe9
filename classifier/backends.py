"""Scoring backends: an ABC plus a name registry.

A trained model is a directory holding `card.json` (with `"backend": <name>`, `"threshold"`,
`"version"`) and the backend's own files. `classifier.assess` reads the card, asks the
registry for the backend class and calls `load(model_dir)`; every backend then answers the
same `predict_proba(texts, hits)`, so `assess(texts) -> list[Assessment]` is one API for all.

A backend module registers itself with `@register("name")`; `get_backend("name")` imports
the known modules lazily (`KNOWN_MODULES`) so the transformer backend (torch) costs nothing
unless it is asked for.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from classifier.errors import ClassifierError

__all__ = ["ScoringBackend", "register", "get_backend", "backend_names", "KNOWN_MODULES"]

_REGISTRY: dict[str, type["ScoringBackend"]] = {}
# Modules that register a backend when imported (looked up lazily by name).
KNOWN_MODULES = {"sklearn": "classifier.model", "transformer": "classifier.transformer_backend"}


class ScoringBackend(ABC):
    """A fitted lure scorer. `hits` are the signals of each text (some backends use them)."""

    name: ClassVar[str] = ""

    @abstractmethod
    def predict_proba(self, texts: Sequence[str], hits: Sequence[Sequence[Any]] | None = None) -> np.ndarray:
        """Calibrated probability in [0, 1] that each text is a lure."""

    @classmethod
    @abstractmethod
    def load(cls, model_dir: Path) -> "ScoringBackend":
        """Load from a local model directory (never from a hub)."""


def register(name: str):
    def deco(cls: type[ScoringBackend]) -> type[ScoringBackend]:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return deco


def get_backend(name: str) -> type[ScoringBackend]:
    if name not in _REGISTRY and name in KNOWN_MODULES:
        try:
            importlib.import_module(KNOWN_MODULES[name])
        except ImportError as exc:
            raise ClassifierError(f"backend {name!r} is not available: {exc}") from None
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ClassifierError(f"unknown backend {name!r}; known: {', '.join(backend_names())}") from None


def backend_names() -> list[str]:
    return sorted(set(_REGISTRY) | set(KNOWN_MODULES))
