"""The default lure model: hashed n-grams of folded text + signal ids, logistic regression,
Platt-calibrated on out-of-fold scores.

Features are stateless (hashing, no vocabulary), so cross-validation never leaks vocabulary
or IDF statistics from test rows, and the saved model stays small. Texts are cut to their
first `max_chars` characters so a long job ad cannot look legitimate merely by being long
(the length bias of ../shared/data: lures short, ads long).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize as l2_normalize

from classifier.signals import SignalHit, find_signals, signal_ids
from classifier.text import fold, normalize

__all__ = ["ModelConfig", "LureModel", "Featurizer", "oof_decision"]


@dataclass(frozen=True)
class ModelConfig:
    max_chars: int = 1000
    char_ngrams: tuple[int, int] = (3, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    n_features: int = 2**18
    signal_scale: float = 1.0  # weight of the signal block next to the two l2-normed n-gram blocks
    C: float = 4.0
    seed: int = 13


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

    def transform(
        self, texts: Sequence[str], hits: Sequence[Sequence[SignalHit]] | None = None
    ) -> sp.csr_matrix:
        if hits is None:
            hits = [find_signals(t) for t in texts]
        folded = [fold(normalize(t))[: self.config.max_chars] for t in texts]
        blocks = []
        for vec in (self._chars, self._words):
            counts = vec.transform(folded).astype(np.float64)
            counts.data = np.log1p(counts.data)  # sublinear tf
            blocks.append(l2_normalize(counts))
        cells = {(row, self._ids[h.id]) for row, text_hits in enumerate(hits) for h in text_hits}
        rows, cols = zip(*cells) if cells else ((), ())
        sig = sp.csr_matrix(
            (np.full(len(rows), self.config.signal_scale), (rows, cols)),
            shape=(len(texts), len(self._ids)),
        )
        blocks.append(sig)
        return sp.hstack(blocks, format="csr")


def _new_lr(config: ModelConfig) -> LogisticRegression:
    return LogisticRegression(C=config.C, class_weight="balanced", max_iter=2000, solver="liblinear")


def oof_decision(X: sp.csr_matrix, y: np.ndarray, config: ModelConfig, folds: int = 5) -> np.ndarray:
    """Out-of-fold decision values of the logistic regression."""
    out = np.zeros(len(y))
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config.seed)
    for train, test in skf.split(np.zeros(len(y)), y):
        out[test] = _new_lr(config).fit(X[train], y[train]).decision_function(X[test])
    return out


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
    clf: LogisticRegression
    calibration: tuple[float, float]
    _featurizer: Featurizer | None = field(default=None, repr=False)

    @classmethod
    def fit(cls, X: sp.csr_matrix, y: np.ndarray, config: ModelConfig, folds: int = 5) -> tuple["LureModel", np.ndarray]:
        """Fit on all rows; returns the model and its calibrated out-of-fold probabilities."""
        decision = oof_decision(X, y, config, folds)
        a, b = fit_platt(decision, y)
        model = cls(config, _new_lr(config).fit(X, y), (a, b))
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
