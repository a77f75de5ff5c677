"""The blocks a synthetic report is made of, and what every writer needs of them.

A report is a list of blocks; each block is either a paragraph (``str``) or a
:class:`Table`.  A table lists, per row, only the cells that *start* in that
row (the HTML convention): positions covered by an earlier ``rowspan`` /
``colspan`` are omitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        g = grid(self)
        return len(g[0]) if g else 0


Block = str | Table


_HEADING_RE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．，,]")
_SUBHEADING_RE = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
# A table cell that is a number (the txt and html writers disturb only those).
NUM_RE = re.compile(r"^-?\d[\d.,]*(?:元|万元)?$")


def is_heading(text: str) -> bool:
    """A top-level section heading such as ``一、总体情况``."""
    return bool(_HEADING_RE.match(text)) and len(text) <= 40


def is_subheading(text: str) -> bool:
    """A sub-heading such as ``（一）主动公开情况``."""
    return bool(_SUBHEADING_RE.match(text)) and len(text) <= 24


def grid(table: Table) -> list[list[tuple[Cell, bool] | None]]:
    """Expand a table to a full grid.

    Each position holds ``(cell, is_origin)``: the cell covering it and whether
    the cell starts there; ``None`` where no cell covers a position (a ragged
    row).
    """
    occupied: dict[tuple[int, int], tuple[Cell, bool]] = {}
    ncols = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c + dc)] = (cell, dr == 0 and dc == 0)
            c += cell.colspan
            ncols = max(ncols, c)
    nrows = len(table.rows)
    return [[occupied.get((r, c)) for c in range(ncols)] for r in range(nrows)]


def origins(table: Table) -> list[list[tuple[int, int, Cell]]]:
    """Per row, ``(row, col, cell)`` for the cells starting in that row."""
    g = grid(table)
    out: list[list[tuple[int, int, Cell]]] = []
    for r, row in enumerate(g):
        out.append([(r, c, pos[0]) for c, pos in enumerate(row) if pos and pos[1]])
    return out


def is_gbk(encoding: str) -> bool:
    """``encoding`` names one of the GB family (however spelt)."""
    return encoding.lower().replace("-", "").replace("_", "") in {"gbk", "gb2312", "cp936", "gb18030"}


def encode_text(text: str, encoding: str) -> bytes:
    """``text`` as bytes; a GBK page has no ``\\xa0``, so it gets the ideographic space."""
    if is_gbk(encoding):
        text = text.replace("\xa0", "\u3000")
    return text.encode(encoding)


def iter_paragraphs(blocks: Iterable[Block]) -> Iterable[str]:
    """The paragraph blocks, in order (helper for callers and tests)."""
    for b in blocks:
        if isinstance(b, str):
            yield b
