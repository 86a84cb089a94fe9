"""Groups for cross-validation: by source, and by near-duplicate text.

`source_groups` is what the quality figures use: a row's group is its source (a news site, a
dataset, a channel: `source_key`), joined with every row that is a near-duplicate of it, so a
model is never scored on a source or a text it was trained on — the closest we can get to the
hidden sets of unseen sources that it will meet in production.

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

__all__ = ["JACCARD", "PREFIX_CHARS", "near_duplicate_groups", "source_key", "source_groups"]

JACCARD = 0.7
PREFIX_CHARS = 60
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/\s?#]+)", re.I)
# Second-level labels under which a registered domain takes three labels ("baomoi.net.vn").
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co", "info", "biz", "name", "pro", "int", "health"})


def source_key(source: str) -> str:
    """The unit a source belongs to: a site's registered domain for a URL ("news.laodong.vn"
    and "laodong.vn" are one site), "github:owner/repo" for a repository dataset, else the
    source's first word, lowercased. Empty for no source."""
    source = source.strip()
    if not source:
        return ""
    if m := _URL_HOST.match(source):
        host = m.group(1).lower().rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
        labels = host.split(".")
        keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
        return ".".join(labels[-keep:])
    head = source.split()[0].lower()
    if head.startswith("github:"):
        return "github:" + "/".join(head[len("github:"):].split("/")[:2])
    return head


def source_groups(sources: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Group id per row: rows of one source (`source_key`) or near-duplicate texts share a group,
    transitively. A row without a source is grouped by its text alone."""
    n = len(texts)
    keys = [source_key(s) for s in sources]
    rows: list[int] = []
    cols: list[int] = []
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key:
            rows.append(i)
            cols.append(first.setdefault(key, i))
    near = near_duplicate_groups(texts)
    for i, g in enumerate(near):
        rows.append(i)
        cols.append(first.setdefault(f"\0near{g}", i))
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=False)[1] if n else np.zeros(0, dtype=int)


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
