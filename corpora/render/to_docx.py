"""Word writer: python-docx with real merged cells, zipped reproducibly."""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from corpora.render.blocks import Block, Table, grid, is_heading, origins


def write_docx(blocks: Sequence[Block], path: str | Path, *, table_xml: bool = False) -> None:
    """Write blocks as a Word document with real merged cells.

    ``table_xml`` writes each table as one piece of WordprocessingML
    (:func:`_docx_table_xml`) instead of python-docx's ``cell()``/``merge()``,
    which re-scan the whole table on every call (~0.8 s a report): the series
    corpora of thousands of reports need it; the sample keeps the default so
    its bytes do not change.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), "宋体")
    if table_xml:
        doc.styles["Table Grid"]  # noqa: B018 -- fails early if the template lost the style the tables name

    title_done = False
    for b in blocks:
        if isinstance(b, str):
            p = doc.add_paragraph()
            run = p.add_run(b)
            if not title_done and "报告" in b and len(b) < 80 and not is_heading(b):
                title_done = True
                run.bold = True
                run.font.size = Pt(16)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif is_heading(b):
                run.bold = True
            continue
        if table_xml:
            doc.element.body._insert_tbl(parse_xml(_docx_table_xml(b)))
            doc.add_paragraph()
            continue
        g = grid(b)
        nrows, ncols = len(g), len(g[0]) if g else 0
        t = doc.add_table(rows=nrows, cols=ncols)
        t.style = "Table Grid"
        for _r, row in enumerate(origins(b)):
            for rr, c, cell in row:
                target = t.cell(rr, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(t.cell(rr + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
                for para in target.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
        doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    Path(path).write_bytes(_fixed_zip(buf.getvalue()))


def _docx_table_xml(table: Table, width: int = 8640) -> str:
    """``w:tbl`` markup for a table: spans as ``w:gridSpan``/``w:vMerge``,
    9-pt text, style Table Grid, ``width`` twips shared by the columns."""
    from docx.oxml.ns import nsdecls

    g = grid(table)
    ncols = len(g[0]) if g else 0
    col_w = width // max(1, ncols)
    origin = {id(cell): (r, c) for row in origins(table) for r, c, cell in row}
    trs: list[str] = []
    for r, row in enumerate(g):
        tcs: list[str] = []
        for c, pos in enumerate(row):
            if pos is None:  # a ragged row: an empty cell
                tcs.append(f'<w:tc><w:tcPr><w:tcW w:w="{col_w}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                continue
            cell = pos[0]
            r0, c0 = origin[id(cell)]
            if c != c0:
                continue  # inside the span of the cell to its left
            pr = f'<w:tcW w:w="{col_w * cell.colspan}" w:type="dxa"/>'
            if cell.colspan > 1:
                pr += f'<w:gridSpan w:val="{cell.colspan}"/>'
            if cell.rowspan > 1:
                pr += '<w:vMerge w:val="restart"/>' if r == r0 else "<w:vMerge/>"
            text = cell.text if r == r0 else ""
            run = (
                f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>'
                if text
                else ""
            )
            tcs.append(f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{run}</w:p></w:tc>")
        trs.append("<w:tr>" + "".join(tcs) + "</w:tr>")
    return (
        f"<w:tbl {nsdecls('w')}>"
        '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/></w:tblPr>'
        "<w:tblGrid>" + f'<w:gridCol w:w="{col_w}"/>' * ncols + "</w:tblGrid>" + "".join(trs) + "</w:tbl>"
    )


def _fixed_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps so the output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
