"""Near-duplicate key of a post: MinHash of 5-character shingles of its folded text.

The same lure is reposted with small edits (another phone, a changed salary, accents dropped);
folding first makes "lương cao" and "luong cao" the same shingles. Signatures are stored per
post as bytes (NUM_PERM uint32 values, little-endian); `NearDupIndex` wraps datasketch's
MinHashLSH over them and assigns cluster ids.

Trade-off: the LSH lives in memory and is rebuilt from the stored signatures by the store the
first time it ingests (not by Store.open, so read-only processes like the web app never pay
for it). For ~100k posts that is ~50 MB of signatures read once and a few seconds of
insertion; other processes' new posts are picked up incrementally by id. Beyond a few million
posts, the band hashes would go into a table instead.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import numpy as np
from classifier.text import fold
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.8
MAX_CANDIDATES = 1000
SCHEME = "affine32"  # datasketch >= 2.0: uint32 values; stored signatures depend on it
_SPACES = re.compile(r"\s+")
# CRC-32 of each shingle: a C call, 5x faster than datasketch's default SHA-1, and the affine32
# scheme mixes it (MurmurHash3 finaliser) before permuting. Stored signatures depend on it.
_HASH = zlib.crc32
# One set of permutations shared by every MinHash: building them costs more than hashing a post.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=_HASH)


def shingles(title: str, text: str) -> set[str]:
    """5-char shingles of the folded text, whitespace collapsed; short texts give one shingle."""
    folded = _SPACES.sub(" ", fold(title + "\n" + text)).strip()
    if len(folded) <= SHINGLE:
        return {folded} if folded else set()
    return {folded[i : i + SHINGLE] for i in range(len(folded) - SHINGLE + 1)}


def signature(title: str, text: str) -> bytes | None:
    """The stored near-dup key of a text, or None when the text is empty."""
    grams = shingles(title, text)
    if not grams:
        return None
    m = MinHash(num_perm=NUM_PERM, permutations=_TEMPLATE.permutations, scheme=SCHEME, hashfunc=_HASH)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m.hashvalues.astype("<u4").tobytes()


def minhash(sig: bytes) -> MinHash:
    values = np.frombuffer(sig, dtype="<u4").astype(np.uint32)
    return MinHash(hashvalues=values, permutations=_TEMPLATE.permutations, scheme=SCHEME, hashfunc=_HASH)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


class NearDupIndex:
    """MinHashLSH over post ids plus each post's cluster id.

    A post joins the cluster of its most similar indexed neighbour (estimated Jaccard at least
    THRESHOLD); with none, it starts its own cluster, named by its own id. Clusters are never
    merged afterwards (a post that bridges two clusters joins the closer one).
    """

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[int, bytes] = {}
        self._cluster: dict[int, int] = {}
        self.max_post_id = 0  # highest post id loaded: newer ones are caught up incrementally

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, post_id: int, sig: bytes, cluster: int) -> None:
        if post_id in self._sigs:
            self.remove(post_id)
        self._lsh.insert(post_id, minhash(sig), check_duplication=False)
        self._sigs[post_id] = sig
        self._cluster[post_id] = cluster
        self.max_post_id = max(self.max_post_id, post_id)

    def remove(self, post_id: int) -> None:
        if post_id in self._sigs:
            self._lsh.remove(post_id)
            del self._sigs[post_id]
            del self._cluster[post_id]

    def cluster_for(self, post_id: int, sig: bytes) -> int:
        """Cluster id a post with this signature joins (its own id when it has no near twin)."""
        others = [o for o in self._lsh.query(minhash(sig)) if o != post_id]
        if not others:
            return post_id
        # A big family of reposts gives many candidates: compare them all in one numpy pass,
        # but only up to MAX_CANDIDATES of them (any member of a cluster leads to it).
        others = sorted(others)[:MAX_CANDIDATES]
        matrix = np.frombuffer(b"".join(self._sigs[o] for o in others), dtype="<u4")
        sims = (matrix.reshape(len(others), NUM_PERM) == np.frombuffer(sig, dtype="<u4")).mean(axis=1)
        near = [(-float(sim), self._cluster[o]) for o, sim in zip(others, sims) if sim >= THRESHOLD]
        # Most similar first; ties go to the older (smaller) cluster so ids stay stable.
        return min(near)[1] if near else post_id

    def load(self, rows: Iterable[tuple[int, bytes, int | None]]) -> None:
        """Add stored (post_id, signature, cluster) rows; a missing cluster is the post's own."""
        for post_id, sig, cluster in rows:
            self.add(post_id, bytes(sig), cluster if cluster is not None else post_id)
