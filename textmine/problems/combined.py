"""The default section-五 classifier: the model, with the rule layer's
verdicts among its features and its evidence beside each label.

The rules alone decide only when the shipped model cannot be loaded (and the
record says so).  Each label carries its evidence: the patterns that fired
for it and the model's strongest features with the label's probability.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import TextmineError
from .model import ProblemClassifier, rule_layer
from .rules import RuleClassifier

MODEL_FILE = "problems.skops"
# The project's models/, for a source checkout run without installing it.
SOURCE_MODELS = Path(__file__).resolve().parents[2] / "models"
NONE_OF_THE_ABOVE = {"pattern": "none of the above", "note": "no category was likely"}


class CombinedClassifier:
    """Labels of :class:`ProblemClassifier` (which weighs the rule layer's
    verdicts among its features) with the rule layer's evidence.

    ``model`` may be None: the rule layer then decides alone, and
    ``missing`` says why (the shipped model could not be loaded).
    """

    def __init__(
        self, model: ProblemClassifier | None = None, rules: RuleClassifier | None = None, missing: str | None = None
    ) -> None:
        self.model = model
        self.rules = rules
        self.missing = missing

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [labels for labels, _ in self.predict_and_explain(texts)]

    def predict_and_explain(self, texts: Sequence[str]) -> list[tuple[list[str], dict[str, list[dict]]]]:
        """Labels and their evidence: the patterns that fired, the model's features."""
        texts = list(texts)
        if self.model is None:
            rules = self.rules or rule_layer()
            # The rule layer's `other` fires only when no other key does.
            return [_labelled(set(found), found) for found in map(rules.explain, texts)]
        out = []
        for text, decision in zip(texts, self.model.decide(texts)):
            labels = decision.labels or [self._likeliest(decision.probabilities)]
            # Rule matches are collected only for the labels given: most fire for nothing kept.
            evidence = rule_layer().evidence(text, decision.verdicts.intersection(labels))
            for label in labels:
                evidence.setdefault(label, []).append(
                    {
                        "pattern": "model",
                        "model": decision.features.get(label, []),
                        "probability": round(decision.probabilities[label], 3),
                    }
                )
            out.append(_labelled(set(labels), evidence))
        return out

    def _likeliest(self, probabilities: dict[str, float]) -> str:
        # An item is about something: with no category past its threshold,
        # the one nearest to it (grouped cross-validation scored this above
        # leaving the item unlabelled or calling it `other`).
        assert self.model is not None
        thresholds = dict(zip(self.model.classes_, self.model.thresholds_))
        return max(probabilities, key=lambda c: probabilities[c] / thresholds[c])

    def explain(self, text: str) -> dict[str, list[dict]]:
        return self.predict_and_explain([text])[0][1]


def _labelled(labels: set[str], evidence: dict[str, list[dict]]) -> tuple[list[str], dict[str, list[dict]]]:
    if not labels:
        # taxonomy.md: `other` is "none of the above"; an item is about something.
        labels = {"other"}
        evidence = {"other": [NONE_OF_THE_ABOVE]}
    return sorted(labels), {k: v for k, v in evidence.items() if k in labels}


def model_file() -> Path | None:
    """The shipped model's file: ``textmine.models`` of the installed package
    (the project's ``models/``), None when it is not there."""
    try:
        ref = resources.files("textmine.models").joinpath(MODEL_FILE)
    except ModuleNotFoundError:
        ref = SOURCE_MODELS / MODEL_FILE
    path = Path(str(ref))
    return path if path.is_file() else None


def shipped_metrics() -> dict | None:
    """The shipped model's training metrics (``problems.json`` beside it:
    grouped cross-validation, held-out figures), None when absent."""
    path = model_file()
    metrics = path.with_suffix(".json") if path is not None else None
    if metrics is None or not metrics.is_file():
        return None
    return json.loads(metrics.read_text("utf-8"))


@lru_cache(maxsize=1)
def default_classifier() -> CombinedClassifier:
    """The shipped classifier: rules plus the model of :func:`model_file`.

    A model that cannot be loaded is said once, as a warning, and the
    classifier's ``missing`` (which the pipeline notes in each record): the
    categories then come from the rules alone.
    """
    path = model_file()
    model, missing = None, None
    if path is None:
        missing = f"no {MODEL_FILE} in the installed package (textmine.models)"
    else:
        try:
            model = ProblemClassifier.load(path)
        except TextmineError as exc:
            missing = str(exc)
    if missing:
        warnings.warn(
            f"textmine: the section-五 model is not loaded ({missing}); categories come from the rules alone",
            stacklevel=2,
        )
    return CombinedClassifier(model=model, missing=missing)
