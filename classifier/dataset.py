"""Training rows: JSONL files in the format of ../shared/data, plus exported review decisions.

One JSON object per line:

    {"text": str, "label": "lure" | "legit", "title": str (optional),
     "category": str (optional, lure taxonomy or a legit kind), "synthetic": bool (optional),
     "source": str (optional: URL, "github:owner/repo/...", dataset name), "notes": str (optional)}

- `title`, when present and non-empty, is prepended as `title + "\\n" + text`: the exact string
  ingest hands to `assess`.
- Review decisions exported from the store use the same shape; `"not_lure"` is read as
  `"legit"`. Other labels (e.g. `"escalate"`) and rows without text are skipped and counted.
- A line that is not valid JSON, or not an object, is an error naming the file and the line.
- Rows marked `"synthetic": true` (and every row of a file whose name contains "synthetic")
  are synthetic: training folds only, never scored in reported metrics.
- `source` decides the cross-validation group (classifier.grouping.source_key) and `notes`
  whether a lure is a journalist's paraphrase; the file name is kept to tell formal from
  informal legitimate rows (classifier.subsets).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifier.errors import DataFormatError

__all__ = ["LABELS", "Dataset", "load_rows", "load_dataset", "SYNTHETIC_DIR", "load_synthetic"]

LABELS = {"lure": 1, "legit": 0, "not_lure": 0}
# Synthetic rows shipped with the package (written for lurewatch, marked "synthetic": true).
SYNTHETIC_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    y: np.ndarray
    categories: list[str]
    synthetic: np.ndarray  # bool per row
    data_hash: str
    files: list[str]
    skipped: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)  # per row ("" when the row has none)
    notes: list[str] = field(default_factory=list)  # per row
    row_files: list[str] = field(default_factory=list)  # per row: the file name it came from

    def __post_init__(self) -> None:
        for name in ("sources", "notes", "row_files"):
            if not getattr(self, name):
                object.__setattr__(self, name, [""] * len(self.texts))

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, mask: np.ndarray) -> "Dataset":
        idx = np.flatnonzero(mask)

        def pick(values: list) -> list:
            return [values[i] for i in idx]

        return Dataset(pick(self.texts), self.y[idx], pick(self.categories), self.synthetic[idx],
                       self.data_hash, self.files, self.skipped, pick(self.sources), pick(self.notes),
                       pick(self.row_files))

    @property
    def real(self) -> "Dataset":
        return self.subset(~self.synthetic)


def _jsonl_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                raise DataFormatError(f"no *.jsonl files in {path}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise DataFormatError(f"data path not found: {path}")
    return files


def load_rows(paths: Sequence[Path]) -> Dataset:
    """Read every *.jsonl in the given directories (or the given files)."""
    texts: list[str] = []
    labels: list[int] = []
    cats: list[str] = []
    synth: list[bool] = []
    sources: list[str] = []
    notes: list[str] = []
    row_files: list[str] = []
    skipped: Counter[str] = Counter()
    digest = hashlib.sha256()
    files = _jsonl_files(paths)
    for path in files:
        file_synthetic = "synthetic" in path.name
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise DataFormatError(f"{path}:{lineno}: expected a JSON object")
            label = LABELS.get(str(row.get("label")))
            text = row.get("text")
            if label is None:
                skipped[f"{path.name}/label_not_lure_or_legit"] += 1
                continue
            if not isinstance(text, str) or not text.strip():
                skipped[f"{path.name}/no_text"] += 1
                continue
            title = row.get("title")
            if isinstance(title, str) and title.strip():
                text = f"{title}\n{text}"
            texts.append(text)
            labels.append(label)
            cats.append(str(row.get("category") or ""))
            synth.append(bool(row.get("synthetic")) or file_synthetic)
            sources.append(str(row.get("source") or ""))
            notes.append(str(row.get("notes") or ""))
            row_files.append(path.name)
            digest.update(f"{label}\t{int(synth[-1])}\t{text}\n".encode())
    if not texts:
        raise DataFormatError(f"no usable rows (label lure/legit with text) in {', '.join(map(str, files))}")
    return Dataset(texts, np.array(labels, dtype=int), cats, np.array(synth, dtype=bool),
                   digest.hexdigest(), [str(f) for f in files], dict(skipped), sources, notes, row_files)


def load_dataset(data_dir: Path) -> Dataset:
    """One directory of rows (kept for callers of the first API)."""
    return load_rows([data_dir])


def load_synthetic() -> Dataset:
    """The synthetic lures and hard negatives shipped in classifier/data/."""
    return load_rows([SYNTHETIC_DIR])


def concat(a: Dataset, b: Dataset) -> Dataset:
    digest = hashlib.sha256(f"{a.data_hash}+{b.data_hash}".encode()).hexdigest()
    return Dataset(a.texts + b.texts, np.concatenate([a.y, b.y]), a.categories + b.categories,
                   np.concatenate([a.synthetic, b.synthetic]), digest, a.files + b.files,
                   {**a.skipped, **b.skipped}, a.sources + b.sources, a.notes + b.notes,
                   a.row_files + b.row_files)
