"""The table side of a PDF page: ruled tables as grids, one-column text
frames read as running text, rows a page break split mended.

Distances are in PDF points (1/72 inch). The numbered-heading patterns come
from ``data/furniture.toml`` ([pdf]).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from textmine.data import load_toml
from textmine.read.canonical import GridBuilder, clean_cell

_EDGE_TOLERANCE = 2.0  # cell edges closer than this are the same grid line
_SAME_WIDTH = 3.0  # table boxes this close in x are the same table's parts
# A one-cell row of a ruled frame is running text (a report set inside
# one-column boxes) when it reads as text: long, punctuated, or a heading.
_FRAME_TEXT_MIN = 15
_FRAME_PUNCT = re.compile(r"[。，；：！？,;]")


@lru_cache(maxsize=1)
def headings() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A numbered heading (一、 （二） 第三章) that starts a paragraph, and the
    narrower one that makes a frame's one-cell row read as text."""
    pdf = load_toml("furniture.toml")["pdf"]
    return re.compile(pdf["heading"]), re.compile(pdf["frame_heading"])


@dataclass
class Line:
    text: str
    top: float
    x0: float
    x1: float
    height: float
    left: float  # the page's text margins, for the wrap test
    right: float
    band: bool = False  # in the page's top or bottom band (a running header or footer?)
    # (x0, x1, text) of each character: to place a table row's remainder by column.
    chars: tuple[tuple[float, float, str], ...] = ()
    frame: bool = False  # read from a one-column text frame
    bottom: float = 0.0

    @classmethod
    def from_pdfplumber(cls, ln: dict[str, Any], left: float, right: float, **more: Any) -> Line:
        """A line of pdfplumber's ``extract_text_lines`` within the text margins ``left``/``right``."""
        return cls(
            ln["text"],
            ln["top"],
            ln["x0"],
            ln["x1"],
            ln["bottom"] - ln["top"],
            left,
            right,
            bottom=ln["bottom"],
            **more,
        )


@dataclass
class TablePart:
    top: float
    x0: float
    x1: float
    bottom: float = 0.0
    # (x0, x1, first row, row after last, text) per real cell
    cells: list[tuple[float, float, int, int, str]] = field(default_factory=list)
    n_rows: int = 0
    first_on_page: bool = False
    last_on_page: bool = False


def _edges(values: list[float]) -> list[float]:
    """Sorted distinct values, those within _EDGE_TOLERANCE merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the edge nearest ``v``."""
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def table_part(table: Any, texts: list[list[str | None]], first: int = 0, last: int | None = None) -> TablePart:
    """The rows ``first``..``last`` (exclusive) of a pdfplumber table as a part
    (``texts``: the table's ``extract()``)."""
    last = len(table.rows) if last is None else last
    boxes: list[tuple[tuple[float, float, float, float], str]] = []
    for i, row in enumerate(table.rows):
        if not first <= i < last:
            continue
        for j, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            text = texts[i][j] if i < len(texts) and j < len(texts[i]) else None
            boxes.append((bbox, clean_cell(text or "")))
    ys = _edges([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
    top = min((b[1] for b, _ in boxes), default=table.bbox[1])
    bottom = max((b[3] for b, _ in boxes), default=table.bbox[3])
    part = TablePart(top=top, x0=table.bbox[0], x1=table.bbox[2], bottom=bottom, n_rows=max(0, len(ys) - 1))
    for (x0, top, x1, bottom), text in boxes:
        r0 = _index(ys, top)
        r1 = max(r0 + 1, _index(ys, bottom))
        part.cells.append((x0, x1, r0, r1, text))
    return part


def grid(parts: list[TablePart]) -> tuple[list[list[str]], list[list[str]]]:
    """One grid over parts stacked top to bottom, columns from the union of
    their cells' x edges, so a merged label column on one page and three
    label columns on the next line up."""
    xs = _edges([c[0] for p in parts for c in p.cells] + [c[1] for p in parts for c in p.cells])
    grid = GridBuilder()
    offset = 0
    for p in parts:
        for x0, x1, r0, r1, text in p.cells:
            c0 = _index(xs, x0)
            c1 = max(c0 + 1, _index(xs, x1))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if grid.free(offset + r, c):
                        grid.set(offset + r, c, text, origin=(r == r0 and c == c0))
        offset += p.n_rows
    return grid.finish(offset)


def _is_frame_row(table: Any, i: int, texts: list[list[str | None]]) -> bool:
    """Is row ``i`` one cell across the whole table holding running text?"""
    cells = [c for c in table.rows[i].cells if c is not None]
    if len(cells) != 1:
        return False
    x0, _, x1, _ = cells[0]
    if abs(x0 - table.bbox[0]) > _SAME_WIDTH or abs(x1 - table.bbox[2]) > _SAME_WIDTH:
        return False
    text = clean_cell(next((t for t in texts[i] if t), "") if i < len(texts) else "")
    return len(text) >= _FRAME_TEXT_MIN or bool(_FRAME_PUNCT.search(text) or headings()[1].match(text))


def frame_rows(table: Any, texts: list[list[str | None]]) -> tuple[int, int]:
    """How many rows at the top and at the bottom of ``table`` are text frames."""
    n = len(table.rows)
    top = 0
    while top < n and _is_frame_row(table, top, texts):
        top += 1
    bottom = 0
    while bottom < n - top and _is_frame_row(table, n - 1 - bottom, texts):
        bottom += 1
    return top, bottom


def frame_lines(page: Any, table: Any, rows: range) -> list[Line]:
    """The visual lines inside a table's frame rows, as running text lines."""
    out: list[Line] = []
    for i in rows:
        cell = next(c for c in table.rows[i].cells if c is not None)
        # Characters at a line's end may overhang the frame's rule: widen the box a little.
        x0, top, x1, bottom = cell
        box = (max(page.bbox[0], x0 - _EDGE_TOLERANCE * 3), top, min(page.bbox[2], x1 + _EDGE_TOLERANCE * 3), bottom)
        region = page.within_bbox(box, relative=False, strict=False)
        for ln in region.extract_text_lines(strip=True, return_chars=False):
            if ln["text"].strip():
                out.append(Line.from_pdfplumber(ln, 0.0, 0.0, frame=True))
    if out:
        # The frame's own text block sets the margins of the wrap test.
        left, right = min(ln.x0 for ln in out), max(ln.x1 for ln in out)
        for ln in out:
            ln.left, ln.right = left, right
    return out


def _same_width(a: TablePart, b: TablePart) -> bool:
    return abs(a.x0 - b.x0) <= _SAME_WIDTH and abs(a.x1 - b.x1) <= _SAME_WIDTH


def joins(last: TablePart | None, part: TablePart) -> bool:
    """Does ``part`` go on the table ``last`` ended a page with?"""
    return last is not None and last.last_on_page and part.first_on_page and _same_width(last, part)


_NUMBER_RUN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _values_line(ln: Line) -> bool:
    """A line holding a row's values cut from their cells: three numbers or
    more, apart (0 0 0 2; 度办理结 232 0 0 0 6 0 2)."""
    return len(_NUMBER_RUN.findall(ln.text)) >= 3


def _within(ln: Line, part: TablePart) -> bool:
    return not ln.frame and part.x0 - _SAME_WIDTH <= ln.x0 and ln.x1 <= part.x1 + _SAME_WIDTH


def _adjacent(lines: list[Line], edge: float, *, below: bool) -> list[Line]:
    """The lines that follow one another from ``edge`` (a table's bottom, or
    its top when ``below`` is False), each within a line's height of the last."""
    ordered = sorted(lines, key=lambda ln: ln.top if below else -ln.top)
    out: list[Line] = []
    for ln in ordered:
        gap = ln.top - edge if below else edge - ln.bottom
        # A cut row keeps its cell padding: up to three line heights from the rule.
        if gap > 3.0 * max(ln.height, 1.0):
            break
        out.append(ln)
        edge = ln.bottom if below else ln.top
    return out


def _row_remainder(lines: list[Line], parts: list[TablePart]) -> TablePart:
    """The lines of a row a page break cut (its rules did not make it a cell)
    as one grid row: each character in the column of the table its place
    falls in."""
    cells = [c for p in parts for c in p.cells]
    xs = _edges([c[0] for c in cells] + [c[1] for c in cells])
    texts: dict[int, list[str]] = {}
    for ln in lines:  # in reading order: the part under the table, then the part over the next
        for x0, x1, ch in ln.chars:
            column = min(max(bisect.bisect_right(xs, (x0 + x1) / 2) - 1, 0), max(len(xs) - 2, 0))
            texts.setdefault(column, []).append(ch)
    row = TablePart(top=lines[0].top, x0=parts[-1].x0, x1=parts[-1].x1, n_rows=1, first_on_page=True, last_on_page=True)
    columns = sorted(texts)
    # The label's words spread over the label columns: one label cell, up to the first number.
    label = []
    while columns and not any(ch.isdigit() for ch in texts[columns[0]]):
        label.append(columns.pop(0))
    if label:
        row.cells.append(
            (
                xs[label[0]],
                xs[min(label[-1] + 1, len(xs) - 1)],
                0,
                1,
                clean_cell("".join(ch for c in label for ch in texts[c])),
            )
        )
    for column in columns:
        row.cells.append((xs[column], xs[min(column + 1, len(xs) - 1)], 0, 1, clean_cell("".join(texts[column]))))
    return row


def mend_split_rows(pages: list[list[Line | TablePart]]) -> None:
    """A row a page break cut often loses its rules: its top part is lines
    under the table at a page's foot, its rest lines over the table at the
    next page's head.  Gather both into one grid row between the two parts,
    so the table joins across the break and the row keeps its label and values."""
    for n in range(len(pages) - 1):
        here, there = pages[n], pages[n + 1]
        last_i = max((i for i, it in enumerate(here) if isinstance(it, TablePart)), default=None)
        first_i = next((i for i, it in enumerate(there) if isinstance(it, TablePart)), None)
        if last_i is None or first_i is None:
            continue
        last, first = here[last_i], there[first_i]
        assert isinstance(last, TablePart) and isinstance(first, TablePart)
        if not _same_width(last, first):
            continue
        tail = [it for it in here[last_i + 1 :] if isinstance(it, Line)]
        head = [it for it in there[:first_i] if isinstance(it, Line)]
        if len(tail) != len(here) - last_i - 1 or len(head) != first_i:
            continue  # something else stands between the two parts
        top_part = _adjacent([ln for ln in tail if _within(ln, last)], last.bottom, below=True)
        rest = _adjacent([ln for ln in head if _within(ln, first)], first.top, below=False)
        # A cut row leaves its top part under the table, or its values over the next
        # part; a heading with no values beside it is no row (一、本年新收… has them).
        if len(top_part) != len(tail) or len(rest) != len(head) or not (top_part or any(map(_values_line, rest))):
            continue
        lines = top_part + rest
        if any(headings()[0].match(ln.text) for ln in lines) and not any(map(_values_line, lines)):
            continue
        remainder = _row_remainder(
            sorted(top_part, key=lambda ln: ln.top) + sorted(rest, key=lambda ln: ln.top), [last, first]
        )
        pages[n] = here[: last_i + 1] + [remainder]
        pages[n + 1] = there[first_i:]
        last.last_on_page = True
        first.first_on_page = True
