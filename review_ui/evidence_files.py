"""Read a snapshot from the content-addressed evidence store (read only, never rewritten).

Layout: <evidence_dir>/<sha[0:2]>/<sha[2:4]>/<sha>.gz (+ <sha>.json sidecar with headers).
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

SHA256_RE = re.compile(r"[0-9a-f]{64}")
CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
# A hostile page can be a gzip bomb: never inflate more than this into memory.
MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024


class SnapshotTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Snapshot:
    body: bytes
    charset: str


def is_sha256(value: str) -> bool:
    """Exactly 64 lowercase hex chars: the only names that may reach the filesystem."""
    return SHA256_RE.fullmatch(value) is not None


def snapshot_paths(evidence_dir: Path, sha: str) -> tuple[Path, Path]:
    folder = Path(evidence_dir) / sha[0:2] / sha[2:4]
    return folder / f"{sha}.gz", folder / f"{sha}.json"


def charset_from_headers(headers: object) -> str:
    """Charset of the Content-Type header in a sidecar's headers (any key case, str or list)."""
    if not isinstance(headers, dict):
        return "utf-8"
    for name, value in headers.items():
        if str(name).lower() != "content-type":
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            match = CHARSET_RE.search(str(item))
            if match:
                label = match.group(1).lower()
                try:
                    codecs.lookup(label)  # a known charset; keep the page's own label for browsers
                except LookupError:
                    return "utf-8"
                return label
    return "utf-8"


def has_snapshot(evidence_dir: Path, sha: str) -> bool:
    """Whether a snapshot is stored: the post page frames only what exists (a missing one would
    frame the app's own 404 page, header and all)."""
    return is_sha256(sha) and snapshot_paths(evidence_dir, sha)[0].is_file()


def read_snapshot(evidence_dir: Path, sha: str) -> Snapshot | None:
    """The decompressed body and its charset; None when absent or unreadable."""
    if not is_sha256(sha):
        return None
    gz_path, meta_path = snapshot_paths(evidence_dir, sha)
    try:
        with gzip.open(gz_path, "rb") as handle:
            body = handle.read(MAX_SNAPSHOT_BYTES + 1)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, zlib.error):  # corrupt file: report as missing, not a 500
        return None
    if len(body) > MAX_SNAPSHOT_BYTES:
        raise SnapshotTooLarge(sha)
    charset = "utf-8"
    try:
        charset = charset_from_headers(json.loads(meta_path.read_text("utf-8")).get("headers"))
    except (OSError, ValueError, AttributeError):
        pass  # no or broken sidecar: utf-8
    return Snapshot(body=body, charset=charset)


@dataclass(frozen=True)
class SnapshotCheck:
    """The stored snapshot of a post against its sha256: "ok", "mismatch" (the file on disk was
    changed), "missing", "unreadable" (corrupt gzip) or "too_large" (not hashed past the cap)."""

    state: str
    actual_sha256: str | None  # the hash of what is on disk now, when it could be read
    meta: dict  # the sidecar (url, fetched_at, http_status, headers), {} when absent or broken


CHECK_CHUNK = 1 << 20


def check_snapshot(evidence_dir: Path, sha: str) -> SnapshotCheck:
    """Hash the stored body again (streamed, at most MAX_SNAPSHOT_BYTES) and read its sidecar."""
    if not is_sha256(sha):
        return SnapshotCheck("missing", None, {})
    gz_path, meta_path = snapshot_paths(evidence_dir, sha)
    meta: dict = {}
    try:
        loaded = json.loads(meta_path.read_text("utf-8"))
        meta = loaded if isinstance(loaded, dict) else {}
    except (OSError, ValueError):
        pass
    digest, size = hashlib.sha256(), 0
    try:
        with gzip.open(gz_path, "rb") as handle:
            while chunk := handle.read(CHECK_CHUNK):
                size += len(chunk)
                if size > MAX_SNAPSHOT_BYTES:
                    return SnapshotCheck("too_large", None, meta)
                digest.update(chunk)
    except FileNotFoundError:
        return SnapshotCheck("missing", None, meta)
    except (OSError, EOFError, zlib.error):
        return SnapshotCheck("unreadable", None, meta)
    actual = digest.hexdigest()
    # The sidecar names the hash it was written for: a changed sidecar is a changed snapshot too.
    named = meta.get("sha256", sha)
    return SnapshotCheck("ok" if actual == sha and named == sha else "mismatch", actual, meta)


FETCH_HEADERS = ("content-type", "content-length", "last-modified", "etag", "server", "date")


def fetch_headers(meta: dict) -> list[tuple[str, str]]:
    """The sidecar's response headers worth showing, by name in FETCH_HEADERS order."""
    headers = meta.get("headers")
    if not isinstance(headers, dict):
        return []
    lower: dict[str, str] = {}
    for name, value in headers.items():
        values = value if isinstance(value, list) else [value]
        lower[str(name).lower()] = ", ".join(str(v) for v in values)[:300]
    return [(name, lower[name]) for name in FETCH_HEADERS if name in lower]
