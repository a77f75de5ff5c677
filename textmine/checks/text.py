"""``text.table``: a narrative number against the table quantity it restates.

A claim's ``cell`` names a quantity (:mod:`textmine.quantities`): a cell, a
sum the narrative states (不予公开5件: the eight 不予公开 rows) or a share of
the handled total (占35%).  When the claim's words allow several quantities
(``readings``: 收到申请15件 may count the requests carried over), the table
decides: the reading the number fits is the one checked; when it fits none
and every reading could be computed, the claim disagrees with the table
whichever it means, and fails naming each; when a reading could not be
computed (a blank cell) the check skips and says so.

Tolerances: a figure printed with 万/亿 is good to half its last digit
(2.8万 = 27,500–28,499), a percentage to half its last printed digit, money
in 元 against a cell in 万元 to the rule's tolerance, and an approximate
figure (约, 余, 多) to a share of the cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..expressions import as_keys, is_number
from ..quantities import Value, quantity, value_of

MONEY_CELLS = frozenset({"t2.fees.amount", "t2.procurement.amount"})
YUAN_PER_WAN = 10_000

_SCALED = re.compile(r"(\d+(?:\.(\d+))?)\s*(万|亿)")
_PERCENT = re.compile(r"(\d+(?:\.(\d+))?)\s*[%％]")


@dataclass(frozen=True)
class Tolerances:
    """The ``text.table`` rule's tolerances (``data/rules.toml``)."""

    money: float = 0.005  # 万元
    money_share: float = 0.0005  # of the cell
    approx_share: float = 0.1  # of the cell, for 约/余/多 figures


@dataclass(frozen=True)
class Comparison:
    """One claim against one reading."""

    key: str
    status: str  # pass | fail | skip
    left: float | int | None
    right: float | int | None
    cells: tuple[str, ...]
    blank: tuple[str, ...]


def _rounding(claim: Mapping[str, Any]) -> float:
    """Half a unit of the last digit printed: before 万/亿 (2.8万 → 500), or of a percentage (35.2% → 0.05)."""
    text = str(claim.get("text") or "")
    if claim.get("kind") == "rate" or claim.get("unit") == "%":
        m = _PERCENT.search(text)
        return 0.5 / 10 ** len(m.group(2) or "") if m else 0.5
    m = _SCALED.search(text)
    if not m:
        return 0.0
    decimals = len(m.group(2) or "")
    return 0.5 * (10_000 if m.group(3) == "万" else 100_000_000) / 10**decimals


def _tidy(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 6)


def compare(
    claim: Mapping[str, Any],
    key: str,
    values: Mapping[str, Any],
    universe: Iterable[str],
    tol: Tolerances,
) -> Comparison:
    """``claim``'s number against quantity ``key`` over one report's ``values``."""
    got: Value = value_of(quantity(key), values, universe)
    if got.value is None or not is_number(claim.get("value")):
        return Comparison(key, "skip", claim.get("value"), got.value, got.cells, got.blank)
    target = float(got.value)
    left = float(claim["value"])
    tolerance = _rounding(claim)
    if key in MONEY_CELLS:
        if claim.get("unit") == "元" or claim.get("kind") == "money":
            left, tolerance = left / YUAN_PER_WAN, tolerance / YUAN_PER_WAN
        tolerance = max(tolerance, tol.money, tol.money_share * abs(target))
    if claim.get("approx"):
        tolerance = max(tolerance, tol.approx_share * abs(target))
    status = "pass" if abs(left - target) <= tolerance + 1e-9 else "fail"
    return Comparison(key, status, _tidy(left), _tidy(target), got.cells, got.blank)


def judge(
    claim: Mapping[str, Any],
    values: Mapping[str, Any],
    universe: Iterable[str],
    tol: Tolerances,
) -> tuple[Comparison, str]:
    """The comparison that stands for ``claim`` and the sentence that says it.

    One reading: that comparison.  Several: the first that passes; else, if
    every reading could be computed, a fail on the claim's ``cell`` naming
    each; else a skip naming the blank.
    """
    universe = as_keys(universe)
    text = claim.get("text")
    readings = list(claim.get("readings") or []) or [str(claim["cell"])]
    results = [compare(claim, key, values, universe, tol) for key in readings]
    for r in results:
        if r.status == "pass":
            return r, f"{text} agrees with {_show(r)}"
    computed = [r for r in results if r.status == "fail"]
    if len(readings) == 1:
        r = results[0]
        if r.status == "skip":
            return r, _blank(r)
        return r, f"{text} says {r.left}, {_show(r)}"
    if len(computed) == len(results):
        first = next(r for r in results if r.key == claim.get("cell")) if claim.get("cell") in readings else results[0]
        cells = tuple(dict.fromkeys(c for r in results for c in r.cells))
        if len({r.right for r in results}) == 1:
            # The readings agree here (nothing carried over): one disagreement.
            return Comparison(
                first.key, "fail", first.left, first.right, cells, ()
            ), f"{text} says {first.left}, {_show(first)}"
        shown = "; ".join(_show(r) for r in results)
        return (
            Comparison(first.key, "fail", first.left, first.right, cells, ()),
            f"{text} says {first.left}, which fits no reading of it: {shown}",
        )
    skipped = [r for r in results if r.status == "skip"]
    cells = tuple(dict.fromkeys(c for r in results for c in r.cells))
    shown = "; ".join(_show(r) for r in computed)
    return (
        Comparison(skipped[0].key, "skip", results[0].left, None, cells, skipped[0].blank),
        f"{text} fits no reading that could be computed ({shown or 'none'}); " + _blank(skipped[0]),
    )


def _show(r: Comparison) -> str:
    q = quantity(r.key)
    if q.expr == r.key and not q.of:
        return f"{r.key} = {r.right}"
    return f"{r.key} = {q.arithmetic} = {r.right}"


def _blank(r: Comparison) -> str:
    if not r.cells and not r.blank:
        return f"{r.key}: the report's layout has no such cells"
    if r.blank == (r.key,):
        return f"{r.key} is blank"
    return f"{r.key}: " + ", ".join(r.blank) + (" is blank" if len(r.blank) == 1 else " are blank")
