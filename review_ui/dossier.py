"""A case's dossier as one zip archive, for a prosecutor or a court:

    lurewatch-case-<id>/
      dossier.pdf              the case in Vietnamese (review_ui.dossier_pdf)
      case.json                the same facts, complete, for machines
      snapshots/<sha>.gz       each post's raw page, byte for byte as the evidence store keeps it
      snapshots/<sha>.json     its fetch metadata (URL, time, HTTP headers)
      snapshots/<sha2>.gz      for a page rendered in Chromium, the DOM it built (named in <sha>.json)
      README.txt               what is where and how to verify it (vi + en)
      MANIFEST.sha256          sha256 of every other file (`sha256sum -c MANIFEST.sha256`)

A snapshot is filed under the sha256 of the page it holds (gunzip it and hash it: the name
comes back); each post records that hash and whether the stored file still matched it at export.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from index.rows import CaseDossier, PostView

from .dossier_pdf import render_dossier_pdf
from .evidence_files import check_snapshot, is_sha256, snapshot_paths
from .rendering import DISPLAY_TZ

FORMAT = "lurewatch-dossier/1"
COPY_BLOCK = 1 << 20

README = """Hồ sơ vụ việc #{case_id} — xuất bởi lurewatch lúc {when} ({user})

dossier.pdf          Hồ sơ (tiếng Việt): các tin, dấu hiệu, thông tin liên hệ, quyết định xét duyệt, mã băm.
case.json            Toàn bộ dữ liệu của hồ sơ, dạng JSON.
snapshots/<sha>.gz   Bản lưu nguyên trạng của trang gốc (gzip); giải nén rồi băm SHA-256 sẽ ra đúng <sha>.
snapshots/<sha>.json Thông tin lúc tải trang (URL, thời điểm, HTTP headers).
MANIFEST.sha256      Mã SHA-256 của mọi tệp khác. Kiểm tra: sha256sum -c MANIFEST.sha256

Case #{case_id} dossier — exported by lurewatch at {when} ({user})

dossier.pdf          The case (in Vietnamese): posts, evidence spans, contacts, review decisions, hashes.
case.json            Every fact of the dossier, as JSON.
snapshots/<sha>.gz   The original page as fetched (gzip); gunzip it and its SHA-256 is <sha>.
snapshots/<sha>.json Fetch metadata (URL, time, HTTP headers).
MANIFEST.sha256      SHA-256 of every other file. Verify: sha256sum -c MANIFEST.sha256
"""


@dataclass(frozen=True)
class DossierSummary:
    folder: str
    files: list[tuple[str, str, int]]  # (path inside the folder, sha256, bytes), MANIFEST excluded
    snapshot_checks: dict[str, str]  # raw sha256 -> evidence_files check result


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class _Archive:
    """A zip being written, remembering each file's sha256 for the manifest."""

    def __init__(self, out: IO[bytes], folder: str, when: datetime) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.folder = folder
        self.date_time = when.astimezone(DISPLAY_TZ).timetuple()[:6]
        self.files: list[tuple[str, str, int]] = []

    def _info(self, path: str, stored: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.folder}/{path}", date_time=self.date_time)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info

    def add_bytes(self, path: str, data: bytes) -> str:
        self.zip.writestr(self._info(path, stored=False), data)
        sha = hashlib.sha256(data).hexdigest()
        self.files.append((path, sha, len(data)))
        return sha

    def add_file(self, path: str, source: Path, stored: bool) -> str:
        """Copy a file in blocks (snapshots can be large), hashing what is written."""
        digest, size = hashlib.sha256(), 0
        with source.open("rb") as src, self.zip.open(self._info(path, stored), "w", force_zip64=True) as dst:
            while block := src.read(COPY_BLOCK):
                digest.update(block)
                dst.write(block)
                size += len(block)
        self.files.append((path, digest.hexdigest(), size))
        return digest.hexdigest()

    def finish(self) -> list[tuple[str, str, int]]:
        """Write MANIFEST.sha256 (every file so far) and close; returns the files it lists."""
        manifest = "".join(f"{sha}  {path}\n" for path, sha, _ in self.files)
        self.zip.writestr(self._info("MANIFEST.sha256", stored=False), manifest.encode("utf-8"))
        self.zip.close()
        return list(self.files)


def write_dossier(out: IO[bytes], dossier: CaseDossier, evidence_dir: Path, exported_by: str,
                  exported_at: datetime) -> DossierSummary:
    """Write the archive of `dossier` to `out` (a binary file open for writing)."""
    case = dossier.case
    archive = _Archive(out, f"lurewatch-case-{case.id}", exported_at)
    checks: dict[str, str] = {}
    snapshot_files: dict[str, dict[str, str]] = {}
    for post in dossier.posts:
        sha = post.raw_sha256
        if sha in checks:
            continue
        checks[sha] = check_snapshot(evidence_dir, sha).state
        snapshot_files[sha] = _add_snapshot(archive, evidence_dir, sha)
        rendered = _rendered_sha(evidence_dir, sha)
        if rendered and rendered not in checks:  # the DOM Chromium built, for a rendered page
            checks[rendered] = check_snapshot(evidence_dir, rendered).state
            files = _add_snapshot(archive, evidence_dir, rendered)
            snapshot_files[sha].update({"rendered_sha256": rendered, "rendered_check": checks[rendered],
                                        **{f"rendered_{k}": v for k, v in files.items()}})

    document = case_json(dossier, checks, snapshot_files, exported_by, exported_at)
    archive.add_bytes("case.json", json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
    listed = [(path, sha) for path, sha, _ in archive.files]
    archive.add_bytes("dossier.pdf", render_dossier_pdf(dossier, checks, listed, exported_by, exported_at))
    when = exported_at.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M %Z")
    archive.add_bytes("README.txt", README.format(case_id=case.id, when=when, user=exported_by).encode("utf-8"))
    return DossierSummary(folder=archive.folder, files=archive.finish(), snapshot_checks=checks)


def _add_snapshot(archive: _Archive, evidence_dir: Path, sha: str) -> dict[str, str]:
    """The stored gz and its metadata file, as they are; {"gz": path, "metadata": path} of those found."""
    if not is_sha256(sha):
        return {}
    found = {}
    gz_path, meta_path = snapshot_paths(evidence_dir, sha)
    for kind, path, suffix, stored in (("gz", gz_path, "gz", True), ("metadata", meta_path, "json", False)):
        if path.is_file():
            found[kind] = f"snapshots/{sha}.{suffix}"
            archive.add_file(found[kind], path, stored=stored)
    return found


def _rendered_sha(evidence_dir: Path, sha: str) -> str | None:
    """The sha256 of the rendered DOM a snapshot's metadata names (crawlers.pipelines.evidence)."""
    if not is_sha256(sha):
        return None
    try:
        meta = json.loads(snapshot_paths(evidence_dir, sha)[1].read_text("utf-8"))
    except (OSError, ValueError):
        return None
    rendered = meta.get("rendered_sha256") if isinstance(meta, dict) else None
    return rendered if isinstance(rendered, str) and is_sha256(rendered) else None


def case_json(dossier: CaseDossier, checks: dict[str, str], snapshot_files: dict[str, dict[str, str]],
              exported_by: str, exported_at: datetime) -> dict[str, Any]:
    case = dossier.case
    return {
        "format": FORMAT,
        "exported_at": exported_at.isoformat(),
        "exported_by": exported_by,
        "case": {"id": case.id, "title": case.title, "status": case.status, "created_by": case.created_by,
                 "created_at": _iso(case.created_at), "updated_at": _iso(case.updated_at)},
        "notes": [{"at": _iso(n.created_at), "username": n.username, "text": n.text} for n in dossier.notes],
        "history": [{"at": _iso(e.at), "username": e.username, "action": e.action, "detail": e.detail}
                    for e in dossier.history],
        "posts": [_post_json(p, dossier.added.get(p.id), checks.get(p.raw_sha256, "missing"),
                             snapshot_files.get(p.raw_sha256, {})) for p in dossier.posts],
    }


def _post_json(post: PostView, added: tuple[str, datetime] | None, check: str, files: dict[str, str]) -> dict:
    return {
        "id": post.id, "source": post.source, "url": post.url, "canonical_url": post.canonical_url,
        "title": post.title, "text": post.text,
        "posted_at": _iso(post.posted_at), "fetched_at": _iso(post.fetched_at),
        "first_seen": _iso(post.first_seen), "last_seen": _iso(post.last_seen),
        "status": post.status, "score": post.score, "threshold": post.threshold, "is_lure": post.is_lure,
        "model_version": post.model_version, "categories": list(post.categories),
        "minor_risk": post.minor_risk, "minor_cues": [c.to_json() for c in post.minor_cues],
        "signals": [s.to_json() for s in post.signals],  # spans index title + "\n" + text
        "entities": [asdict(e) for e in post.entities],
        "reviews": [{"username": r.username, "decision": r.decision, "note": r.note, "at": _iso(r.created_at)}
                    for r in post.reviews],
        "content_sha256": post.content_hash,
        "snapshot": {"sha256": post.raw_sha256, "check": check, **files},
        "added_to_case": {"by": added[0], "at": _iso(added[1])} if added else None,
    }
