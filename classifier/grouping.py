"""Near-duplicate groups for grouped cross-validation.

Two texts are in the same group when (a) the Jaccard similarity of their sets of folded
character 5-gram shingles is >= 0.7, or (b) their first 60 folded alphanumeric characters are
equal (the same template with a different tail); groups are the connected components of that
relation. Grouped folds keep every member of a group on the same side, so a model is never
scored on a near-copy of a training row (the SMS in ../shared/data come in near-identical
batches).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer

from classifier.text import fold, normalize

__all__ = ["JACCARD", "PREFIX_CHARS", "near_duplicate_groups"]

JACCARD = 0.7
PREFIX_CHARS = 60
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def near_duplicate_groups(texts: Sequence[str], jaccard: float = JACCARD) -> np.ndarray:
    """Group id per text (0..k-1); equal ids are near-duplicates (transitively)."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=int)
    folded = [" ".join(fold(normalize(t)).split()) for t in texts]
    vec = HashingVectorizer(analyzer="char", ngram_range=(5, 5), n_features=2**20,
                            alternate_sign=False, norm=None, binary=True, lowercase=False)
    X = vec.transform(folded).astype(np.float32).tocsr()
    sizes = np.asarray(X.sum(axis=1)).ravel()
    inter = (X @ X.T).tocoo()
    union = sizes[inter.row] + sizes[inter.col] - inter.data
    keep = (inter.row != inter.col) & (inter.data >= jaccard * np.maximum(union, 1))
    rows, cols = list(inter.row[keep]), list(inter.col[keep])
    first_by_prefix: dict[str, int] = {}
    for i, text in enumerate(folded):
        prefix = _NON_ALNUM.sub("", text)[:PREFIX_CHARS]
        if len(prefix) < PREFIX_CHARS:
            continue
        j = first_by_prefix.setdefault(prefix, i)
        if j != i:
            rows.append(i)
            cols.append(j)
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels
