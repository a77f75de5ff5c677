"""The characters a match of a regular expression can start (or end) with.

A text that holds none of them cannot hold a match, which a set test tells
far more cheaply than a search: a claim's clause is tried against some
thirty mapping rules (:mod:`textmine.claim_quantities`), and most of them
start with words the clause does not hold.

The pattern is read with the parser of Python's own ``re`` module (a
private module); whatever it does not know, or cannot bound (``.``, ``\\d``,
a negated or wide class, a pattern that may match the empty string, case
folding), gives ``None``: no filter, so the answer is never wrong, at worst
not useful.

>>> sorted(first_characters("(?:行政)?许可|处罚决定"))
['处', '行', '许']
>>> first_characters(r"\\d+件") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:
    from re import _constants as _op
    from re import _parser
except ImportError:  # another Python's internals: no filter
    _parser = None  # type: ignore[assignment]

__all__ = ["first_characters", "last_characters", "with_first_character_gate"]

# A class wider than this is not worth a set of its characters.
_MAX_RANGE = 64


def first_characters(pattern: str, *, of_nonempty: bool = False) -> frozenset[str] | None:
    """The characters every match of ``pattern`` starts with one of; None
    when they cannot be told, or when the pattern may match the empty string
    (a text without them may hold that match) unless ``of_nonempty``: the
    characters of its non-empty matches."""
    return _end_characters(pattern, from_end=False, of_nonempty=of_nonempty)


def last_characters(pattern: str, *, of_nonempty: bool = False) -> frozenset[str] | None:
    """The characters every match of ``pattern`` ends with one of (see
    :func:`first_characters`).

    >>> sorted(last_characters("(?:政府)?(?:信息公开)?(?:工作)?$", of_nonempty=True))
    ['作', '府', '开']
    """
    return _end_characters(pattern, from_end=True, of_nonempty=of_nonempty)


def _end_characters(pattern: str, *, from_end: bool, of_nonempty: bool) -> frozenset[str] | None:
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & re.IGNORECASE:
            return None
        chars, may_be_empty = _sequence(parsed, from_end)
    except (
        re.error,
        AttributeError,
        IndexError,
        TypeError,
        ValueError,
    ):  # a bad pattern, or internals this reader does not know
        return None
    if chars is None or (may_be_empty and not of_nonempty):
        return None
    return frozenset(chars)


def with_first_character_gate(pattern: str) -> str:
    """``pattern`` behind a look-ahead for the characters its matches start
    with, when they are known: a pattern that opens with an optional group
    (a row label's numbering) makes the regex engine try all of it at every
    position of a search, and the look-ahead turns most of those tries
    away at their first character.  Matches are the same.

    >>> with_first_character_gate("(?:一、)?予以公开")
    '(?=[一予])(?:一、)?予以公开'
    """
    first = first_characters(pattern)
    if not first:
        return pattern
    return f"(?=[{re.escape(''.join(sorted(first)))}])" + pattern


# Each reader returns (characters, may_be_empty); characters None: unknown.
_Found = tuple[set[str] | None, bool]


def _sequence(items: Iterable[tuple[Any, Any]], from_end: bool) -> _Found:
    """The items one after another (last first, ``from_end``): the first that
    must consume a character ends the set; zero-width items (anchors,
    look-arounds) pass."""
    chars: set[str] = set()
    for op, av in reversed(list(items)) if from_end else items:
        first, may_be_empty = _item(op, av, from_end)
        if first is None:
            return None, True
        chars |= first
        if not may_be_empty:
            return chars, False
    return chars, True


def _item(op: Any, av: Any, from_end: bool) -> _Found:
    if op is _op.LITERAL:
        return {chr(av)}, False
    if op is _op.IN:
        return _class(av), False
    if op is _op.BRANCH:
        chars: set[str] = set()
        may_be_empty = False
        for alternative in av[1]:
            first, empty = _sequence(alternative, from_end)
            if first is None:
                return None, True
            chars |= first
            may_be_empty = may_be_empty or empty
        return chars, may_be_empty
    if op is _op.SUBPATTERN:
        _group, add_flags, _del_flags, inner = av
        if add_flags & re.IGNORECASE:
            return None, True
        return _sequence(inner, from_end)
    if op in (_op.MAX_REPEAT, _op.MIN_REPEAT, _op.POSSESSIVE_REPEAT):
        low, _high, inner = av
        first, may_be_empty = _sequence(inner, from_end)
        return first, may_be_empty or low == 0
    if op in (_op.AT, _op.ASSERT, _op.ASSERT_NOT):
        return set(), True  # zero-width: the next item consumes the first character
    return None, True


def _class(items: Iterable[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _op.LITERAL:
            chars.add(chr(av))
        elif op is _op.RANGE and av[1] - av[0] < _MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # a category (\d), a negation, a wide range
            return None
    return chars
