"""Section 五: problem and improvement items, their categories, and scoring.

* :func:`extract_items` — split section 五 (:mod:`textmine.problems.items`)
  and label each item (the shipped classifier of
  :mod:`textmine.problems.combined`, or any object with ``predict`` and,
  optionally, ``explain`` or ``predict_and_explain``).
* :func:`score_items` — compare predicted items with gold items.

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

from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from .items import split_items
from .rules import CATEGORIES, RuleClassifier

__all__ = ["CATEGORIES", "MATCH_OVERLAP", "RuleClassifier", "extract_items", "score_items", "split_items"]

MATCH_OVERLAP = 0.8


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
        out = {"text": it["text"], "start": it["start"], "end": it["end"], "categories": list(cats), "evidence": evidence}
        (problems if it["kind"] == "problem" else improvements).append(out)
    return problems, improvements


def _overlap(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    same = sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same / min(len(a), len(b))


def precision_recall_f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined), with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


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
    micro = precision_recall_f1(sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values()))
    macro = sum(v["f1"] for v in per.values()) / len(per) if per else 0.0
    return {"items": precision_recall_f1(i_tp, i_fp, i_fn), "labels": {"micro": micro, "macro_f1": macro}, "per_category": per, "matched": i_tp}

