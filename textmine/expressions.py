"""A small, safe evaluator for expressions over cell keys: the rules of
``data/rules.toml`` and the derived quantities of ``data/claims.toml``.

Grammar (no ``eval``)::

    rule   := side ("==") side
    side   := term (("+" | "-") term)*
    term   := NUMBER | KEY | "sum(" PATTERN ")"

A KEY is a dotted cell key with its table (``t3.new_received.total``,
``prev.t3.carried_forward.total``); a PATTERN is a key where ``*`` stands for
one segment, expanded over the cell keys of the record's layout, so that a
row the table lacks is a blank operand, never a silent zero.  ``{col}`` and
the other scope variables are substituted before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul
from typing import Any, NamedTuple

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<sum>sum\()|(?P<key>[A-Za-z_*][A-Za-z0-9_.*]*)|(?P<op>==|[+\-)]))"
)


class RuleSyntaxError(ValueError):
    """A rule expression that does not follow the grammar."""


@dataclass(frozen=True)
class Term:
    sign: int
    kind: str  # "num", "key", "sum"
    text: str
    number: float = 0.0


# One term over a universe: (sign, the keys it adds, its text, its number);
# keys None for a number, empty for a sum over no key the layout has.
_Step = tuple[int, "tuple[str, ...] | None", str, float]


class _Plan(NamedTuple):
    """An expression over one universe: both sides' steps (sums expanded)
    and, when every term is a cell key or a whole number and no sum is
    empty, all its keys in order with their signs (the first ``split`` the
    left side's) and each side's numbers added up."""

    sides: tuple[tuple[_Step, ...], tuple[_Step, ...]]
    keys: tuple[str, ...] | None
    signs: tuple[int, ...] = ()
    split: int = 0
    constants: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Expression:
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    source: str
    # The plan over each layout universe (Keys) it was evaluated over: a
    # rule is evaluated for every scope of every report.
    _steps: dict[tuple[str, ...], _Plan] = field(default_factory=dict, compare=False, repr=False)


@lru_cache(maxsize=1024)
def parse(expr: str) -> Expression:
    """Parse ``expr`` into two signed term lists.

    >>> parse("t4.a + t4.b == t4.c").left[1].text
    't4.b'
    """
    tokens: list[tuple[str, str]] = []
    pos = 0
    expr_s = expr.rstrip()
    while pos < len(expr_s):
        m = _TOKEN.match(expr_s, pos)
        if not m or m.end() == pos:
            raise RuleSyntaxError(f"cannot read rule expression {expr!r} at {pos}: {expr_s[pos : pos + 12]!r}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    sides: list[list[Term]] = [[]]
    sign = 1
    expect_term = True
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if expect_term:
            if kind == "op" and text == "-":
                sign = -sign
                i += 1
                continue
            if kind == "num":
                sides[-1].append(Term(sign, "num", text, float(text)))
            elif kind == "key":
                if "*" in text:
                    raise RuleSyntaxError(f"{expr!r}: a pattern with * must be inside sum(…): {text}")
                sides[-1].append(Term(sign, "key", text))
            elif kind == "sum":
                if i + 2 >= len(tokens) or tokens[i + 1][0] != "key" or tokens[i + 2] != ("op", ")"):
                    raise RuleSyntaxError(f"{expr!r}: sum( must hold one key pattern and a closing )")
                sides[-1].append(Term(sign, "sum", tokens[i + 1][1]))
                i += 2
            else:
                raise RuleSyntaxError(f"{expr!r}: expected a number, a cell key or sum(…), got {text!r}")
            expect_term = False
            sign = 1
        else:
            if kind != "op" or text == ")":
                raise RuleSyntaxError(f"{expr!r}: expected +, - or ==, got {text!r}")
            if text == "==":
                if len(sides) == 2:
                    raise RuleSyntaxError(f"{expr!r}: more than one ==")
                sides.append([])
            else:
                sign = 1 if text == "+" else -1
            expect_term = True
        i += 1
    if expect_term or len(sides) != 2 or not sides[0] or not sides[1]:
        raise RuleSyntaxError(f"{expr!r}: expected LEFT == RIGHT")
    return Expression(tuple(sides[0]), tuple(sides[1]), expr)


class Keys(tuple[str, ...]):
    """A universe of cell keys that hashes once.  A universe keys the cache
    of :func:`expand`, and a tuple hashes every one of its keys (a hundred
    and more) at each lookup, where a report's checks look up dozens."""

    def __hash__(self) -> int:
        cached: int | None = self.__dict__.get("hash")
        if cached is None:
            cached = self.__dict__["hash"] = super().__hash__()
        return cached


def as_keys(universe: Iterable[str]) -> tuple[str, ...]:
    """``universe`` as a tuple: itself when it is one (a :class:`Keys` stays one)."""
    return universe if isinstance(universe, tuple) else tuple(universe)


@lru_cache(maxsize=4096)
def expand(pattern: str, universe: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of ``universe`` that ``pattern`` (``*`` = one segment) matches, in order
    (cached: a layout's universe repeats from report to report)."""
    regex = _pattern_regex(pattern)
    return tuple(k for k in universe if regex.match(k))


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    return re.compile("^" + r"\.".join("[^.]+" if p == "*" else re.escape(p) for p in pattern.split(".")) + "$")


@dataclass
class Outcome:
    """What evaluating one expanded expression gave."""

    status: str  # pass | fail | skip
    left: float | None
    right: float | None
    cells: list[str]
    blank: list[str]
    message: str = ""


_WHOLE = {int}
# Whole numbers below this (and at most 1024 of them) add up exactly in floats.
_EXACT = 2**40


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def evaluate(
    expression: Expression,
    values: Mapping[str, Any],
    universe: Iterable[str],
    *,
    tolerance: float = 0.0,
) -> Outcome:
    """Evaluate ``expression`` over ``values`` (cell key → number or None).

    ``universe`` holds every cell key the layout defines; ``sum`` patterns
    expand over it.  A key absent from ``values`` or holding None is blank:
    the outcome is a skip naming it.
    """
    # A layout's universe is planned once (the same object report after report).
    plan = expression._steps.get(universe) if type(universe) is Keys else None
    plan = plan or _steps(expression, as_keys(universe))
    if plan.keys is not None:
        found = list(map(values.get, plan.keys))
        if not found or (set(map(type, found)) == _WHOLE and max(map(abs, found)) < _EXACT):
            return _whole_outcome(plan, found, tolerance)
    cells: list[str] = []
    blank: list[str] = []
    totals: list[float] = []
    for side in plan.sides:
        total = 0.0
        for sign, keys, text, number in side:
            if keys is None:
                total += sign * number
                continue
            if not keys:  # a sum over no key the layout has
                blank.append(text)
                continue
            cells.extend(keys)
            for key in keys:
                value = values.get(key)
                # is_number, inline: this loop runs for every operand of every check.
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    total += sign * value
                else:
                    blank.append(key)
        totals.append(total)
    if blank:
        return Outcome(
            "skip", None, None, cells, blank, ", ".join(blank) + (" is blank" if len(blank) == 1 else " are blank")
        )
    left, right = _tidy(totals[0]), _tidy(totals[1])
    ok = abs(left - right) <= tolerance + 1e-9
    return Outcome("pass" if ok else "fail", left, right, cells, [], "" if ok else f"{_fmt(left)} ≠ {_fmt(right)}")


def _steps(expression: Expression, universe: tuple[str, ...]) -> _Plan:
    """``expression`` planned over ``universe``; kept on the expression for a
    :class:`Keys` universe (a layout's, the same object report after report)."""
    plan = expression._steps.get(universe) if isinstance(universe, Keys) else None
    if plan is None:
        plan = _plan((_side_steps(expression.left, universe), _side_steps(expression.right, universe)))
        if isinstance(universe, Keys):
            expression._steps[universe] = plan
    return plan


def _plan(sides: tuple[tuple[_Step, ...], tuple[_Step, ...]]) -> _Plan:
    """``sides`` and, when they have one, their whole-number form (:class:`_Plan`)."""
    keys: list[str] = []
    signs: list[int] = []
    constants: list[int] = []
    for side in sides:
        constant = 0
        for sign, side_keys, _text, number in side:
            if side_keys is None and number.is_integer() and abs(number) < _EXACT:
                constant += sign * int(number)
            elif side_keys:
                keys += side_keys
                signs += [sign] * len(side_keys)
            else:  # a sum over no key (a blank) or a fraction: term by term
                return _Plan(sides, None)
        constants.append(constant)
    if len(keys) > 1024:
        return _Plan(sides, None)
    split = sum(len(side_keys) for _sign, side_keys, _text, _number in sides[0] if side_keys)
    return _Plan(sides, tuple(keys), tuple(signs), split, (constants[0], constants[1]))


def _whole_outcome(plan: _Plan, counts: list[int], tolerance: float) -> Outcome:
    """The outcome of a plan over whole counts below :data:`_EXACT`: added up
    as whole numbers they are exactly what the term-by-term float sums give
    (and :func:`_tidy` makes of them)."""
    pushes = list(map(mul, plan.signs, counts))
    left = plan.constants[0] + sum(pushes[: plan.split])
    right = plan.constants[1] + sum(pushes[plan.split :])
    ok = abs(left - right) <= tolerance + 1e-9
    return Outcome("pass" if ok else "fail", left, right, list(plan.keys or ()), [], "" if ok else f"{left} ≠ {right}")


def _side_steps(terms: tuple[Term, ...], universe: tuple[str, ...]) -> tuple[_Step, ...]:
    return tuple(
        (term.sign, None, term.text, term.number)
        if term.kind == "num"
        else (term.sign, (term.text,) if term.kind == "key" else expand(term.text, universe), term.text, term.number)
        for term in terms
    )


def _tidy(x: float) -> float | int:
    return round(x) if abs(x - round(x)) < 1e-9 else round(x, 6)


def _fmt(x: float) -> str:
    return str(x)
