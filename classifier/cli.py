"""`lurewatch classifier train|evaluate|explain` — a typer sub-app the lead mounts.

Every error a user can cause (missing data directory, bad JSONL line, missing model) is a
ClassifierError turned into `typer.BadParameter`: one line, no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from classifier.errors import ClassifierError

__all__ = ["classifier_app", "mark_spans"]

classifier_app = typer.Typer(help="Train, evaluate and explain the lure classifier.", no_args_is_help=True)

DataOpt = Annotated[list[Path], typer.Option("--data", help="Directory (or file) of *.jsonl rows; repeatable.")]


def _bad(exc: ClassifierError, hint: str) -> typer.BadParameter:
    return typer.BadParameter(str(exc), param_hint=hint)


@classifier_app.command()
def train(
    data: DataOpt,
    out: Annotated[Path, typer.Option("--out", help="Model directory to write.")],
    backend: Annotated[str, typer.Option(help="Backend: sklearn (default) or transformer.")] = "sklearn",
    base_model: Annotated[Optional[Path], typer.Option(help="Local HF model directory (transformer backend).")] = None,
    no_synthetic: Annotated[bool, typer.Option(help="Do not add the shipped synthetic rows.")] = False,
) -> None:
    """Cross-validate, train on all rows, write model.joblib + card.json + card.md + report.json."""
    from classifier.backends import get_backend

    try:
        if backend == "transformer":
            _train_transformer(data, out, base_model, use_synthetic=not no_synthetic)
            return
        if backend != "sklearn":
            try:
                get_backend(backend)  # unknown name: a clear error listing the known ones
            except ClassifierError as exc:
                raise _bad(exc, "--backend") from None
            raise typer.BadParameter(f"backend {backend!r} cannot be trained from this command", param_hint="--backend")
        from classifier.evaluate import cross_validated_report, write_report
        from classifier.train import train as train_sklearn

        card = train_sklearn(data, out, use_synthetic=not no_synthetic)
    except ClassifierError as exc:
        raise _bad(exc, "--data") from None
    cv = card.pop("_cv_result")
    report, _ = cross_validated_report(None, None, cv=cv)  # type: ignore[arg-type]
    write_report(out, report | {"model_version": card["version"]}, cv.proba, cv.y)
    a, lm = card["cv"]["all"], card["cv"]["length_matched"]
    typer.echo(f"model {card['version']} -> {out} (threshold {card['threshold']})")
    typer.echo(f"CV all rows:      PR-AUC {a['pr_auc']}  recall@P0.90 {a['recall_at_precision_0.90']}  "
               f"P {a['precision']} R {a['recall']} F1 {a['f1']}")
    typer.echo(f"CV length-matched: PR-AUC {lm['pr_auc']}  recall@P0.90 {lm['recall_at_precision_0.90']}  "
               f"P {lm['precision']} R {lm['recall']} F1 {lm['f1']}")
    _echo_source_grouped(card["cv"]["source_grouped"])


def _echo_source_grouped(grouped: dict) -> None:
    from classifier.subsets import table_lines

    typer.echo(f"source-grouped CV, ours beside the baseline ({grouped['baseline_model']}), same folds:")
    for line in table_lines(grouped["ours"], grouped["baseline"]):
        typer.echo(line)


def _train_transformer(data: list[Path], out: Path, base_model: Path | None, *, use_synthetic: bool) -> None:
    """Fine-tune a local HF model directory (classifier.transformer_backend.fine_tune)."""
    if base_model is None:
        raise typer.BadParameter("a local Hugging Face model directory is required for --backend transformer",
                                 param_hint="--base-model")
    from classifier.dataset import load_rows, load_synthetic

    rows = load_rows(data)
    texts, y = list(rows.texts), list(rows.y)
    if use_synthetic:
        syn = load_synthetic()
        texts, y = texts + syn.texts, y + list(syn.y)
    try:  # torch and transformers are imported lazily, by fine_tune itself
        from classifier.transformer_backend import fine_tune

        path = fine_tune([{"text": t, "label": "lure" if label else "legit"} for t, label in zip(texts, y)],
                         base_model, out)
    except ImportError as exc:
        raise ClassifierError(f"transformer backend unavailable: {exc}") from None
    typer.echo(f"transformer model -> {path}")


@classifier_app.command()
def evaluate(
    data: DataOpt,
    model: Annotated[Optional[Path], typer.Option(help="Score these rows with a trained model directory "
                                                  "(default: cross-validate the default recipe).")] = None,
    report: Annotated[Optional[Path], typer.Option(help="Directory for report.json and PNG plots.")] = None,
    seeds: Annotated[int, typer.Option(min=1, max=20, help="Cross-validate under this many fold draws and "
                                       "also print the mean source-grouped figures.")] = 1,
) -> None:
    """Report precision, recall, F1, PR-AUC, per-category recall, confusion, calibration, and
    (cross-validated) every source-grouped figure beside the plain baseline's."""
    from classifier.dataset import load_rows, load_synthetic
    from classifier.evaluate import cross_validated_report, model_report, write_report

    try:
        rows = load_rows(data)
    except ClassifierError as exc:
        raise _bad(exc, "--data") from None
    if model is not None:
        from classifier.assess import load_assessor, read_card
        from classifier.settings import get_classifier_settings

        try:
            assessor = load_assessor(get_classifier_settings(model_dir=model))
            result, proba = model_report(assessor, rows, read_card(model))
        except ClassifierError as exc:
            raise _bad(exc, "--model") from None
        y = rows.real.y
    else:
        result, cv = cross_validated_report(rows, load_synthetic(), seeds=seeds)
        proba, y = cv.proba, cv.y
    if report is not None:
        path = write_report(report, result, proba, y)
        typer.echo(f"report written to {path}")
    for name in ("all", "length_matched"):
        m = result[name]
        c = m["confusion"]
        typer.echo(f"{name:15s} rows {m['rows']:4d} lures {m['positives']:3d}  P {m['precision']:.3f} R {m['recall']:.3f} "
                   f"F1 {m['f1']:.3f} PR-AUC {m['pr_auc']:.3f} R@P0.90 {m['recall_at_precision_0.90']:.3f} "
                   f"Brier {m['brier']:.3f}  tp {c['tp']} fp {c['fp']} fn {c['fn']} tn {c['tn']}")
    for cat, r in result["all"]["recall_per_category"].items():
        typer.echo(f"  recall {cat:32s} {r['recall']:.2f} ({r['lures']} lures)")
    if "source_grouped" in result:
        _echo_source_grouped(result["source_grouped"])
    if "source_grouped_mean" in result:
        typer.echo(f"mean over fold seeds {result['source_grouped_mean']['seeds']}:")
        _echo_source_grouped(result["source_grouped_mean"])
    if "subsets" in result:  # a fixed model: A / B / all, per category, verbatim vs paraphrase
        sub = result["subsets"]
        for name in ("A", "B", "all"):
            typer.echo(f"  {name:3s} AP {sub[name]['ap']:.3f}  recall at <= 2% false flags {sub[name]['recall_at_2pct']:.3f}"
                       f"  ({sub['lures']} lures, {sub[name]['legit']} legit)")
        for key in ("by_style", "by_category"):
            for name, r in sub[key].items():
                typer.echo(f"  {name:32s} caught at B's bar {r['caught_at_B_bar']}/{r['lures']}")


def mark_spans(text: str, spans: list[tuple[int, int]], color: bool) -> str:
    """The text with every span wrapped in »…« (bold yellow on a colour terminal)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(text[pos:start])
        phrase = text[start:end]
        out.append(typer.style(phrase, fg="yellow", bold=True) if color else f"»{phrase}«")
        pos = end
    out.append(text[pos:])
    return "".join(out)


@classifier_app.command()
def explain(
    text: Annotated[str, typer.Argument(help="The text to assess.")],
    model: Annotated[Optional[Path], typer.Option(help="Model directory (default: the shipped model).")] = None,
    lang: Annotated[str, typer.Option(help="Language of signal labels: vi or en.")] = "vi",
    color: Annotated[bool, typer.Option(help="Colour the fired phrases.")] = False,
) -> None:
    """Score one text and show why: fired phrases marked, signals, entities, categories, priority."""
    from classifier.assess import load_assessor
    from classifier.settings import get_classifier_settings
    from classifier.signals import get_spec

    try:
        (a,) = load_assessor(get_classifier_settings(model_dir=model)).assess([text])
    except ClassifierError as exc:
        raise _bad(exc, "--model") from None
    verdict = "LURE" if a.is_lure else "not flagged"
    typer.echo(f"score {a.score:.3f}  threshold {a.threshold:.3f}  -> {verdict}  (model {a.model_version})")
    typer.echo(f"priority {a.priority}  minor_risk {a.minor_risk}  abroad {a.abroad}  "
               f"categories {', '.join(a.categories) or '-'}")
    for cue in a.minor_cues:
        typer.echo(f"  minor [{cue.start}:{cue.end}] {cue.reason_vi if lang == 'vi' else cue.reason_en}")
    typer.echo("")
    typer.echo(mark_spans(text, [(h.start, h.end) for h in a.signals], color))
    typer.echo("")
    typer.echo("signals:" if a.signals else "signals: none")
    for h in a.signals:
        spec = get_spec(h.id)
        label = h.label_vi if lang == "vi" else h.label_en
        sign = "-" if spec.polarity < 0 else "+"
        typer.echo(f"  {sign} {h.id:24s} [{h.start}:{h.end}] {h.phrase!r}  {label} ({h.category})")
    typer.echo("entities:" if a.entities else "entities: none")
    for e in a.entities:
        typer.echo(f"  {e.kind:10s} {e.value}  [{e.start}:{e.end}] {e.raw!r}")


def main() -> None:  # `python -m classifier.cli ...` without the lurewatch CLI
    classifier_app()


if __name__ == "__main__":
    main()
