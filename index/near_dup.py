"""Near-duplicate key of a post: MinHash of 5-character shingles of its folded text.

The same lure is reposted with small edits (another phone, a changed salary, accents dropped);
folding first makes "lương cao" and "luong cao" the same shingles. Signatures are stored per
post as bytes (NUM_PERM uint32 values, little-endian); `NearDupIndex` wraps datasketch's
MinHashLSH over them and assigns cluster ids.

Trade-off: the LSH lives in memory and is rebuilt from the stored signatures by the store the
first time it ingests (not by Store.open, so read-only processes like the web app never pay
for it). For ~100k posts that is ~50 MB of signatures read once and a few seconds of
insertion; what other processes change is picked up incrementally (index.clusters). Beyond a
few million posts, the band hashes would go into a table instead.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import numpy as np
from classifier.text import fold
from datasketch import MinHash, MinHashLSH

from index.document import assessed_text

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
    folded = _SPACES.sub(" ", fold(assessed_text(title, text))).strip()
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
    """MinHashLSH over post ids plus each post's cluster id (pure: index.clusters stores them).

    A post joins the clusters of its indexed neighbours (estimated Jaccard at least THRESHOLD);
    when it bridges several, they merge into the oldest, the one with the smallest id. With no
    neighbour, it starts its own cluster, named by its own id.
    """

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._sigs: dict[int, bytes] = {}
        self._cluster: dict[int, int] = {}
        self._members: dict[int, set[int]] = {}
        self.rev = 0  # highest stored revision loaded: later ones are caught up incrementally

    def __len__(self) -> int:
        return len(self._sigs)

    def cluster_of(self, post_id: int) -> int | None:
        return self._cluster.get(post_id)

    def add(self, post_id: int, sig: bytes, cluster: int) -> None:
        self.remove(post_id)
        self._lsh.insert(post_id, minhash(sig), check_duplication=False)
        self._sigs[post_id] = sig
        self._cluster[post_id] = cluster
        self._members.setdefault(cluster, set()).add(post_id)

    def remove(self, post_id: int) -> None:
        if post_id in self._sigs:
            self._lsh.remove(post_id)
            del self._sigs[post_id]
            cluster = self._cluster.pop(post_id)
            self._members[cluster].discard(post_id)
            if not self._members[cluster]:
                del self._members[cluster]

    def near_clusters(self, post_id: int, sig: bytes) -> list[int]:
        """Clusters of the indexed posts near this signature (other than post_id), oldest first."""
        others = [o for o in self._lsh.query(minhash(sig)) if o != post_id]
        if not others:
            return []
        # A big family of reposts gives many candidates: compare them all in one numpy pass,
        # but only up to MAX_CANDIDATES of them (any member of a cluster leads to it).
        others = sorted(others)[:MAX_CANDIDATES]
        matrix = np.frombuffer(b"".join(self._sigs[o] for o in others), dtype="<u4")
        sims = (matrix.reshape(len(others), NUM_PERM) == np.frombuffer(sig, dtype="<u4")).mean(axis=1)
        return sorted({self._cluster[o] for o, sim in zip(others, sims) if sim >= THRESHOLD})

    def merge(self, into: int, clusters: Iterable[int]) -> list[int]:
        """Move every member of `clusters` into cluster `into`; returns the posts moved."""
        moved: list[int] = []
        for cluster in clusters:
            if cluster == into:
                continue
            members = self._members.pop(cluster, set())
            for post_id in members:
                self._cluster[post_id] = into
            self._members.setdefault(into, set()).update(members)
            moved.extend(sorted(members))
        return moved

    def load(self, rows: Iterable[tuple[int, bytes | None, int | None, int | None]]) -> None:
        """Apply stored (post_id, signature, cluster, revision) rows: a missing cluster is the
        post's own, a missing signature (empty text) takes the post out."""
        for post_id, sig, cluster, rev in rows:
            if sig is None:
                self.remove(post_id)
            else:
                self.add(post_id, bytes(sig), cluster if cluster is not None else post_id)
            self.rev = max(self.rev, rev or 0)
