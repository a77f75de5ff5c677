"""Scores of the section-五 classifier's labels: micro and macro F1 with
per-category precision, recall and support, per part of the data, and the
errors behind them (labels given that the gold lacks, labels missed, swaps)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol


class Item(Protocol):
    """What scoring needs of an item (:class:`~textmine.problems.train.Item` has it)."""

    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def kind(self) -> str: ...
    @property
    def source(self) -> str: ...


def label_scores(
    pred: Sequence[Iterable[str]], gold: Sequence[Iterable[str]], categories: Sequence[str]
) -> dict[str, Any]:
    """Micro and macro F1 and per-category precision, recall, F1 and support."""
    from ..metrics import precision_recall_f1

    pairs = [(set(p), set(g)) for p, g in zip(pred, gold)]
    counts = {
        cat: (
            sum(1 for p, g in pairs if cat in p and cat in g),
            sum(1 for p, g in pairs if cat in p and cat not in g),
            sum(1 for p, g in pairs if cat not in p and cat in g),
        )
        for cat in categories
    }
    per = {}
    for cat, (tp, fp, fn) in counts.items():
        scores = precision_recall_f1(tp, fp, fn)
        per[cat] = {
            "precision": round(scores["precision"], 3),
            "recall": round(scores["recall"], 3),
            "f1": round(scores["f1"], 3),
            "support": tp + fn,
            "predicted": tp + fp,
        }
    micro = precision_recall_f1(*(sum(c[i] for c in counts.values()) for i in range(3)))
    supported = [c for c in categories if per[c]["support"]]
    return {
        "items": len(pairs),
        "micro_f1": round(micro["f1"], 4),
        "macro_f1": round(sum(per[c]["f1"] for c in supported) / len(supported), 4) if supported else 0.0,
        "per_category": per,
    }


def scores_by_part(items: Sequence[Item], pred: Sequence[Sequence[str]], categories: Sequence[str]) -> dict[str, Any]:
    """Label scores over all items, per kind and per source."""
    parts: dict[str, Callable[[Item], bool]] = {
        "all": lambda i: True,
        "problem": lambda i: i.kind == "problem",
        "improvement": lambda i: i.kind == "improvement",
        "annotations": lambda i: i.source.startswith("annotations"),
        "real": lambda i: i.source.startswith("real"),
    }
    out = {}
    for name, keep in parts.items():
        chosen = [k for k, i in enumerate(items) if keep(i)]
        if chosen:
            out[name] = label_scores([pred[k] for k in chosen], [items[k].categories for k in chosen], categories)
    return out


def label_errors(items: Sequence[Item], pred: Sequence[Sequence[str]], top: int = 8) -> dict[str, Any]:
    """Labels given that the gold lacks (``extra``), gold labels missed
    (``missing``), and the most frequent swaps: a gold category missed where
    another was given (``confusions``)."""
    swaps: Counter[tuple[str, str]] = Counter()
    extra_total = missing_total = 0
    for item, labels in zip(items, pred):
        missed, extra = set(item.categories) - set(labels), set(labels) - set(item.categories)
        extra_total += len(extra)
        missing_total += len(missed)
        swaps.update((m, e) for m in missed for e in extra)
    return {
        "extra": extra_total,
        "missing": missing_total,
        "confusions": [{"gold": g, "predicted": p, "items": n} for (g, p), n in swaps.most_common(top)],
    }
