"""The default section-五 classifier: rule labels and model labels together.

On our annotations (5-fold) the model alone scores best, on the real gold the
rules do (their patterns were written against it); only the combination
meets the bar on both, so it is the default.  Each label carries its
evidence: the patterns that fired, or the model's strongest features.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import TextmineError
from .model import ProblemClassifier
from .rules import RuleClassifier

MODEL_FILE = "problems.skops"
# The project's models/, for a source checkout run without installing it.
SOURCE_MODELS = Path(__file__).resolve().parents[2] / "models"


class CombinedClassifier:
    """Union of :class:`RuleClassifier` and :class:`ProblemClassifier` labels.

    ``model`` may be None: the rules alone then decide, and ``missing``
    says why (the shipped model could not be loaded).
    """

    def __init__(
        self, model: ProblemClassifier | None = None, rules: RuleClassifier | None = None, missing: str | None = None
    ) -> None:
        self.model = model
        self.rules = rules
        self.missing = missing

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> CombinedClassifier:
        self.rules_ = (self.rules or RuleClassifier()).fit(texts, labels)
        self.model_ = self.model if self.model is not None else ProblemClassifier().fit(texts, labels)
        return self

    def _parts(self) -> tuple[RuleClassifier, ProblemClassifier | None]:
        rules = getattr(self, "rules_", None) or self.rules or RuleClassifier().fit([], [])
        return rules, getattr(self, "model_", None) or self.model

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [labels for labels, _ in self.predict_and_explain(texts)]

    def predict_and_explain(self, texts: Sequence[str]) -> list[tuple[list[str], dict[str, list[dict]]]]:
        """Labels and their evidence: the patterns that fired, the model's features."""
        rules, model = self._parts()
        texts = list(texts)
        by_model = model.predict_and_explain(texts) if model is not None else [([], {}) for _ in texts]
        out = []
        for text, (model_labels, model_evidence) in zip(texts, by_model):
            # The rule layer's labels are the categories its evidence names.
            evidence: dict[str, list[dict]] = {k: list(v) for k, v in rules.explain(text).items()}
            labels = set(evidence) | set(model_labels)
            if len(labels) > 1:
                labels.discard("other")  # other stands beside real keys only as a point of its own
            if not labels:
                # taxonomy.md: `other` is "none of the above"; an item is
                # about something, and neither layer found a category.
                labels = {"other"}
                evidence["other"] = [{"pattern": "none of the above", "note": "no rule fired and no category was likely"}]
            for label, features in model_evidence.items():
                evidence.setdefault(label, []).append({"pattern": "model", "model": features})
            out.append((sorted(labels), {k: v for k, v in evidence.items() if k in labels}))
        return out

    def explain(self, text: str) -> dict[str, list[dict]]:
        return self.predict_and_explain([text])[0][1]


def model_file() -> Path | None:
    """The shipped model's file: ``textmine.models`` of the installed package
    (the project's ``models/``), None when it is not there."""
    try:
        ref = resources.files("textmine.models").joinpath(MODEL_FILE)
    except ModuleNotFoundError:
        ref = SOURCE_MODELS / MODEL_FILE
    path = Path(str(ref))
    return path if path.is_file() else None


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
        warnings.warn(f"textmine: the section-五 model is not loaded ({missing}); categories come from the rules alone",
                      stacklevel=2)
    return CombinedClassifier(model=model, missing=missing)
