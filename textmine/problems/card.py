"""The model card, computed from the metrics ``textmine train`` writes.

``models/problems.md`` is this function's output for ``models/problems.json``,
never an edited file: a test regenerates it and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PARTS = ("all", "problem", "improvement", "real", "annotations")


def _figure(scores: dict[str, Any] | None, part: str) -> str:
    if not scores or part not in scores:
        return "—"
    s = scores[part]
    return f"{s['micro_f1']:.3f} / {s['macro_f1']:.3f} ({s['items']})"


def model_card(metrics: dict[str, Any], categories: Sequence[str]) -> str:
    lines = [
        *_about(metrics),
        *_cross_validation(metrics),
        *_held_out(metrics),
        *_corrections(metrics.get("corrections")),
        *_per_category(metrics, categories),
        *_errors(metrics),
        "",
        "Reproduce: `textmine train --out DIR` (add `--install` to replace this model).",
    ]
    return "\n".join(lines) + "\n"


def _about(metrics: dict[str, Any]) -> list[str]:
    training = metrics["training"]
    params = metrics["params"]
    sources = ", ".join(f"{k} {v}" for k, v in sorted(training["by_source"].items()))
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(training["by_kind"].items()))
    return [
        "# Model card: section-五 problem/improvement classifier",
        "",
        "Computed by `textmine train` from `problems.json`; do not edit by hand.",
        "",
        "- file: `problems.skops` (skops; loaded with an allow-list of scikit-learn and numpy types, never unpickled)",
        f"- date: {metrics['date']}; taxonomy version {metrics['taxonomy_version']} (`spec/taxonomy.md`)",
        (
            "- model: per category, a logistic regression (liblinear, balanced class weights) over character "
            f"{tuple(params['char_ngrams'])}-gram TF-IDF scaled by the category's naive-Bayes log-count ratio"
            + (", jieba-token TF-IDF (domain dictionary)" if params["words"] else "")
            + (
                f" and the rule layer's verdict for that category (its patterns fired; value {params['rule_weight']})"
                if params["rules"]
                else ""
            )
            + f"; C = {params['C']}"
            + (
                f"; beside it a linear SVM (balanced class weights, C = {params['svm_C']}) over the character "
                "TF-IDF alone (no naive-Bayes scaling, no rule verdicts), the category's probability being the "
                "mean of the two models' calibrated probabilities (settings chosen on the same grouped "
                "cross-validation too)"
                if params.get("svm_C") is not None
                else ""
            )
        ),
        (
            "- decisions: Platt-calibrated probabilities cut at "
            + (
                "one threshold shared by every category, the one of best micro-F1 over all categories' "
                "out-of-fold probabilities"
                if params.get("shared_threshold")
                else "per-category thresholds chosen on out-of-fold scores"
            )
            + f" of {params['cv']}-fold cross-validation grouped by report (thresholds below)"
        ),
        (
            f"- training data: {training['items']} distinct items in {training['groups']} groups "
            f"({sources}; {kinds}): `{training['annotations']}`"
            + (
                f" and the labelled items of `{training['real_gold']}`"
                if training["real_gold"]
                else " (the real reports were not available)"
            )
        ),
        "- an item with no category past its threshold gets the nearest one (it scored above `other` or no label)"
        + (
            f"; an item keeps too every category whose probability is at least {metrics['ratio']} times its "
            "likeliest's (the ratio chosen with the threshold, on the same out-of-fold probabilities)"
            if metrics.get("ratio", 1.0) < 1
            else ""
        ),
        "",
        (
            "Read the figures with four cautions: the settings (C, n-grams, the naive-Bayes scaling, the ratio "
            "to the likeliest, the rule verdicts' weight) were chosen on this same grouped cross-validation, "
            "which flatters it a little; each "
            "of our annotations is a group of its own, but items one annotator wrote in one round resemble each "
            "other more than reports of different sites do (the `real` column is nearer what a user gets); the rule "
            "patterns were written against the first real reports, so the rule layer is in-sample there; and the "
            "held-out reports were scored while a few settings were compared, so their figure is not a first look."
        ),
        *_flattery(metrics),
    ]


def _flattery(metrics: dict[str, Any]) -> list[str]:
    """How far grouped cross-validation flatters new wording: our held-out
    annotations against our annotations in cross-validation."""
    held = (metrics.get("held_out") or {}).get(metrics["default"], {}).get("annotations")
    cv = metrics["cv"][metrics["default"]].get("annotations")
    if not held or not cv:
        return []
    return [
        "",
        (
            f"How much: our {held['items']} annotations kept for evaluation score micro-F1 "
            f"{held['micro_f1']:.3f} held out, where grouped cross-validation gives "
            f"{cv['micro_f1']:.3f} on our annotations; expect wording the model has not seen to score nearer the "
            "first."
        ),
    ]


def _cross_validation(metrics: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Grouped cross-validation ({metrics['folds']} folds; a report and its variants on one side)",
        "",
        "micro-F1 / macro-F1 (items) per part of the data:",
        "",
        "| mode | " + " | ".join(PARTS) + " |",
        "|---|" + "---|" * len(PARTS),
    ]
    for mode, scores in metrics["cv"].items():
        name = f"**{mode}** (default)" if mode == metrics["default"] else mode
        lines.append(f"| {name} | " + " | ".join(_figure(scores, p) for p in PARTS) + " |")
    return lines + _repeats(metrics.get("cv_repeats"), metrics["default"])


def _repeats(repeats: dict[str, Any] | None, mode: str) -> list[str]:
    """The default mode under several assignments of groups to folds: how far
    a figure moves with the split alone."""
    if not repeats:
        return []
    seeds = repeats["seeds"]
    lines = [
        "",
        f"The {mode} mode under {len(seeds)} assignments of groups to folds (seeds "
        f"{', '.join(map(str, seeds))}; the table above is seed {seeds[0]}): micro-F1 / macro-F1, mean ± sample "
        "standard deviation, and the lowest and highest micro-F1:",
        "",
        "| part | mean | lowest–highest micro-F1 |",
        "|---|---|---|",
    ]
    for part in PARTS:
        if part in repeats:
            r = repeats[part]
            lines.append(
                f"| {part} | {r['micro_f1_mean']:.3f} ± {r['micro_f1_sd']:.3f} / {r['macro_f1_mean']:.3f} ± "
                f"{r['macro_f1_sd']:.3f} | {min(r['micro_f1']):.3f}–{max(r['micro_f1']):.3f} |"
            )
    return lines


def _held_out(metrics: dict[str, Any]) -> list[str]:
    held = metrics.get("held_out")
    lines = ["", "## Held out", ""]
    if not held:
        return [
            *lines,
            "Not computed: no evaluation reports or annotations were available when this model was trained.",
        ]
    training = metrics["training"]
    unseen = training.get("evaluation_annotations")
    scored = []
    if any("real" in scores for scores in held.values()):
        scored.append(
            "the real reports the splits file names as evaluation reports (the rule patterns are not written "
            "from them either)"
        )
    if unseen:
        scored.append(
            f"the {unseen['items']} annotations of `{unseen['path']}`, ours and kept for evaluation only: never "
            "trained on nor cross-validated (the `annotations` column; `corpora/annotations/README.md` says when "
            "they were written)"
        )
    lines += [
        f"Fitted without the evaluation data named in `{training.get('splits', 'problem_splits.toml')}`, scored on "
        + " and on ".join(scored)
        + ":",
        "",
        "| mode | " + " | ".join(PARTS) + " |",
        "|---|" + "---|" * len(PARTS),
    ]
    for mode, scores in held.items():
        lines.append(f"| {mode} | " + " | ".join(_figure(scores, p) for p in PARTS) + " |")
    return lines


def _corrections(corrections: dict[str, Any] | None) -> list[str]:
    """What a person's corrected items bought: the held-out figures without them."""
    if not corrections or not corrections.get("held_out_before"):
        return []
    lines = [
        "",
        f"## Corrections: {corrections['items']} corrected items in the training data",
        "",
        "The held-out data scored by a model fitted without them (compare with the table above):",
        "",
        "| mode | " + " | ".join(PARTS) + " |",
        "|---|" + "---|" * len(PARTS),
    ]
    for mode, scores in corrections["held_out_before"].items():
        lines.append(f"| {mode} | " + " | ".join(_figure(scores, p) for p in PARTS) + " |")
    return lines


def _per_category(metrics: dict[str, Any], categories: Sequence[str]) -> list[str]:
    default = metrics["default"]
    cv = metrics["cv"][default]["all"]["per_category"]
    lines = [
        "",
        f"## Per category ({default}, grouped cross-validation over all items)",
        "",
        "| category | P | R | F1 | n | threshold |",
        "|---|---|---|---|---|---|",
    ]
    for cat in categories:
        c = cv[cat]
        lines.append(
            f"| {cat} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} | "
            f"{metrics['thresholds'].get(cat, '—')} |"
        )
    return lines


def _errors(metrics: dict[str, Any]) -> list[str]:
    errors = metrics["errors"]
    return [
        "",
        "## Errors (model, grouped cross-validation)",
        "",
        f"{errors['extra']} labels given that the annotation lacks, {errors['missing']} annotated labels missed.",
        "Most frequent swaps (an annotated category missed where another was given):",
        "",
        *(f"- {c['gold']} → {c['predicted']}: {c['items']} items" for c in metrics["confusions"]),
    ]
