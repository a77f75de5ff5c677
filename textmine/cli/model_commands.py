"""The commands that train and score: train, eval, eval-claims."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import EXIT_OK, EXIT_SOME_FAILED, _echo, _echo_json, main


@main.command()
@click.option(
    "--annotations",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("corpora/annotations/problems.jsonl"),
    show_default=True,
    help="Our labelled items (JSON lines).",
)
@click.option(
    "--real-gold",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/corpus/gold"),
    show_default=True,
    help="Gold records of real reports: their labelled items train too (skipped when absent).",
)
@click.option(
    "--splits",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("corpora/annotations/problem_splits.toml"),
    show_default=True,
    help="Which real reports are evaluation data (scored held out).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write problems.skops, problems.json and the card problems.md into "
    "[default: a new build/trained-<time>/].",
)
@click.option(
    "--install",
    is_flag=True,
    help="Also replace the shipped model: copy the files into the project's models/ (what the package ships).",
)
@click.option(
    "--corrections",
    "corrections_db",
    metavar="DB",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A corpus database whose corrected items (`textmine correct`) train too; the held-out figures "
    "are then printed without and with them.",
)
@click.option(
    "--corrections-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Take the corrections from this file instead of the corpus' own.",
)
def train(
    annotations: Path,
    real_gold: Path,
    splits: Path,
    out: Path | None,
    install: bool,
    corrections_db: Path | None,
    corrections_file: Path | None,
) -> None:
    """Train the section-五 classifier on our annotations and the real
    reports' labelled items (deterministic); cross-validate it grouped by
    report against the rule layer and a text-only model, score it held out
    on the evaluation reports, and write the skops model, its metrics and
    its model card.

    The shipped model is replaced only with --install (run from the project's
    root, where models/ is)."""
    import datetime as dt
    import shutil

    from ..problems import MODEL_FILE, SOURCE_MODELS
    from ..problems.train import train_default

    if out is None:
        out = Path("build") / f"trained-{dt.datetime.now():%Y%m%d-%H%M%S}"
    model = out / MODEL_FILE
    if model.exists():
        raise click.UsageError(f"{model} exists; choose another --out folder")
    if not real_gold.is_dir():
        _echo(f"note: no real gold at {real_gold}: training on our annotations alone", err=True)
    corrected = []
    if corrections_db is not None:
        from ..corpus.correcting import corrected_items

        corrected = corrected_items(corrections_db, corrections_file)
        _echo(f"{len(corrected)} corrected items from {corrections_db} train too")
    elif corrections_file is not None:
        raise click.UsageError("--corrections-file needs --corrections DB (the corpus whose items it corrects)")
    try:
        metrics = train_default(annotations, real_gold, splits, model, corrected=corrected)
    except ValueError as exc:  # a malformed annotations or splits file: its path and line are in the message
        raise click.ClickException(str(exc)) from exc
    _echo(f"trained on {metrics['training']['items']} items → {model} (card: {model.with_suffix('.md')})")
    dropped = (metrics.get("corrections") or {}).get("dropped_evaluation")
    if dropped:
        _echo(f"note: {dropped} corrected items are items of the held-out data: left out of training", err=True)
    leaked = (metrics["training"].get("evaluation_annotations") or {}).get("left_out_of_training")
    if leaked:
        _echo(f"note: {leaked} items of --annotations are evaluation annotations too: left out of training", err=True)
    from ..record_view import format_training

    _echo(format_training(metrics))
    if install:
        if not SOURCE_MODELS.is_dir():
            raise click.UsageError(
                f"no project models/ folder at {SOURCE_MODELS}: --install works in a source checkout"
            )
        for source in (model, model.with_suffix(".json"), model.with_suffix(".md")):
            shutil.copyfile(source, SOURCE_MODELS / source.name)
        _echo(f"installed: {SOURCE_MODELS / MODEL_FILE} replaced (reinstall the package for a non-editable install)")


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(gold_dir: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Score FILES against the gold records in GOLD_DIR (matched by stem).

    Reports sections F1, meta accuracy, and table cells right / blank /
    wrong per file; a cell left blank with a note is not wrong.  Exit
    status 2 when no file has a gold record or a gold record is malformed
    (named); 1 when a file with gold could not be read.
    """
    import json

    from ..evaluate import evaluate
    from ..problems import shipped_metrics
    from ..record_view import format_scores, format_training

    scores = evaluate(gold_dir, list(files))
    metrics = shipped_metrics()
    if as_json:
        _echo_json(json.dumps({**scores.to_dict(), "model": metrics}, ensure_ascii=False, indent=1))
    else:
        _echo(format_scores(scores))
        if metrics:
            _echo(format_training(metrics, "shipped section-五 model, from its training"))
    sys.exit(EXIT_SOME_FAILED if any(f.error for f in scores.files) else EXIT_OK)


@main.command("eval-claims")
@click.argument("annotations", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", default=None, help="Score only the passages of this split (dev, heldout2, …).")
@click.option(
    "--misses", "show_misses", is_flag=True, help="List every claim missed, extra, or mapped to another quantity."
)
def eval_claims_command(annotations: Path, split: str | None, show_misses: bool) -> None:
    """Score claims and the table quantities they are mapped to against
    ANNOTATIONS, a JSON-lines file of annotated passages
    (corpora/annotations/claims.jsonl).

    Claim precision/recall count a claim right when its number and words
    match; cell precision/recall, when it is also mapped to the annotated
    quantity (or names it among its readings: the table chooses).
    """
    from ..evaluate import score_claim_annotations

    result = score_claim_annotations(annotations, split)
    if not result["passages"]:
        raise click.UsageError(f"{annotations}: no passage in split {split!r}")
    _echo(
        f"{annotations.name} [{split or 'all'}] passages {result['passages']}  "
        f"claims precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
        f"cells precision {result['cell_precision']:.4f}  recall {result['cell_recall']:.4f} "
        f"({result['cells_right']} right of {result['cells_pred']} mapped, {result['cells_gold']} annotated)"
    )
    if show_misses:
        for miss in result["misses"]:
            _echo(f"  {miss}")
