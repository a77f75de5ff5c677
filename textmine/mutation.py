"""Would a changed number be caught?  Mutation tests of the text-against-table check.

For each narrative number that restates a table quantity (a claim textmine
mapped to a ``cell``, or one the gold maps), the number is changed in the
report's text (n → 2n+1: outside every tolerance, 约 and 万 rounding
included), the report is analysed again, and the change is *caught* when
``text.table`` fails on that claim's sentence for that quantity.  A claim
whose quantity is blank in the table cannot be caught (the check skips, as
it must) and is counted apart.  The unchanged report gives the *false
fails*: ``text.table`` fails the gold does not have.

>>> result = mutate_report(document)   # doctest: +SKIP
>>> result.caught, result.targets      # doctest: +SKIP
(12, 12)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .numerals import FULLWIDTH, NumeralError, parse_number
from .record import Document, Record

# A number as written: Arabic (with a decimal part) or Chinese numerals.
_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+")
_SCALES = (1, 10_000, 100_000_000)


@dataclass
class Target:
    """One number to change: where it is and what it restates."""

    start: int  # of the claim's text
    end: int
    number_start: int  # of the digits to change
    number_end: int
    value: float
    keys: tuple[str, ...]  # the quantity keys a fail on which counts as caught
    origin: str  # "predicted", "gold" or "both"


@dataclass
class MutationResult:
    file: str
    targets: int = 0
    caught: int = 0
    blank: int = 0  # quantity blank in the table: the check skips
    missed: list[str] = field(default_factory=list)
    false_fails: list[str] = field(default_factory=list)


def _stages() -> tuple[Any, ...]:
    from .pipeline import STAGES, stage_problems, stage_reading

    # Section 五 and the reading verdict say nothing about text.table.
    return tuple(s for s in STAGES if s not in (stage_problems, stage_reading))


def _number_in(norm: str, start: int, end: int, value: float) -> tuple[int, int] | None:
    """The digits in ``norm[start:end]`` (full-width digits made ASCII) that
    state ``value`` (as written, or before 万/亿/万元): the first followed by
    a unit, else the last (申请一件一并: the 一 of 一件, not of 一并)."""
    from .claims import counting_words

    words = counting_words()
    found = []
    for m in _NUMBER.finditer(norm, start, end):
        try:
            n = parse_number(m.group())
        except (NumeralError, ValueError):
            continue
        if any(abs(n * s - value) <= 1e-6 * max(1.0, abs(value)) for s in _SCALES):
            found.append((m.start(), m.end()))
    with_unit = [f for f in found if norm.startswith(words, f[1])]
    return with_unit[0] if with_unit else (found[-1] if found else None)


def _changed(digits: str, scale: float, avoid: Sequence[float]) -> str:
    """n → 2n+1, written in Arabic digits (十三 → 27, 2.8 → 6.6, 0 → 1); one
    more while that is a value another reading of the words has (3 direct
    suits changed to 7, the number of all suits, is no disagreement)."""
    n = float(parse_number(digits.translate(FULLWIDTH)))
    new = 2 * n + 1
    while any(abs(new * scale - a) <= 0.5 * scale for a in avoid):
        new += 1
    return str(int(new)) if new.is_integer() else f"{new:.{len(digits.split('.')[1]) if '.' in digits else 1}f}"


def targets_of(record: Record, gold: Mapping[str, Any] | None = None) -> list[Target]:
    """Every mapped claim of ``record``, and every gold claim with a ``cell``
    found in its text, once each."""
    targets: dict[tuple[int, int], Target] = {}
    norm = record.text.translate(FULLWIDTH)  # same length: offsets hold
    for c in record.claims:
        if not c.get("cell") or not isinstance(c.get("value"), (int, float)):
            continue
        where = _number_in(norm, c["start"], c["end"], c["value"])
        if where:
            keys = tuple(dict.fromkeys([c["cell"], *(c.get("readings") or [])]))
            targets[where] = Target(c["start"], c["end"], *where, float(c["value"]), keys, "predicted")
    for g in (gold or {}).get("claims") or []:
        if not g.get("cell") or not isinstance(g.get("value"), (int, float)):
            continue
        at = _find_outside_tables(record, str(g.get("text") or ""))
        if at is None:
            continue
        where = _number_in(norm, at, at + len(g["text"]), g["value"])
        if not where:
            continue
        if where in targets:
            t = targets[where]
            targets[where] = replace(t, keys=tuple(dict.fromkeys([*t.keys, g["cell"]])), origin="both")
        else:
            targets[where] = Target(at, at + len(g["text"]), *where, float(g["value"]), (g["cell"],), "gold")
    return sorted(targets.values(), key=lambda t: t.number_start)


def _find_outside_tables(record: Record, text: str) -> int | None:
    spans = list(record.table_spans.values())
    pos = record.text.find(text)
    while pos >= 0:
        if not any(a <= pos < b for a, b in spans):
            return pos
        pos = record.text.find(text, pos + 1)
    return None


def _values(keys: Sequence[str], values: Mapping[str, Any], universe: Sequence[str]) -> list[float]:
    """The values of quantities ``keys`` over one report's cells (blank ones left out)."""
    from .quantities import quantity, value_of

    found = (value_of(quantity(k), values, universe).value for k in keys)
    return [float(v) for v in found if v is not None]


def mutate_report(
    document: Document,
    gold: Mapping[str, Any] | None = None,
    *,
    record: Record | None = None,
    file: str | None = None,
) -> MutationResult:
    """Change each mapped number of ``document`` in turn and see whether the
    checks catch it; count the ``text.table`` fails of the unchanged report
    (``record``, when the caller analysed it already) the gold does not have
    (all of them without gold)."""
    from .checks import cell_operands
    from .pipeline import analyze_document

    stages = _stages()
    if record is None:
        record = analyze_document(document, stages)
    values, universe = cell_operands({"": record})
    result = MutationResult(file or document.source)
    gold_fails = {k for k, v in ((gold or {}).get("checks") or {}).items() if v == "fail"}
    for check in record.checks:
        if (
            check["rule"] == "text.table"
            and check["status"] == "fail"
            and f"text.table:{check['scope']}" not in gold_fails
        ):
            result.false_fails.append(f"{check['scope']}: {check['message']}")
    for target in targets_of(record, gold):
        readings = _values(target.keys, values, universe)
        if not readings:
            result.blank += 1
            continue
        result.targets += 1
        digits = record.text[target.number_start : target.number_end]
        scale = target.value / float(parse_number(digits.translate(FULLWIDTH))) if target.value else 1.0
        text = record.text[: target.number_start] + _changed(digits, scale, readings) + record.text[target.number_end :]
        changed = analyze_document(replace(document, text=text), stages)
        caught = any(
            c["rule"] == "text.table"
            and c["status"] == "fail"
            and c["scope"] in target.keys
            and (c.get("start") or 0) <= target.number_start < (c.get("end") or 0)
            for c in changed.checks
        )
        if caught:
            result.caught += 1
        else:
            sentence = record.text[target.start : target.end]
            result.missed.append(f"{sentence} ({'/'.join(target.keys)}, {target.origin})")
    return result
