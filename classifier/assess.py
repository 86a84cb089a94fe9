"""Assess texts: calibrated lure score, decision, evidence (signals, entities), triage fields.

One API for every backend: `load_assessor(settings).assess(texts) -> list[Assessment]`. The
model directory's card.json names the backend ("sklearn" when absent), its threshold and
version; the backend only scores, this module adds the evidence and triage fields.

Minor risk comes from explicit cues in the text (classifier.minors: ages, grades, birth years
at the post's date, "chưa đủ 18", "mẫu nhí"…), whatever the score: the province's plan gives
priority to children, so a minor-risk post outranks every other (`priority_of`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from classifier.backends import ScoringBackend, get_backend
from classifier.entities import Entity, extract_entities
from classifier.errors import ModelNotFoundError
from classifier.minors import MinorCue, find_minor_cues
from classifier.settings import DEFAULT_MODEL_DIR, ClassifierSettings
from classifier.signals import COUNTER, OTHER, SignalHit, find_signals
from classifier.text import fold

__all__ = [
    "SignalHit", "Entity", "MinorCue", "Assessment", "Assessor", "load_assessor", "ModelNotFoundError",
    "categories_of", "priority_of", "MAX_PRIORITY",
]

# Signals whose presence raises priority: the destinations where scam compounds are.
ABROAD_SIGNALS = frozenset({"abroad_destination"})


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
    abroad: bool = False  # a high-risk destination abroad is named
    # Why minor_risk is set: the first cue's reason (vi, en) and span into the text; every cue.
    minor_reason: str = ""
    minor_reason_en: str = ""
    minor_span: tuple[int, int] | None = None
    minor_cues: tuple[MinorCue, ...] = ()


def categories_of(hits: Sequence[SignalHit], is_lure: bool) -> tuple[str, ...]:
    """Lure categories named by the fired signals, strongest first (multi-label).

    Generic signals ("other") and counter-indicators name no category; a lure with only
    generic signals is "other"."""
    weight: dict[str, float] = {}
    for hit in hits:
        if hit.category not in (OTHER, COUNTER):
            weight[hit.category] = weight.get(hit.category, 0.0) + hit.weight
    cats = tuple(sorted(weight, key=lambda c: (-weight[c], c)))
    return cats or ((OTHER,) if is_lure else ())


MAX_PRIORITY = 4


def priority_of(is_lure: bool, abroad: bool, minor: bool) -> int:
    """0..4, higher first. Minor risk outranks everything (the plan's priority to children):
    4 minor risk and flagged, 3 minor risk, 2 flagged with a high-risk destination abroad,
    1 flagged, 0 not flagged."""
    if minor:
        return 3 + int(is_lure)
    return int(is_lure) + int(is_lure and abroad)


DateLike = date | datetime | None


def _reference_dates(dates: DateLike | Sequence[DateLike], n: int) -> list[date | None]:
    if dates is None or isinstance(dates, (date, datetime)):
        dates = [dates] * n
    if len(dates) != n:
        raise ValueError(f"{len(dates)} dates for {n} texts")
    return [d.date() if isinstance(d, datetime) else d for d in dates]


class Assessor:
    def __init__(self, model: ScoringBackend, threshold: float, model_version: str) -> None:
        self.model = model
        self.threshold = threshold
        self.model_version = model_version

    def assess(self, texts: Sequence[str], *, dates: DateLike | Sequence[DateLike] = None) -> list[Assessment]:
        """One Assessment per text, same order; spans index into the given (NFC) strings.

        `dates`: the post's date (one for all, or one per text; None = today), at which birth
        years are turned into ages for minor risk."""
        texts = list(texts)
        refs = _reference_dates(dates, len(texts))
        folded = [fold(t) for t in texts]
        entities = [extract_entities(t, folded=f) for t, f in zip(texts, folded)]
        hits = [find_signals(t, folded=f, entities=e) for t, f, e in zip(texts, folded, entities)]
        scores = self.model.predict_proba(texts, hits)  # one batch vectorisation
        out = []
        for text, fold_text, ref, text_hits, text_entities, score in zip(texts, folded, refs, hits, entities, scores):
            is_lure = bool(score >= self.threshold)
            cues = tuple(find_minor_cues(text, folded=fold_text, reference=ref))
            minor = bool(cues)
            abroad = any(h.id in ABROAD_SIGNALS for h in text_hits)
            out.append(
                Assessment(
                    score=float(score),
                    is_lure=is_lure,
                    threshold=self.threshold,
                    signals=tuple(text_hits),
                    entities=tuple(text_entities),
                    categories=categories_of(text_hits, is_lure),
                    minor_risk=minor,
                    priority=priority_of(is_lure, abroad, minor),
                    model_version=self.model_version,
                    abroad=abroad,
                    minor_reason=cues[0].reason_vi if cues else "",
                    minor_reason_en=cues[0].reason_en if cues else "",
                    minor_span=(cues[0].start, cues[0].end) if cues else None,
                    minor_cues=cues,
                )
            )
        return out


def read_card(model_dir: Path) -> dict:
    card_path = Path(model_dir) / "card.json"
    if not card_path.is_file():
        raise ModelNotFoundError(
            f"classifier model file missing: {card_path} (train one with "
            f"`lurewatch classifier train --data DIR --out {model_dir}`)"
        )
    return json.loads(card_path.read_text(encoding="utf-8"))


def load_assessor(settings: ClassifierSettings | None = None) -> Assessor:
    """Load the model in `settings.model_dir` (default: the packaged model)."""
    settings = settings or ClassifierSettings()
    model_dir = settings.model_dir or DEFAULT_MODEL_DIR
    card = read_card(model_dir)
    backend = get_backend(str(card.get("backend", "sklearn"))).load(model_dir)
    threshold = settings.threshold if settings.threshold is not None else float(card["threshold"])
    return Assessor(backend, threshold, str(card["version"]))
