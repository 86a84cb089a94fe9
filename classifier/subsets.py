"""The figures a source-grouped evaluation reports, for any scorer (ours or the baseline).

Subsets of the real rows, as in issue 9's hidden-set table:
- A: lures vs FORMAL legitimate texts (dev_legit*: full job ads, listing rows, ordinary social
  posts and SMS);
- B: lures vs INFORMAL legitimate posts (dev_informal_legit*: job-group posts, classified ads,
  licensed export-labour notices, news of real hiring) — the hardest negatives; recall at <= 2%
  false flags on B is the headline;
- all: lures vs every legitimate row.
For each: average precision (AP) and recall at <= 2% false flags. Lures are also split by
category and into verbatim texts vs journalists' paraphrases (the row's `notes` says
"paraphrase"), each counted as caught at B's 2% bar, and with AP against B's legitimate rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import average_precision_score

from classifier.metrics import MAX_FALSE_FLAG_RATE, recall_at_false_flag_rate, score_bar_at_false_flag_rate

__all__ = ["FORMAL_KINDS", "INFORMAL_KINDS", "legit_kind", "is_paraphrase", "subset_figures", "SUBSETS", "table_lines", "mean_figures"]

FORMAL_KINDS = frozenset({"job-ad", "job-ad-title", "social-post", "sms-ham"})
INFORMAL_KINDS = frozenset({"informal-job-post", "classified-job-ad", "licensed-xkld-ad", "other-legit-post"})
SUBSETS = ("A", "B", "all")


def legit_kind(category: str, file_name: str = "") -> str:
    """"formal" or "informal" for a legitimate row: by its category, else by its file name."""
    if category in INFORMAL_KINDS or "informal" in file_name:
        return "informal"
    return "formal"


def is_paraphrase(notes: str) -> bool:
    return "paraphrase" in notes.lower()


def _ap(scores: np.ndarray, y: np.ndarray) -> float:
    return float(average_precision_score(y, scores)) if 0 < y.sum() < len(y) else 0.0


def subset_figures(
    scores: np.ndarray, y: np.ndarray, categories: Sequence[str], notes: Sequence[str],
    files: Sequence[str] = (), rate: float = MAX_FALSE_FLAG_RATE,
) -> dict:
    """AP and recall at <= `rate` false flags for A, B and all; per category and verbatim vs
    paraphrase at B's bar. Pure: the same figures for our scores and the baseline's."""
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(y)
    files = list(files) or [""] * len(y)
    lure = y == 1
    informal = np.array([label == 0 and legit_kind(c, f) == "informal" for label, c, f in zip(y, categories, files)])
    negatives = {"A": (y == 0) & ~informal, "B": informal, "all": y == 0}
    out: dict = {"rows": int(len(y)), "lures": int(lure.sum())}
    for name, neg in negatives.items():
        sel = lure | neg
        out[name] = {"legit": int(neg.sum()), "ap": round(_ap(scores[sel], y[sel]), 4),
                     "recall_at_2pct": round(recall_at_false_flag_rate(scores[sel], y[sel], rate), 4)}
    b_sel = lure | informal
    bar = score_bar_at_false_flag_rate(scores[b_sel], y[b_sel], rate) if informal.any() else float("-inf")
    caught = scores > bar
    para = np.array([is_paraphrase(n) for n in notes])
    out["by_style"] = {}
    for style, mask in (("verbatim", lure & ~para), ("paraphrase", lure & para)):
        sel = mask | informal
        out["by_style"][style] = {"lures": int(mask.sum()), "caught_at_B_bar": int(caught[mask].sum()),
                                  "ap_vs_B": round(_ap(scores[sel], y[sel]), 4)}
    cats = np.array(list(categories), dtype=object)
    out["by_category"] = {
        str(c): {"lures": int((lure & (cats == c)).sum()), "caught_at_B_bar": int(caught[lure & (cats == c)].sum())}
        for c in sorted({c for c, is_lure in zip(categories, lure) if is_lure})
    }
    return out


def _count(value: float) -> str:
    return f"{round(value, 1):g}"


def table_lines(ours: dict, baseline: dict, title: str = "") -> list[str]:
    """Markdown rows: every figure of `ours` beside the baseline's (classifier.baseline)."""
    lines = [f"**{title}**", ""] if title else []
    lines += ["| figure | ours | baseline |", "|---|---|---|"]
    for name in SUBSETS:
        o, b = ours[name], baseline[name]
        label = {"A": "A: lures vs formal legit", "B": "B: lures vs informal legit", "all": "all rows"}[name]
        lines.append(f"| {label} ({ours['lures']} lures, {o['legit']} legit), AP | {o['ap']:.3f} | {b['ap']:.3f} |")
        lines.append(f"| {label}, recall at <= 2% false flags | {o['recall_at_2pct']:.3f} | {b['recall_at_2pct']:.3f} |")
    for style, o in ours["by_style"].items():
        b = baseline["by_style"][style]
        lines.append(f"| {style} lures caught at B's bar | {_count(o['caught_at_B_bar'])}/{o['lures']} | "
                     f"{_count(b['caught_at_B_bar'])}/{b['lures']} |")
        lines.append(f"| {style} lures vs informal legit, AP | {o['ap_vs_B']:.3f} | {b['ap_vs_B']:.3f} |")
    for cat, o in ours["by_category"].items():
        b = baseline["by_category"][cat]
        lines.append(f"| {cat} caught at B's bar | {_count(o['caught_at_B_bar'])}/{o['lures']} | "
                     f"{_count(b['caught_at_B_bar'])}/{b['lures']} |")
    return lines


def mean_figures(runs: Sequence[dict]) -> dict:
    """The mean of several `subset_figures` (e.g. the same CV under different fold seeds):
    APs and recalls averaged, caught counts averaged (so they may be fractional)."""

    def avg(values: list) -> float:
        return round(float(np.mean(values)), 4)

    first = runs[0]
    out: dict = {"rows": first["rows"], "lures": first["lures"], "runs": len(runs)}
    for name in SUBSETS:
        out[name] = {"legit": first[name]["legit"], "ap": avg([r[name]["ap"] for r in runs]),
                     "recall_at_2pct": avg([r[name]["recall_at_2pct"] for r in runs])}
    for key in ("by_style", "by_category"):
        out[key] = {
            name: {field: (avg([r[key][name][field] for r in runs]) if field != "lures" else value)
                   for field, value in entry.items()}
            for name, entry in first[key].items()
        }
    return out
