"""Cells placed by the header's column positions, in tables laid out as grids.

Real tables reach the text as one line per grid row: the readers render
HTML, DOCX and PDF tables as ``| a | b | c |`` and some text reports carry
pipe rows or tab-separated rows of their own.  In those, a person reads a
value by the column header above it, whatever spacer columns a colspan
left (``| 规章 | 9 | 9 |  | 310 |`` under a header whose 本年新公开数量 spans
two columns).  So does this module: each layout column is found in the
header lines above a row (``layouts.toml`` ``headers``), a header spans the
grid columns up to the next header, and a row's cell for that column is
the one non-empty cell in its span, a blank when there is none.

When a row's grid cannot be read so (no header above it, two values in
one span, a cell holding two numbers) the caller falls back on reading the
row's values in order (:mod:`textmine.tables.rows`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .split import EMPTY_MARK
from .values import VALUE_CHARS, _cell_tokens

_PIPE = re.compile(r"[|｜]")
# How many lines above a row its header lines may stand (table 3's header
# takes three lines and the 勾稽关系 note one more).
MAX_HEADER_DISTANCE = 40


@dataclass(frozen=True)
class GridLine:
    """One line of text read as a grid row: its offsets and its cells' texts;
    ``values``: whether a cell after the first holds a digit (a data row)."""

    start: int
    end: int
    cells: tuple[str, ...]
    values: bool = False


def split_grid_line(line: str) -> tuple[str, ...] | None:
    """The cells of a pipe row (``| a | b |``, ``a | b |``) or a tab row, else None.

    >>> split_grid_line("| 规章 | 9 |  | 310 |")
    ('规章', '9', '', '310')
    >>> split_grid_line("行政许可\\t4\\t\\t5")
    ('行政许可', '4', '', '5')
    """
    if line.count("|") + line.count("｜") >= 2:
        cells = _PIPE.split(line)
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
    elif line.count("\t") >= 2:
        cells = line.split("\t")
    else:
        return None
    cells = [c.strip(" \t\xa0\u3000") for c in cells]
    return tuple(cells) if len(cells) >= 2 else None


class GridText:
    """The grid lines of a text, looked up by offset; a line is parsed the
    first time it is asked for (most of a report is never a table)."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts
        self._parsed: dict[int, GridLine | None] = {}
        # (line above which the header was looked for, columns) -> positions
        self.headers_cache: dict[tuple[int, tuple[str, ...]], dict[str, int] | None] = {}

    def index_at(self, offset: int) -> int:
        """The line number of ``offset``."""
        return bisect_right(self._starts, offset) - 1

    def _end(self, index: int) -> int:
        """Where line ``index`` ends (before its line break)."""
        return self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self.text)

    def line(self, index: int) -> GridLine | None:
        if not 0 <= index < len(self._starts):
            return None
        if index not in self._parsed:
            start, end = self._starts[index], self._end(index)
            cells = split_grid_line(self.text[start:end])
            values = bool(cells) and any(ch.isdigit() for cell in cells[1:] for ch in cell)
            self._parsed[index] = GridLine(start, end, cells, values) if cells else None
        return self._parsed[index]

    def block_above(self, index: int) -> list[GridLine]:
        """The grid lines above line ``index`` in its block (nearest first);
        the block ends at the first line that is text, not grid."""
        out: list[GridLine] = []
        i = index - 1
        while i >= 0 and index - i <= MAX_HEADER_DISTANCE:
            g = self.line(i)
            if g is None:
                if self.text[self._starts[i] : self._end(i)].strip():
                    break
                i -= 1  # a blank line between a table's parts
                continue
            out.append(g)
            i -= 1
        return out


def header_positions(above: list[GridLine], headers: dict[str, re.Pattern[str]]) -> dict[str, int] | None:
    """Grid column of each layout column's header, from the nearest header
    lines above a row; None unless every column is found, each once."""
    found: dict[str, int] = {}
    for g in above:
        if g.values:
            continue  # a data row: header cells hold no numbers
        for column, pattern in headers.items():
            if column in found:
                continue
            hits = [i for i, cell in enumerate(g.cells) if pattern.search(cell.replace(" ", ""))]
            if len(hits) == 1:
                found[column] = hits[0]
        if len(found) == len(headers):
            break
    if len(found) != len(headers):
        return None
    positions = list(found.values())
    if len(set(positions)) != len(positions):
        return None
    return found


def read_grid_row(row: GridLine, columns: tuple[str, ...], positions: dict[str, int]) -> list[str] | None:
    """The row's cell texts for ``columns`` (empty-cell marks for blanks), or
    None when a column's span holds more than one value."""
    order = sorted(columns, key=lambda c: positions[c])
    bounds = {
        c: (positions[c], positions[order[i + 1]] if i + 1 < len(order) else len(row.cells) + 1)
        for i, c in enumerate(order)
    }
    out: list[str] = []
    for column in columns:
        lo, hi = bounds[column]
        filled = [cell for cell in row.cells[lo:hi] if cell]
        if not filled:
            out.append(EMPTY_MARK)
            continue
        if len(filled) > 1 or not set(filled[0]) <= VALUE_CHARS:
            return None  # two values under one header, or words where a value stands
        count = filled[0].strip(" \t\xa0\u3000\r\n")
        if count.isdigit() and count.isascii():
            out.append(count)  # most cells: a plain count, one token as _cell_tokens makes it
            continue
        tokens = _cell_tokens(filled[0], in_grid=True)
        if len(tokens) != 1:
            return None
        token = tokens[0]
        out.append(token.text if token.kind == "num" else EMPTY_MARK + token.text)
    return out


def row_cells(
    grid: GridText, offset: int, columns: tuple[str, ...], headers: dict[str, re.Pattern[str]]
) -> list[str] | None:
    """The cells of the grid row at ``offset`` read under their headers, or
    None when the line is no grid row or its header cannot place them."""
    if not headers or not set(columns) <= set(headers):
        return None
    index = grid.index_at(offset)
    line = grid.line(index)
    if line is None:
        return None
    # Rows under one header share it: look it up once from the nearest header-like line above.
    above = grid.block_above(index)
    first = next((g for g in above if not g.values), None)
    key = (first.start if first else -1, columns)
    if key not in grid.headers_cache:
        grid.headers_cache[key] = header_positions(above, {c: headers[c] for c in columns})
    positions = grid.headers_cache[key]
    if positions is None:
        return None
    return read_grid_row(line, columns, positions)


def lines_between(grid: GridText, start: int, end: int) -> list[GridLine]:
    """The grid lines holding values that lie wholly between two offsets."""
    first, last = grid.index_at(start) + 1, grid.index_at(end)
    out = []
    for i in range(first, last):
        line = grid.line(i)
        if line is not None and line.values:
            out.append(line)
    return out
