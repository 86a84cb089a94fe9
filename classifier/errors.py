"""Errors of the classifier package: one line, no traceback, mapped by the CLI."""

from __future__ import annotations

__all__ = ["ClassifierError", "DataFormatError", "ModelNotFoundError"]


class ClassifierError(Exception):
    """A user-facing classifier error (bad data directory, bad model directory...)."""


class DataFormatError(ClassifierError, ValueError):
    """A training file is missing or has a bad line (the message names file and line)."""


class ModelNotFoundError(ClassifierError, FileNotFoundError):
    """The model directory or one of its files is missing (there is no silent fallback)."""
