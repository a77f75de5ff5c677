"""PDF writer: reportlab platypus with the CJK font ``STSong-Light``."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpora.render.blocks import Block, Table, grid, is_heading, origins

_FONT = "STSong-Light"


def _pdf_escape(text: str) -> str:
    return html.escape(text, quote=False)


def _col_widths(table: Table, total: float) -> list[float]:
    g = grid(table)
    ncols = len(g[0]) if g else 0
    need = [4.5] * ncols
    for row in g:
        for c, pos in enumerate(row):
            if pos and pos[1] and pos[0].colspan == 1:
                cap = 5 if pos[0].rowspan > 2 else 11
                need[c] = max(need[c], min(len(pos[0].text), cap) + 1.0)
    s = sum(need)
    return [total * n / s for n in need]


SPLIT_TABLE_MIN_START = 72  # points a table split inside its rows needs at a page's foot to start there


def write_pdf(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    frames: bool = False,
    page_numbers: bool = False,
    running_header: str = "",
    split_rows: bool = False,
) -> None:
    """Write blocks as a PDF (reportlab platypus, ``STSong-Light``).

    ``frames`` sets the running text inside ruled one-column boxes, a row per
    paragraph (some sites publish a Word file whose text sits in a table);
    ``page_numbers`` prints ``- N -`` at the foot of every page, and
    ``running_header`` a line at the head of every page after the first;
    ``split_rows`` lets a page break cut a table row (its label in two),
    though not the table's first rows at a page's foot: a table starts on the
    next page when less than SPLIT_TABLE_MIN_START points are left (reportlab
    would otherwise draw the cut header row over the paragraph before it)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    styles = _pdf_styles()
    story = _pdf_story(blocks, styles, A4[0] - 36 * mm, frames=frames, split_rows=split_rows)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="",
        author="",
        creator="",
        producer="",
        subject="",
        invariant=1,
    )
    if page_numbers or running_header:
        marks = _page_marks(page_numbers, running_header)
        doc.build(story, onFirstPage=marks, onLaterPages=marks)
    else:
        doc.build(story)


def _pdf_styles() -> dict[str, Any]:
    """The paragraph styles (body, head, title, cell), after making reportlab
    reproducible (``invariant``: no timestamps or random ids in the file) and
    registering the CJK font once per process."""
    from reportlab import rl_config
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    rl_config.invariant = 1
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))

    body = ParagraphStyle(
        "body", fontName=_FONT, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21, spaceAfter=4
    )
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, fontSize=11.5, leading=18, spaceBefore=6)
    title_st = ParagraphStyle(
        "title", parent=body, firstLineIndent=0, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=10
    )
    cell_st = ParagraphStyle("cell", fontName=_FONT, fontSize=7.5, leading=9.5, wordWrap="CJK", alignment=TA_CENTER)
    return {"body": body, "head": head, "title": title_st, "cell": cell_st}


def _pdf_story(
    blocks: Sequence[Block], styles: dict[str, Any], width: float, *, frames: bool, split_rows: bool
) -> list[Any]:
    """The flowables of ``blocks``: the title centred, headings bold, tables
    ruled; with ``frames`` the paragraphs after the title gathered into boxes
    that each table (or the end) closes."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    body, head = styles["body"], styles["head"]
    story: list[Any] = []
    frame: list[list[Any]] = []

    def close_frame() -> None:
        if frame:
            box = RLTable([row[:] for row in frame], colWidths=[width])
            box.setStyle(
                TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
            )
            story.append(box)
            frame.clear()

    title_done = False
    for b in blocks:
        if isinstance(b, str):
            if not b.strip():
                story.append(Spacer(1, 6))
                continue
            if not title_done and "报告" in b and len(b) < 80 and not is_heading(b):
                title_done = True
                close_frame()
                story.append(Paragraph(_pdf_escape(b), styles["title"]))
            elif frames and title_done:
                frame.append([Paragraph(_pdf_escape(b), head if is_heading(b) else body)])
            elif is_heading(b):
                story.append(Paragraph(_pdf_escape(b), head))
            else:
                story.append(Paragraph(_pdf_escape(b), body))
            continue
        close_frame()
        story.extend(_pdf_table(b, styles["cell"], width, split_rows))
    close_frame()
    return story


def _pdf_table(table: Table, cell_style: Any, width: float, split_rows: bool) -> list[Any]:
    """A table's flowables: the ruled grid with its spans (kept off a page's
    foot when rows may split, see write_pdf) and the space after it."""
    from reportlab.lib import colors
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    g = grid(table)
    nrows, ncols = len(g), len(g[0]) if g else 0
    data: list[list[Any]] = [["" for _ in range(ncols)] for _ in range(nrows)]
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), _FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row in origins(table):
        for r, c, cell in row:
            data[r][c] = Paragraph(_pdf_escape(cell.text), cell_style) if cell.text else ""
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    t = RLTable(data, colWidths=_col_widths(table, width), splitInRow=1 if split_rows else 0)
    out: list[Any] = [CondPageBreak(SPLIT_TABLE_MIN_START)] if split_rows else []
    t.setStyle(TableStyle(style))
    return out + [t, Spacer(1, 8)]


def _page_marks(page_numbers: bool, running_header: str) -> Callable[[Any, Any], None]:
    """The page callback that prints ``- N -`` at the foot and/or the running
    header at the head of every page after the first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    def marks(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        if running_header and doc.page > 1:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 11 * mm, running_header)
        canvas.restoreState()

    return marks
