"""The default ("sklearn") backend: a calibrated ensemble of two logistic regressions.

1. Evidence member: hashed n-grams of the folded canonical text (teencode and disguises undone,
   see `ModelConfig.text_view`) + signal ids (lure indicators and counter-indicators).
2. Free n-gram member (`TfidfScorer`): char 2-5-gram and word 1-2-gram TF-IDF of the plain
   lowercased text and of its folded form, vocabulary and IDF learnt in the training rows.
Each member is Platt-calibrated on grouped out-of-fold scores of the real training rows; the
score is the sigmoid of the mean of the two calibrated logits. Issue 9 found the evidence
member alone fits the development rows (their signals, their length) and loses to a plain
char-n-gram model on sources it has never seen; the ensemble beats both on source-grouped
folds (see train.py and the card).

The evidence member's features are stateless (hashing, no vocabulary); the TF-IDF member is
fitted inside each training split, so cross-validation never leaks vocabulary or IDF from test
rows. Against the length bias of ../shared/data (lures short, job ads long): each n-gram block
is l2-normalised (a long ad is not "more legit" for having more words) and the signals are
binary features of equal scale for every length; texts are cut at `max_chars` only for speed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import normalize as l2_normalize

from classifier.backends import ScoringBackend, register
from classifier.canonical import cached_canonical_text
from classifier.entities import extract_entities
from classifier.errors import ModelNotFoundError
from classifier.signals import SignalHit, find_signals, signal_ids
from classifier.text import fold, normalize

__all__ = ["ModelConfig", "LureModel", "Featurizer", "TfidfScorer", "grouped_folds", "fit_platt", "platt"]

MODEL_FILE = "model.joblib"
_SPACES = re.compile(r"\s+")
# Leet left in a word after canonical_text ("MU0N", "C0", "tjen"): read as the letter it hides.
_DIGIT_LETTER = {"0": "o", "tj": "ti"}
_DIGIT_IN_WORD = re.compile(r"(?<=[a-z])0(?![0-9])|(?<![a-z0-9])0(?=[a-z])|(?<![a-z])tj(?=[a-z])")


@dataclass(frozen=True)
class ModelConfig:
    max_chars: int = 3000  # 700 cut the ends of long ads; equal figures at 1500-20000
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    n_features: int = 2**18
    signal_scale: float = 1.0  # weight of the signal block next to the two l2-normed n-gram blocks
    C: float = 8.0
    seed: int = 13
    # "folded": fold(normalize(text)); "canonical": the folded canonical text (teencode and
    # disguises undone, classifier.canonical) with digits inside words read as letters.
    text_view: str = "canonical"
    # The free n-gram member (TfidfScorer); False: the evidence member alone (the pre-issue-9 model).
    ensemble: bool = True
    tfidf_C: float = 10.0
    tfidf_max_chars: int = 3000


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


class TfidfScorer:
    """The free n-gram member: char_wb 2-5-gram and word 1-2-gram TF-IDF of the lowercased
    normalised text, a class-balanced logistic regression. No signals, no canonical rewriting,
    no folding (tones kept): what the plain baseline reads, plus word n-grams and the synthetic
    rows. (A second, folded view measured no better on source-grouped folds, at twice the cost.)"""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self.vectorizers: list[TfidfVectorizer] = []
        self.coef = np.zeros(0, dtype=np.float32)
        self.intercept = 0.0

    def _view(self, texts: Sequence[str]) -> list[str]:
        return [normalize(t[: self.config.tfidf_max_chars]).lower() for t in texts]

    def _new_vectorizers(self) -> list[TfidfVectorizer]:
        common = dict(sublinear_tf=True, lowercase=False, dtype=np.float32)
        return [TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common),
                TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", **common)]

    def _matrix(self, texts: Sequence[str], fit: bool) -> sp.csr_matrix:
        view = self._view(texts)
        if fit:
            self.vectorizers = self._new_vectorizers()
        blocks = [(v.fit_transform(view) if fit else v.transform(view)) for v in self.vectorizers]
        return sp.hstack(blocks, format="csr")

    def fit(self, texts: Sequence[str], y: np.ndarray) -> "TfidfScorer":
        X = self._matrix(texts, fit=True)
        lr = LogisticRegression(C=self.config.tfidf_C, class_weight="balanced", max_iter=5000).fit(X, y)
        self.coef = lr.coef_[0].astype(np.float32)
        self.intercept = float(lr.intercept_[0])
        return self

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return self._matrix(texts, fit=False) @ self.coef.astype(np.float64) + self.intercept


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
    """A fitted model: featurizer config, the evidence member, its calibration, and (ensemble)
    the TF-IDF member with its calibration. Pickled into model.joblib."""

    config: ModelConfig
    clf: LinearScorer
    calibration: tuple[float, float]
    tfidf: TfidfScorer | None = None
    tfidf_calibration: tuple[float, float] = (1.0, 0.0)
    _featurizer: Featurizer | None = field(default=None, repr=False)

    @classmethod
    def fit(
        cls, texts: Sequence[str], X: sp.csr_matrix, y: np.ndarray, config: ModelConfig, *,
        groups: np.ndarray, real: np.ndarray, folds: int = 5,
    ) -> tuple["LureModel", np.ndarray]:
        """Fit on all given rows (`X`: the evidence features of `texts`); returns the model and
        its calibrated grouped out-of-fold probabilities on these rows.

        Calibration is fitted on the out-of-fold scores of the real rows only (`real` mask):
        synthetic rows train the members but must not shape what a score means."""
        texts = list(texts)
        evidence = np.zeros(len(y))
        free = np.zeros(len(y))
        for train, test in grouped_folds(y, groups, folds, config.seed):
            evidence[test] = LinearScorer.fit(X[train], y[train], config).decision_function(X[test])
            if config.ensemble:
                free[test] = TfidfScorer(config).fit([texts[i] for i in train], y[train]).decision_function(
                    [texts[i] for i in test])
        cal = real if len(set(y[real])) == 2 else np.ones(len(y), dtype=bool)
        calibration = fit_platt(evidence[cal], y[cal])
        model = cls(config, LinearScorer.fit(X, y, config), calibration)
        logit = calibration[0] * evidence + calibration[1]
        if config.ensemble:
            model.tfidf = TfidfScorer(config).fit(texts, y)
            model.tfidf_calibration = fit_platt(free[cal], y[cal])
            logit = (logit + model.tfidf_calibration[0] * free + model.tfidf_calibration[1]) / 2
        return model, platt(logit, 1.0, 0.0)

    @property
    def featurizer(self) -> Featurizer:
        if self._featurizer is None:
            self._featurizer = Featurizer(self.config)
        return self._featurizer

    def proba_features(self, X: sp.csr_matrix, texts: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probability from the evidence features `X` (and `texts`, for the TF-IDF
        member of an ensemble)."""
        a, b = self.calibration
        logit = a * self.clf.decision_function(X) + b
        if self.tfidf is not None:
            if texts is None:
                raise ValueError("an ensemble model needs the texts as well as their features")
            a2, b2 = self.tfidf_calibration
            logit = (logit + a2 * self.tfidf.decision_function(texts) + b2) / 2
        return platt(logit, 1.0, 0.0)

    def predict_proba(
        self, texts: Sequence[str], hits: Sequence[Sequence[SignalHit]] | None = None
    ) -> np.ndarray:
        """Calibrated probability that each text is a lure."""
        if not texts:
            return np.zeros(0)
        return self.proba_features(self.featurizer.transform(texts, hits), texts)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_featurizer"] = None  # rebuilt on load; keeps model.joblib small
        return state

    def __setstate__(self, state: dict) -> None:
        state.setdefault("tfidf", None)  # models pickled before the ensemble
        state.setdefault("tfidf_calibration", (1.0, 0.0))
        self.__dict__.update(state)


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
