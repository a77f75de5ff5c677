"""Quantities a narrative number can restate: a table cell, or arithmetic over cells.

A quantity has a key in the cells' own namespace.  A cell key
(``t3.granted.total``) is itself; the derived keys of ``[quantities]`` in
``data/claims.toml`` are sums the narrative states (``t3.denied.total``: the
eight 不予公开 rows; ``t4.suit.total``: suits direct and after review); a key
ending in ``.share`` is a percentage of table 3's handled total
(``t3.granted.total.share`` = 100 × ``t3.granted.total`` / ``t3.handled_total.total``).
A sum over a pattern adds whatever rows the report's layout has:
``t3.other.total`` (其他处理) is the three rows of the 2021 form or the one
row of the 2019 form.

>>> q = quantity("t3.granted_or_partly.total")
>>> q.expr
't3.granted.total + t3.partly_granted.total'
>>> value_of(q, {"t3.granted.total": 4, "t3.partly_granted.total": 1}).value
5
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data import load_toml
from .expressions import RuleSyntaxError, as_keys, evaluate, expand, parse

_KEY = re.compile(r"^t[234](?:\.[a-z_]+)+$")


@dataclass(frozen=True)
class Quantity:
    """What a claim's ``cell`` stands for: ``expr`` over cell keys, and for a
    share, the ``of`` it is a percentage of."""

    key: str
    expr: str
    of: str | None = None

    @property
    def arithmetic(self) -> str:
        """The arithmetic a claim of this quantity implies, as text."""
        return f"100 × ({self.expr}) / {self.of}" if self.of else self.expr


@dataclass(frozen=True)
class Value:
    """A quantity evaluated over one report's cells: ``value`` is None when a
    cell it needs is ``blank`` (or its layout lacks the row)."""

    value: float | int | None
    cells: tuple[str, ...]
    blank: tuple[str, ...]


@dataclass(frozen=True)
class _Definitions:
    derived: Mapping[str, str]
    share_suffix: str
    share_of: str


@lru_cache(maxsize=1)
def _definitions() -> _Definitions:
    data = load_toml("claims.toml")
    derived = dict(data["quantities"])
    shares = data["shares"]
    for key, expr in derived.items():
        if not _KEY.match(key):
            raise ValueError(f"claims.toml [quantities]: {key!r} is not a key like t3.denied.total")
        try:
            parse(f"{expr} == 0")
        except RuleSyntaxError as exc:
            raise ValueError(f"claims.toml [quantities]: {key!r}: {exc}") from None
    return _Definitions(derived=derived, share_suffix="." + shares["suffix"], share_of=shares["of"])


@lru_cache(maxsize=1024)
def quantity(key: str) -> Quantity:
    """The quantity ``key`` names (a cell key stands for itself); the same
    few dozen are asked for in every report."""
    defs = _definitions()
    if key.endswith(defs.share_suffix):
        base = key.removesuffix(defs.share_suffix)
        return Quantity(key, defs.derived.get(base, base), defs.share_of)
    return Quantity(key, defs.derived.get(key, key))


def cells_of(q: Quantity, universe: Iterable[str]) -> tuple[str, ...]:
    """The cell keys ``q`` reads, ``sum(…)`` expanded over ``universe``; empty
    when the layout lacks one of them (a 2019 key in a 2021 report)."""
    universe = as_keys(universe)
    members = set(universe)
    keys: list[str] = []
    for side in (q.expr, q.of):
        if not side:
            continue
        for term in parse(f"{side} == 0").left:
            if term.kind == "sum":
                found = expand(term.text, universe)
                if not found:
                    return ()
                keys += found
            elif term.kind == "key":
                if term.text not in members:
                    return ()
                keys.append(term.text)
    return tuple(keys)


def value_of(q: Quantity, values: Mapping[str, Any], universe: Iterable[str] | None = None) -> Value:
    """``q`` over ``values`` (cell key → number or None); ``universe``, the keys
    the layout has, expands ``sum(…)`` (default: the keys of ``values``)."""
    universe = as_keys(values if universe is None else universe)
    top = evaluate(parse(f"{q.expr} == 0"), values, universe)
    cells, blank = list(top.cells), list(top.blank)
    total = top.left
    if q.of:
        below = evaluate(parse(f"{q.of} == 0"), values, universe)
        cells += below.cells
        blank += below.blank
        if total is not None and below.left:
            total = round(100 * total / below.left, 6)
        elif total is not None:
            blank.append(f"{q.of} (0)")
            total = None
    if blank:
        total = None
    return Value(total, tuple(cells), tuple(blank))


def sum_of(a: str, b: str) -> str | None:
    """The derived key whose arithmetic is ``a + b`` (in either order), if any."""
    for key, expr in _definitions().derived.items():
        if expr in (f"{a} + {b}", f"{b} + {a}"):
            return key
    return None


def known_keys() -> tuple[str, ...]:
    """The derived keys, for validating the mapping rules."""
    return tuple(_definitions().derived)
