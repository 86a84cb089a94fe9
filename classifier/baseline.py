"""The plain baseline every evaluation prints beside our figures.

Char 2-5-gram TF-IDF (within word boundaries, sublinear tf) of the lowercased text + a
class-balanced logistic regression, trained on the real rows of the training folds only (no
synthetic rows, no signals, no normalisation). On sources it had never seen it beat the
model shipped before issue 9; a change is kept only if it beats this on source-grouped folds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

__all__ = ["PlainBaseline"]


class PlainBaseline:
    description = "plain char_wb 2-5-gram TF-IDF + logistic regression (C=10, balanced), real rows only"

    def __init__(self) -> None:
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        self.lr = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000)

    def fit(self, texts: Sequence[str], y: np.ndarray) -> "PlainBaseline":
        self.lr.fit(self.vectorizer.fit_transform(list(texts)), y)
        return self

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return self.lr.decision_function(self.vectorizer.transform(list(texts)))
