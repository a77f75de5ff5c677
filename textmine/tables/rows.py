"""Find a layout's rows in a stretch of text and read each row's cells.

One path serves every form a table arrives in: the readers render real
tables (HTML, DOCX, PDF) as ``a | b | c`` lines, and text reports flatten
them one cell per line, with pipes, tabs, spaces or no separator at all.
Rows are found by their labels, in layout order; a row's cells are the
value text between its label and whatever comes next.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..flat import FlatView
from .layouts import RowSpec
from .split import EMPTY_MARK, MAX_INT_DIGITS, cell_value, is_well_formed, splittings
from .values import VALUE_CHARS, Token, tokenize, value_run_end

_VALUE_START = set("0123456789０１２３４５６７８９|｜/／—－-")
_VALUE_START_RX = re.compile("[" + re.escape("".join(sorted(_VALUE_START))) + "]")
# Well-formed counts (split.is_well_formed) parted by single spaces.
_COUNT = f"(?:0|[1-9][0-9]{{0,{MAX_INT_DIGITS - 1}}})"
_PLAIN_COUNTS = re.compile(f"{_COUNT}(?: {_COUNT})*")
# Candidates of one row beyond which we stop listing them in a note.
_SHOWN = 3


@dataclass
class RowHit:
    """A row label found in the text and the value text after it."""

    spec: RowSpec
    label_start: int
    label_end: int
    value_start: int = 0
    value_end: int = 0
    tokens: list[Token] = field(default_factory=list)


@dataclass
class RowReading:
    """What a row's value text can mean: every candidate list of cell texts.

    A cell text is a number as written, or an empty-cell mark.  One
    candidate means the row is read; several mean the splitter found more
    than one way and the table's constraints must choose; none means the
    values do not fit the row (``problem`` says how).
    """

    candidates: list[list[str]]
    problem: str | None = None
    # The run(s) of text the candidates were cut from, for notes.
    source: str = ""
    # True when the cells were cut out of runs that lost their separators.
    cut: bool = False


@dataclass(frozen=True)
class _Span:
    """A label match found in the flat view, in original offsets."""

    a: int
    b: int

    def start(self) -> int:
        return self.a

    def end(self) -> int:
        return self.b


class _WrappedLabels:
    """Label search across line breaks (a label wrapped by a PDF or broken
    by a page: 1.本机关不掌\\n握相关政府信息), tried when the plain search fails."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start = start
        self.view = FlatView(text[start:end])

    def search(self, labels: re.Pattern[str], pos: int) -> _Span | None:
        flat = self.view.flat
        best = labels.search(flat, self.view.flat_offset(pos - self.start), len(flat))
        if best is None:
            return None
        return _Span(self.start + self.view.orig(best.start()), self.start + self.view.orig_end(best.end()))


def locate_rows(
    text: str,
    start: int,
    end: int,
    rows: tuple[RowSpec, ...],
    *,
    first_with_values: bool = True,
    tokenize_values: bool = True,
) -> tuple[list[RowHit], list[RowSpec]]:
    """Find each row's label in ``text[start:end]``, in layout order.

    Returns the hits and the rows not found.  The first row is taken at its
    first occurrence that has values after it, so that a narrative sentence
    naming the same thing before the table is passed over.  A label not
    found as it stands is looked for across line breaks.  Without
    ``tokenize_values`` the hits' tokens are left for the caller to make
    (a grid row read by its header needs none).
    """
    hits: list[RowHit] = []
    missing: list[RowSpec] = []
    pos = start
    wrapped: _WrappedLabels | None = None
    for i, spec in enumerate(rows):
        m: re.Match[str] | _Span | None = spec.any_label.search(text, pos, end)
        if m is None and text.find("\n", pos, end) >= 0:
            wrapped = wrapped or _WrappedLabels(text, start, end)
            m = wrapped.search(spec.any_label, pos)
        if m is not None and i == 0 and first_with_values:
            probe = m
            while probe is not None:
                vs, ve = value_span(text, probe.end(), end)
                if any(t.kind == "num" for t in tokenize(text[vs:ve])):
                    m = probe
                    break
                probe = spec.any_label.search(text, probe.end(), end)
        if m is None:
            missing.append(spec)
            continue
        hits.append(RowHit(spec, m.start(), m.end()))
        pos = m.end()
    for k, hit in enumerate(hits):
        bound = hits[k + 1].label_start if k + 1 < len(hits) else end
        hit.value_start, hit.value_end = value_span(text, hit.label_end, bound)
        if tokenize_values:
            hit.tokens = tokenize(text[hit.value_start : hit.value_end])
    return hits, missing


def value_span(text: str, pos: int, bound: int) -> tuple[int, int]:
    """Skip the rest of a label (a parenthetical, a wrapped line) up to the
    first value character, then take the run of value characters."""
    m = _VALUE_START_RX.search(text, pos, bound)
    i = m.start() if m else bound
    return i, value_run_end(text, i, bound)


def _chunk(token: Token) -> str:
    return token.text if token.kind == "num" else EMPTY_MARK + token.text


def read_row(
    tokens: list[Token],
    columns: tuple[str, ...],
    *,
    signed: frozenset[str] = frozenset(),
    money: frozenset[str] = frozenset(),
    prune: Callable[[list[str]], bool] | None = None,
) -> RowReading:
    """All readings of one row's tokens as ``len(columns)`` cells.

    ``prune`` holds the row's own constraint (a row total, group sums) for
    runs that must be cut; without a reading that satisfies it, the runs are
    cut without it, and the ambiguity shows.
    """
    n = len(columns)
    counts = [t.text for t in tokens if t.kind == "num"]
    if len(counts) == n == len(tokens) and _PLAIN_COUNTS.fullmatch(joined := " ".join(counts)):
        return RowReading([counts], None, joined)  # most rows: a well-formed count per cell
    # Most rows have neither signed nor money columns.
    signed_flags = [c in signed for c in columns] if signed else [False] * n
    money_flags = [c in money for c in columns] if money else [False] * n
    definite = [t for t in tokens if t.kind != "maybe"]
    source = " ".join([t.text.strip() for t in definite])

    def single(t: Token, col: int) -> bool:
        return t.kind != "num" or is_well_formed(t.text, signed=signed_flags[col], money=money_flags[col])

    if not definite:
        return RowReading([], "no values", source)
    if len(definite) > n:
        definite = _trim_blanks(definite, n)
    if len(definite) > n:
        nums = {t.text for t in definite if t.kind == "num"}
        if n == 1 and len(nums) == 1:
            # One value repeated by a merged cell the reader spread out.
            return RowReading([[nums.pop()]], None, source)
        return RowReading([], f"{len(definite)} values for {n} cells", source)
    if len(definite) == n and all(single(t, i) for i, t in enumerate(definite)):
        return RowReading([[_chunk(t) for t in definite]], None, source)
    # The maybe lines fill the cells the values leave.
    if len(definite) < n and len(tokens) == n and all(single(t, i) for i, t in enumerate(tokens) if t.kind == "num"):
        return RowReading([[_chunk(t) for t in tokens]], None, source)
    # Cells ran together: cut the runs every well-formed way.
    chunks = [_chunk(t) for t in definite]
    if all(t.kind == "num" and t.text.isdigit() for t in definite) and sum(len(c) for c in chunks) == n:
        # As many digits as cells: one digit a cell, the only cut there is.
        only = [d for c in chunks for d in c]
        if prune is None or prune(only):
            return RowReading([only], None, source, cut=True)
    found = list(splittings(chunks, n, signed=signed_flags, money=money_flags, prune=prune))
    if not found and prune is not None:
        # The printed row total may itself be wrong; read without it and let
        # the ambiguity speak for itself.
        found = list(splittings(chunks, n, signed=signed_flags, money=money_flags))
    if not found:
        return RowReading([], f"{len(definite)} value runs do not make {n} cells", source)
    return RowReading(found, None, source, cut=True)


def _trim_blanks(tokens: list[Token], n: int) -> list[Token]:
    """Drop empty grid cells at the ends of a row wider than the layout.

    Leading ones go first: they are label columns with nothing in this row
    (a row without a sub-item number); trailing ones are grid padding.
    """
    out = list(tokens)
    while len(out) > n and out and out[0].kind == "blank":
        out.pop(0)
    while len(out) > n and out and out[-1].kind == "blank":
        out.pop()
    return out


def drop_shared_blank_columns(rows: list[list[Token]], n: int) -> list[list[Token]]:
    """Drop the empty grid columns that every over-wide row has in common.

    A Word export may give 自然人 and 商业企业 a colspan of two, so each data
    row carries an empty cell in the same place; dropping the columns that
    are blank in every such row, and only when exactly the surplus is
    blank in all of them, keeps real blank cells.
    """
    definite = [_trim_blanks([t for t in row if t.kind != "maybe"], n) for row in rows]
    wide = [i for i, row in enumerate(definite) if len(row) > n]
    widths = {len(definite[i]) for i in wide}
    if len(widths) != 1:
        return rows
    width = widths.pop()
    shared = set(range(width))
    for i in wide:
        shared &= {j for j, t in enumerate(definite[i]) if t.kind == "blank"}
    if len(shared) != width - n:
        return rows
    out = list(rows)
    for i in wide:
        out[i] = [t for j, t in enumerate(definite[i]) if j not in shared]
    return out


def agreed_cells(candidates: list[list[str]]) -> list[str | None]:
    """Per column, the cell text every candidate agrees on (by value), else None."""
    if len(candidates) < 2:
        return list(candidates[0]) if candidates else []  # most rows: one reading, nothing to compare
    first, others = candidates[0], candidates[1:]
    out: list[str | None] = []
    for col, piece in enumerate(first):
        value = cell_value(piece)
        # Most rows have one reading: nothing to compare it with.
        out.append(None if others and any(cell_value(c[col]) != value for c in others) else piece)
    return out


def describe_candidates(candidates: list[list[str]]) -> str:
    shown = ["/".join(_show(c) for c in cand) for cand in candidates[:_SHOWN]]
    more = f" and {len(candidates) - _SHOWN} more" if len(candidates) > _SHOWN else ""
    return ", ".join(shown) + more


def _show(piece: str) -> str:
    return "(blank)" if piece.startswith(EMPTY_MARK) else piece


__all__ = [
    "VALUE_CHARS",
    "RowHit",
    "RowReading",
    "agreed_cells",
    "describe_candidates",
    "locate_rows",
    "read_row",
    "value_span",
]
