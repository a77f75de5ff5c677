"""Train, cross-validate and describe the section-五 classifier.

Training data: ``corpora/annotations/problems.jsonl`` (our own items) and,
where ``../shared/corpus`` is present, the labelled items of the real
reports.  Honest figures come from cross-validation **grouped by report**:
one report, in any of its formats, and reports that share an item word for
word, never sit on both sides of a fold; the thresholds of each fold's model
are chosen inside its training part.  The real reports listed as evaluation
data (``corpora/annotations/problem_splits.toml``) also give a held-out
figure: a model fitted without them, scored on them (the rule patterns may
not be written from them either: ``tests/test_problem_provenance.py``).

Three classifiers are compared: the rule layer alone, the model over text
alone, and the default model (text and the rule layer's verdicts).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .calibrate import grouped_folds
from .model import ProblemClassifier
from .scoring import label_errors, scores_by_part

MODES = ("rules", "text", "model")
DEFAULT_MODE = "model"
KINDS = ("problem", "improvement")
FOLDS = 5
# The fold assignments the default mode is cross-validated under: one
# assignment's figure moves by about ±0.005 from the next, as much as many a
# setting's gain, so the card gives their spread too (the first is the table).
CV_SEEDS = (1, 2, 3)
# A report's variants (the same report as a page, a rebuilt DOCX …) share its stem.
_VARIANT = re.compile(r"_(?:page|web|word|print|pipe)$")


def taxonomy() -> tuple[str, list[str]]:
    """The taxonomy's version and its category keys, in order."""
    from ..data import load_toml
    from ..data.taxonomy import taxonomy_labels

    return load_toml("taxonomy.toml")["version"], list(taxonomy_labels())


@dataclass(frozen=True)
class Item:
    text: str
    categories: tuple[str, ...]
    kind: str = "problem"
    group: str = ""  # the report (or annotation) it comes from: one side of every fold
    source: str = "annotations"  # annotations | annotations-evaluation | real | real-evaluation


def load_annotations(path: Path, source: str = "annotations") -> list[Item]:
    items = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(
                Item(row["text"], tuple(row["categories"]), row.get("kind", "problem"), f"ann:{row['id']}", source)
            )
        except (json.JSONDecodeError, KeyError) as exc:
            raise ValueError(f"{path}:{n}: not an annotation line ({exc})") from exc
    return items


def evaluation_annotations(path: Path) -> Path | None:
    """Our annotations kept for evaluation (``[evaluation] annotations`` of
    the splits file, a path beside it): scored held out, never trained on;
    None when the splits file names none."""
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        name = tomllib.load(fh).get("evaluation", {}).get("annotations")
    if name is None:
        return None
    if not isinstance(name, str):
        raise ValueError(f"{path}: [evaluation] annotations must be a file name")
    found = path.parent / name
    if not found.is_file():
        raise ValueError(f"{path}: [evaluation] annotations names {found}, which does not exist")
    return found


def evaluation_reports(path: Path) -> frozenset[str]:
    """The real reports (stems, without variant suffixes) kept for evaluation."""
    if not path.is_file():
        return frozenset()
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    reports = data.get("evaluation", {}).get("reports", [])
    if not isinstance(reports, list) or not all(isinstance(r, str) for r in reports):
        raise ValueError(f"{path}: [evaluation] reports must be a list of report stems")
    return frozenset(reports)


def load_gold_items(gold_dir: Path, evaluation: Iterable[str] = ()) -> list[Item]:
    """The labelled items of a gold folder, one per distinct text: a report's
    variants are one group, and reports sharing an item word for word are
    joined into one group (a template copied between reports would
    otherwise sit on both sides of a fold)."""
    held = set(evaluation)
    rows = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        report = _VARIANT.sub("", path.stem)
        source = "real-evaluation" if report in held else "real"
        for kind, key in (("problem", "problems"), ("improvement", "improvements")):
            rows += [
                Item(it["text"], tuple(it["categories"]), kind, f"real:{report}", source) for it in gold.get(key, [])
            ]
    return _joined(rows)


def _joined(rows: list[Item]) -> list[Item]:
    parent: dict[str, str] = {}

    def root(group: str) -> str:
        while parent.setdefault(group, group) != group:
            group = parent[group]
        return group

    first: dict[str, Item] = {}
    for item in rows:
        if item.text in first:
            parent[root(item.group)] = root(first[item.text].group)
        else:
            first[item.text] = item
    evaluation = {root(i.group) for i in rows if i.source == "real-evaluation"}
    # A group touching an evaluation report is evaluation data as a whole.
    return [
        replace(i, group=root(i.group), source="real-evaluation" if root(i.group) in evaluation else i.source)
        for i in first.values()
    ]


def with_corrections(
    items: Sequence[Item], corrected: Sequence[Item], unseen: Sequence[Item] = ()
) -> tuple[list[Item], int]:
    """``items`` with a person's corrected items: one whose text an
    evaluation report or an ``unseen`` item holds is left out (the held-out
    figure must stay unseen; the count of those is returned), one whose text
    is already a training item replaces its categories (the person's word
    wins), the others join, grouped as the rest are (a text in two reports
    is one group)."""
    evaluation = {i.text for i in items if i.source == "real-evaluation"} | {i.text for i in unseen}
    kept = [c for c in corrected if c.text not in evaluation]
    fixed = {c.text: c.categories for c in kept}
    out = [replace(i, categories=fixed[i.text]) if i.text in fixed else i for i in items]
    known = {i.text for i in items}
    out += [c for c in kept if c.text not in known]
    return _joined(out), len(corrected) - len(kept)


def item_digest(text: str) -> str:
    """A short fingerprint of an item's text (the metrics list the training items' ones)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def fit_mode(
    mode: str, items: Sequence[Item], params: dict[str, Any] | None = None
) -> Callable[[list[str]], list[list[str]]]:
    """The labelling function of ``mode`` trained on ``items``."""
    from .combined import CombinedClassifier

    if mode == "rules":
        return CombinedClassifier(model=None).predict
    model = ProblemClassifier(**{**(params or {}), "rules": mode == "model"}).fit(
        [i.text for i in items], [list(i.categories) for i in items], groups=[i.group for i in items]
    )
    return CombinedClassifier(model=model).predict


def cross_validate(
    items: Sequence[Item],
    categories: Sequence[str],
    *,
    folds: int = FOLDS,
    modes: Sequence[str] = MODES,
    params: dict[str, Any] | None = None,
    seed: int = CV_SEEDS[0],
) -> dict[str, Any]:
    """Grouped ``folds``-fold scores of each mode (see :func:`scores_by_part`),
    with the out-of-fold predictions under ``predictions``; ``seed`` picks
    the assignment of groups to folds."""
    fold = grouped_folds([i.group for i in items], folds, seed=seed)
    preds: dict[str, list[list[str]]] = {m: [[] for _ in items] for m in modes}
    for k in range(folds):
        train = [items[i] for i in np.flatnonzero(fold != k)]
        test = np.flatnonzero(fold == k)
        for mode in modes:
            for i, labels in zip(test, fit_mode(mode, train, params)([items[i].text for i in test])):
                preds[mode][i] = labels
    return {mode: {**scores_by_part(items, preds[mode], categories), "predictions": preds[mode]} for mode in modes}


def repeated_scores(
    items: Sequence[Item],
    categories: Sequence[str],
    first: dict[str, Any],
    *,
    params: dict[str, Any] | None = None,
    seeds: Sequence[int] = CV_SEEDS,
) -> dict[str, Any]:
    """The default mode's micro- and macro-F1 per part under each fold
    assignment of ``seeds`` (``first``: the scores under the first, already
    computed), with their mean and standard deviation."""
    runs = [first] + [
        cross_validate(items, categories, modes=(DEFAULT_MODE,), params=params, seed=seed)[DEFAULT_MODE]
        for seed in seeds[1:]
    ]
    out: dict[str, Any] = {"seeds": list(seeds)}
    for part in first:
        if part == "predictions":
            continue
        out[part] = {}
        for key in ("micro_f1", "macro_f1"):
            values = [run[part][key] for run in runs]
            out[part][key] = values
            out[part][f"{key}_mean"] = round(float(np.mean(values)), 4)
            # The sample standard deviation: three assignments are a sample of the many.
            out[part][f"{key}_sd"] = round(float(np.std(values, ddof=1)), 4) if len(values) > 1 else 0.0
    return out


def held_out(
    items: Sequence[Item],
    categories: Sequence[str],
    *,
    modes: Sequence[str] = MODES,
    params: dict[str, Any] | None = None,
    unseen: Sequence[Item] = (),
) -> dict[str, Any] | None:
    """Each mode fitted on every item but the evaluation reports', scored on
    those and on ``unseen`` (our annotations kept for evaluation)."""
    test = [i for i in items if i.source == "real-evaluation"] + list(unseen)
    if not test:
        return None
    train = [i for i in items if i.source != "real-evaluation"]
    out = {}
    for mode in modes:
        pred = fit_mode(mode, train, params)([i.text for i in test])
        out[mode] = scores_by_part(test, pred, categories)
    return out


def train_default(
    annotations: Path,
    real_gold: Path | None,
    splits: Path,
    out: Path,
    *,
    params: dict[str, Any] | None = None,
    corrected: Sequence[Item] = (),
) -> dict[str, Any]:
    """Cross-validate, score the held-out reports, train on everything, and
    save the model, its metrics (``problems.json``) and its card (``problems.md``).

    ``corrected``: items a person corrected in a corpus (``textmine train
    --corrections``; ``source`` ``corrections``), added to the training data;
    the held-out reports are then scored by a model fitted without them too
    (``corrections.held_out_before``), so the figures say what they bought."""
    version, categories = taxonomy()
    items = load_annotations(annotations)
    real_dir = real_gold if real_gold is not None and real_gold.is_dir() else None
    if real_dir is not None:
        items += load_gold_items(real_dir, evaluation_reports(splits))
    unseen_path = evaluation_annotations(splits)
    unseen = load_annotations(unseen_path, "annotations-evaluation") if unseen_path else []
    # An evaluation item in the training file too would be scored on its own labels.
    held_texts = {i.text for i in unseen}
    kept = [i for i in items if i.text not in held_texts]
    leaked, items = len(items) - len(kept), kept
    before = held_out(items, categories, params=params, unseen=unseen) if corrected else None
    items, dropped = with_corrections(items, corrected, unseen) if corrected else (items, 0)
    cv = cross_validate(items, categories, params=params)
    repeats = repeated_scores(items, categories, cv[DEFAULT_MODE], params=params)
    held = held_out(items, categories, params=params, unseen=unseen)
    model = ProblemClassifier(**(params or {})).fit(
        [i.text for i in items], [list(i.categories) for i in items], groups=[i.group for i in items]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    errors = label_errors(items, cv[DEFAULT_MODE]["predictions"])
    metrics = {
        "date": date.today().isoformat(),
        "taxonomy_version": version,
        "params": model.get_params(),
        "training": {
            "items": len(items),
            "groups": len({i.group for i in items}),
            "by_source": dict(Counter(i.source for i in items)),
            "by_kind": dict(Counter(i.kind for i in items)),
            "annotations": str(annotations),
            "real_gold": str(real_dir) if real_dir else None,
            # So that a later evaluation can say which of its items the model has seen.
            "item_digests": sorted(item_digest(i.text) for i in items),
            # Ours, kept for evaluation: scored held out only.
            "evaluation_annotations": {"path": str(unseen_path), "items": len(unseen), "left_out_of_training": leaked}
            if unseen
            else None,
            "splits": str(splits),
        },
        "folds": FOLDS,
        "default": DEFAULT_MODE,
        "cv": {m: {k: v for k, v in s.items() if k != "predictions"} for m, s in cv.items()},
        "cv_repeats": repeats,
        "held_out": held,
        "confusions": errors.pop("confusions"),
        "errors": errors,
        "thresholds": dict(zip(model.classes_, (round(float(t), 3) for t in model.thresholds_))),
        "ratio": round(float(model.ratio_), 3),
        "corrections": {
            "items": len(corrected) - dropped,
            "dropped_evaluation": dropped,
            "held_out_before": before,
        }
        if corrected
        else None,
    }
    out.with_suffix(".json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", "utf-8")
    from .card import model_card

    out.with_suffix(".md").write_text(model_card(metrics, categories), "utf-8")
    return metrics
