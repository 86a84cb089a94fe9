"""Assess texts: calibrated lure score, decision, evidence (signals, entities), triage fields."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import joblib

from classifier.entities import Entity, extract_entities
from classifier.model import LureModel
from classifier.settings import DEFAULT_MODEL_DIR, ClassifierSettings
from classifier.signals import MINOR, OTHER, SignalHit, find_signals
from classifier.text import fold

__all__ = ["SignalHit", "Entity", "Assessment", "Assessor", "load_assessor", "ModelNotFoundError"]

# Signals whose presence raises priority: the destinations where scam compounds are.
ABROAD_SIGNALS = frozenset({"abroad_destination"})


class ModelNotFoundError(FileNotFoundError):
    """The model directory or one of its files is missing (there is no silent fallback)."""


@dataclass(frozen=True)
class Assessment:
    score: float
    is_lure: bool
    threshold: float
    signals: tuple[SignalHit, ...]
    entities: tuple[Entity, ...]
    categories: tuple[str, ...]
    minor_risk: bool
    priority: int
    model_version: str


def categories_of(hits: Sequence[SignalHit], is_lure: bool) -> tuple[str, ...]:
    """Lure categories named by the fired signals, strongest first (multi-label).

    Generic signals (category "other") name no category; a lure with only generic signals
    is "other"."""
    weight: dict[str, float] = {}
    for hit in hits:
        if hit.category != OTHER:
            weight[hit.category] = weight.get(hit.category, 0.0) + hit.weight
    cats = tuple(sorted(weight, key=lambda c: (-weight[c], c)))
    return cats or ((OTHER,) if is_lure else ())


class Assessor:
    def __init__(self, model: LureModel, threshold: float, model_version: str) -> None:
        self.model = model
        self.threshold = threshold
        self.model_version = model_version

    def assess(self, texts: Sequence[str]) -> list[Assessment]:
        """One Assessment per text, same order; spans index into the given strings."""
        texts = list(texts)
        folded = [fold(t) for t in texts]
        hits = [find_signals(t, folded=f) for t, f in zip(texts, folded)]
        scores = self.model.predict_proba(texts, hits)  # one batch vectorisation
        out = []
        for text, text_folded, text_hits, score in zip(texts, folded, hits, scores):
            is_lure = bool(score >= self.threshold)
            minor = any(h.category == MINOR for h in text_hits)
            abroad = any(h.id in ABROAD_SIGNALS for h in text_hits)
            out.append(
                Assessment(
                    score=float(score),
                    is_lure=is_lure,
                    threshold=self.threshold,
                    signals=tuple(text_hits),
                    entities=tuple(extract_entities(text, folded=text_folded)),
                    categories=categories_of(text_hits, is_lure),
                    minor_risk=minor,
                    priority=int(is_lure) + int(abroad) + int(minor),
                    model_version=self.model_version,
                )
            )
        return out


def load_assessor(settings: ClassifierSettings | None = None) -> Assessor:
    """Load the model in `settings.model_dir` (default: the packaged model)."""
    settings = settings or ClassifierSettings()
    model_dir = settings.model_dir or DEFAULT_MODEL_DIR
    model_path, card_path = model_dir / "model.joblib", model_dir / "card.json"
    for path in (model_path, card_path):
        if not path.is_file():
            raise ModelNotFoundError(
                f"classifier model file missing: {path} (train one with "
                f"`python -m classifier.train --data DIR --out {model_dir}`)"
            )
    card = json.loads(card_path.read_text(encoding="utf-8"))
    model = joblib.load(model_path)
    if not isinstance(model, LureModel):
        raise TypeError(f"{model_path} does not hold a LureModel")
    threshold = settings.threshold if settings.threshold is not None else float(card["threshold"])
    return Assessor(model, threshold, str(card["version"]))
