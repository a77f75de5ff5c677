"""Section 五: problem and improvement items, their categories, and scoring.

* :func:`extract_items` — split section 五 (:mod:`textmine.problems.items`)
  and label each item (the shipped classifier of
  :mod:`textmine.problems.combined`, or any object with ``predict`` and,
  optionally, ``explain`` or ``predict_and_explain``).

Scoring items against gold is :func:`textmine.scoring.score_items`.
"""

from __future__ import annotations

from typing import Any

from .items import split_items
from .rules import CATEGORIES, RuleClassifier

__all__ = [
    "CATEGORIES",
    "MODEL_FILE",
    "SOURCE_MODELS",
    "CombinedClassifier",
    "ProblemClassifier",
    "RuleClassifier",
    "default_classifier",
    "domain_tokenizer",
    "extract_items",
    "shipped_metrics",
    "split_items",
]

# The model's modules import scikit-learn (about a second), so they load
# when one of their names is first asked for (PEP 562), not with the package.
_FROM_COMBINED = frozenset(
    {"CombinedClassifier", "MODEL_FILE", "SOURCE_MODELS", "default_classifier", "shipped_metrics"}
)


def __getattr__(name: str) -> Any:
    if name in _FROM_COMBINED:
        from . import combined

        return getattr(combined, name)
    if name == "ProblemClassifier":
        from .model import ProblemClassifier

        return ProblemClassifier
    if name == "domain_tokenizer":
        from .segment import domain_tokenizer

        return domain_tokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract_items(record: Any, classifier: Any | None = None) -> tuple[list[dict], list[dict]]:
    """Problems and improvements of ``record`` (a :class:`~textmine.record.Record`).

    Each item: ``{"text", "start", "end", "categories", "evidence"}`` where
    ``evidence`` is ``{category: [{"pattern", "match", "start", "end"}]}``
    with offsets into ``record.text`` (empty for a classifier without
    ``explain``).
    """
    clf = classifier if classifier is not None else RuleClassifier().fit()
    items = split_items(record.text, record.section("problems"))
    texts = [it["text"] for it in items]
    if hasattr(clf, "predict_and_explain"):
        # One pass gives labels and evidence (the combined classifier).
        decided = clf.predict_and_explain(texts) if items else []
    else:
        explain = getattr(clf, "explain", None)
        labels = clf.predict(texts) if items else []
        decided = [(cats, explain(text) if explain else {}) for cats, text in zip(labels, texts)]
    problems: list[dict] = []
    improvements: list[dict] = []
    for it, (cats, found) in zip(items, decided):
        evidence: dict[str, list[dict]] = {}
        for key, evs in found.items():
            if key in cats:
                evidence[key] = [
                    ({**e, "start": e["start"] + it["start"], "end": e["end"] + it["start"]} if "start" in e else e)
                    for e in evs
                ]
        out = {
            "text": it["text"],
            "start": it["start"],
            "end": it["end"],
            "categories": list(cats),
            "evidence": evidence,
        }
        (problems if it["kind"] == "problem" else improvements).append(out)
    return problems, improvements
