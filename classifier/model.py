"""The default ("sklearn") backend: hashed n-grams of the folded canonical text (teencode and
disguises undone, see `ModelConfig.text_view`) + signal ids, logistic
regression, Platt-calibrated on grouped out-of-fold scores of real rows.

Features are stateless (hashing, no vocabulary), so cross-validation never leaks vocabulary
or IDF statistics from test rows, and the saved model stays small. Against the length bias of
../shared/data (lures short, job ads long): texts are cut to their first `max_chars`
characters, each n-gram block is l2-normalised (a long ad is not "more legit" for having more
words), and the signals (lure indicators and counter-indicators) are binary features of equal
scale for every length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import normalize as l2_normalize

from classifier.backends import ScoringBackend, register
from classifier.canonical import cached_canonical_text
from classifier.entities import extract_entities
from classifier.errors import ModelNotFoundError
from classifier.signals import SignalHit, find_signals, signal_ids
from classifier.text import fold, normalize

__all__ = ["ModelConfig", "LureModel", "Featurizer", "grouped_folds", "fit_platt", "platt"]

MODEL_FILE = "model.joblib"
_SPACES = re.compile(r"\s+")
# Leet left in a word after canonical_text ("MU0N", "C0", "tjen"): read as the letter it hides.
_DIGIT_LETTER = {"0": "o", "tj": "ti"}
_DIGIT_IN_WORD = re.compile(r"(?<=[a-z])0(?![0-9])|(?<![a-z0-9])0(?=[a-z])|(?<![a-z])tj(?=[a-z])")


@dataclass(frozen=True)
class ModelConfig:
    max_chars: int = 700
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    n_features: int = 2**18
    signal_scale: float = 1.0  # weight of the signal block next to the two l2-normed n-gram blocks
    C: float = 8.0
    seed: int = 13
    # "folded": fold(normalize(text)); "canonical": the folded canonical text (teencode and
    # disguises undone, classifier.canonical) with digits inside words read as letters.
    text_view: str = "canonical"


class Featurizer:
    """Text → sparse features. Stateless: same output whatever it was 'fitted' on."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self._ids = {sid: i for i, sid in enumerate(signal_ids())}
        common = dict(n_features=config.n_features, alternate_sign=False, norm=None, lowercase=False)
        self._chars = HashingVectorizer(analyzer="char_wb", ngram_range=config.char_ngrams, **common)
        self._words = HashingVectorizer(
            analyzer="word", ngram_range=config.word_ngrams, token_pattern=r"(?u)\b\w+\b", **common
        )

    def view(self, text: str) -> str:
        """The string the n-gram blocks read."""
        cut = self.config.max_chars
        if getattr(self.config, "text_view", "folded") == "canonical":
            # the same (memoised) canonical text `extract_entities` read, spaces collapsed
            folded = _SPACES.sub(" ", cached_canonical_text(text).folded[: 3 * cut].strip())[: cut + 20]
            return _DIGIT_IN_WORD.sub(lambda m: _DIGIT_LETTER[m.group()], folded)[:cut]
        return fold(normalize(text))[:cut]

    def transform(
        self, texts: Sequence[str], hits: Sequence[Sequence[SignalHit]] | None = None
    ) -> sp.csr_matrix:
        if hits is None:  # the same evidence `assess` computes: signals with entities
            hits = [find_signals(t, entities=extract_entities(t)) for t in texts]
        folded = [self.view(t) for t in texts]
        blocks = []
        for vec in (self._chars, self._words):
            counts = vec.transform(folded).astype(np.float64)
            counts.data = np.log1p(counts.data)  # sublinear tf
            blocks.append(l2_normalize(counts))
        cells = {(row, self._ids[h.id]) for row, text_hits in enumerate(hits) for h in text_hits if h.id in self._ids}
        rows, cols = zip(*cells) if cells else ((), ())
        sig = sp.csr_matrix(
            (np.full(len(rows), self.config.signal_scale), (rows, cols)),
            shape=(len(texts), len(self._ids)),
        )
        blocks.append(sig)
        return sp.hstack(blocks, format="csr")


def _new_lr(config: ModelConfig) -> LogisticRegression:
    # Dual liblinear: far faster when features (hashed n-grams) outnumber rows.
    return LogisticRegression(C=config.C, class_weight="balanced", max_iter=5000, solver="liblinear", dual=True)


@dataclass(frozen=True)
class LinearScorer:
    """Weights of a fitted logistic regression over the full hashed feature space (float32)."""

    coef: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, X: sp.csr_matrix, y: np.ndarray, config: ModelConfig) -> "LinearScorer":
        cols = np.unique(X.indices)  # only columns seen in training: much faster fits
        lr = _new_lr(config).fit(X[:, cols], y)
        coef = np.zeros(X.shape[1], dtype=np.float32)
        coef[cols] = lr.coef_[0]
        return cls(coef, float(lr.intercept_[0]))

    def decision_function(self, X: sp.csr_matrix) -> np.ndarray:
        return X @ self.coef.astype(np.float64) + self.intercept


def grouped_folds(y: np.ndarray, groups: np.ndarray, folds: int, seed: int):
    """Stratified folds that never split a near-duplicate group."""
    return StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups)


def fit_platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration p = 1 / (1 + exp(-(a*d + b))) fitted on out-of-fold scores."""
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(decision.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def platt(decision: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(a * decision + b)))


@dataclass
class LureModel:
    """A fitted model: featurizer config, classifier, calibration. Pickled into model.joblib."""

    config: ModelConfig
    clf: LinearScorer
    calibration: tuple[float, float]
    _featurizer: Featurizer | None = field(default=None, repr=False)

    @classmethod
    def fit(
        cls, X: sp.csr_matrix, y: np.ndarray, config: ModelConfig, *, groups: np.ndarray,
        real: np.ndarray, folds: int = 5,
    ) -> tuple["LureModel", np.ndarray]:
        """Fit on all rows; returns the model and calibrated grouped out-of-fold probabilities.

        Calibration is fitted on the out-of-fold scores of the real rows only (`real` mask):
        synthetic rows train the classifier but must not shape what a score means."""
        decision = np.zeros(len(y))
        for train, test in grouped_folds(y, groups, folds, config.seed):
            decision[test] = LinearScorer.fit(X[train], y[train], config).decision_function(X[test])
        cal = real if len(set(y[real])) == 2 else np.ones(len(y), dtype=bool)
        a, b = fit_platt(decision[cal], y[cal])
        model = cls(config, LinearScorer.fit(X, y, config), (a, b))
        return model, platt(decision, a, b)

    @property
    def featurizer(self) -> Featurizer:
        if self._featurizer is None:
            self._featurizer = Featurizer(self.config)
        return self._featurizer

    def proba_features(self, X: sp.csr_matrix) -> np.ndarray:
        return platt(self.clf.decision_function(X), *self.calibration)

    def predict_proba(
        self, texts: Sequence[str], hits: Sequence[Sequence[SignalHit]] | None = None
    ) -> np.ndarray:
        """Calibrated probability that each text is a lure."""
        if not texts:
            return np.zeros(0)
        return self.proba_features(self.featurizer.transform(texts, hits))

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_featurizer"] = None  # rebuilt on load; keeps model.joblib small
        return state


@register("sklearn")
class SklearnBackend(ScoringBackend):
    """The shipped default: a `LureModel` in `model.joblib`."""

    def __init__(self, model: LureModel) -> None:
        self.model = model

    def predict_proba(self, texts, hits=None) -> np.ndarray:
        return self.model.predict_proba(list(texts), hits)

    @classmethod
    def load(cls, model_dir: Path) -> "SklearnBackend":
        path = Path(model_dir) / MODEL_FILE
        if not path.is_file():
            raise ModelNotFoundError(f"classifier model file missing: {path}")
        model = joblib.load(path)
        if not isinstance(model, LureModel):
            raise ModelNotFoundError(f"{path} does not hold a LureModel")
        return cls(model)

    def save(self, model_dir: Path) -> Path:
        model_dir.mkdir(parents=True, exist_ok=True)
        path = model_dir / MODEL_FILE
        joblib.dump(self.model, path, compress=("zlib", 6))
        return path
