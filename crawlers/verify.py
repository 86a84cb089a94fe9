"""Re-hash stored evidence: every content-addressed body (<sha>.gz must inflate to bytes whose
sha256 is its name) and every WARC record (its sha256 block and payload digests). Names every
file that no longer matches. File reading only: no crawl, no store."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crawlers.evidence_store import evidence_paths
from crawlers.warc import WARC_DIR, sha256_hex

BODY_SUFFIX = ".gz"


@dataclass
class Report:
    bodies: int = 0
    warc_files: int = 0
    warc_records: int = 0
    problems: list[str] = field(default_factory=list)  # "<file>: what is wrong"
    payloads: set[str] = field(default_factory=set)  # sha256 of the WARC payloads read

    @property
    def ok(self) -> bool:
        return not self.problems


def body_files(evidence_dir: Path) -> Iterable[Path]:
    for path in sorted(evidence_dir.glob("??/??/*" + BODY_SUFFIX)):
        if len(path.name) == 64 + len(BODY_SUFFIX):
            yield path


def body_path(evidence_dir: Path, sha256: str) -> Path:
    return evidence_paths(evidence_dir, sha256)[0]


def verify_body(path: Path, report: Report) -> None:
    report.bodies += 1
    expected = path.name[: -len(BODY_SUFFIX)]
    try:
        actual = hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()
    except (OSError, EOFError, zlib.error) as exc:
        report.problems.append(f"{path}: unreadable ({type(exc).__name__}: {exc})")
        return
    if actual != expected:
        report.problems.append(f"{path}: body sha256 is {actual}, not its name")


def warc_files(evidence_dir: Path, source: str | None = None) -> list[Path]:
    root = evidence_dir / WARC_DIR
    return sorted((root / source if source else root).glob("**/*.warc.gz"))


def verify_warc(path: Path, report: Report) -> None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    report.warc_files += 1
    offset = 0
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh, check_digests=True)
            for record in records:
                offset = records.get_record_offset()
                stream = record.content_stream()
                while stream.read(1 << 20):
                    pass
                report.warc_records += 1
                checker = record.digest_checker
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if checker.passed is False:
                    report.problems.append(f"{path}: record at offset {offset} ({uri}): {'; '.join(checker.problems)}")
                elif record.rec_type in ("response", "conversion") and checker.passed is None:
                    report.problems.append(f"{path}: record at offset {offset} ({uri}) carries no digest")
                payload = sha256_hex(record.rec_headers.get_header("WARC-Payload-Digest"))
                if payload:
                    report.payloads.add(payload)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        report.problems.append(f"{path}: unreadable after offset {offset} ({type(exc).__name__}: {' '.join(str(exc).split())})")


def verify(evidence_dir: Path, *, source: str | None = None, bodies: Iterable[str] | None = None) -> Report:
    """All bodies and WARC files, or (source given) that source's WARC files and the bodies named
    by `bodies` (its posts' sha256) and by its WARC payloads."""
    report = Report()
    for path in warc_files(evidence_dir, source):
        verify_warc(path, report)
    if source is None:
        for path in body_files(evidence_dir):
            verify_body(path, report)
        return report
    for sha in sorted(set(bodies or ()) | report.payloads):
        path = body_path(evidence_dir, sha)
        if path.exists():
            verify_body(path, report)
        elif sha in set(bodies or ()):
            report.problems.append(f"{path}: missing (a stored post names it)")
    return report
