"""Transformer backend: fine-tune a local Hugging Face model directory and assess with it.

    model_dir = fine_tune(rows, Path("models/phobert-base"), Path("models/tf"), epochs=3, ...)
    assessor = load_transformer_assessor(model_dir)
    assessor.assess(["Tuyển gấp ..."])  # same Assessment objects as the default model

Only local directories are read (`local_files_only=True` everywhere): no model hub is ever
contacted, so a missing directory fails at once with a clear error instead of a download.
The score is the transformer's softmax probability of the "lure" class (`TransformerScorer`,
registered as backend "transformer" in classifier.backends, so `load_assessor` picks it from
card.json); signals, entities, categories, minor_risk and priority are built by
classifier.assess.Assessor, the same code as for the default model.
torch and transformers are imported inside functions: `import classifier` never needs them
(they are the optional extra `lurewatch[transformer]`).

Threshold: the training rows are split (stratified, seeded) into a fine-tuning part and a
held-out part (`holdout_fraction`, default 20%). The model is fine-tuned on the first part
only; the threshold is the lowest one reaching precision 0.90 on the held-out part (highest
recall at that precision), else the best-F1 one; held-out metrics go into card.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from classifier.assess import Assessor, ModelNotFoundError
from classifier.backends import ScoringBackend, register
from classifier.transformer_data import (
    TARGET_PRECISION,
    choose_threshold,
    holdout_metrics,
    holdout_split,
    labelled_rows,
    model_input,
)

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = [
    "BACKEND",
    "FineTuned",
    "NotATransformerModelError",
    "TransformerScorer",
    "TransformerAssessor",
    "fine_tune",
    "train_transformer",
    "save_transformer",
    "load_transformer_assessor",
]

BACKEND = "transformer"  # card.json "backend": tells a transformer model dir from a default one
LABEL2ID = {"legit": 0, "lure": 1}
INSTALL_HINT = "install the optional extra: pip install 'lurewatch[transformer]'"


class NotATransformerModelError(ModelNotFoundError):
    """The directory exists but holds no lurewatch transformer model (config.json + card.json)."""


def _torch_and_transformers() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as exc:  # the default install has neither
        raise ImportError(f"the transformer backend needs torch and transformers: {INSTALL_HINT}") from exc
    return torch, transformers


@register(BACKEND)
class TransformerScorer(ScoringBackend):
    """Scores with a sequence classifier: softmax probability of the "lure" class."""

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        *,
        max_length: int,
        batch_size: int = 32,
    ) -> None:
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.lure_index = int(model.config.label2id.get("lure", 1))

    def predict_proba(self, texts: Sequence[str], hits: Sequence[Sequence[Any]] | None = None) -> np.ndarray:
        """One probability per text, in the given order (the signal hits are not used)."""
        torch, _ = _torch_and_transformers()
        inputs = [model_input(t) for t in texts]
        out = np.zeros(len(inputs))
        # Batches of similar length waste less compute on padding; order is restored below.
        order = sorted(range(len(inputs)), key=lambda i: len(inputs[i]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = self.tokenizer(
                    [inputs[i] for i in idx], padding=True, truncation=True,
                    max_length=self.max_length, return_tensors="pt",
                )
                logits = self.model(**enc).logits
                out[idx] = torch.softmax(logits.float(), dim=-1)[:, self.lure_index].numpy()
        return out

    @classmethod
    def load(cls, model_dir: Path, batch_size: int = 32) -> "TransformerScorer":
        card = read_transformer_card(model_dir)
        _, transformers = _torch_and_transformers()
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        model = transformers.AutoModelForSequenceClassification.from_pretrained(
            str(model_dir), local_files_only=True
        )
        return cls(model, tokenizer, max_length=int(card["max_length"]), batch_size=batch_size)


class TransformerAssessor(Assessor):
    """classifier.assess.Assessor scored by a transformer: the evidence (signals, entities,
    categories, minor_risk, priority) is built by the very same code as for the default model."""

    def __init__(self, scorer: TransformerScorer, threshold: float, model_version: str) -> None:
        super().__init__(scorer, threshold, model_version)
        self.scorer = scorer

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Only the transformer's lure probabilities (no evidence)."""
        return self.scorer.predict_proba(list(texts))


@dataclass
class FineTuned:
    """A fine-tuned model in memory with its card (everything but the save)."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    card: dict[str, Any]

    def assessor(self, batch_size: int = 32) -> TransformerAssessor:
        scorer = TransformerScorer(
            self.model, self.tokenizer, max_length=int(self.card["max_length"]), batch_size=batch_size
        )
        return TransformerAssessor(scorer, float(self.card["threshold"]), str(self.card["version"]))


def _require_dir(path: Path, what: str) -> None:
    if not path.is_dir():
        raise ModelNotFoundError(f"{what} directory not found: {path} (only local directories are read)")
    if not (path / "config.json").is_file():
        raise NotATransformerModelError(
            f"{path} is not a Hugging Face model directory (no config.json); {what} must be a "
            f"local directory saved with save_pretrained (weights, config.json, tokenizer files)"
        )


def train_transformer(
    train_rows: Iterable[Mapping[str, object] | Sequence[object]],
    base_model_dir: Path,
    *,
    epochs: int = 3,
    batch_size: int = 16,
    lr: float = 5e-5,
    max_length: int = 256,
    seed: int = 13,
    holdout_fraction: float = 0.2,
    target_precision: float = TARGET_PRECISION,
) -> FineTuned:
    """Fine-tune on the non-held-out rows (CPU, seeded), choose the threshold on held-out rows."""
    torch, transformers = _torch_and_transformers()
    base_model_dir = Path(base_model_dir)
    _require_dir(base_model_dir, "base model")
    data = labelled_rows(train_rows)
    train_idx, held_idx = holdout_split(data.y, holdout_fraction, seed)

    transformers.set_seed(seed)  # python, numpy and torch RNGs: head init, dropout
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base_model_dir), local_files_only=True)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        str(base_model_dir),
        local_files_only=True,
        num_labels=2,
        id2label={i: label for label, i in LABEL2ID.items()},
        label2id=LABEL2ID,
        ignore_mismatched_sizes=True,  # a base with another head gets a fresh 2-class head
    )
    model.to("cpu")
    inputs = [model_input(data.texts[i]) for i in train_idx]
    labels = torch.tensor(data.y[train_idx], dtype=torch.long)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(seed)
    epoch_loss: list[float] = []
    model.train()
    for _ in range(epochs):
        total, seen = 0.0, 0
        for batch in torch.randperm(len(inputs), generator=shuffle).split(batch_size):
            enc = tokenizer(
                [inputs[i] for i in batch.tolist()], padding=True, truncation=True,
                max_length=max_length, return_tensors="pt",
            )
            loss = model(**enc, labels=labels[batch]).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
            seen += len(batch)
        epoch_loss.append(round(total / max(seen, 1), 6))
    model.eval()

    today = datetime.now(timezone.utc).strftime("%Y%m%d")
    card: dict[str, Any] = {
        "backend": BACKEND,
        "version": f"tf-{today}-{data.data_hash[:8]}",
        "base_model": base_model_dir.resolve().name,
        "base_model_type": model.config.model_type,
        "data_hash": data.data_hash,
        "rows": int(len(data.y)),
        "positives": int(data.y.sum()),
        "skipped": data.skipped,
        "fine_tune_rows": int(len(train_idx)),
        "holdout_rows": int(len(held_idx)),
        "max_length": max_length,
        "training": {
            "epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed,
            "holdout_fraction": holdout_fraction, "epoch_loss": epoch_loss,
        },
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }
    fitted = FineTuned(model, tokenizer, card | {"threshold": 0.5})
    held_proba = fitted.assessor().scores([data.texts[i] for i in held_idx])
    held_y = data.y[held_idx]
    threshold, method = choose_threshold(held_proba, held_y, target_precision)
    card["threshold"] = round(threshold, 6)
    card["threshold_method"] = method
    card["holdout_metrics"] = holdout_metrics(held_proba, held_y, card["threshold"])
    card["trained_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    fitted.card = card
    return fitted


def save_transformer(fitted: FineTuned, out_dir: Path) -> Path:
    """Write weights, config, tokenizer, then card.json last (a dir with a card is complete)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fitted.model.save_pretrained(str(out_dir))
    fitted.tokenizer.save_pretrained(str(out_dir))
    card_path = out_dir / "card.json"
    tmp = card_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(fitted.card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(card_path)
    return out_dir


def fine_tune(
    train_rows: Iterable[Mapping[str, object] | Sequence[object]],
    base_model_dir: Path,
    out_dir: Path,
    *,
    epochs: int = 3,
    batch_size: int = 16,
    lr: float = 5e-5,
    max_length: int = 256,
    seed: int = 13,
    holdout_fraction: float = 0.2,
) -> Path:
    """Fine-tune `base_model_dir` for lure/legit and save it with its card into `out_dir`."""
    fitted = train_transformer(
        train_rows, base_model_dir, epochs=epochs, batch_size=batch_size, lr=lr,
        max_length=max_length, seed=seed, holdout_fraction=holdout_fraction,
    )
    return save_transformer(fitted, out_dir)


def read_transformer_card(model_dir: Path) -> dict[str, Any]:
    """card.json of a lurewatch transformer model dir, or a clear error saying what is wrong."""
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ModelNotFoundError(f"transformer model directory not found: {model_dir} (only local directories are read)")
    card_path = model_dir / "card.json"
    if not card_path.is_file():
        raise NotATransformerModelError(
            f"{model_dir} has no card.json: it is not a lurewatch transformer model "
            f"(a base model must be fine-tuned first with classifier.transformer_backend.fine_tune)"
        )
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if card.get("backend") != BACKEND:
        raise NotATransformerModelError(
            f"{card_path} is not a transformer model card (backend={card.get('backend')!r}, "
            f"version={card.get('version')!r}); load the default model with classifier.assess.load_assessor"
        )
    _require_dir(model_dir, "transformer model")
    return card


def load_transformer_assessor(
    model_dir: Path, *, threshold: float | None = None, batch_size: int = 32
) -> TransformerAssessor:
    """Load a model written by `fine_tune` from a local directory (never from a hub).

    Same result as `classifier.assess.load_assessor` with `model_dir` set (the card names the
    "transformer" backend), plus the batch size and the `scores` helper."""
    card = read_transformer_card(model_dir)
    scorer = TransformerScorer.load(Path(model_dir), batch_size=batch_size)
    return TransformerAssessor(
        scorer, float(card["threshold"]) if threshold is None else threshold, str(card["version"])
    )
