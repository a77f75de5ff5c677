"""Scoring: predictions against gold, for each thing a record holds.

Beside :mod:`textmine.evaluate`, which runs the pipeline over a gold corpus
and sums these scores per file.

* :func:`score_claims` — claims against gold claims; :func:`score_cells` the
  table quantities they are mapped to (:func:`same_quantity`).
* :func:`score_checks` — check statuses against a gold ``checks`` map.
* :func:`score_items` — section-五 items and their categories.

Matching rule used by :func:`score_items`: a predicted item matches a gold
item of the same kind when their texts share at least 80 % of the shorter
text's characters (the matching blocks of :class:`difflib.SequenceMatcher`),
so a trailing ； or a kept/dropped marker does not break a match.  Each gold
item matches at most one predicted item (greedy, best overlap first, in gold
order).  Labels are scored over matched pairs only: micro P/R/F1 over all
(item, category) decisions, macro F1 as the mean of per-category F1 over the
categories present in gold or prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from .checks import aggregate
from .metrics import precision_recall_f1
from .problems import CATEGORIES

__all__ = [
    "MATCH_OVERLAP",
    "precision_recall_f1",
    "same_quantity",
    "score_cells",
    "score_checks",
    "score_claims",
    "score_items",
]

MATCH_OVERLAP = 0.8

# -- claims -----------------------------------------------------------------------


def _same_value(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def score_claims(pred: Sequence[Mapping[str, Any]], gold: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Precision and recall of ``pred`` against ``gold`` claims.

    A predicted claim matches a gold one when the values are equal and the
    texts are equal, or one text contains the other (a gold ``4个片区`` matches
    a predicted ``梳理出4个片区``).  Matching is one-to-one: equal texts pair
    first, then containment, each gold claim with the first free prediction.

    >>> score_claims([{"text": "共办结9件", "value": 9}], [{"text": "办结9件", "value": 9}])["tp"]
    1
    """
    used: set[int] = set()
    matched: set[int] = set()
    pairs: list[tuple[int, int]] = []  # (prediction, gold) index
    for rule in (lambda p, g: p == g, lambda p, g: g in p or p in g):
        for gi, g in enumerate(gold):
            if gi in matched:
                continue
            for pi, p in enumerate(pred):
                if pi in used or not _same_value(p.get("value"), g.get("value")):
                    continue
                if rule(str(p.get("text", "")), str(g.get("text", ""))):
                    used.add(pi)
                    matched.add(gi)
                    pairs.append((pi, gi))
                    break
    tp = len(matched)
    fp = len(pred) - len(used)
    fn = len(gold) - tp
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "unmatched_pred": [p for i, p in enumerate(pred) if i not in used],
        "unmatched_gold": [g for i, g in enumerate(gold) if i not in matched],
        "pairs": pairs,
    }


def same_quantity(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    """Whether a predicted claim restates the quantity a gold claim does: the
    same ``cell``, or one claim's cell among the other's ``readings`` (the
    table decides between readings when the report is analysed)."""
    p, g = pred.get("cell"), gold.get("cell")
    if p == g:
        return True
    if not p or not g:
        return False
    # Several readings: the report's table chooses among them when it is read.
    return g in {p, *(pred.get("readings") or ())} or p in {g, *(gold.get("readings") or ())}


def score_cells(
    pred: Sequence[Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
    pairs: Sequence[tuple[int, int]] | None = None,
) -> dict[str, int]:
    """How well claims are mapped to table quantities: a predicted claim with
    a cell is right when it matches (:func:`score_claims`; its ``pairs`` when
    already scored) a gold claim of :func:`same_quantity`; ``pred``/``gold``
    count the claims with a cell."""
    if pairs is None:
        pairs = score_claims(pred, gold)["pairs"]
    right = sum(1 for pi, gi in pairs if pred[pi].get("cell") and same_quantity(pred[pi], gold[gi]))
    return {
        "right": right,
        "pred": sum(1 for c in pred if c.get("cell")),
        "gold": sum(1 for c in gold if c.get("cell")),
    }


# -- checks -----------------------------------------------------------------------


def score_checks(pred: Iterable[Mapping[str, Any]], gold: Mapping[str, str]) -> dict[str, Any]:
    """Agreement of predicted statuses with a gold ``checks`` map over the gold keys.

    A gold key the prediction lacks counts as a disagreement (status ``None``).
    """
    got = aggregate(pred)
    disagreements = {k: {"pred": got.get(k), "gold": v} for k, v in gold.items() if got.get(k) != v}
    n = len(gold)
    return {
        "n": n,
        "agree": n - len(disagreements),
        "agreement": (n - len(disagreements)) / n if n else 1.0,
        "disagreements": disagreements,
    }


# -- section-五 items ----------------------------------------------------------------


def _overlap(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    same = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same / min(len(a), len(b))


def _reports(x: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [x] if isinstance(x, Mapping) else list(x)


def _kinded(report: Mapping[str, Any]) -> list[tuple[str, dict]]:
    return [("problem", it) for it in report.get("problems") or []] + [
        ("improvement", it) for it in report.get("improvements") or []
    ]


def score_items(
    pred: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    gold: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Item F1 and label F1 of predicted against gold items.

    ``pred`` and ``gold`` are one report or a list of reports (paired in
    order), each a mapping with ``problems`` and ``improvements`` lists of
    ``{"text", "categories"}`` (the gold JSON shape; extra keys ignored).

    Returns ``{"items": {precision, recall, f1, tp, fp, fn}, "labels":
    {"micro": {...}, "macro_f1": float}, "per_category": {key: {...}},
    "matched": n}``.  See the module docstring for the matching rule.
    """
    preds, golds = _reports(pred), _reports(gold)
    if len(preds) != len(golds):
        raise ValueError(f"score_items: {len(preds)} predicted reports but {len(golds)} gold reports")
    i_tp = i_fp = i_fn = 0
    counts = {k: [0, 0, 0] for k in CATEGORIES}  # tp, fp, fn
    for p_rep, g_rep in zip(preds, golds):
        p_items, g_items = _kinded(p_rep), _kinded(g_rep)
        used: set[int] = set()
        for g_kind, g_it in g_items:
            best, best_j = MATCH_OVERLAP, None
            for j, (p_kind, p_it) in enumerate(p_items):
                if j in used or p_kind != g_kind:
                    continue
                ov = _overlap(g_it["text"], p_it["text"])
                if ov >= best:
                    best, best_j = ov, j
                    if ov == 1.0:
                        break
            if best_j is None:
                i_fn += 1
                continue
            used.add(best_j)
            i_tp += 1
            g_cats = set(g_it.get("categories") or [])
            p_cats = set(p_items[best_j][1].get("categories") or [])
            for k in g_cats | p_cats:
                if k not in counts:
                    counts[k] = [0, 0, 0]
                c = counts[k]
                c[0] += k in g_cats and k in p_cats
                c[1] += k in p_cats and k not in g_cats
                c[2] += k in g_cats and k not in p_cats
        i_fp += len(p_items) - len(used)
    per = {k: precision_recall_f1(*c) for k, c in counts.items() if any(c)}
    micro = precision_recall_f1(
        sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values())
    )
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {
        "items": precision_recall_f1(i_tp, i_fp, i_fn),
        "labels": {"micro": micro, "macro_f1": macro},
        "per_category": per,
        "matched": i_tp,
    }
