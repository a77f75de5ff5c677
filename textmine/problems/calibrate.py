"""Grouped folds, Platt scaling and thresholds (one per category, or one shared).

A category's decision is ``calibrated probability >= its threshold``.  Both
come from scores the model gave items it was not fitted on (out-of-fold,
folds grouped so that one report, in any of its formats, never sits on both
sides), never from reading the gold: a word that merely appears in an item
then carries a label only as far as it predicted that label on unseen items.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

# Probabilities a threshold may take; coarse on purpose: a few hundred
# out-of-fold scores do not support a finer choice.
THRESHOLD_GRID = tuple(round(0.05 * k, 2) for k in range(2, 19))
# Shares of an item's likeliest probability that keep a second category
# below the threshold (1.0: the likeliest alone).
RATIO_GRID = (0.6, 0.7, 0.8, 0.9, 1.0)


def grouped_folds(groups: Sequence[str], folds: int, seed: int = 0) -> np.ndarray:
    """The fold of each item: whole groups, spread in a fixed pseudo-random order."""
    distinct = sorted(set(groups), key=lambda g: (zlib.crc32(f"{seed}:{g}".encode()), g))
    fold_of = {g: k % folds for k, g in enumerate(distinct)}
    return np.array([fold_of[g] for g in groups], dtype=np.int64)


def platt(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` with ``sigmoid(a * score + b)`` the probability of the label
    (Platt 1999); ``(1, 0)`` when the scores cannot be fitted (one class only)."""
    from sklearn.linear_model import LogisticRegression

    if truth.min() == truth.max():
        return 1.0, 0.0
    fitted = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), truth)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The grid threshold of best F1 on these out-of-fold probabilities: the
    middle of the best run of the grid (a lone peak is noise more often than
    a plateau's edge); 1.0 (never) for a category with no positive item."""
    if not truth.any():
        return 1.0
    return _middle_of_best([_f1(probabilities >= t, truth.astype(bool)) for t in THRESHOLD_GRID])


def best_shared_threshold(probabilities: np.ndarray, truth: np.ndarray, ratio: float = 1.0) -> float:
    """The grid threshold of best micro-F1 when every category is cut at it
    (items x categories), an item keeping too every category within
    ``ratio`` of its likeliest (:func:`shared_cut`; at 1.0 the likeliest
    alone, as :class:`~textmine.problems.combined.CombinedClassifier` labels
    an item with no category past the threshold); the middle of the best
    run, as :func:`best_threshold`."""
    if not truth.any():
        return 1.0
    return _middle_of_best(_shared_f1(probabilities, truth, ratio))


def best_shared_cut(probabilities: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The shared threshold and the ratio of :data:`RATIO_GRID` of best
    micro-F1 together; of ratios scoring alike, the highest (fewest labels)."""
    if not truth.any():
        return 1.0, 1.0
    best: tuple[float, float, float] | None = None
    for ratio in sorted(RATIO_GRID, reverse=True):
        f1 = _shared_f1(probabilities, truth, ratio)
        # The middle of the best run scores the best F1 of the grid.
        if best is None or max(f1) > best[0] + 1e-9:
            best = (max(f1), _middle_of_best(f1), ratio)
    assert best is not None
    return best[1], best[2]


def _shared_f1(probabilities: np.ndarray, truth: np.ndarray, ratio: float) -> list[float]:
    """Micro-F1 of :func:`shared_cut` at each threshold of the grid."""
    positives = truth.astype(bool)
    return [_f1(shared_cut(probabilities, t, ratio), positives) for t in THRESHOLD_GRID]


def shared_cut(probabilities: np.ndarray, threshold: float | np.ndarray, ratio: float = 1.0) -> np.ndarray:
    """The labels kept (items x categories): a category at ``threshold`` (one
    for all, or one per category) or above, or within ``ratio`` of the item's likeliest (the likeliest itself
    always: an item is about something)."""
    return (probabilities >= threshold) | (probabilities >= ratio * probabilities.max(axis=1, keepdims=True))


def _f1(predicted: np.ndarray, positives: np.ndarray) -> float:
    tp = int((predicted & positives).sum())
    return 2 * tp / (predicted.sum() + positives.sum())


def _middle_of_best(f1: list[float]) -> float:
    best = max(f1)
    top = [k for k, f in enumerate(f1) if f >= best - 1e-9]
    # The longest run of consecutive grid points at the best F1.
    runs: list[list[int]] = []
    for k in top:
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    run = max(runs, key=len)
    return THRESHOLD_GRID[run[len(run) // 2]]
