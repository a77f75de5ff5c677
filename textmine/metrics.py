"""Precision, recall and F1 from counts: shared by the scorers
(:mod:`textmine.scoring`) and the classifier's training (:mod:`textmine.problems.train`)."""

from __future__ import annotations


def precision_recall_f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts (0 where undefined), with the counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a share (95 % by default): unlike the
    normal approximation it stays inside [0, 1] and is honest for small ``n``
    and shares near 0 or 1.

    >>> [round(x, 3) for x in wilson_interval(8, 10)]
    [0.49, 0.943]
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def trend_test(years: list[float], admitting: list[int], reports: list[int]) -> float | None:
    """The two-sided p-value of the Cochran–Armitage test for a linear trend
    in a share across years (``admitting`` of ``reports`` each year): small
    when the share moves with the year more than chance would make it.
    None when it cannot be told (fewer than two years, a share of 0 or 1
    throughout).

    >>> round(trend_test([2021, 2022, 2023], [10, 20, 30], [100, 100, 100]), 5)  # R: prop.trend.test
    0.00041
    """
    import math

    total, hits = sum(reports), sum(admitting)
    if len(years) < 2 or total == 0 or hits in (0, total):
        return None
    mean_year = sum(n * x for x, n in zip(years, reports)) / total
    p = hits / total
    statistic = sum(k * (x - mean_year) for x, k in zip(years, admitting))
    variance = p * (1 - p) * sum(n * (x - mean_year) ** 2 for x, n in zip(years, reports))
    if variance <= 0:
        return None
    return math.erfc(abs(statistic) / math.sqrt(2 * variance))
