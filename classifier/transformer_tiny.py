"""A tiny randomly initialised BERT saved as a local "base model" directory.

No model hub is reachable here, so tests and the benchmark build their own base model: a
WordPiece vocabulary from the folded words and characters of the given texts, a BERT of a
few thousand parameters, saved with its tokenizer exactly as a downloaded model would be.
It learns nothing useful from a few steps; it exercises the real fine-tune/save/load code.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from classifier.text import fold, normalize

__all__ = ["SPECIAL_TOKENS", "tiny_vocab", "build_tiny_bert"]

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
# BERT's pre-tokeniser splits on whitespace and on each punctuation character.
_WORDS = re.compile(r"\w+|[^\w\s]")


def tiny_vocab(texts: Iterable[str], max_words: int = 2000) -> list[str]:
    """Special tokens, every folded character (alone and as a "##" continuation), then the most
    frequent folded words. "đ" is kept as well: BERT's accent stripping does not fold it."""
    words: Counter[str] = Counter()
    chars: set[str] = {"đ"}
    for text in texts:
        folded = fold(normalize(text))
        words.update(_WORDS.findall(folded))
        chars.update(c for c in folded if not c.isspace())
    vocab = list(SPECIAL_TOKENS)
    vocab += sorted(chars)
    vocab += sorted(f"##{c}" for c in chars)
    seen = set(vocab)
    for word, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(vocab) >= len(SPECIAL_TOKENS) + 2 * len(chars) + max_words:
            break
        if len(word) > 1 and word not in seen:
            vocab.append(word)
            seen.add(word)
    return vocab


def build_tiny_bert(
    texts: Iterable[str],
    out_dir: Path,
    *,
    hidden_size: int = 32,
    layers: int = 2,
    heads: int = 2,
    max_positions: int = 512,
    seed: int = 0,
) -> Path:
    """Write vocab.txt, a random BertModel and its fast tokenizer into `out_dir`."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab_file = out_dir / "vocab.txt"
    vocab_file.write_text("\n".join(tiny_vocab(texts)) + "\n", encoding="utf-8")
    # from_pretrained reads vocab.txt the same way under transformers 4 and 5 (whose
    # constructors differ: vocab_file= vs vocab=).
    tokenizer = BertTokenizerFast.from_pretrained(
        str(out_dir), local_files_only=True, do_lower_case=True, strip_accents=True,
        model_max_length=max_positions,
    )
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=2 * hidden_size,
        max_position_embeddings=max_positions,
    )
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    return out_dir
