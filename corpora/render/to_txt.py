"""Plain-text writer: a report flattened the ways real reports copied to text are."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from corpora.render.blocks import NUM_RE, Block, Cell, Table, encode_text, grid, origins

FLATTENINGS: tuple[str, ...] = (
    "cell_per_line",
    "pipe",
    "tabs",
    "spaces",
    "split_headers",
    "run_together",
    "cell_pipe",
    "cell_bars",
    "pipe_open",
)

# Header cells that the ``split_headers`` flattening breaks over two lines
# (as narrow table columns do when a report is copied out of a PDF/Word file).
SPLIT_HEADER_CELLS: frozenset[str] = frozenset(
    {
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "处理决定数量",
        "本年处理决定数量",
        "采购项目数量",
        "采购总金额",
    }
)


def _blank_cell(rng: random.Random) -> str:
    return rng.choice(["\xa0", "", " ", "\xa0"])


def _txt_cell_per_line(blocks: Sequence[Block], rng: random.Random, split: bool) -> str:
    lines: list[str] = []
    sep_blank = not split
    for b in blocks:
        if isinstance(b, str):
            lines.append(b)
            if sep_blank:
                lines.append("")
                if rng.random() < 0.15:
                    lines.extend(["\xa0", ""])
            continue
        if split:
            lines.append("")
        for row in origins(b):
            for _, _, cell in row:
                t = cell.text
                if t == "":
                    t = _blank_cell(rng)
                elif split and t in SPLIT_HEADER_CELLS and rng.random() < 0.8:
                    k = 2 if len(t) <= 5 else len(t) // 2
                    t = t[:k] + "\n" + t[k:]
                elif rng.random() < 0.03 and NUM_RE.match(t):
                    t = " " + t  # stray leading space, as in copied web tables
                lines.append(t)
                if sep_blank:
                    lines.append("")
        if split:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _txt_grid_rows(table: Table) -> list[list[str]]:
    """Expanded grid: text at a span's origin, empty string where covered."""
    rows: list[list[str]] = []
    for row in grid(table):
        rows.append([(pos[0].text if pos[1] else "") if pos else "" for pos in row])
    return rows


def _txt_pipe(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, str):
            out.append(b)
            out.append("")
            continue
        for row in _txt_grid_rows(b):
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _txt_lines(blocks: Sequence[Block], table_lines: Callable[[Table], list[str]]) -> str:
    """Paragraphs as lines, each table as ``table_lines(table)``."""
    out: list[str] = []
    for b in blocks:
        out.extend([b] if isinstance(b, str) else table_lines(b))
    return "\n".join(out) + "\n"


def _txt_tabs(blocks: Sequence[Block]) -> str:
    return _txt_lines(blocks, lambda t: ["\t".join(row).rstrip("\t") for row in _txt_grid_rows(t)])


def _txt_spaces(blocks: Sequence[Block], rng: random.Random) -> str:
    def rows(table: Table) -> list[str]:
        out = []
        for row in origins(table):
            line = ""
            for i, (_, _, c) in enumerate(row):
                if i:
                    line += " " * rng.randint(2, 8)
                line += c.text
            out.append(line.rstrip())
        return out

    return _txt_lines(blocks, rows)


def _txt_run_together(blocks: Sequence[Block], rng: random.Random) -> str:
    pieces: list[str] = []
    for i, b in enumerate(blocks):
        if isinstance(b, str):
            pieces.append(b)
        else:
            rows = []
            for row in origins(b):
                cells = []
                for j, (_, _, c) in enumerate(row):
                    if j and rng.random() < 0.04:
                        cells.append(" ")
                    cells.append(c.text)
                rows.append("".join(cells))
            pieces.append("".join(r + (" " if rng.random() < 0.05 else "") for r in rows))
        if i < len(blocks) - 1:
            r = rng.random()
            pieces.append("\n" if r < 0.06 else (" " if r < 0.55 else ""))
    return "".join(pieces).rstrip() + "\n"


def _txt_cell_lines(blocks: Sequence[Block], lines: Callable[[Cell], list[str]]) -> str:
    """Paragraphs as lines, each table cell (where it starts) as ``lines(cell)``."""
    return _txt_lines(blocks, lambda t: [ln for row in origins(t) for _, _, cell in row for ln in lines(cell)])


def _cell_pipe(cell: Cell) -> list[str]:
    """`` |`` ends a cell (a lone `` |`` is an empty one); the positions a
    colspan covers follow as one line of pipes (``|||``)."""
    out = [f"{cell.text} |" if cell.text else " |"]
    if cell.colspan > 1:
        out.append("|" * (cell.colspan - 1))
    return out


def _cell_bar(cell: Cell) -> list[str]:
    """The cell, then a line holding ``|`` (an empty cell is an empty line)."""
    return [cell.text, "|"]


def _txt_pipe_open(blocks: Sequence[Block]) -> str:
    """Pipe rows whose cells each start a new line: ``| `` then `` text  | ``
    per cell (a page's table copied cell by cell)."""
    return _txt_lines(blocks, lambda t: [ln for row in _txt_grid_rows(t) for ln in ["| ", *(f" {c}  | " for c in row)]])


def write_txt(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    flattening: str,
    encoding: str = "utf-8",
    seed: int = 0,
    post: Callable[[str], str] | None = None,
) -> None:
    """Write blocks as plain text.

    Flattenings (see :data:`FLATTENINGS`):

    ``cell_per_line``
        every paragraph and every table cell on its own line, each followed by
        an empty line; blank cells are written as ``\\xa0``, a space or an
        empty line; a few stray ``\\xa0`` paragraphs (like the seed report).
    ``pipe``
        tables as ``| a | b | c |`` rows of the *expanded* grid (a spanned
        cell's text at its first position, covered positions empty).
    ``tabs``
        tables as expanded-grid rows with cells separated by ``\\t``
        (trailing empty cells dropped).
    ``spaces``
        one table row per line, only the cells that start in that row,
        separated by runs of 2–8 spaces; blank cells collapse into the run.
    ``split_headers``
        one cell per line, no blank lines between, header cells from
        :data:`SPLIT_HEADER_CELLS` usually broken over two lines
        (``结果`` / ``纠正``).
    ``run_together``
        the report on a few lines: blocks joined by nothing or a space and
        occasionally a newline; table cells concatenated with no separator
        (``行政规范性文件8855698``; ``2648-18538``), now and then a stray
        space.
    ``cell_pipe``
        one cell per line ending in `` |``, an empty cell a lone `` |``,
        a colspan's covered positions a line of pipes.
    ``cell_bars``
        one cell per line, cells parted by lines holding ``|``.
    ``pipe_open``
        expanded-grid pipe rows with every cell on a new line.

    ``post`` rewrites the whole text before it is encoded (the forms of
    ``corpora/forms``: page numbers, hard line breaks, traditional script).
    """
    rng = random.Random(seed)
    if flattening == "cell_per_line":
        text = _txt_cell_per_line(blocks, rng, split=False)
    elif flattening == "split_headers":
        text = _txt_cell_per_line(blocks, rng, split=True)
    elif flattening == "pipe":
        text = _txt_pipe(blocks)
    elif flattening == "tabs":
        text = _txt_tabs(blocks)
    elif flattening == "spaces":
        text = _txt_spaces(blocks, rng)
    elif flattening == "run_together":
        text = _txt_run_together(blocks, rng)
    elif flattening == "cell_pipe":
        text = _txt_cell_lines(blocks, _cell_pipe)
    elif flattening == "cell_bars":
        text = _txt_cell_lines(blocks, _cell_bar)
    elif flattening == "pipe_open":
        text = _txt_pipe_open(blocks)
    else:
        raise ValueError(f"unknown flattening {flattening!r}; one of {FLATTENINGS}")
    if post is not None:
        text = post(text)
    Path(path).write_bytes(encode_text(text, encoding))
